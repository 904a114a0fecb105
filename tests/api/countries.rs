//! Countries as data an admin manages: a partner country onboarded end to end over the API,
//! NUTS prefixes that differ from ISO codes, membership deciding who may coordinate, and
//! exchange rates that come as a file.

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

use crate::tokens::{VIEWER, assert_refused};

const CREATE_COUNTRY: &str = r#"mutation($i: CreateCountryInput!) {
    createCountry(input: $i) { country { code name(lang: "en") defaultLanguage currency timeZone programmeMember nutsPrefix version } }
}"#;
const UPDATE_COUNTRY: &str = r#"mutation($i: UpdateCountryInput!) {
    updateCountry(input: $i) { country { code programmeMember version } }
}"#;
const CREATE_REGION: &str = r#"mutation($i: CreateRegionInput!) {
    createRegion(input: $i) { region { id nutsCode country { code } } }
}"#;
const IMPORT: &str = r#"mutation($i: ImportExchangeRatesInput!) {
    importExchangeRates(input: $i) { rates currencies { currency from to } }
}"#;

fn norway() -> Value {
    json!({
        "code": "no", "defaultLanguage": "nb",
        "name": [{ "language": "nb", "text": "Norge" }, { "language": "en", "text": "Norway" }],
        "currency": "NOK", "timeZone": "Europe/Oslo", "programmeMember": true
    })
}

fn region(nuts: &str, parent: Option<&Value>) -> Value {
    json!({
        "nutsCode": nuts, "nutsVersion": 2024, "parent": parent, "originalLanguage": "en",
        "name": [{ "language": "en", "text": format!("Region {nuts}") }]
    })
}

#[tokio::test]
async fn a_partner_country_is_onboarded_over_the_api_from_country_to_converted_funding() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let se = app.token("COORDINATOR", &["SE"], None);

    // Only admins add countries.
    let refused = app
        .gql_as(Some(&se), CREATE_COUNTRY, json!({ "i": norway() }))
        .await;
    assert_eq!(code_and_field(&refused).0, "FORBIDDEN", "{refused}");
    // Before it exists, a coordinator of Norway is nobody.
    let no = app.token("COORDINATOR", &["NO"], None);
    assert_refused(&app, &no, "a country not yet added").await;

    let created = app
        .gql_as(Some(&admin), CREATE_COUNTRY, json!({ "i": norway() }))
        .await;
    assert_eq!(
        created["data"]["createCountry"]["country"],
        json!({
            "code": "NO", "name": "Norway", "defaultLanguage": "nb", "currency": "NOK",
            "timeZone": "Europe/Oslo", "programmeMember": true, "nutsPrefix": "NO", "version": 1
        }),
        "{created}"
    );
    let again = app
        .gql_as(Some(&admin), CREATE_COUNTRY, json!({ "i": norway() }))
        .await;
    assert_eq!(
        code_and_field(&again),
        ("BAD_USER_INPUT", "input.code"),
        "{again}"
    );

    // Its coordinators are somebody now, and it has regions.
    let viewer = app.gql_as(Some(&no), VIEWER, json!({})).await;
    assert_eq!(
        viewer["data"]["viewer"]["countries"],
        json!(["NO"]),
        "{viewer}"
    );
    let top = app
        .gql_as(
            Some(&admin),
            CREATE_REGION,
            json!({ "i": region("NO0", None) }),
        )
        .await;
    assert_eq!(
        top["data"]["createRegion"]["region"]["country"]["code"], "NO",
        "{top}"
    );
    let top_id = &top["data"]["createRegion"]["region"]["id"];
    let oslo = app
        .gql_as(
            Some(&admin),
            CREATE_REGION,
            json!({ "i": region("NO08", Some(top_id)) }),
        )
        .await;
    let oslo_id = oslo["data"]["createRegion"]["region"]["id"].clone();
    assert!(oslo_id.is_string(), "{oslo}");

    // Its coordinator adds an organisation there and gives it an API token.
    let organisation = app
        .gql_as(
            Some(&no),
            r#"mutation($r: ID!) { createOrganisation(input: { originalLanguage: "nb", name: [{ language: "nb", text: "Likestillingssenteret" }], kind: NGO, country: "NO", region: $r }) { organisation { id } } }"#,
            json!({ "r": oslo_id }),
        )
        .await;
    let organisation_id = organisation["data"]["createOrganisation"]["organisation"]["id"].clone();
    assert!(organisation_id.is_string(), "{organisation}");
    let token = app
        .gql_as(
            Some(&no),
            r#"mutation($o: ID!) { issueApiToken(input: { organisation: $o, name: "sync" }) { secret token { countryScope } } }"#,
            json!({ "o": organisation_id }),
        )
        .await;
    assert_eq!(
        token["data"]["issueApiToken"]["token"]["countryScope"],
        json!(["NO"]),
        "{token}"
    );

    // A Norwegian project's NOK funding has no euro figure until NOK rates are imported.
    let project = app
        .gql_as(
            Some(&no),
            r#"mutation { createProject(input: { code: "NO-LIKE", originalLanguage: "nb", title: [{ language: "nb", text: "Likestilling i arbeidslivet" }], dates: { plannedStart: "2025-01-01", plannedEnd: "2026-12-31" }, country: "NO" }) { project { id } } }"#,
            json!({}),
        )
        .await;
    let project_id = project["data"]["createProject"]["project"]["id"].clone();
    assert!(project_id.is_string(), "{project}");
    let funding = app
        .gql_as(
            Some(&no),
            r#"mutation($p: ID!, $f: ID!) { createFunding(input: { project: $p, funder: $f, kind: GRANT, status: COMMITTED, amount: "1179500.00", currency: "NOK", valueDate: "2025-01-03" }) { funding { id amountEur } } }"#,
            json!({ "p": project_id, "f": organisation_id }),
        )
        .await;
    assert_eq!(
        funding["data"]["createFunding"]["funding"]["amountEur"],
        Value::Null,
        "{funding}"
    );
    let funding_id = funding["data"]["createFunding"]["funding"]["id"].clone();
    let csv = "Date,NOK\n2025-01-02,11.795\n2025-01-03,11.7950\n";
    let imported = app
        .gql_as(Some(&admin), IMPORT, json!({ "i": { "csv": csv } }))
        .await;
    assert_eq!(
        imported["data"]["importExchangeRates"],
        json!({ "rates": 2, "currencies": [{ "currency": "NOK", "from": "2025-01-02", "to": "2025-01-03" }] }),
        "{imported}"
    );
    let converted = app
        .gql_as(
            Some(&no),
            "query($id: ID!) { node(id: $id) { ... on Funding { amountEur eurRate rateDate } } }",
            json!({ "id": funding_id }),
        )
        .await;
    assert_eq!(
        converted["data"]["node"],
        json!({ "amountEur": "100000.00", "eurRate": "11.795", "rateDate": "2025-01-03" }),
        "{converted}"
    );
}

#[tokio::test]
async fn greece_is_gr_in_iso_and_el_in_nuts_and_a_non_member_has_no_coordinators() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let mut greece = json!({
        "code": "GR", "defaultLanguage": "el", "nutsPrefix": "el",
        "name": [{ "language": "el", "text": "Ελλάδα" }, { "language": "en", "text": "Greece" }],
        "currency": "EUR", "timeZone": "Europe/Athens", "programmeMember": false
    });
    for (field, value, named) in [
        ("code", json!("EL"), "input.code"),
        ("code", json!("XX"), "input.code"),
        ("timeZone", json!("Europe/Atlantis"), "input.timeZone"),
        ("currency", json!("DRACHMA"), "input.currency"),
        ("nutsPrefix", json!("SE"), "input.nutsPrefix"),
        (
            "name",
            json!([{ "language": "en", "text": "Greece" }]),
            "input.name",
        ),
    ] {
        let mut wrong = greece.clone();
        wrong[field] = value;
        let refused = app
            .gql_as(Some(&admin), CREATE_COUNTRY, json!({ "i": wrong }))
            .await;
        assert_eq!(
            code_and_field(&refused),
            ("BAD_USER_INPUT", named),
            "{refused}"
        );
    }
    let countries = app.gql("{ countries { code } }", json!({})).await;
    assert_eq!(
        countries["data"]["countries"],
        json!([{ "code": "FI" }, { "code": "PL" }, { "code": "SE" }, { "code": "SI" }]),
        "nothing refused was added: {countries}"
    );

    greece["nutsPrefix"] = json!("el");
    let created = app
        .gql_as(Some(&admin), CREATE_COUNTRY, json!({ "i": greece }))
        .await;
    assert_eq!(
        created["data"]["createCountry"]["country"]["nutsPrefix"], "EL",
        "{created}"
    );
    let attica = app
        .gql_as(
            Some(&admin),
            CREATE_REGION,
            json!({ "i": region("EL30", None) }),
        )
        .await;
    assert_eq!(
        attica["data"]["createRegion"]["region"]["country"]["code"], "GR",
        "{attica}"
    );
    let wrong = app
        .gql_as(
            Some(&admin),
            CREATE_REGION,
            json!({ "i": region("GR30", None) }),
        )
        .await;
    assert_eq!(
        code_and_field(&wrong),
        ("BAD_USER_INPUT", "input.nutsCode"),
        "{wrong}"
    );

    // Greece hosts partners but has no coordinators and owns no projects.
    let coordinator = app.token("COORDINATOR", &["GR"], None);
    assert_refused(&app, &coordinator, "a coordinator of a non-member").await;
    let viewer = app.token("VIEWER", &["GR"], None);
    let seen = app.gql_as(Some(&viewer), VIEWER, json!({})).await;
    assert_eq!(seen["data"]["viewer"]["role"], "VIEWER", "{seen}");
    let organisation = app
        .gql_as(
            Some(&admin),
            r#"mutation { createOrganisation(input: { originalLanguage: "el", name: [{ language: "el", text: "Κέντρο Ισότητας" }], kind: NGO, country: "GR" }) { organisation { country { code programmeMember } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        organisation["data"]["createOrganisation"]["organisation"]["country"],
        json!({ "code": "GR", "programmeMember": false }),
        "{organisation}"
    );
    let project = app
        .gql_as(
            Some(&admin),
            r#"mutation { createProject(input: { code: "GR-NO", originalLanguage: "el", title: [{ language: "el", text: "Ισότητα" }], dates: { plannedStart: "2025-01-01", plannedEnd: "2025-12-31" }, country: "GR" }) { project { id } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        code_and_field(&project),
        ("BAD_USER_INPUT", "input.country"),
        "{project}"
    );
    let members = app
        .gql("{ countries(programmeMember: false) { code } }", json!({}))
        .await;
    assert_eq!(
        members["data"]["countries"],
        json!([{ "code": "GR" }]),
        "{members}"
    );
}

#[tokio::test]
async fn a_country_that_leaves_the_programme_loses_its_coordinators_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let si = app.token("COORDINATOR", &["SI"], None);
    let seen = app.gql_as(Some(&si), VIEWER, json!({})).await;
    assert_eq!(seen["data"]["viewer"]["countries"], json!(["SI"]), "{seen}");

    let refused = app
        .gql_as(
            Some(&si),
            UPDATE_COUNTRY,
            json!({ "i": { "code": "SI", "expectedVersion": 1, "programmeMember": false } }),
        )
        .await;
    assert_eq!(code_and_field(&refused).0, "FORBIDDEN", "{refused}");
    let left = app
        .gql_as(
            Some(&admin),
            UPDATE_COUNTRY,
            json!({ "i": { "code": "SI", "expectedVersion": 1, "programmeMember": false } }),
        )
        .await;
    assert_eq!(
        left["data"]["updateCountry"]["country"],
        json!({ "code": "SI", "programmeMember": false, "version": 2 }),
        "{left}"
    );
    assert_refused(&app, &si, "a coordinator of a country that left").await;
    let stale = app
        .gql_as(
            Some(&admin),
            UPDATE_COUNTRY,
            json!({ "i": { "code": "SI", "expectedVersion": 1, "programmeMember": true } }),
        )
        .await;
    assert_eq!(code_and_field(&stale).0, "CONFLICT", "{stale}");
    let language = app
        .gql_as(
            Some(&admin),
            UPDATE_COUNTRY,
            json!({ "i": { "code": "SI", "expectedVersion": 2, "defaultLanguage": "de" } }),
        )
        .await;
    assert_eq!(
        code_and_field(&language),
        ("BAD_USER_INPUT", "input.defaultLanguage"),
        "{language}"
    );
    let back = app
        .gql_as(
            Some(&admin),
            UPDATE_COUNTRY,
            json!({ "i": { "code": "SI", "expectedVersion": 2, "programmeMember": true } }),
        )
        .await;
    assert_eq!(
        back["data"]["updateCountry"]["country"]["version"], 3,
        "{back}"
    );
    let seen = app.gql_as(Some(&si), VIEWER, json!({})).await;
    assert_eq!(seen["data"]["viewer"]["countries"], json!(["SI"]), "{seen}");

    let audit = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(first: 3, filter: { entities: [COUNTRY] }) { nodes { action entity entityId country } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        audit["data"]["auditEvents"]["nodes"],
        json!([
            { "action": "updateCountry", "entity": "COUNTRY", "entityId": "SI", "country": "SI" },
            { "action": "updateCountry", "entity": "COUNTRY", "entityId": "SI", "country": "SI" },
        ]),
        "{audit}"
    );
}

const SEK_FUNDING: &str =
    r#"{ project(code: "SE-BLEKINGE-JRT") { fundings { nodes { currency eurRate rateDate } } } }"#;

#[tokio::test]
async fn exchange_rates_come_as_a_file_taken_whole_or_not_at_all() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let before = app.gql_as(Some(&admin), SEK_FUNDING, json!({})).await;
    let fundings = &before["data"]["project"]["fundings"]["nodes"];
    let date = fundings[0]["rateDate"]
        .as_str()
        .expect("a rate date")
        .to_owned();
    assert_eq!(fundings[0]["currency"], "SEK", "{before}");

    let se = app.token("COORDINATOR", &["SE"], None);
    let good = format!("currency,date,unitsPerEur,source\nSEK,{date},10.000001,MANUAL\n");
    // Rights come before the file is read, whatever it holds.
    for csv in [good.as_str(), "not,a,rate,file"] {
        let refused = app
            .gql_as(Some(&se), IMPORT, json!({ "i": { "csv": csv } }))
            .await;
        assert_eq!(code_and_field(&refused).0, "FORBIDDEN", "{refused}");
    }
    // A fault on the third line: nothing of the file is taken.
    let faulty = format!("currency,date,unitsPerEur\nSEK,{date},10.5\nSEK,2024-02-30,10\n");
    let refused = app
        .gql_as(Some(&admin), IMPORT, json!({ "i": { "csv": faulty } }))
        .await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.csv"),
        "{refused}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("line 3")),
        "{refused}"
    );
    assert_eq!(
        app.gql_as(Some(&admin), SEK_FUNDING, json!({})).await,
        before
    );

    let taken = app
        .gql_as(Some(&admin), IMPORT, json!({ "i": { "csv": good } }))
        .await;
    assert_eq!(taken["data"]["importExchangeRates"]["rates"], 1, "{taken}");
    // The ECB's own file: every line ends with a comma, and old currencies stand beside.
    let ecb = "Date,SEK,CYP,\n2001-01-02,8.83,0.57,\n";
    let taken = app
        .gql_as(
            Some(&admin),
            "mutation($i: ImportExchangeRatesInput!) { importExchangeRates(input: $i) { rates withdrawnCurrencies } }",
            json!({ "i": { "csv": ecb } }),
        )
        .await;
    assert_eq!(
        taken["data"]["importExchangeRates"],
        json!({ "rates": 1, "withdrawnCurrencies": ["CYP"] }),
        "{taken}"
    );
    let after = app.gql_as(Some(&admin), SEK_FUNDING, json!({})).await;
    assert_eq!(
        after["data"]["project"]["fundings"]["nodes"][0]["eurRate"], "10.000001",
        "{after}"
    );

    // The same from the command line, for files larger than a request.
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("rates.csv");
    std::fs::write(&file, format!("Date,SEK,PLN\n{date},10.25,4.5\n")).expect("written");
    let args = mosaic::cli::ImportArgs {
        file,
        source: entity::enums::RateSource::EcbReference,
    };
    let said = mosaic::cli::import_rates(&app.config, &args)
        .await
        .expect("the import runs");
    assert!(said.starts_with("set 2 rates"), "{said}");
    let after = app.gql_as(Some(&admin), SEK_FUNDING, json!({})).await;
    assert_eq!(
        after["data"]["project"]["fundings"]["nodes"][0]["eurRate"], "10.25",
        "{after}"
    );
    let audit = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(first: 1) { nodes { action actorKind entity after } } }"#,
            json!({}),
        )
        .await;
    let event = &audit["data"]["auditEvents"]["nodes"][0];
    assert_eq!(
        (&event["action"], &event["actorKind"], &event["entity"]),
        (
            &json!("importExchangeRates"),
            &json!("CLI"),
            &json!("EXCHANGE_RATE")
        ),
        "{audit}"
    );
    assert_eq!(event["after"]["rates"], 2, "{audit}");
}

/// A Finnish-owned draft network with partners in Sweden (Region Blekinge) and Norway (a
/// country outside the programme), a Norwegian region and a contact with an email.
async fn finnish_network_with_swedish_and_norwegian_partners(app: &TestApp) -> Value {
    let admin = app.token("ADMIN", &[], None);
    let mut norway = norway();
    norway["programmeMember"] = json!(false);
    let added = app
        .gql_as(Some(&admin), CREATE_COUNTRY, json!({ "i": norway }))
        .await;
    assert!(added.get("errors").is_none(), "{added}");
    let oslo = app
        .gql_as(
            Some(&admin),
            CREATE_REGION,
            json!({ "i": region("NO08", None) }),
        )
        .await;
    let oslo = oslo["data"]["createRegion"]["region"]["id"].clone();
    let bergen = app
        .gql_as(
            Some(&admin),
            r#"mutation($r: ID!) { createOrganisation(input: { originalLanguage: "nb", name: [{ language: "nb", text: "Bergen kommune" }], kind: MUNICIPALITY, country: "NO", region: $r }) { organisation { id } } }"#,
            json!({ "r": oslo }),
        )
        .await;
    let bergen = bergen["data"]["createOrganisation"]["organisation"]["id"].clone();
    let ids = app
        .data(
            r#"{ blekinge: organisations(filter: { search: "Region Blekinge" }) { nodes { id } }
                 ely: organisations(filter: { search: "ELY" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let fi = app.token("COORDINATOR", &["FI"], None);
    let created = app
        .gql_as(
            Some(&fi),
            r#"mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id version } } }"#,
            json!({ "i": {
                "code": "FI-NETWORK", "originalLanguage": "fi",
                "title": [{ "language": "fi", "text": "Verkosto" }],
                "dates": { "plannedStart": "2026-01-01", "plannedEnd": "2027-12-31" }, "country": "FI",
                "regions": [oslo],
                "participants": [
                    { "organisation": ids["ely"]["nodes"][0]["id"], "role": "LEAD" },
                    { "organisation": ids["blekinge"]["nodes"][0]["id"], "role": "PARTNER" },
                    { "organisation": bergen, "role": "PARTNER" }
                ]
            } }),
        )
        .await;
    let project = created["data"]["createProject"]["project"].clone();
    assert!(project["id"].is_string(), "{created}");
    let contact = app
        .gql_as(
            Some(&fi),
            r#"mutation($p: ID!) { addContact(input: { project: $p, name: "Aino", email: "aino@example.fi" }) { contact { id } } }"#,
            json!({ "p": project["id"] }),
        )
        .await;
    assert!(contact.get("errors").is_none(), "{contact}");
    project
}

#[tokio::test]
async fn a_project_across_countries_is_read_by_each_country_it_works_in_and_run_by_its_owner() {
    let app = TestApp::spawn().await;
    let project = finnish_network_with_swedish_and_norwegian_partners(&app).await;
    let admin = app.token("ADMIN", &[], None);
    let seen = app
        .gql_as(
            Some(&admin),
            r#"{ project(code: "FI-NETWORK") { country { code } countries { code programmeMember } }
                 anyCountry: projects(filter: { countries: ["NO"] }) { nodes { code } }
                 owned: projects(filter: { ownerCountries: ["SE"], search: "Verkosto" }) { totalCount }
                 partnered: projects(filter: { countries: ["SE"], search: "Verkosto" }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        seen["data"]["project"],
        json!({ "country": { "code": "FI" }, "countries": [
            { "code": "FI", "programmeMember": true },
            { "code": "NO", "programmeMember": false },
            { "code": "SE", "programmeMember": true }
        ] }),
        "{seen}"
    );
    assert_eq!(
        seen["data"]["anyCountry"]["nodes"],
        json!([{ "code": "FI-NETWORK" }]),
        "{seen}"
    );
    assert_eq!(seen["data"]["owned"]["totalCount"], 0, "{seen}");
    assert_eq!(seen["data"]["partnered"]["totalCount"], 1, "{seen}");

    // Who reads the draft, who reads its personal data, who may change it.
    let read = r#"{ project(code: "FI-NETWORK") { code contacts { nodes { name email } } } }"#;
    let rename = r#"mutation($id: ID!, $v: Int!) { updateProject(input: { id: $id, expectedVersion: $v, summary: [{ language: "fi", text: "Muutettu" }] }) { project { version } } }"#;
    let callers = [
        ("anonymous", None, None, "UNAUTHENTICATED"),
        (
            "viewer",
            Some(app.token("VIEWER", &[], None)),
            None,
            "NOT_FOUND",
        ),
        (
            "coordinator of PL",
            Some(app.token("COORDINATOR", &["PL"], None)),
            None,
            "NOT_FOUND",
        ),
        (
            "coordinator of SE (a partner's country)",
            Some(app.token("COORDINATOR", &["SE"], None)),
            Some(Value::Null),
            "FORBIDDEN",
        ),
        (
            "coordinator of FI (the owner)",
            Some(app.token("COORDINATOR", &["FI"], None)),
            Some(json!("aino@example.fi")),
            "",
        ),
    ];
    let mut version = project["version"].as_i64().unwrap_or_default();
    for (who, token, email, refusal) in callers {
        let answer = app.gql_as(token.as_deref(), read, json!({})).await;
        match &email {
            None => assert_eq!(answer["data"]["project"], Value::Null, "{who}: {answer}"),
            Some(email) => assert_eq!(
                answer["data"]["project"]["contacts"]["nodes"],
                json!([{ "name": "Aino", "email": email }]),
                "{who}: {answer}"
            ),
        }
        let changed = app
            .gql_as(
                token.as_deref(),
                rename,
                json!({ "id": project["id"], "v": version }),
            )
            .await;
        if refusal.is_empty() {
            assert!(changed.get("errors").is_none(), "{who}: {changed}");
            version += 1;
        } else {
            assert_eq!(code_and_field(&changed).0, refusal, "{who}: {changed}");
        }
    }

    // Dropping the Norwegian partner and region takes Norway off the project.
    let fi = app.token("COORDINATOR", &["FI"], None);
    let trimmed = app
        .gql_as(
            Some(&fi),
            r#"mutation($id: ID!, $v: Int!) { updateProject(input: { id: $id, expectedVersion: $v, regions: [] }) { project { countries { code } } } }"#,
            json!({ "id": project["id"], "v": version }),
        )
        .await;
    assert_eq!(
        trimmed["data"]["updateProject"]["project"]["countries"],
        json!([{ "code": "FI" }, { "code": "NO" }, { "code": "SE" }]),
        "Bergen still takes part: {trimmed}"
    );
}
