//! Translated texts as mutations take them: each field's bound per language holds on create
//! and update alike (one character more is BAD_USER_INPUT on that field and writes nothing),
//! a title must be given in the row's original language, and an update names its row and
//! the version it read with `id` and `expectedVersion`.

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

fn text(language: &str, length: usize) -> Value {
    json!([{ "language": language, "text": "x".repeat(length) }])
}

const ADD_RESULT: &str = "mutation($i: AddResultInput!) { addResult(input: $i) {
    result { id version title(lang: \"en\") description(lang: \"en\") } } }";
const UPDATE_RESULT: &str = "mutation($i: UpdateResultInput!) { updateResult(input: $i) {
    result { version title(lang: \"en\") } } }";
const RESULTS: &str =
    "query($c: String!) { project(code: $c) { originalLanguage results { id } } }";

#[tokio::test]
async fn each_text_holds_its_bound_on_create_and_update_and_a_refused_one_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let (project, _) = app.project_ref("PL-DH-GRASSROOTS").await;
    let before = app
        .gql_as(Some(&admin), RESULTS, json!({ "c": "PL-DH-GRASSROOTS" }))
        .await;
    let language = before["data"]["project"]["originalLanguage"]
        .as_str()
        .expect("the project's language")
        .to_owned();
    let count = |answer: &Value| {
        answer["data"]["project"]["results"]
            .as_array()
            .map(Vec::len)
    };

    // A result's title holds 300 characters and its description 4 000, per language.
    let add = |title: Value, description: Value| json!({ "i": { "project": project, "kind": "OUTPUT", "title": title, "description": description } });
    for (title, description, field) in [(301, 10, "input.title"), (10, 4_001, "input.description")]
    {
        let refused = app
            .gql_as(
                Some(&admin),
                ADD_RESULT,
                add(text(&language, title), text(&language, description)),
            )
            .await;
        assert_eq!(
            code_and_field(&refused),
            ("BAD_USER_INPUT", field),
            "{refused}"
        );
    }
    let elsewhere = if language == "en" { "sv" } else { "en" };
    let no_original = app
        .gql_as(
            Some(&admin),
            ADD_RESULT,
            add(text(elsewhere, 10), text(&language, 10)),
        )
        .await;
    assert_eq!(
        code_and_field(&no_original),
        ("BAD_USER_INPUT", "input.title"),
        "a title needs the project's own language: {no_original}"
    );
    let unchanged = app
        .gql_as(Some(&admin), RESULTS, json!({ "c": "PL-DH-GRASSROOTS" }))
        .await;
    assert_eq!(count(&unchanged), count(&before), "{unchanged}");

    let mut full = text(&language, 300);
    full.as_array_mut()
        .expect("a list")
        .push(json!({ "language": elsewhere, "text": "y".repeat(300) }));
    let added = app
        .gql_as(Some(&admin), ADD_RESULT, add(full, text(&language, 4_000)))
        .await;
    let result = &added["data"]["addResult"]["result"];
    assert_eq!(result["version"], 1, "{added}");
    assert_eq!(
        result["description"].as_str().map(str::len),
        Some(4_000),
        "{added}"
    );
    let id = result["id"].clone();

    // The update takes the same bound, and names its row and version.
    let update = async |input: Value| {
        app.gql_as(Some(&admin), UPDATE_RESULT, json!({ "i": input }))
            .await
    };
    let over =
        update(json!({ "id": id, "expectedVersion": 1, "title": text(&language, 301) })).await;
    assert_eq!(
        code_and_field(&over),
        ("BAD_USER_INPUT", "input.title"),
        "{over}"
    );
    let no_version = update(json!({ "id": id, "title": text(&language, 5) })).await;
    assert_eq!(
        no_version["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "expectedVersion is required: {no_version}"
    );
    assert!(
        no_version["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("expectedVersion")),
        "the message names the missing field: {no_version}"
    );
    let wrong_kind =
        update(json!({ "id": project, "expectedVersion": 1, "title": text(&language, 5) })).await;
    assert_eq!(
        code_and_field(&wrong_kind),
        ("BAD_USER_INPUT", "input.id"),
        "a project's id is not a result's: {wrong_kind}"
    );
    let updated =
        update(json!({ "id": id, "expectedVersion": 1, "title": text(&language, 300) })).await;
    assert_eq!(
        updated["data"]["updateResult"]["result"]["version"], 2,
        "the refused updates changed nothing: {updated}"
    );
    let stale =
        update(json!({ "id": id, "expectedVersion": 1, "title": text(&language, 5) })).await;
    assert_eq!(mosaic_tests::first_code(&stale), "CONFLICT", "{stale}");
}

#[tokio::test]
async fn a_new_rows_original_language_and_its_names_bound_are_checked_before_anything_is_written() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    const CREATE: &str =
        "mutation($i: CreateTermInput!) { createTerm(input: $i) { term { code label version } } }";
    let term = |code: &str, language: &str, label: Value| json!({ "i": { "vocabulary": "FOCUS_AREA", "code": code, "originalLanguage": language, "label": label } });
    for (input, field) in [
        (term("long_label", "en", text("en", 121)), "input.label"),
        (
            term("bad_language", "xx-nope", text("en", 5)),
            "input.originalLanguage",
        ),
        (term("other_language", "fi", text("en", 5)), "input.label"),
    ] {
        let refused = app.gql_as(Some(&admin), CREATE, input).await;
        assert_eq!(
            code_and_field(&refused),
            ("BAD_USER_INPUT", field),
            "{refused}"
        );
    }
    let terms = app
        .gql_as(
            Some(&admin),
            "{ terms(vocabulary: FOCUS_AREA) { code } }",
            json!({}),
        )
        .await;
    let codes = terms.to_string();
    for code in ["LONG_LABEL", "BAD_LANGUAGE", "OTHER_LANGUAGE"] {
        assert!(!codes.contains(code), "{code} was not written: {terms}");
    }
    let created = app
        .gql_as(
            Some(&admin),
            CREATE,
            term("long_label", "en", text("en", 120)),
        )
        .await;
    assert_eq!(
        created["data"]["createTerm"]["term"]["version"], 1,
        "{created}"
    );
}
