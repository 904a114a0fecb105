//! The edges of JWTs: a bounded lifetime, audiences as RFC 7519 allows them, subjects Mosaic
//! reserves for itself, countries the programme has, and ready tokens only for a secret
//! Mosaic made itself.

use jsonwebtoken::get_current_timestamp;
use mosaic::Application;
use mosaic::config::Config;
use mosaic_tests::TestApp;
use serde_json::json;

use crate::tokens::{SECRET, VIEWER, assert_refused, claims, hs256};

#[tokio::test]
async fn a_token_living_longer_than_the_maximum_is_refused() {
    let app = TestApp::spawn().await;
    let now = get_current_timestamp();
    let day = 24 * 3600;
    for exp in [now + 2 * day, u64::MAX, i64::MAX as u64] {
        let token = hs256(SECRET.as_bytes(), &claims(json!({ "exp": exp })));
        assert_refused(&app, &token, &format!("exp {exp}")).await;
    }
    let issued_long_ago = hs256(
        SECRET.as_bytes(),
        &claims(json!({ "iat": now - 3 * day, "exp": now + 600 })),
    );
    assert_refused(&app, &issued_long_ago, "three days between iat and exp").await;
    let fine = hs256(SECRET.as_bytes(), &claims(json!({ "exp": now + 3600 })));
    let answer = app.gql_as(Some(&fine), VIEWER, json!({})).await;
    assert_eq!(answer["data"]["viewer"]["role"], "ADMIN", "{answer}");
}

#[tokio::test]
async fn an_audience_array_is_accepted_when_it_names_this_api() {
    let app = TestApp::spawn_with(|c| c.jwt_audience = Some("mosaic-api".into())).await;
    let listed = hs256(
        SECRET.as_bytes(),
        &claims(json!({ "aud": ["account", "mosaic-api"] })),
    );
    let answer = app.gql_as(Some(&listed), VIEWER, json!({})).await;
    assert_eq!(answer["data"]["viewer"]["role"], "ADMIN", "{answer}");
    let single = hs256(SECRET.as_bytes(), &claims(json!({ "aud": "mosaic-api" })));
    let answer = app.gql_as(Some(&single), VIEWER, json!({})).await;
    assert_eq!(answer["data"]["viewer"]["role"], "ADMIN", "{answer}");
    let others = hs256(SECRET.as_bytes(), &claims(json!({ "aud": ["account"] })));
    assert_refused(&app, &others, "an audience list without this API").await;
}

#[tokio::test]
async fn reserved_subjects_and_unknown_countries_are_refused() {
    let app = TestApp::spawn().await;
    for sub in [
        "anonymous",
        "api-token:0193f000-0000-7000-8000-000000000000",
        "",
    ] {
        let token = hs256(SECRET.as_bytes(), &claims(json!({ "sub": sub })));
        assert_refused(&app, &token, &format!("subject {sub:?}")).await;
    }
    let norway = hs256(
        SECRET.as_bytes(),
        &claims(json!({ "role": "COORDINATOR", "countries": ["SE", "NO"] })),
    );
    assert_refused(&app, &norway, "a country outside the programme").await;
    let sweden = hs256(
        SECRET.as_bytes(),
        &claims(json!({ "role": "COORDINATOR", "countries": ["SE"] })),
    );
    let answer = app.gql_as(Some(&sweden), VIEWER, json!({})).await;
    assert_eq!(answer["data"]["viewer"]["countries"], json!(["SE"]));
}

#[tokio::test]
async fn ready_tokens_are_printed_only_for_a_secret_mosaic_made() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
    let configured = Application::build(Config::for_tests(url.clone()))
        .await
        .expect("starts");
    assert!(!configured.prints_development_tokens());
    let mut own = Config::for_tests(url);
    own.jwt_secret = None;
    let made = Application::build(own).await.expect("starts");
    assert!(made.prints_development_tokens());
}
