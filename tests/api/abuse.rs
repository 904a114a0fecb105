//! A hostile client: oversized, overloaded and batched documents are refused before any SQL
//! runs; introspection and suggestions follow the environment; rate limits and CORS hold;
//! internal failures leak nothing and the server keeps serving.

use mosaic::config::{Environment, Introspection};
use mosaic_tests::{TestApp, first_code};
use serde_json::{Value, json};

/// Posts `query` and checks it was refused as QUERY_TOO_COMPLEX for `limit` with no SQL run.
async fn refused_before_sql(app: &TestApp, query: &str, limit: &str) {
    let before = app.statements().await;
    let (status, body) = app.post_raw(&[], json!({ "query": query })).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(first_code(&body), "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["limit"],
        json!(limit),
        "{body}"
    );
    assert_eq!(body.get("data"), None);
    assert_eq!(app.statements().await, before, "no SQL ran for {limit}");
}

#[tokio::test]
async fn overloaded_documents_are_refused_before_any_sql() {
    let app = TestApp::spawn().await;
    let aliases: String = (0..200)
        .map(|i| format!("c{i}: countries {{ code }} "))
        .collect();
    refused_before_sql(&app, &format!("{{ {aliases} }}"), "aliases").await;

    let duplicated = "countries { code } ".repeat(500);
    refused_before_sql(&app, &format!("{{ {duplicated} }}"), "repeatedFields").await;

    let directives = "@include(if: true) ".repeat(100);
    refused_before_sql(
        &app,
        &format!("{{ countries {directives} {{ code }} }}"),
        "directives",
    )
    .await;

    let deep = format!(
        "{{ regions {{ nodes {}code{} }} }}",
        "parent { ".repeat(30),
        " }".repeat(30)
    );
    refused_before_sql(&app, &deep, "depth").await;

    let circular = format!(
        "{{ __schema {{ types {{ {}name{} }} }} }}",
        "fields { type { ".repeat(10),
        " } }".repeat(10)
    );
    refused_before_sql(&app, &circular, "depth").await;

    let long = format!("{{ countries {{ code }} }} #{}", "x".repeat(20_000));
    refused_before_sql(&app, &long, "queryBytes").await;

    // Costly but shallow: 100 projects × 100 workshops × their registrations.
    let before = app.statements().await;
    let (status, body) = app
        .post_raw(
            &[],
            json!({ "query": "{ projects(first: 100) { nodes { workshops(first: 100) { nodes { registrations { nodes { gender } } } } } } }" }),
        )
        .await;
    assert_eq!(
        (status, first_code(&body)),
        (400, "QUERY_TOO_COMPLEX"),
        "{body}"
    );
    assert_eq!(app.statements().await, before, "no SQL ran for complexity");
}

#[tokio::test]
async fn batches_are_refused_and_one_operation_is_answered() {
    let app = TestApp::spawn().await;
    let before = app.statements().await;
    let (status, body) = app
        .post_raw(
            &[],
            json!([{ "query": "{ countries { code } }" }, { "query": "{ countries { code } }" }]),
        )
        .await;
    assert_eq!(
        (status, first_code(&body)),
        (400, "QUERY_TOO_COMPLEX"),
        "{body}"
    );
    assert_eq!(body["errors"][0]["extensions"]["limit"], json!("batch"));
    assert_eq!(app.statements().await, before);
    let one = app.data("{ countries { code } }", json!({})).await;
    assert_eq!(one["countries"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn oversized_and_form_bodies_are_refused_unread() {
    let app = TestApp::spawn().await;
    let huge = format!(
        r#"{{"query":"{{ countries {{ code }} }}","pad":"{}"}}"#,
        "x".repeat(2 << 20)
    );
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 413);
    for content_type in [
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let response = app
            .client
            .post(format!("{}/graphql", app.base))
            .header("Content-Type", content_type)
            .body(r#"query=mutation { revokeApiToken(input: { id: "x" }) { apiToken { id } } }"#)
            .send()
            .await
            .expect("answer");
        assert_eq!(response.status(), 415, "{content_type}");
    }
}

#[tokio::test]
async fn production_hides_introspection_from_all_but_admins_and_makes_no_suggestions() {
    let app = TestApp::spawn_with(|c| c.environment = Environment::Production).await;
    let introspect = "{ __schema { queryType { name } } }";
    let anonymous = app.gql(introspect, json!({})).await;
    assert_eq!(first_code(&anonymous), "FORBIDDEN", "{anonymous}");
    let viewer = app.token("VIEWER", &[], None);
    let refused = app.gql_as(Some(&viewer), introspect, json!({})).await;
    assert!(
        refused["data"].is_null() || refused.get("errors").is_some(),
        "{refused}"
    );
    let admin = app.token("ADMIN", &[], None);
    let allowed = app.gql_as(Some(&admin), introspect, json!({})).await;
    assert_eq!(
        allowed["data"]["__schema"]["queryType"]["name"],
        json!("Query")
    );

    let typo = app.gql("{ countrys { code } }", json!({})).await;
    let message = typo["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("countrys") && !message.contains("Did you mean"),
        "{message}"
    );

    let development = TestApp::spawn().await;
    let typo = development.gql("{ countrys { code } }", json!({})).await;
    assert!(
        typo["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Did you mean")),
        "{typo}"
    );
    let open = development.gql(introspect, json!({})).await;
    assert_eq!(
        open["data"]["__schema"]["queryType"]["name"],
        json!("Query")
    );

    let closed = TestApp::spawn_with(|c| c.introspection = Some(Introspection::Nobody)).await;
    let refused = closed
        .gql_as(
            Some(&closed.token("ADMIN", &[], None)),
            introspect,
            json!({}),
        )
        .await;
    assert!(refused.get("errors").is_some(), "{refused}");
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after_and_recover() {
    let app = TestApp::spawn_with(|c| {
        c.limits.rate_limit_per_minute = 60;
        c.limits.rate_limit_burst = 3;
    })
    .await;
    let query = json!({ "query": "{ countries { code } }" });
    for _ in 0..3 {
        let (status, _) = app.post_raw(&[], query.clone()).await;
        assert_eq!(status, 200);
    }
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&query)
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 429);
    let retry: u64 = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After in seconds");
    assert!((1..=2).contains(&retry), "{retry}");
    let body: Value = response.json().await.expect("json");
    assert_eq!(first_code(&body), "RATE_LIMITED");

    // Another caller has a bucket of its own.
    let token = app.token("VIEWER", &[], None);
    let bearer = format!("Bearer {token}");
    let (status, _) = app
        .post_raw(&[("Authorization", &bearer)], query.clone())
        .await;
    assert_eq!(status, 200);

    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    let (status, _) = app.post_raw(&[], query).await;
    assert_eq!(status, 200, "recovered after Retry-After");
}

#[tokio::test]
async fn cors_allows_only_the_configured_origins_without_credentials() {
    let app =
        TestApp::spawn_with(|c| c.cors_origins = vec!["https://app.example.org".into()]).await;
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, format!("{}/graphql", app.base))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            )
            .send()
    };
    let allowed = preflight("https://app.example.org").await.expect("answer");
    assert!(allowed.status().is_success());
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://app.example.org")
    );
    assert!(
        allowed
            .headers()
            .get("access-control-allow-credentials")
            .is_none()
    );
    let other = preflight("https://evil.example").await.expect("answer");
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_database_failure_leaks_nothing_and_the_server_keeps_serving() {
    let app = TestApp::spawn().await;
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared("DROP TABLE milestone")
        .await
        .expect("drop");
    let response = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("X-Request-Id", "abuse-test-1")
        .json(&json!({ "query": "{ projects(first: 3) { nodes { code milestones { title } } } }" }))
        .send()
        .await
        .expect("answer");
    assert_eq!(
        response
            .headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok()),
        Some("abuse-test-1")
    );
    let body: Value = response.json().await.expect("json");
    assert_eq!(first_code(&body), "INTERNAL_SERVER_ERROR", "{body}");
    let text = body.to_string().to_lowercase();
    for leak in ["milestone\"", "no such table", "relation", "sqlx", "select"] {
        assert!(!text.contains(leak), "{leak} leaked: {body}");
    }
    let still = app.data("{ countries { code } }", json!({})).await;
    assert_eq!(still["countries"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn any_text_in_a_filter_is_bad_input_never_a_crash() {
    let app = TestApp::spawn().await;
    // Found by the fuzzer: a multi-byte character where a NUTS code was expected.
    let answer = app
        .gql(
            r#"{ projects(filter: { nutsCodes: ["N±"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT", "{answer}");
    let date = app
        .gql(
            r#"{ participationSummary(groupBy: [GENDER], filter: { dateFrom: "2024-13-45" }) { count } }"#,
            json!({}),
        )
        .await;
    assert_eq!(first_code(&date), "BAD_USER_INPUT", "{date}");
    let invalid = app.gql("{ countries { nope } }", json!({})).await;
    assert_eq!(
        first_code(&invalid),
        "GRAPHQL_VALIDATION_FAILED",
        "{invalid}"
    );
}
