//! Anonymous GET answers kept in memory: served without touching the database, kept apart
//! by language and caller, and retired by any write, on every instance.

use std::time::{Duration, Instant};

use mosaic_tests::TestApp;
use serde_json::{Value, json};

const PAGE: &str = "{ projects(first: 5) { nodes { code acronym } } }";

async fn get(app: &TestApp, base: &str, headers: &[(&str, &str)]) -> (u16, Value, Option<String>) {
    let mut request = app
        .client
        .get(format!("{base}/graphql"))
        .query(&[("query", PAGE)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("answered");
    let status = response.status().as_u16();
    let etag = response
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.text().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&body).unwrap_or(Value::Null),
        etag,
    )
}

/// How many requests the instance at `base` answered from its kept answers.
async fn kept(app: &TestApp, base: &str) -> u64 {
    let text = app
        .client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("answered")
        .text()
        .await
        .unwrap_or_default();
    text.lines()
        .find_map(|l| l.strip_prefix("mosaic_kept_answers_total "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

/// Reads `PAGE` anonymously until the instance at `base` answers it from memory: on
/// PostgreSQL nothing is kept until the instance's listener hears the others.
async fn until_kept(app: &TestApp, base: &str) -> Value {
    for _ in 0..200 {
        let before = kept(app, base).await;
        let (_, answer, _) = get(app, base, &[]).await;
        if kept(app, base).await > before {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("{base} never kept an answer");
}

fn first_acronym(answer: &Value) -> Value {
    answer["data"]["projects"]["nodes"][0]["acronym"].clone()
}

/// Renames the first project of `PAGE` as an admin (POST, on the app's own instance).
async fn rename_first(app: &TestApp, answer: &Value, acronym: &str) {
    let code = answer["data"]["projects"]["nodes"][0]["code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let (id, version) = app.project_ref(&code).await;
    let admin = app.token("ADMIN", &[], None);
    let renamed = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!, $v: Int!, $a: String!) { updateProject(input: { id: $id, expectedVersion: $v, acronym: $a }) { project { acronym } } }",
            json!({ "id": id, "v": version, "a": acronym }),
        )
        .await;
    assert!(renamed.get("errors").is_none(), "{renamed:#}");
}

#[tokio::test]
async fn a_repeated_anonymous_read_costs_no_query_until_a_write() {
    let app = TestApp::spawn().await;
    until_kept(&app, &app.base).await;
    let (status, first, etag) = get(&app, &app.base, &[]).await;
    assert_eq!(status, 200, "{first:#}");
    let before = app.statements().await;
    let (_, again, kept_tag) = get(&app, &app.base, &[]).await;
    assert_eq!(again, first);
    assert_eq!(kept_tag, etag, "the kept answer has the same ETag");
    assert_eq!(
        app.statements().await,
        before,
        "answered without the database"
    );
    // A client holding that ETag gets 304 from the kept answer too.
    let tag = etag.clone().unwrap_or_default();
    let (status, _, _) = get(&app, &app.base, &[("If-None-Match", tag.as_str())]).await;
    assert_eq!(status, 304);

    // Another language, and any signed-in caller, is another answer.
    get(&app, &app.base, &[("Accept-Language", "sv")]).await;
    assert!(app.statements().await > before, "Swedish is executed");
    let admin = format!("Bearer {}", app.token("ADMIN", &[], None));
    let signed = app.statements().await;
    get(&app, &app.base, &[("Authorization", admin.as_str())]).await;
    get(&app, &app.base, &[("Authorization", admin.as_str())]).await;
    assert!(
        app.statements().await > signed + 1,
        "signed-in reads are never kept"
    );

    // A write retires the kept answer at once.
    rename_first(&app, &first, "KEPT1").await;
    let (_, after, new_tag) = get(&app, &app.base, &[]).await;
    assert_eq!(first_acronym(&after), "KEPT1", "{after:#}");
    assert_ne!(new_tag, etag);
    assert!(kept(&app, &app.base).await >= 3, "kept answers are counted");
}

#[tokio::test]
async fn with_no_memory_for_it_nothing_is_kept() {
    let app = TestApp::spawn_with(|c| c.response_cache_mb = 0).await;
    for _ in 0..3 {
        let before = app.statements().await;
        get(&app, &app.base, &[]).await;
        assert!(app.statements().await > before);
    }
    assert_eq!(kept(&app, &app.base).await, 0);
}

/// Two instances on one PostgreSQL database: a write on one retires what the other kept, well
/// within a second.
#[tokio::test]
async fn a_write_on_one_instance_reaches_anonymous_readers_of_another_within_a_second() {
    let app = TestApp::spawn().await;
    if !app.postgres {
        // On SQLite one process serves the database; `a_repeated_anonymous_read…` covers it.
        return;
    }
    let other = app.another_instance().await;
    let first = until_kept(&app, &other).await;
    rename_first(&app, &first, "ELSEWHERE").await;
    let written = Instant::now();
    let mut seen = Value::Null;
    while written.elapsed() < Duration::from_secs(1) {
        let (_, answer, _) = get(&app, &other, &[]).await;
        seen = first_acronym(&answer);
        if seen == "ELSEWHERE" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        seen, "ELSEWHERE",
        "the other instance saw the write within a second"
    );
}
