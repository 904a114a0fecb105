//! What production publishes and to whom: the SDL follows the introspection rule, metrics live
//! on their own address or behind a token, anonymous callers cannot use up the metric labels,
//! slow bodies are cut, and forwarding headers count only from trusted proxies.

use std::time::{Duration, Instant};

use mosaic::config::Environment;
use mosaic_tests::{TestApp, first_code};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn production_serves_the_sdl_only_to_those_who_may_introspect() {
    let app = TestApp::spawn_with(|c| c.environment = Environment::Production).await;
    let anonymous = app.get("/schema.graphql").await;
    assert_eq!(anonymous.status(), 403);
    let admin = app.token("ADMIN", &[], None);
    let allowed = app
        .client
        .get(format!("{}/schema.graphql", app.base))
        .bearer_auth(&admin)
        .send()
        .await
        .expect("answer");
    assert_eq!(allowed.status(), 200);
    assert!(
        allowed
            .text()
            .await
            .unwrap_or_default()
            .contains("type Query")
    );
    // Development keeps it open, as its introspection is.
    let development = TestApp::spawn().await;
    assert_eq!(development.get("/schema.graphql").await.status(), 200);
}

#[tokio::test]
async fn production_metrics_need_their_token_or_their_own_address() {
    let closed = TestApp::spawn_with(|c| c.environment = Environment::Production).await;
    assert_eq!(closed.get("/metrics").await.status(), 404);

    let guarded = TestApp::spawn_with(|c| {
        c.environment = Environment::Production;
        c.metrics_token = Some("scrape-secret-0123456789".into());
    })
    .await;
    assert_eq!(guarded.get("/metrics").await.status(), 401);
    let wrong = guarded
        .client
        .get(format!("{}/metrics", guarded.base))
        .bearer_auth("scrape-secret-0123456788")
        .send()
        .await
        .expect("answer");
    assert_eq!(wrong.status(), 401);
    let scraped = guarded
        .client
        .get(format!("{}/metrics", guarded.base))
        .bearer_auth("scrape-secret-0123456789")
        .send()
        .await
        .expect("answer");
    assert_eq!(scraped.status(), 200);
    assert!(
        scraped
            .text()
            .await
            .unwrap_or_default()
            .contains("mosaic_http_requests_total")
    );

    let separate = TestApp::spawn_with(|c| {
        c.environment = Environment::Production;
        c.metrics_bind = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await;
    assert_eq!(separate.get("/metrics").await.status(), 404);
    let address = separate.metrics_address.expect("a metrics address");
    let own = reqwest::get(format!("http://{address}/metrics"))
        .await
        .expect("answer");
    assert_eq!(own.status(), 200);
    assert!(
        own.text()
            .await
            .unwrap_or_default()
            .contains("mosaic_db_statements_total")
    );
}

#[tokio::test]
async fn anonymous_junk_operation_names_cannot_crowd_out_real_ones() {
    let app = TestApp::spawn().await;
    for n in 0..205 {
        let query = format!("query Junk{n} {{ countries {{ code }} }}");
        let answer = app.gql(&query, json!({})).await;
        assert!(answer.get("errors").is_none());
    }
    let viewer = app.token("VIEWER", &[], None);
    let real = app
        .gql_as(
            Some(&viewer),
            "query ProjectsPage { projects(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert!(real.get("errors").is_none(), "{real}");
    let metrics = app.get("/metrics").await.text().await.unwrap_or_default();
    assert!(
        metrics.contains("operation=\"ProjectsPage\""),
        "the real name has its label"
    );
    assert!(
        metrics.contains("operation=\"other\""),
        "junk beyond the share is `other`"
    );
    let junk = metrics
        .lines()
        .filter(|l| l.starts_with("mosaic_graphql_operations_total") && l.contains("Junk"))
        .count();
    assert!(junk <= 50, "{junk} junk labels");
}

#[tokio::test]
async fn a_body_sent_too_slowly_is_cut_off_with_408() {
    let app = TestApp::spawn_with(|c| c.client_body_timeout = Duration::from_millis(800)).await;
    let address = app.base.trim_start_matches("http://").to_owned();
    let mut stream = tokio::net::TcpStream::connect(&address)
        .await
        .expect("connect");
    let body = r#"{"query":"{ countries { code } }"}"#;
    let head = format!(
        "POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.expect("headers");
    let started = Instant::now();
    // One byte every 200 ms: the whole body would take seven seconds.
    let mut answer = Vec::new();
    for byte in body.bytes() {
        if stream.write_all(&[byte]).await.is_err() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let mut buffer = [0_u8; 1024];
        if let Ok(Ok(n)) =
            tokio::time::timeout(Duration::from_millis(1), stream.read(&mut buffer)).await
        {
            answer.extend_from_slice(&buffer[..n]);
            break;
        }
    }
    if answer.is_empty() {
        let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut answer)).await;
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "cut within the timeout"
    );
}

#[tokio::test]
async fn forwarded_addresses_count_only_from_trusted_proxies() {
    let limited = |trusted: bool| {
        TestApp::spawn_with(move |c| {
            c.limits.rate_limit_per_minute = 60;
            c.limits.rate_limit_burst = 2;
            if trusted {
                c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("a network")];
            }
        })
    };
    let query = json!({ "query": "{ countries { code } }" });
    // Not trusted: the header is the client's own claim and ignored, so one bucket fills.
    let direct = limited(false).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let ip = format!("198.51.100.{n}");
        statuses.push(
            direct
                .post_raw(&[("X-Forwarded-For", ip.as_str())], query.clone())
                .await
                .0,
        );
    }
    assert_eq!(statuses, [200, 200, 429]);
    // Behind a trusted proxy each forwarded client has a bucket of its own.
    let proxied = limited(true).await;
    let mut statuses = Vec::new();
    for n in 0..3 {
        let ip = format!("198.51.100.{n}");
        statuses.push(
            proxied
                .post_raw(&[("X-Forwarded-For", ip.as_str())], query.clone())
                .await
                .0,
        );
    }
    assert_eq!(statuses, [200, 200, 200]);
    // Each bucket still fills: the first client's second request passes, its third does not.
    let (status, _) = proxied
        .post_raw(&[("X-Forwarded-For", "198.51.100.0")], query.clone())
        .await;
    assert_eq!(status, 200);
    let (status, body) = proxied
        .post_raw(&[("X-Forwarded-For", "198.51.100.0")], query.clone())
        .await;
    assert_eq!(status, 429, "{body}");
    assert_eq!(first_code(&body), "RATE_LIMITED");
}

/// Counts a user can see of what a start seeded.
const SEEDED: &str = r#"{
    countries { code }
    regions(first: 1) { totalCount }
    organisations(first: 1) { totalCount }
    projects(first: 1) { totalCount }
    workshops(first: 1) { totalCount }
}"#;

#[tokio::test]
async fn a_production_start_never_seeds_invented_people() {
    // By default production seeds nothing at all.
    let bare = TestApp::spawn_with(|c| c.environment = Environment::Production).await;
    let admin = bare.token("ADMIN", &[], None);
    let seen = bare.gql_as(Some(&admin), SEEDED, json!({})).await;
    assert_eq!(seen["data"]["countries"], json!([]), "{seen}");
    assert_eq!(seen["data"]["projects"]["totalCount"], 0, "{seen}");
    // The vocabularies ship with the binary: every database has them, seeded or not.
    let terms = bare
        .gql_as(
            None,
            "{ terms(vocabulary: TARGET_GROUP) { code } }",
            json!({}),
        )
        .await;
    assert!(
        terms["data"]["terms"]
            .as_array()
            .is_some_and(|t| t.len() > 10),
        "{terms}"
    );

    // Asked to seed, it loads the reference data only: countries, regions, exchange rates.
    let app = TestApp::spawn_with(|c| {
        c.environment = Environment::Production;
        c.seed_on_start = Some(true);
    })
    .await;
    let admin = app.token("ADMIN", &[], None);
    let seen = app.gql_as(Some(&admin), SEEDED, json!({})).await;
    assert_eq!(
        seen["data"]["countries"],
        json!([{ "code": "FI" }, { "code": "PL" }, { "code": "SE" }, { "code": "SI" }]),
        "{seen}"
    );
    assert!(
        seen["data"]["regions"]["totalCount"]
            .as_i64()
            .is_some_and(|n| n > 10),
        "{seen}"
    );
    for list in ["organisations", "projects", "workshops"] {
        assert_eq!(seen["data"][list]["totalCount"], 0, "{list}: {seen}");
    }
    // The ECB rates are there: a first Swedish funding converts to euros.
    let funder = app
        .gql_as(
            Some(&admin),
            r#"mutation { createOrganisation(input: { originalLanguage: "sv", name: [{ language: "sv", text: "Tillväxtverket" }], kind: PUBLIC_AGENCY, country: "SE" }) { organisation { id } } }"#,
            json!({}),
        )
        .await;
    let project = app
        .gql_as(
            Some(&admin),
            r#"mutation { createProject(input: { code: "SE-FIRST", originalLanguage: "sv", title: [{ language: "sv", text: "Första" }], dates: { plannedStart: "2024-01-01", plannedEnd: "2024-12-31" }, country: "SE" }) { project { id } } }"#,
            json!({}),
        )
        .await;
    let funding = app
        .gql_as(
            Some(&admin),
            r#"mutation($p: ID!, $f: ID!) { createFunding(input: { project: $p, funder: $f, kind: GRANT, status: COMMITTED, amount: "1000000.00", currency: "SEK", valueDate: "2024-03-01" }) { funding { amountEur rateDate } } }"#,
            json!({
                "p": project["data"]["createProject"]["project"]["id"],
                "f": funder["data"]["createOrganisation"]["organisation"]["id"],
            }),
        )
        .await;
    let converted = &funding["data"]["createFunding"]["funding"];
    assert!(converted["amountEur"].is_string(), "{funding}");
    assert_eq!(converted["rateDate"], "2024-03-01", "{funding}");
}
