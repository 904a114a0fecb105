//! Programmes and money flows: each euro counted once (Sweden's 108 MSEK), draws that never
//! exceed their allocation, budgets with their co-financing rate, money spread over the years
//! of its period, and the officers' questions by programme and budget.

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

const SWEDEN: &str = r#"query($c: FundingCounting) {
    fundingSummary(groupBy: [COUNTRY], filter: { countries: ["SE"] }, counting: $c) {
        count levels totals { currency amount }
    }
    byLevel: fundingSummary(groupBy: [LEVEL], filter: { countries: ["SE"] }) {
        level totals { amount }
    }
}"#;

async fn sweden(app: &TestApp, token: Option<&str>, counting: &str) -> Value {
    let answer = app.gql_as(token, SWEDEN, json!({ "c": counting })).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"].clone()
}

/// The global id of the `index`th funding (by value date) of project `code`, as an admin.
async fn funding_id(app: &TestApp, code: &str, index: usize) -> Value {
    let admin = app.token("ADMIN", &[], None);
    let answer = app
        .gql_as(
            Some(&admin),
            "query($c: String!) { project(code: $c) { fundings { nodes { id } } } }",
            json!({ "c": code }),
        )
        .await;
    answer["data"]["project"]["fundings"]["nodes"][index]["id"].clone()
}

async fn organisation(app: &TestApp, search: &str) -> Value {
    app.data(
        "query($s: String) { organisations(filter: { search: $s }) { nodes { id } } }",
        json!({ "s": search }),
    )
    .await["organisations"]["nodes"][0]["id"]
        .clone()
}

const CREATE_FUNDING: &str = "mutation($i: CreateFundingInput!) {
    createFunding(input: $i) { funding { id amount drawnFrom { id } } } }";

#[tokio::test]
async fn swedens_money_is_counted_once_at_108_msek() {
    let app = TestApp::spawn().await;
    let once = sweden(&app, None, "EACH_EURO_ONCE").await;
    assert_eq!(
        once["fundingSummary"],
        json!([{ "count": 4, "levels": ["RECIPIENT", "UNALLOCATED"],
                 "totals": [{ "currency": "SEK", "amount": "108000000.00" }] }]),
        "{once}"
    );
    // Blekinge's 5.2 MSEK is with its recipient; 30.8 MSEK of the 2016 money stays with
    // the assignment.
    assert_eq!(
        once["byLevel"],
        json!([
            { "level": "RECIPIENT", "totals": [{ "amount": "77200000.00" }] },
            { "level": "UNALLOCATED", "totals": [{ "amount": "30800000.00" }] },
        ]),
        "{once}"
    );
    let every = sweden(&app, None, "EVERY_LEVEL").await;
    assert_eq!(
        every["fundingSummary"][0]["totals"][0]["amount"], "113200000.00",
        "{every}"
    );
    assert_eq!(
        every["fundingSummary"][0]["levels"],
        json!(["RECIPIENT", "ALLOCATION"])
    );

    // The link is the seed's inference, and says so.
    let blekinge = app
        .data(
            r#"{ project(code: "SE-BLEKINGE-JRT") { programme { code parent { code } }
                 fundings { nodes { amount illustrativeFields drawnFrom { amount valueDate } } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        blekinge["project"],
        json!({
            "programme": { "code": "SE-JRT-REGIONS", "parent": { "code": "SE-JRT-2016-2018" } },
            "fundings": { "nodes": [{ "amount": "5200000.00",
                "illustrativeFields": ["status", "valueDate", "drawnFrom"],
                "drawnFrom": { "amount": "36000000.00", "valueDate": "2016-01-01" } }] }
        })
    );
}

#[tokio::test]
async fn a_hidden_draw_stays_in_the_allocation_and_a_draw_never_exceeds_it() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let allocation = funding_id(&app, "SE-TVV-JRT-2016", 1).await;
    // A Swedish draft drawing 1 MSEK from the 2017 money.
    let draft = app
        .gql_as(
            Some(&se),
            r#"mutation { createProject(input: { code: "SE-DRAW-TEST", originalLanguage: "sv",
                title: [{ language: "sv", text: "Dragning" }], dates: { plannedStart: "2017-01-01",
                plannedEnd: "2017-12-31" }, country: "SE" }) { project { id } } }"#,
            json!({}),
        )
        .await;
    let draft_id = draft["data"]["createProject"]["project"]["id"].clone();
    let funder = organisation(&app, "Tillväxtverket").await;
    let input = |amount: &str, currency: &str| {
        json!({ "i": { "project": draft_id, "funder": funder, "kind": "GRANT",
            "status": "COMMITTED", "amount": amount, "currency": currency,
            "valueDate": "2017-03-01", "drawnFrom": allocation } })
    };

    // Refused, and nothing changes: more than the allocation holds, another currency.
    let too_much = app
        .gql_as(Some(&se), CREATE_FUNDING, input("36000000.01", "SEK"))
        .await;
    assert_eq!(
        code_and_field(&too_much),
        ("BAD_USER_INPUT", "input.amount"),
        "{too_much}"
    );
    let euros = app
        .gql_as(Some(&se), CREATE_FUNDING, input("1000.00", "EUR"))
        .await;
    assert_eq!(
        code_and_field(&euros),
        ("BAD_USER_INPUT", "input.drawnFrom"),
        "{euros}"
    );

    // Only those who manage the allocation draw from it: not a Finnish coordinator.
    let fi = app.token("COORDINATOR", &["FI"], None);
    let (fi_project, _) = app.project_ref("FI-ELY-MONIMUOTOISUUS").await;
    let mut foreign = input("1000.00", "SEK");
    foreign["i"]["project"] = fi_project;
    let refused = app.gql_as(Some(&fi), CREATE_FUNDING, foreign).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.drawnFrom"),
        "{refused}"
    );

    let drawn = app
        .gql_as(Some(&se), CREATE_FUNDING, input("1000000.00", "SEK"))
        .await;
    assert!(drawn.get("errors").is_none(), "{drawn}");

    // The public cannot see the draft: its draw stays in the assignment's remainder, and the
    // total is the same for everyone.
    let public = sweden(&app, None, "EACH_EURO_ONCE").await;
    let coordinator = sweden(&app, Some(&se), "EACH_EURO_ONCE").await;
    for seen in [&public, &coordinator] {
        assert_eq!(
            seen["fundingSummary"][0]["totals"][0]["amount"], "108000000.00",
            "{seen}"
        );
    }
    // Unallocated: 30.8 MSEK of 2016's money for everyone; 35 MSEK of 2017's too for whoever
    // sees the draft.
    assert_eq!(public["byLevel"][1]["totals"][0]["amount"], "30800000.00");
    assert_eq!(
        coordinator["byLevel"][1]["totals"][0]["amount"],
        "65800000.00"
    );

    // The allocation cannot shrink below what is drawn from it, nor go while it is drawn on.
    let admin = app.token("ADMIN", &[], None);
    let shrink = app
        .gql_as(
            Some(&admin),
            "mutation($i: UpdateFundingInput!) { updateFunding(input: $i) { funding { id } } }",
            json!({ "i": { "id": allocation, "expectedVersion": 1, "amount": "500000.00" } }),
        )
        .await;
    assert_eq!(
        code_and_field(&shrink),
        ("BAD_USER_INPUT", "input.amount"),
        "{shrink}"
    );
    let delete = app
        .gql_as(
            Some(&admin),
            "mutation($i: DeleteInput!) { deleteFunding(input: $i) { deletedId } }",
            json!({ "i": { "id": allocation } }),
        )
        .await;
    assert_eq!(
        code_and_field(&delete),
        ("BAD_USER_INPUT", "input.id"),
        "{delete}"
    );
}

#[tokio::test]
async fn money_is_spread_over_the_years_of_its_period_or_dated_by_its_value_date() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ period: fundingSummary(groupBy: [YEAR_OF_PERIOD], filter: { countries: ["SE"] }) {
                    yearOfPeriod count totals { amount } }
                 value: fundingSummary(groupBy: [YEAR], filter: { countries: ["SE"] }) {
                    year totals { amount } } }"#,
            json!({}),
        )
        .await;
    // Blekinge's 5.2 MSEK over 2016-2018 by days (366 + 365 + 365), beside each year's
    // assignment money; the shares add up to the whole exactly.
    assert_eq!(
        data["period"],
        json!([
            { "yearOfPeriod": 2016, "count": 2, "totals": [{ "amount": "32536496.35" }] },
            { "yearOfPeriod": 2017, "count": 2, "totals": [{ "amount": "37731751.82" }] },
            { "yearOfPeriod": 2018, "count": 2, "totals": [{ "amount": "37731751.83" }] },
        ]),
        "{data}"
    );
    assert_eq!(
        data["value"],
        json!([
            { "year": 2016, "totals": [{ "amount": "36000000.00" }] },
            { "year": 2017, "totals": [{ "amount": "36000000.00" }] },
            { "year": 2018, "totals": [{ "amount": "36000000.00" }] },
        ]),
        "{data}"
    );
}

const BUDGET: &str = "budget { currency total { amount amountEur } eligibleCost { amount }
    coFinancingRate lines { year amount { amount } } }";

#[tokio::test]
async fn a_budget_gives_the_co_financing_rate_and_orders_and_filters_projects() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let budget = json!({ "currency": "SEK", "total": "2000000.00", "eligibleCost": "1600000.00",
        "lines": [{ "year": 2025, "amount": "800000.00" }, { "year": 2024, "amount": "1200000.00" }] });
    let create = |budget: Value| {
        json!({ "i": { "code": "SE-BUDGET-TEST", "originalLanguage": "sv",
            "title": [{ "language": "sv", "text": "Budget" }], "dates": { "plannedStart": "2024-01-01", "plannedEnd": "2025-12-31" }, "country": "SE", "budget": budget } })
    };
    let mutation = format!(
        "mutation($i: CreateProjectInput!) {{ createProject(input: $i) {{ project {{ id version {BUDGET} }} }} }}"
    );
    // Malformed budgets are refused on their field.
    let mut over = budget.clone();
    over["eligibleCost"] = json!("2000000.01");
    let answer = app.gql_as(Some(&se), &mutation, create(over)).await;
    assert_eq!(
        code_and_field(&answer),
        ("BAD_USER_INPUT", "input.budget.eligibleCost"),
        "{answer}"
    );
    let mut lines = budget.clone();
    lines["lines"][0]["amount"] = json!("900000.00");
    let answer = app.gql_as(Some(&se), &mutation, create(lines)).await;
    assert_eq!(
        code_and_field(&answer),
        ("BAD_USER_INPUT", "input.budget.lines"),
        "{answer}"
    );

    let created = app.gql_as(Some(&se), &mutation, create(budget)).await;
    assert!(created.get("errors").is_none(), "{created}");
    let project = &created["data"]["createProject"]["project"];
    assert_eq!(project["budget"]["total"]["amount"], "2000000.00");
    assert!(
        project["budget"]["total"]["amountEur"].is_string(),
        "{project}"
    );
    assert_eq!(project["budget"]["coFinancingRate"], "0");
    assert_eq!(
        project["budget"]["lines"],
        json!([
            { "year": 2024, "amount": { "amount": "1200000.00" } },
            { "year": 2025, "amount": { "amount": "800000.00" } },
        ])
    );

    // 1.2 MSEK of funding over 1.6 MSEK eligible: 75 %.
    let funded = app
        .gql_as(
            Some(&se),
            CREATE_FUNDING,
            json!({ "i": { "project": project["id"], "funder": organisation(&app, "Tillväxtverket").await,
                "kind": "GRANT", "status": "COMMITTED", "amount": "1200000.00",
                "currency": "SEK", "valueDate": "2024-02-01" } }),
        )
        .await;
    assert!(funded.get("errors").is_none(), "{funded}");
    let read = app
        .gql_as(
            Some(&se),
            &format!(r#"{{ project(code: "SE-BUDGET-TEST") {{ {BUDGET} }} }}"#),
            json!({}),
        )
        .await;
    assert_eq!(
        read["data"]["project"]["budget"]["coFinancingRate"], "0.75",
        "{read}"
    );

    // Officers' questions: projects by budget in euros, largest first.
    let biggest = app
        .gql_as(
            Some(&se),
            r#"{ big: projects(filter: { budgetEurFrom: "100000" }, orderBy: [{ field: BUDGET, direction: DESC }]) {
                    nodes { code } }
                 small: projects(filter: { budgetEurTo: "1000000" }) { nodes { code } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        biggest["data"]["big"]["nodes"],
        json!([{ "code": "SE-TVV-JRT-2016" }, { "code": "SE-BUDGET-TEST" }]),
        "{biggest}"
    );
    assert_eq!(
        biggest["data"]["small"]["nodes"],
        json!([{ "code": "SE-BUDGET-TEST" }]),
        "{biggest}"
    );

    // Removing the budget takes the project out of budget ranges.
    let id = project["id"].clone();
    let removed = app
        .gql_as(
            Some(&se),
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { budget { currency } } } }",
            json!({ "i": { "id": id, "expectedVersion": 1, "budget": null } }),
        )
        .await;
    assert_eq!(
        removed["data"]["updateProject"]["project"]["budget"],
        Value::Null,
        "{removed}"
    );
}

#[tokio::test]
async fn programmes_are_public_nested_and_managed_by_admins() {
    let app = TestApp::spawn().await;
    let listed = app
        .data(
            r#"{ programmes(filter: { topLevel: true }) { totalCount nodes { code children { code } } }
                 se: programmes(filter: { countries: ["SE"] }) { nodes { code } }
                 urbact: programme(code: "urbact-iv-apn") { id name parent { code }
                   countries { code } managingOrganisation { acronym } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        listed["programmes"]["nodes"],
        json!([
            { "code": "SE-JRT-2016-2018", "children": [{ "code": "SE-JRT-REGIONS" }] },
            { "code": "SE-RRC", "children": [] },
            { "code": "URBACT-IV", "children": [{ "code": "URBACT-IV-APN" }] },
        ]),
        "{listed}"
    );
    assert_eq!(listed["se"]["nodes"].as_array().map(Vec::len), Some(3));
    let apn = listed["urbact"].clone();
    assert_eq!(apn["parent"]["code"], "URBACT-IV");
    assert_eq!(apn["managingOrganisation"]["acronym"], "URBACT");
    let node = app
        .data(
            "query($id: ID!) { node(id: $id) { ... on Programme { code } } }",
            json!({ "id": apn["id"] }),
        )
        .await;
    assert_eq!(node["node"]["code"], "URBACT-IV-APN");

    // Coordinators place projects in programmes; only admins shape programmes.
    const CREATE: &str = "mutation($i: CreateProgrammeInput!) {
        createProgramme(input: $i) { programme { id code version budget { amount currency }
          funders { name } countries { code } parent { code } } } }";
    let input = json!({ "i": { "code": "ESF-PLUS-FI", "originalLanguage": "fi",
        "name": [{ "language": "fi", "text": "ESR+ Suomi" }], "periodStart": "2021-01-01",
        "periodEnd": "2027-12-31", "budget": { "amount": "1000000.00", "currency": "EUR" },
        "countries": ["FI"], "funders": [organisation(&app, "Työterveyslaitos").await] } });
    let se = app.token("COORDINATOR", &["SE"], None);
    let refused = app.gql_as(Some(&se), CREATE, input.clone()).await;
    assert_eq!(code_and_field(&refused).0, "FORBIDDEN", "{refused}");
    let admin = app.token("ADMIN", &[], None);
    let created = app.gql_as(Some(&admin), CREATE, input).await;
    assert!(created.get("errors").is_none(), "{created}");
    let esf = created["data"]["createProgramme"]["programme"].clone();
    assert_eq!(
        esf["budget"],
        json!({ "amount": "1000000.00", "currency": "EUR" })
    );
    assert_eq!(esf["countries"], json!([{ "code": "FI" }]));

    // A programme is never part of itself.
    const UPDATE: &str = "mutation($i: UpdateProgrammeInput!) {
        updateProgramme(input: $i) { programme { version parent { code } } } }";
    let looped = app
        .gql_as(
            Some(&admin),
            UPDATE,
            json!({ "i": { "id": esf["id"], "expectedVersion": 1, "parent": esf["id"] } }),
        )
        .await;
    assert_eq!(
        code_and_field(&looped),
        ("BAD_USER_INPUT", "input.parent"),
        "{looped}"
    );

    // A Finnish coordinator puts the Finnish project in it; lists and summaries follow.
    let fi = app.token("COORDINATOR", &["FI"], None);
    let (project, version) = app.project_ref("FI-ELY-MONIMUOTOISUUS").await;
    let placed = app
        .gql_as(
            Some(&fi),
            "mutation($i: UpdateProjectInput!) { updateProject(input: $i) { project { programme { code } } } }",
            json!({ "i": { "id": project, "expectedVersion": version, "programme": esf["id"] } }),
        )
        .await;
    assert_eq!(
        placed["data"]["updateProject"]["project"]["programme"]["code"], "ESF-PLUS-FI",
        "{placed}"
    );
    let asked = app
        .data(
            r#"query($p: ID!) { projects(filter: { programmes: [$p] }) { nodes { code } }
                 projectSummary(groupBy: [PROGRAMME]) { programme { code } count fundingTotalEur }
                 fundingSummary(groupBy: [PROGRAMME], filter: { programmes: [$p] }) {
                   programme { code } totalEur } }"#,
            json!({ "p": esf["id"] }),
        )
        .await;
    assert_eq!(
        asked["projects"]["nodes"],
        json!([{ "code": "FI-ELY-MONIMUOTOISUUS" }])
    );
    assert!(
        asked["projectSummary"]
            .as_array()
            .is_some_and(|groups| groups.contains(&json!({
                "programme": { "code": "ESF-PLUS-FI" }, "count": 1, "fundingTotalEur": "149500.00"
            }))),
        "{asked}"
    );
    assert_eq!(
        asked["fundingSummary"],
        json!([{ "programme": { "code": "ESF-PLUS-FI" }, "totalEur": "149500.00" }])
    );

    // In use, it cannot go.
    let delete = app
        .gql_as(
            Some(&admin),
            "mutation($i: DeleteInput!) { deleteProgramme(input: $i) { deletedId } }",
            json!({ "i": { "id": esf["id"] } }),
        )
        .await;
    assert_eq!(
        code_and_field(&delete),
        ("BAD_USER_INPUT", "input.id"),
        "{delete}"
    );

    // Partners describe projects; they do not move them between programmes.
    let summary = app
        .data(
            r#"{ projectSummary(groupBy: [COUNTRY], filter: { ownerCountries: ["SE"] }) {
                    count budgetTotalEur withBudgetCount fundingTotalEur } }"#,
            json!({}),
        )
        .await;
    let sweden = &summary["projectSummary"][0];
    assert_eq!(sweden["withBudgetCount"], 1, "{summary}");
    assert_eq!(sweden["budgetTotalEur"], "11752543.66", "{summary}");
}
