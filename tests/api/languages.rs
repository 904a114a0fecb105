//! Translatable text: the `lang` argument, then `Accept-Language`, then the original.

use mosaic_tests::{TestApp, first_code};
use serde_json::json;

const TITLE: &str =
    r#"query($lang: String) { project(code: "FI-ELY-MONIMUOTOISUUS") { title(lang: $lang) } }"#;

#[tokio::test]
async fn the_lang_argument_wins_over_accept_language() {
    let app = TestApp::spawn().await;
    let answer = app
        .gql_with(TITLE, json!({ "lang": "en" }), &[("Accept-Language", "fi")])
        .await;
    assert_eq!(
        answer["data"]["project"]["title"],
        "Results through diversity in working life"
    );
}

#[tokio::test]
async fn accept_language_is_used_in_order_of_preference() {
    let app = TestApp::spawn().await;
    let answer = app
        .gql_with(
            TITLE,
            json!({}),
            &[("Accept-Language", "de-DE, en-GB;q=0.8, fi;q=0.5")],
        )
        .await;
    assert_eq!(
        answer["data"]["project"]["title"],
        "Results through diversity in working life"
    );
}

#[tokio::test]
async fn without_a_translation_the_original_is_given() {
    let app = TestApp::spawn().await;
    let answer = app
        .gql_with(TITLE, json!({ "lang": "pl" }), &[("Accept-Language", "de")])
        .await;
    assert_eq!(
        answer["data"]["project"]["title"],
        "Työelämän monimuotoisuudella tuloksiin"
    );
    let plain = app.data(TITLE, json!({})).await;
    assert_eq!(
        plain["project"]["title"],
        "Työelämän monimuotoisuudella tuloksiin"
    );
}

#[tokio::test]
async fn a_malformed_language_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let answer = app.gql(TITLE, json!({ "lang": "12$" })).await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "lang");
}
