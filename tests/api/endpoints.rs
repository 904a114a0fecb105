//! The HTTP surface: GraphQL over POST and GET, GraphiQL, the SDL, health and readiness.

use mosaic_tests::TestApp;
use serde_json::{Value, json};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health").await.status(), 200);
    let ready = app.get("/ready").await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.expect("json");
    assert_eq!(body["status"], "ready");
}

#[tokio::test]
async fn the_served_schema_is_the_one_in_the_repository() {
    let app = TestApp::spawn().await;
    let response = app.get("/schema.graphql").await;
    assert_eq!(response.status(), 200);
    let served = response.text().await.expect("text");
    assert_eq!(served, mosaic::graphql::sdl());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql"))
            .expect("schema.graphql is in the repository");
    assert_eq!(
        served, committed,
        "schema.graphql is stale: run `cargo run -q -- schema > schema.graphql`"
    );
    for name in [
        "type Query",
        "interface Node",
        "type ProjectConnection",
        "totalCount",
        "input ProjectFilter",
    ] {
        assert!(served.contains(name), "the schema has {name}");
    }
}

#[tokio::test]
async fn queries_work_over_get_too() {
    let app = TestApp::spawn().await;
    let response = app.get("/graphql?query=%7Bcountries%7Bcode%7D%7D").await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.expect("json");
    assert_eq!(body["data"]["countries"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn the_answer_uses_the_media_type_the_client_accepts() {
    let app = TestApp::spawn().await;
    let post = |accept: &'static str| {
        app.client
            .post(format!("{}/graphql", app.base))
            .header("Accept", accept)
            .json(&json!({ "query": "{ countries { code } }" }))
            .send()
    };
    let modern = post("application/graphql-response+json, application/json;q=0.9")
        .await
        .expect("answer");
    assert_eq!(
        modern.headers()["content-type"],
        "application/graphql-response+json"
    );
    for accept in ["application/json", "*/*"] {
        let legacy = post(accept).await.expect("answer");
        assert_eq!(
            legacy.headers()["content-type"],
            "application/json",
            "{accept}"
        );
    }
    // Without `Accept` at all: plain JSON, as the GraphQL-over-HTTP spec says.
    let bare = reqwest::Client::new()
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "{ countries { code } }" }))
        .send()
        .await
        .expect("answer");
    assert_eq!(bare.headers()["content-type"], "application/json");
}

#[tokio::test]
async fn non_json_bodies_and_broken_requests_are_refused() {
    let app = TestApp::spawn().await;
    let text = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "text/plain")
        .body(r#"{"query":"{ countries { code } }"}"#)
        .send()
        .await
        .expect("answer");
    assert_eq!(text.status(), 415);
    let broken = app
        .client
        .post(format!("{}/graphql", app.base))
        .header("Content-Type", "application/json")
        .body("{ not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(broken.status(), 400);
    let invalid = app
        .client
        .post(format!("{}/graphql", app.base))
        .json(&json!({ "query": "{ noSuchField }" }))
        .send()
        .await
        .expect("answer");
    assert_eq!(invalid.status(), 400);
    let body: Value = invalid.json().await.expect("json");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("noSuchField"))
    );
}

#[tokio::test]
async fn graphiql_is_served_whole_from_this_server() {
    let app = TestApp::spawn().await;
    let page = app.get("/graphiql").await;
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    let html = page.text().await.expect("html");
    assert!(
        !html.contains("//"),
        "no absolute or protocol-relative URL: {html}"
    );

    // Every script and stylesheet the page names is served here, with its media type.
    let assets: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.starts_with("graphiql/assets/"))
        .collect();
    assert_eq!(assets.len(), 8, "{assets:?}");
    for asset in assets {
        let response = app.get(&format!("/{asset}")).await;
        assert_eq!(response.status(), 200, "{asset}");
        let kind = response.headers()["content-type"].to_str().expect("ascii");
        let expected = if asset.ends_with(".css") {
            "text/css"
        } else {
            "text/javascript"
        };
        assert!(kind.starts_with(expected), "{asset}: {kind}");
        let bytes = response.bytes().await.expect("body");
        assert!(bytes.len() > 50, "{asset} is empty");
    }
    let graphiql = app.get("/graphiql/assets/graphiql.min.js").await;
    let bundle = graphiql.text().await.expect("js");
    assert!(
        bundle.len() > 500_000,
        "the real GraphiQL bundle, not a placeholder"
    );
    assert!(
        bundle.contains("graphql-transport-ws"),
        "subscriptions over WebSocket are built in"
    );
    assert_eq!(app.get("/graphiql/assets/nothing.js").await.status(), 404);
    assert_eq!(app.get("/graphiql/assets/..%2Fgraphql").await.status(), 404);
    // The examples of docs/operations/ are built in, for GraphiQL's tabs.
    let examples: serde_json::Value = app
        .get("/graphiql/operations.json")
        .await
        .json()
        .await
        .expect("JSON");
    let names: Vec<&str> = examples
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["name"].as_str())
        .collect();
    assert!(names.contains(&"projects-page"), "{names:?}");
    assert!(
        examples[0]["query"]
            .as_str()
            .is_some_and(|q| q.contains('{'))
    );
}

#[tokio::test]
async fn large_answers_are_compressed_for_clients_that_accept_it() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .get(format!("{}/graphiql/assets/graphiql.min.js", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.expect("body").len();
    let plain = app
        .get("/graphiql/assets/graphiql.min.js")
        .await
        .bytes()
        .await
        .expect("body")
        .len();
    assert!(compressed * 2 < plain, "{compressed} of {plain} bytes");
}

#[tokio::test]
async fn mutations_are_refused_over_get_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let query = "mutation{createRegion(input:{nutsCode:\"SE312\",nutsVersion:2024,originalLanguage:\"sv\",name:[{language:\"sv\",text:\"Dalarna\"}]}){region{id}}}";
    let response = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("query", query)])
        .header("Authorization", format!("Bearer {admin}"))
        .send()
        .await
        .expect("answer");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let regions = app
        .data(
            "{ regions(filter: { nutsCodes: [\"SE312\"] }) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(regions["regions"]["totalCount"], 0);
}

#[tokio::test]
async fn metrics_count_requests_operations_errors_and_the_pool() {
    let app = TestApp::spawn().await;
    app.data("query Countries { countries { code } }", json!({}))
        .await;
    let bad = app
        .gql(
            r#"query Broken { projects(filter: { countries: ["Sweden"] }) { totalCount } }"#,
            json!({}),
        )
        .await;
    assert_eq!(mosaic_tests::first_code(&bad), "BAD_USER_INPUT");
    let text = app.get("/metrics").await.text().await.expect("metrics");
    for line in [
        r#"mosaic_http_requests_total{method="POST",route="/graphql",status="200"} 2"#,
        r#"mosaic_graphql_operations_total{operation="Countries",outcome="ok"} 1"#,
        r#"mosaic_graphql_operations_total{operation="Broken",outcome="error"} 1"#,
        r#"mosaic_graphql_errors_total{code="BAD_USER_INPUT"} 1"#,
        r#"mosaic_graphql_operation_duration_seconds_count{operation="Countries"} 1"#,
        r#"mosaic_http_request_duration_seconds_count{route="/graphql"} 2"#,
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in:\n{text}"
        );
    }
    assert!(text.contains(r#"mosaic_db_pool_connections{state="idle"}"#));
    assert!(text.contains(r#"mosaic_db_pool_connections{state="in_use"}"#));
    assert!(text.contains(r#"mosaic_db_pool_connections{state="max"}"#));
}

#[tokio::test]
async fn the_pool_keeps_its_engines_default_size_unless_one_is_set() {
    // PostgreSQL: 32 (a loaded server left a fifth of two cores idle waiting on 10); SQLite: 10.
    let default = TestApp::spawn_with(|c| c.db_pool_size = None).await;
    let expected = if default.postgres { 32 } else { 10 };
    let set = TestApp::spawn_with(|c| c.db_pool_size = Some(7)).await;
    for (app, max) in [(&default, expected), (&set, 7)] {
        let text = app.get("/metrics").await.text().await.expect("metrics");
        let line = format!(r#"mosaic_db_pool_connections{{state="max"}} {max}"#);
        assert!(
            text.lines().any(|l| l == line),
            "missing `{line}` in:\n{text}"
        );
    }
}

#[tokio::test]
async fn operations_past_the_limit_wait_their_turn_and_all_answer() {
    let app = TestApp::spawn_with(|c| c.limits.max_concurrent_operations = 1).await;
    let query = r#"{ projects(first: 8) { nodes { code fundings { nodes { amount } } workshops(first: 2) { nodes { title } } } } }"#;
    let alone = app.data(query, json!({})).await;
    let together =
        futures_util::future::join_all((0..16).map(|_| app.data(query, json!({})))).await;
    assert!(
        together.iter().all(|answer| *answer == alone),
        "{together:?}"
    );
    let text = app.get("/metrics").await.text().await.expect("metrics");
    assert!(
        text.lines()
            .any(|l| l == "mosaic_graphql_operation_wait_seconds_count 17"),
        "every operation took a turn:\n{text}"
    );
}

#[tokio::test]
async fn get_answers_say_what_they_vary_by_and_revalidate_with_their_etag() {
    let app = TestApp::spawn().await;
    let url = |query: &str| {
        format!(
            "{}/graphql?query={}",
            app.base,
            query
                .replace(' ', "%20")
                .replace('{', "%7B")
                .replace('}', "%7D")
        )
    };
    let countries = url("{ countries { code name } }");
    let get = |lang: &str, etag: Option<&str>, token: Option<&str>| {
        let mut request = app.client.get(&countries).header("Accept-Language", lang);
        if let Some(tag) = etag {
            request = request.header("If-None-Match", tag);
        }
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let swedish = get("sv", None, None).await.expect("answered");
    assert_eq!(swedish.status(), 200);
    let vary = swedish.headers()["vary"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        vary.contains("Accept-Language") && vary.contains("Authorization"),
        "{vary}"
    );
    assert_eq!(swedish.headers()["cache-control"], "public, max-age=10");
    let tag = swedish.headers()["etag"]
        .to_str()
        .unwrap_or_default()
        .to_owned();
    assert!(tag.starts_with('"') && tag.len() > 10, "{tag}");

    // The same answer again: 304, no body. Another language: another answer, another tag.
    let again = get("sv", Some(&tag), None).await.expect("answered");
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap_or_default().is_empty());
    let finnish = get("fi", Some(&tag), None).await.expect("answered");
    assert_eq!(finnish.status(), 200);
    assert_ne!(finnish.headers()["etag"].to_str().unwrap_or_default(), tag);

    // Signed in: the browser's own copy only, revalidated every time.
    let admin = app.token("ADMIN", &[], None);
    let private = get("sv", None, Some(&admin)).await.expect("answered");
    assert_eq!(private.headers()["cache-control"], "private, no-cache");

    // An answer with errors is never stored.
    let broken = app
        .client
        .get(url("{ project(code: 1) { code } }"))
        .send()
        .await
        .expect("answered");
    assert_eq!(broken.headers()["cache-control"], "no-store");
}
