//! With `MOSAIC_REDIS_URL`, one caller has one rate-limit budget however many instances serve
//! it, and a persisted query registered on one instance runs by its hash on the others from
//! Redis; when Redis goes away, each instance decides alone again, documents are kept in the
//! database, and nothing fails.

use mosaic::http::documents::sha256_hex;
use mosaic_tests::{RedisServer, TestApp, first_code};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

/// The HTTP status of `{ viewer { role } }` sent to the instance at `base`.
async fn status(app: &TestApp, base: &str, token: &str) -> u16 {
    let bearer = format!("Bearer {token}");
    let query = json!({ "query": "{ viewer { role } }" });
    app.post_to(base, &[("Authorization", &bearer)], query)
        .await
        .0
}

/// How many of `n` requests, alternating between the two instances, were let through.
async fn let_through(app: &TestApp, other: &str, token: &str, n: usize) -> usize {
    let mut passed = 0;
    for i in 0..n {
        let base = if i % 2 == 0 { app.base.as_str() } else { other };
        match status(app, base, token).await {
            200 => passed += 1,
            429 => {}
            unexpected => panic!("HTTP {unexpected}"),
        }
    }
    passed
}

#[tokio::test]
async fn two_instances_share_one_callers_budget_through_redis() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = TestApp::spawn_with(|c| {
        c.redis_url = Some(redis.url.clone());
        // One request a minute after a burst of four: the run below never earns another.
        c.limits.rate_limit_per_minute = 1;
        c.limits.rate_limit_burst = 4;
    })
    .await;
    let other = app.another_instance().await;
    let token = app.token("VIEWER", &[], None);
    assert_eq!(
        let_through(&app, &other, &token, 10).await,
        4,
        "the burst is the caller's, not each instance's"
    );
    // Another caller has a budget of its own.
    let admin = app.token("ADMIN", &[], None);
    assert_eq!(status(&app, &other, &admin).await, 200);

    // Without Redis each instance decides alone: a new caller gets a burst on each, and no
    // request fails for want of Redis.
    drop(redis);
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    assert_eq!(let_through(&app, &other, &coordinator, 10).await, 8);
}

#[tokio::test]
async fn an_unreachable_redis_stops_the_start() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let url = redis.url.clone();
    drop(redis);
    let app = TestApp::spawn().await;
    let mut config = app.config.clone();
    config.redis_url = Some(url);
    let refused = mosaic::Application::build(config)
        .await
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        refused.contains("MOSAIC_REDIS_URL"),
        "a mistyped MOSAIC_REDIS_URL is not ignored: {refused:?}"
    );
}

/// What the instance at `base` answers to `body`, as JSON.
async fn answer(app: &TestApp, base: &str, body: Value) -> Value {
    app.post_to(base, &[], body).await.1
}

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

/// Whether the database holds a persisted document under `hash`.
async fn in_database(app: &TestApp, hash: &str) -> bool {
    entity::persisted_document::Entity::find_by_id(hash.to_owned())
        .one(&app.db)
        .await
        .expect("the table is readable")
        .is_some()
}

#[tokio::test]
async fn a_persisted_query_registered_on_one_instance_runs_on_another_from_redis() {
    let Some(redis) = RedisServer::start().await else {
        return;
    };
    let app = TestApp::spawn_with(|c| c.redis_url = Some(redis.url.clone())).await;
    let other = app.another_instance().await;

    let query = "query Shared { regions { totalCount } }";
    let hash = sha256_hex(query);
    let missing = answer(&app, &other, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(first_code(&missing), "PERSISTED_QUERY_NOT_FOUND");
    let sent = answer(
        &app,
        &app.base,
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    let total = sent["data"]["regions"]["totalCount"].clone();
    assert!(total.as_i64().is_some_and(|n| n > 0), "{sent}");
    let by_hash = answer(&app, &other, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(by_hash["data"]["regions"]["totalCount"], total, "{by_hash}");
    assert!(
        !in_database(&app, &hash).await,
        "with Redis, documents are kept there, not in the database"
    );

    // Without Redis the database keeps them, and every instance still finds them.
    drop(redis);
    let query = "query Alone { organisations { totalCount } }";
    let hash = sha256_hex(query);
    let sent = answer(
        &app,
        &app.base,
        json!({ "query": query, "extensions": persisted(&hash) }),
    )
    .await;
    assert!(
        sent["data"]["organisations"]["totalCount"].is_number(),
        "{sent}"
    );
    assert!(in_database(&app, &hash).await);
    let by_hash = answer(&app, &other, json!({ "extensions": persisted(&hash) })).await;
    assert_eq!(
        by_hash["data"]["organisations"]["totalCount"], sent["data"]["organisations"]["totalCount"],
        "{by_hash}"
    );
}
