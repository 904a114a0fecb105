//! With `MOSAIC_REDIS_URL`, one caller has one rate-limit budget however many instances serve
//! it; when Redis goes away, each instance decides alone again and nothing fails.

use mosaic_tests::{RedisServer, TestApp};
use serde_json::json;

/// The HTTP status of `{ viewer { role } }` sent to the instance at `base`.
async fn status(app: &TestApp, base: &str, token: &str) -> u16 {
    app.client
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": "{ viewer { role } }" }))
        .send()
        .await
        .expect("answered")
        .status()
        .as_u16()
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
