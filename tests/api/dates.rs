//! Honest dates: planned and actual starts and ends, each optional and known to a year, a
//! month or a day; statuses that follow them unless set to SUSPENDED or CANCELLED; and a seed
//! whose statuses its dates never contradict.

use chrono::{Datelike, Utc};
use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

const FIELDS: &str = "id version status startDate endDate dates {
    plannedStart { value precision first last } plannedEnd { value precision first last }
    actualStart { value precision } actualEnd { value precision } }";

#[tokio::test]
async fn a_status_follows_the_dates_as_they_become_known() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let next_year = (Utc::now().year() + 1).to_string();
    let last_year = (Utc::now().year() - 1).to_string();
    let created = app
        .gql_as(
            Some(&se),
            &format!(
                "mutation($d: ProjectDatesInput!) {{ createProject(input: {{ code: \"SE-DATES\",
                originalLanguage: \"sv\", title: [{{ language: \"sv\", text: \"Datum\" }}],
                country: \"SE\", dates: $d }}) {{ project {{ {FIELDS} }} }} }}"
            ),
            json!({ "d": { "plannedStart": format!("{next_year}-03") } }),
        )
        .await;
    let project = created["data"]["createProject"]["project"].clone();
    assert_eq!(project["status"], "PLANNED", "{created}");
    assert_eq!(project["endDate"], Value::Null, "no end is known");
    assert_eq!(
        project["dates"]["plannedStart"],
        json!({ "value": format!("{next_year}-03"), "precision": "MONTH",
                "first": format!("{next_year}-03-01"), "last": format!("{next_year}-03-31") })
    );

    // It started early: known to the year. Then it ended: ACTIVE, then COMPLETED.
    let update = |version: &Value, input: Value| {
        let mut i = json!({ "id": project["id"], "expectedVersion": version });
        for (k, v) in input.as_object().into_iter().flatten() {
            i[k] = v.clone();
        }
        json!({ "i": i })
    };
    let mutation = format!(
        "mutation($i: UpdateProjectInput!) {{ updateProject(input: $i) {{ project {{ {FIELDS} }} }} }}"
    );
    let started = app
        .gql_as(
            Some(&se),
            &mutation,
            update(
                &project["version"],
                json!({ "dates": { "actualStart": last_year } }),
            ),
        )
        .await;
    let started = started["data"]["updateProject"]["project"].clone();
    assert_eq!(started["status"], "ACTIVE", "{started}");
    assert_eq!(started["startDate"], format!("{last_year}-01-01"));
    assert_eq!(
        started["dates"]["actualStart"],
        json!({ "value": last_year, "precision": "YEAR" })
    );

    // A status the dates contradict is refused, on its field.
    let claimed = app
        .gql_as(
            Some(&se),
            &mutation,
            update(&started["version"], json!({ "status": "COMPLETED" })),
        )
        .await;
    assert_eq!(
        code_and_field(&claimed),
        ("BAD_USER_INPUT", "input.status"),
        "{claimed}"
    );

    let ended = app
        .gql_as(
            Some(&se),
            &mutation,
            update(
                &started["version"],
                json!({ "dates": { "actualEnd": format!("{last_year}-12-31") } }),
            ),
        )
        .await;
    let ended = ended["data"]["updateProject"]["project"].clone();
    assert_eq!(ended["status"], "COMPLETED", "{ended}");
    assert_eq!(ended["endDate"], format!("{last_year}-12-31"));

    // Cancelled is set, and stays whatever the dates do; ACTIVE/COMPLETED resume following.
    let cancelled = app
        .gql_as(
            Some(&se),
            &mutation,
            update(&ended["version"], json!({ "status": "CANCELLED" })),
        )
        .await;
    let cancelled = cancelled["data"]["updateProject"]["project"].clone();
    assert_eq!(cancelled["status"], "CANCELLED");
    let moved = app
        .gql_as(
            Some(&se),
            &mutation,
            update(
                &cancelled["version"],
                json!({ "dates": { "actualEnd": null } }),
            ),
        )
        .await;
    let moved = moved["data"]["updateProject"]["project"].clone();
    assert_eq!(moved["status"], "CANCELLED", "{moved}");
    assert_eq!(moved["endDate"], Value::Null);

    // Lists and summaries see the status a reader sees.
    let listed = app
        .gql_as(
            Some(&se),
            r#"{ cancelled: projects(filter: { statuses: [CANCELLED] }) { nodes { code } }
                 summary: projectSummary(groupBy: [STATUS], filter: { ownerCountries: ["SE"] }) { status count } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["cancelled"]["nodes"],
        json!([{ "code": "SE-DATES" }])
    );
    assert_eq!(
        listed["data"]["summary"],
        json!([{ "status": "CANCELLED", "count": 1 }, { "status": "COMPLETED", "count": 6 }]),
        "{listed}"
    );
}

#[tokio::test]
async fn no_seeded_project_or_workshop_claims_a_state_its_dates_contradict() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let seen = app
        .gql_as(
            Some(&admin),
            &format!(
                "{{ projects(first: 50) {{ nodes {{ code {FIELDS} workshops(first: 50) {{
                    nodes {{ status endsAt }} }} }} }} }}"
            ),
            json!({}),
        )
        .await;
    let today = Utc::now().date_naive().to_string();
    let now = Utc::now().to_rfc3339();
    let projects = seen["data"]["projects"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(projects.len(), 11, "{seen}");
    for p in &projects {
        let start = p["startDate"].as_str().unwrap_or_default();
        let end = p["endDate"].as_str().unwrap_or("9999-12-31");
        let expected = if end < today.as_str() {
            "COMPLETED"
        } else if start > today.as_str() {
            "PLANNED"
        } else {
            "ACTIVE"
        };
        assert_eq!(p["status"], expected, "{}", p["code"]);
        for w in p["workshops"]["nodes"].as_array().into_iter().flatten() {
            let over = w["endsAt"].as_str().unwrap_or_default() < now.as_str();
            assert_eq!(
                w["status"],
                if over { "COMPLETED" } else { "SCHEDULED" },
                "{w}"
            );
        }
    }
    // The documents give years and months, and the API says so.
    let grassroots = projects.iter().find(|p| p["code"] == "PL-DH-GRASSROOTS");
    assert_eq!(
        grassroots.map(|p| (
            p["status"].clone(),
            p["dates"]["plannedEnd"]["value"].clone()
        )),
        Some((json!("COMPLETED"), json!("2024")))
    );
    let network = projects
        .iter()
        .find(|p| p["code"] == "URBACT-TECHDIVERSITY");
    assert_eq!(
        network.map(|p| p["dates"]["plannedStart"]["precision"].clone()),
        Some(json!("MONTH"))
    );
}
