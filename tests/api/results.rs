//! Results and indicators: what the documents state, seen exactly as their project is seen,
//! written by its coordinators and admins, with actual values recorded by its partners too,
//! and summarised target against actual.

use mosaic_tests::{TestApp, code_and_field, first_code, uuid_of};
use serde_json::{Value, json};

const SUMMARY: &str = "query($f: ResultFilter) { resultSummary(groupBy: [COUNTRY], filter: $f) {
    country { code } indicatorCount periodCount targetedCount reportedCount metCount
    peopleTarget { total women men nonBinary undisclosed } peopleActual { total women men } } }";

#[tokio::test]
async fn the_seed_states_the_documents_targets_and_the_blekinge_parts_their_own_target_groups() {
    let app = TestApp::spawn().await;
    let seen = app
        .data(
            r#"{ hub: project(code: "PL-DH-GRASSROOTS") { results { kind title(lang: "en")
                   indicators { measure byGender periods { target { value comment } actual { value byGender { women men nonBinary undisclosed } } met } } } }
                 part: project(code: "SE-BLEKINGE-JRT-NSY") { parent { code } targetGroups { code label(lang: "fi") } }
                 blekinge: project(code: "SE-BLEKINGE-JRT") { subProjects { nodes { code } } } }"#,
            json!({}),
        )
        .await;
    let results = seen["hub"]["results"].as_array().expect("results");
    let awards = &results[0];
    assert_eq!(awards["kind"], "OUTPUT");
    let entries = &awards["indicators"][0]["periods"][0];
    assert_eq!(
        entries["target"]["value"], "12",
        "at least 12 award entries: {seen}"
    );
    let categories = &awards["indicators"][1]["periods"][0];
    assert_eq!(
        categories["target"]["value"], "3",
        "three categories: {seen}"
    );
    let split: Vec<&Value> = results
        .iter()
        .flat_map(|r| r["indicators"].as_array().into_iter().flatten())
        .filter(|i| i["byGender"] == true)
        .collect();
    assert_eq!(
        split.len(),
        1,
        "the academy counts people by gender: {seen}"
    );
    let academy = &split[0]["periods"][0];
    let by_gender = &academy["actual"]["byGender"];
    let counted = ["women", "men", "nonBinary", "undisclosed"]
        .iter()
        .map(|k| by_gender[k].as_i64().expect("a count"))
        .sum::<i64>();
    assert_eq!(
        Some(counted),
        academy["actual"]["value"]
            .as_str()
            .and_then(|v| v.parse().ok()),
        "the split accounts for everyone: {academy}"
    );

    assert_eq!(seen["part"]["parent"]["code"], "SE-BLEKINGE-JRT");
    let groups: Vec<&str> = seen["part"]["targetGroups"]
        .as_array()
        .expect("terms")
        .iter()
        .filter_map(|t| t["code"].as_str())
        .collect();
    assert!(
        groups.contains(&"SCHOOL_LEADERS") && groups.contains(&"STUDY_AND_CAREER_COUNSELLORS"),
        "{seen}"
    );
    assert_eq!(
        seen["blekinge"]["subProjects"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{seen}"
    );

    // The summary counts what the projects show, per country.
    let summary = app
        .data(SUMMARY, json!({ "f": { "countries": ["PL"] } }))
        .await;
    let pl = &summary["resultSummary"][0];
    assert_eq!(pl["country"]["code"], "PL");
    let periods: i64 = results
        .iter()
        .flat_map(|r| r["indicators"].as_array().into_iter().flatten())
        .map(|i| i["periods"].as_array().map_or(0, Vec::len) as i64)
        .sum();
    assert_eq!(pl["periodCount"], periods, "{summary}");
    assert_eq!(pl["peopleActual"]["total"], counted, "{summary}");
}

#[tokio::test]
async fn results_are_managed_by_coordinators_and_actuals_recorded_by_partners_of_a_hidden_draft() {
    let app = TestApp::spawn().await;
    let pl = app.token("COORDINATOR", &["PL"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let hub = crate::tokens::organisation_id(&app, "Diversity Hub").await;
    let partner = app.token("PARTNER", &[], Some(uuid_of(&hub)));
    let created = app
        .gql_as(
            Some(&pl),
            r#"mutation($i: CreateProjectInput!) { createProject(input: $i) { project { id } } }"#,
            json!({ "i": { "code": "PL-RESULTS", "originalLanguage": "pl", "country": "PL",
                "title": [{ "language": "pl", "text": "Wyniki" }], "dates": { "plannedStart": "2026" },
                "participants": [{ "organisation": hub, "role": "PARTNER" }] } }),
        )
        .await;
    let project = created["data"]["createProject"]["project"]["id"].clone();
    assert!(project.is_string(), "{created}");

    const ADD_RESULT: &str = "mutation($i: AddResultInput!) { addResult(input: $i) { result { id kind title version } } }";
    let result_input = json!({ "i": { "project": project, "kind": "OUTCOME",
        "title": [{ "language": "pl", "text": "Więcej kobiet w IT" }, { "language": "en", "text": "More women in IT" }] } });
    for (who, token, code) in [
        ("FI coordinator", &fi, "NOT_FOUND"),
        ("partner", &partner, "FORBIDDEN"),
    ] {
        let refused = app
            .gql_as(Some(token), ADD_RESULT, result_input.clone())
            .await;
        assert_eq!(first_code(&refused), code, "{who}: {refused}");
    }
    let added = app.gql_as(Some(&pl), ADD_RESULT, result_input).await;
    let result = added["data"]["addResult"]["result"].clone();
    assert_eq!(result["title"], "Więcej kobiet w IT", "{added}");

    const ADD_INDICATOR: &str = "mutation($i: AddIndicatorInput!) { addIndicator(input: $i) { indicator { id byGender baseline { year value } } } }";
    let indicator_input = |measure: &str| {
        json!({ "i": { "result": result["id"], "measure": measure, "byGender": true,
            "title": [{ "language": "pl", "text": "Uczestniczki" }], "baseline": { "year": 2025, "value": 10 } } })
    };
    let refused = app
        .gql_as(Some(&pl), ADD_INDICATOR, indicator_input("PERCENTAGE"))
        .await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.byGender"),
        "{refused}"
    );
    let added = app
        .gql_as(Some(&pl), ADD_INDICATOR, indicator_input("UNIT"))
        .await;
    let indicator = added["data"]["addIndicator"]["indicator"].clone();
    assert_eq!(
        indicator["baseline"],
        json!({ "year": 2025, "value": "10" }),
        "{added}"
    );

    const ADD_PERIOD: &str = "mutation($i: AddIndicatorPeriodInput!) { addIndicatorPeriod(input: $i) {
        period { id version target { value byGender { women men nonBinary undisclosed } } actual { value } met } } }";
    let period_input = |end: &str, women: i64| {
        json!({ "i": { "indicator": indicator["id"], "start": "2026-01-01", "end": end,
            "target": { "value": 40, "byGender": { "women": women, "men": 10, "nonBinary": 0 } } } })
    };
    for (input, field) in [
        (period_input("2025-12-31", 30), "input.end"),
        (period_input("2026-12-31", 31), "input.target.byGender"),
    ] {
        let refused = app.gql_as(Some(&pl), ADD_PERIOD, input).await;
        assert_eq!(
            code_and_field(&refused),
            ("BAD_USER_INPUT", field),
            "{refused}"
        );
    }
    let refused = app
        .gql_as(Some(&partner), ADD_PERIOD, period_input("2026-12-31", 30))
        .await;
    assert_eq!(
        first_code(&refused),
        "FORBIDDEN",
        "partners set no targets: {refused}"
    );
    let added = app
        .gql_as(Some(&pl), ADD_PERIOD, period_input("2026-12-31", 25))
        .await;
    let period = added["data"]["addIndicatorPeriod"]["period"].clone();
    assert_eq!(
        period["target"],
        json!({ "value": "40", "byGender": { "women": 25, "men": 10, "nonBinary": 0, "undisclosed": 5 } }),
        "{added}"
    );

    // The project's partner records what was achieved; the split defaults the value.
    const RECORD: &str =
        "mutation($i: RecordIndicatorActualInput!) { recordIndicatorActual(input: $i) {
        period { version actual { value byGender { women } comment } met } } }";
    let record = json!({ "i": { "period": period["id"], "expectedVersion": 1,
        "actual": { "byGender": { "women": 30, "men": 12, "nonBinary": 1 }, "comment": "Dwie edycje" } } });
    let recorded = app.gql_as(Some(&partner), RECORD, record.clone()).await;
    assert_eq!(
        recorded["data"]["recordIndicatorActual"]["period"],
        json!({ "version": 2, "actual": { "value": "43", "byGender": { "women": 30 }, "comment": "Dwie edycje" }, "met": true }),
        "{recorded}"
    );
    let stale = app.gql_as(Some(&partner), RECORD, record).await;
    assert_eq!(first_code(&stale), "CONFLICT", "{stale}");

    // Hidden exactly as the draft is: node, the project's parts, the summary.
    let read = "query($r: ID!, $i: ID!, $p: ID!) { r: node(id: $r) { id } i: node(id: $i) { id } p: node(id: $p) { ... on IndicatorPeriod { met } } }";
    let ids = json!({ "r": result["id"], "i": indicator["id"], "p": period["id"] });
    for (who, token) in [("anonymous", None), ("FI coordinator", Some(fi.as_str()))] {
        let answer = app.gql_as(token, read, ids.clone()).await;
        assert_eq!(
            answer["data"],
            json!({ "r": null, "i": null, "p": null }),
            "{who}: {answer}"
        );
        let summary = app
            .gql_as(token, SUMMARY, json!({ "f": { "projects": [project] } }))
            .await;
        assert_eq!(
            summary["data"]["resultSummary"],
            json!([]),
            "{who} counts nothing of the draft: {summary}"
        );
    }
    for token in [&pl, &partner] {
        let answer = app.gql_as(Some(token), read, ids.clone()).await;
        assert_eq!(answer["data"]["p"]["met"], true, "{answer}");
        let summary = app
            .gql_as(
                Some(token),
                SUMMARY,
                json!({ "f": { "projects": [project] } }),
            )
            .await;
        assert_eq!(
            summary["data"]["resultSummary"],
            json!([{ "country": { "code": "PL" }, "indicatorCount": 1, "periodCount": 1,
                "targetedCount": 1, "reportedCount": 1, "metCount": 1,
                "peopleTarget": { "total": 40, "women": 25, "men": 10, "nonBinary": 0, "undisclosed": 5 },
                "peopleActual": { "total": 43, "women": 30, "men": 12 } }]),
            "{summary}"
        );
    }

    // Fewer is better now: 43 against 40 no longer meets it.
    let turned = app
        .gql_as(
            Some(&pl),
            "mutation($i: UpdateIndicatorInput!) { updateIndicator(input: $i) { indicator { ascending periods { met } } } }",
            json!({ "i": { "id": indicator["id"], "expectedVersion": 1, "ascending": false } }),
        )
        .await;
    assert_eq!(
        turned["data"]["updateIndicator"]["indicator"],
        json!({ "ascending": false, "periods": [{ "met": false }] }),
        "{turned}"
    );

    // A result goes with its indicators and periods.
    let gone = app
        .gql_as(
            Some(&pl),
            "mutation($i: DeleteInput!) { deleteResult(input: $i) { deletedId } }",
            json!({ "i": { "id": result["id"] } }),
        )
        .await;
    assert_eq!(
        gone["data"]["deleteResult"]["deletedId"], result["id"],
        "{gone}"
    );
    let answer = app.gql_as(Some(&pl), read, ids).await;
    assert_eq!(
        answer["data"],
        json!({ "r": null, "i": null, "p": null }),
        "{answer}"
    );
}

#[tokio::test]
async fn a_qualitative_indicator_takes_words_not_figures() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let (project, _) = app.project_ref("FI-ELY-MONIMUOTOISUUS").await;
    let result = app
        .gql_as(
            Some(&admin),
            r#"mutation($p: ID!) { addResult(input: { project: $p, kind: IMPACT, title: [{ language: "fi", text: "Pysyvä malli" }] }) { result { id } } }"#,
            json!({ "p": project }),
        )
        .await["data"]["addResult"]["result"]["id"]
        .clone();
    let indicator = app
        .gql_as(
            Some(&admin),
            r#"mutation($r: ID!) { addIndicator(input: { result: $r, measure: QUALITATIVE, title: [{ language: "fi", text: "Malli" }] }) { indicator { id } } }"#,
            json!({ "r": result }),
        )
        .await["data"]["addIndicator"]["indicator"]["id"]
        .clone();
    let add = r#"mutation($i: AddIndicatorPeriodInput!) { addIndicatorPeriod(input: $i) { period { target { value comment } } } }"#;
    let refused = app
        .gql_as(
            Some(&admin),
            add,
            json!({ "i": { "indicator": indicator, "start": "2026-01-01", "end": "2026-12-31", "target": { "value": 1 } } }),
        )
        .await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input.target.value"),
        "{refused}"
    );
    let added = app
        .gql_as(
            Some(&admin),
            add,
            json!({ "i": { "indicator": indicator, "start": "2026-01-01", "end": "2026-12-31", "target": { "comment": "Malli on käytössä" } } }),
        )
        .await;
    assert_eq!(
        added["data"]["addIndicatorPeriod"]["period"]["target"],
        json!({ "value": null, "comment": "Malli on käytössä" }),
        "{added}"
    );
}
