//! GraphQL over WebSocket keeps HTTP's promises: every operation re-checks its credential
//! (a revoked token or an expired JWT ends the socket with 4403), a malformed credential is
//! refused, browser origins are checked, and operations meet the same checks, codes and turns.

use jsonwebtoken::get_current_timestamp;
use mosaic_tests::{Heard, TestApp};
use serde_json::{Value, json};

use crate::tokens::{SECRET, claims, hs256, issue_as_admin, revoke_as_admin};

/// The draft's registrants' emails: personal data only those who manage it may read.
const PERSONAL: &str = r#"{ project(code: "PL-PROUD-TO-SUPPORT") { code workshops { nodes { registrations { nodes { email } } } } } }"#;

fn payload(heard: &Heard) -> Value {
    match heard {
        Heard::Message(message) => message["payload"].clone(),
        Heard::Closed(code) => json!({ "closed": code }),
    }
}

/// The first error of an answer: `next` carries a response, `error` a list of errors.
fn first_error(heard: &Heard) -> Value {
    let payload = payload(heard);
    if payload.is_array() {
        payload[0].clone()
    } else {
        payload["errors"][0].clone()
    }
}

fn first_code(heard: &Heard) -> String {
    first_error(heard)["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn a_revoked_api_token_is_refused_on_its_next_operation_and_the_socket_closes() {
    let app = TestApp::spawn().await;
    let issued = issue_as_admin(&app, "Diversity Hub", "CRM").await;
    let secret = issued["secret"].as_str().expect("secret").to_owned();
    let mut socket = app
        .socket(json!({ "Authorization": format!("Bearer {secret}") }))
        .await;
    let before = socket.run("1", PERSONAL, json!({})).await;
    assert_eq!(
        payload(&before)["data"]["project"]["code"],
        "PL-PROUD-TO-SUPPORT",
        "{before:?}"
    );
    assert!(
        format!("{before:?}").contains('@'),
        "the partner read its registrants' emails before: {before:?}"
    );
    // Read over the socket, audited as over HTTP: one row for the operation.
    let admin = app.token("ADMIN", &[], None);
    let audit = app
        .gql_as(
            Some(&admin),
            r#"{ auditEvents(filter: { entities: [PERSONAL_DATA] }) { totalCount nodes { actorKind } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(audit["data"]["auditEvents"]["totalCount"], 1, "{audit}");
    assert_eq!(
        audit["data"]["auditEvents"]["nodes"][0]["actorKind"],
        "API_TOKEN"
    );
    revoke_as_admin(&app, &issued["token"]["id"]).await;
    let after = socket.run("2", PERSONAL, json!({})).await;
    assert_eq!(first_code(&after), "UNAUTHENTICATED", "{after:?}");
    assert!(
        !format!("{after:?}").contains('@'),
        "no registrant email after revocation"
    );
    assert_eq!(socket.next().await, Heard::Closed(4403));
}

#[tokio::test]
async fn a_socket_closes_with_4403_when_its_jwt_expires() {
    let app = TestApp::spawn().await;
    let now = get_current_timestamp();
    let short = hs256(SECRET.as_bytes(), &claims(json!({ "exp": now + 2 })));
    let mut socket = app
        .socket(json!({ "Authorization": format!("Bearer {short}") }))
        .await;
    let started = std::time::Instant::now();
    let audit = socket.run("1", "{ viewer { role } }", json!({})).await;
    assert_eq!(payload(&audit)["data"]["viewer"]["role"], "ADMIN");
    assert_eq!(socket.next().await, Heard::Closed(4403));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn a_malformed_credential_is_refused_not_taken_as_anonymous() {
    let app = TestApp::spawn().await;
    for init in [
        json!({ "Authorization": 42 }),
        json!({ "Authorization": ["Bearer x"] }),
        json!({ "Authorization": "Bearer not-a-token" }),
    ] {
        let mut socket = app.socket_with(&[]).await.expect("upgrade");
        socket
            .send(json!({ "type": "connection_init", "payload": init }))
            .await;
        assert_eq!(socket.next().await, Heard::Closed(4403), "{init}");
    }
}

#[tokio::test]
async fn browser_upgrades_are_checked_against_the_allowed_origins() {
    let app =
        TestApp::spawn_with(|c| c.cors_origins = vec!["https://app.example.org".into()]).await;
    let refused = app.socket_with(&[("Origin", "https://evil.example")]).await;
    assert!(refused.is_err(), "a foreign origin is refused");
    let allowed = app
        .socket_with(&[("Origin", "https://app.example.org")])
        .await;
    assert!(allowed.is_ok());
    let own = format!("http://{}", app.base.trim_start_matches("http://"));
    let same = app.socket_with(&[("Origin", own.as_str())]).await;
    assert!(same.is_ok(), "GraphiQL's own origin");
    let tool = app.socket_with(&[]).await;
    assert!(tool.is_ok(), "no Origin: not a browser");
}

#[tokio::test]
async fn operations_over_a_socket_get_the_same_checks_codes_and_turns() {
    let app = TestApp::spawn_with(|c| c.limits.max_aliases = 2).await;
    let mut socket = app.socket(json!({})).await;
    let missing = socket
        .run(
            "1",
            "query($c: String!) { project(code: $c) { code } }",
            json!({}),
        )
        .await;
    assert_eq!(first_code(&missing), "BAD_USER_INPUT", "{missing:?}");
    assert_eq!(first_error(&missing)["extensions"]["field"], "$c");

    let aliases = socket
        .run(
            "2",
            "{ a: countries { code } b: countries { code } c: countries { code } }",
            json!({}),
        )
        .await;
    assert_eq!(first_code(&aliases), "QUERY_TOO_COMPLEX", "{aliases:?}");
    let error = first_error(&aliases);
    assert_eq!(error["extensions"]["limit"], "aliases");
    assert_eq!(error["extensions"]["max"], 2);

    // A query over the socket takes a turn like one over HTTP: the wait histogram counts it.
    let waits = |metrics: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("mosaic_graphql_operation_wait_seconds_count "))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0)
    };
    let before = waits(&app.get("/metrics").await.text().await.unwrap_or_default());
    let answer = socket.run("3", "{ countries { code } }", json!({})).await;
    assert!(
        payload(&answer)["data"]["countries"].is_array(),
        "{answer:?}"
    );
    let after = waits(&app.get("/metrics").await.text().await.unwrap_or_default());
    assert_eq!(after, before + 1);
}

#[tokio::test]
async fn a_revoked_tokens_open_subscription_ends_with_4403() {
    let app =
        TestApp::spawn_with(|c| c.socket_recheck = std::time::Duration::from_millis(500)).await;
    let issued = issue_as_admin(&app, "Diversity Hub", "CRM").await;
    let secret = issued["secret"].as_str().expect("secret").to_owned();
    let mut socket = app
        .socket(json!({ "Authorization": format!("Bearer {secret}") }))
        .await;
    socket
        .send(json!({ "id": "s", "type": "subscribe", "payload": { "query": "subscription { workshopEvents { kind seatsTaken } }" } }))
        .await;
    revoke_as_admin(&app, &issued["token"]["id"]).await;
    let started = std::time::Instant::now();
    assert_eq!(socket.next().await, Heard::Closed(4403));
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn request_errors_over_a_socket_carry_the_codes_http_gives() {
    let app = TestApp::spawn().await;
    let mut socket = app.socket(json!({})).await;
    for (id, query, code) in [
        ("1", "{ countries { nope } }", "GRAPHQL_VALIDATION_FAILED"),
        ("2", "{ countries { code ", "GRAPHQL_VALIDATION_FAILED"),
        ("3", "subscription { nope }", "GRAPHQL_VALIDATION_FAILED"),
        (
            "4",
            r#"{ projects(filter: { startDateFrom: "not a date" }) { totalCount } }"#,
            "BAD_USER_INPUT",
        ),
    ] {
        let over_socket = socket.run(id, query, json!({})).await;
        let over_http = app.gql(query, json!({})).await;
        assert_eq!(first_code(&over_socket), code, "{query}: {over_socket:?}");
        assert_eq!(
            first_error(&over_socket)["extensions"],
            over_http["errors"][0]["extensions"],
            "{query}"
        );
    }
}

/// Of a document holding several operations, the one named runs over a socket as over HTTP,
/// though another operation of it takes variables the message does not send.
#[tokio::test]
async fn a_socket_runs_the_named_operation_of_several() {
    let app = TestApp::spawn().await;
    let mut socket = app.socket(json!({})).await;
    socket
        .send(json!({ "id": "1", "type": "subscribe", "payload": {
            "query": "query Total { projects { totalCount } }
                      query Few($n: Int!) { projects(first: $n) { totalCount } }",
            "operationName": "Total" } }))
        .await;
    let Heard::Message(answer) = socket.next().await else {
        panic!("the socket closed");
    };
    assert_eq!(answer["type"], "next", "{answer:#}");
    assert!(
        answer["payload"]["data"]["projects"]["totalCount"].as_i64() > Some(3),
        "{answer:#}"
    );
}
