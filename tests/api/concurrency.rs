//! Concurrent writers on the embedded default: SQLite writers take the write lock up front
//! (`BEGIN IMMEDIATE`) and queue for it, so a burst of registrations beside a coordinator's
//! updates answers every request, with no seat lost or sold twice.

use std::time::{Duration, Instant};

use mosaic_tests::TestApp;
use serde_json::{Value, json};

use crate::workshops::{REGISTER, create_workshop, person};

const RUN_FOR: Duration = Duration::from_secs(8);
const SEATS: i64 = 40;

#[tokio::test]
async fn eight_registrants_and_an_updater_for_eight_seconds_meet_no_error() {
    let app = TestApp::spawn().await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let workshop = create_workshop(&app, &coordinator, SEATS, true).await;
    let deadline = Instant::now() + RUN_FOR;

    let mut registrants = Vec::new();
    for writer in 0..8 {
        let client = app.client.clone();
        let url = format!("{}/graphql", app.base);
        let workshop = workshop.clone();
        registrants.push(tokio::spawn(async move {
            let (mut ok, mut errors) = (0_usize, Vec::<Value>::new());
            let mut n = writer * 100_000;
            while Instant::now() < deadline {
                let body = json!({ "query": REGISTER, "variables": person(&workshop, n) });
                let answer: Value = match client.post(&url).json(&body).send().await {
                    Ok(response) => response.json().await.unwrap_or(Value::Null),
                    Err(error) => json!({ "errors": [error.to_string()] }),
                };
                if answer.get("errors").is_some() || answer.is_null() {
                    errors.push(answer);
                } else {
                    ok += 1;
                }
                n += 1;
            }
            (ok, errors)
        }));
    }
    let (project, mut version) = app.project_ref("SE-VARMLAND-RRC").await;
    let (mut updates, mut update_errors) = (0_usize, Vec::<Value>::new());
    while Instant::now() < deadline {
        let answer = app
            .gql_as(
                Some(&coordinator),
                "mutation($id: ID!, $v: Int!, $t: String!) { updateProject(input: { id: $id, expectedVersion: $v, title: [{ language: \"sv\", text: $t }] }) { project { version } } }",
                json!({ "id": project, "v": version, "t": format!("Titel {updates}") }),
            )
            .await;
        match answer["data"]["updateProject"]["project"]["version"].as_i64() {
            Some(next) => {
                version = next;
                updates += 1;
            }
            None => update_errors.push(answer),
        }
    }
    let mut registered = 0;
    for task in registrants {
        let (ok, errors) = task.await.expect("the writer finished");
        assert!(
            errors.is_empty(),
            "registration errors: {:?}",
            &errors[..errors.len().min(3)]
        );
        registered += ok;
    }
    assert!(
        update_errors.is_empty(),
        "update errors: {:?}",
        &update_errors[..update_errors.len().min(3)]
    );
    assert!(
        registered > 8 && updates > 1,
        "{registered} registrations, {updates} updates"
    );

    // Every acknowledged registration is there once; seats were never oversold.
    let counts = app
        .gql_as(
            Some(&coordinator),
            "query($id: ID!) { node(id: $id) { ... on Workshop { seatsTaken waitlistCount registrations { totalCount } } } }",
            json!({ "id": workshop["id"] }),
        )
        .await;
    let node = &counts["data"]["node"];
    let rows = node["registrations"]["totalCount"].as_u64().unwrap_or(0) as usize;
    assert_eq!(rows, registered, "{counts}");
    let seats = node["seatsTaken"].as_i64().unwrap_or(-1);
    assert_eq!(seats, SEATS.min(registered as i64));
    assert_eq!(
        seats + node["waitlistCount"].as_i64().unwrap_or(-1),
        registered as i64
    );
}
