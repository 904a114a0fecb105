//! Documents and links: on projects, programmes, resource centres and workshops, seen as
//! their owner is seen, written by whoever may describe the owner, with http(s) addresses
//! only.

use mosaic_tests::{TestApp, code_and_field, first_code};
use serde_json::{Value, json};

const ADD: &str = "mutation($i: AddDocumentLinkInput!) {
    addDocumentLink(input: $i) { document { id url title category version } } }";

fn link(owner: &str, id: &Value, url: Option<&str>) -> Value {
    json!({ "i": { owner: id, "url": url, "originalLanguage": "sv", "category": "REPORT",
        "title": [{ "language": "sv", "text": "Slutrapport" }, { "language": "en", "text": "Final report" }] } })
}

#[tokio::test]
async fn the_seed_links_what_its_documents_name_and_says_where_no_address_is_given() {
    let app = TestApp::spawn().await;
    let seen = app
        .data(
            r#"{ grassroots: project(code: "PL-DH-GRASSROOTS") { documents { url category title(lang: "en") } }
                 network: project(code: "URBACT-TECHDIVERSITY") { documents { url illustrativeFields } }
                 plan: project(code: "URBACT-TECHDIVERSITY-SI") { documents { category documentLanguage url } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        seen["grassroots"]["documents"][0],
        json!({ "url": null, "category": "WEBSITE", "title": "Grassroots in Action" })
    );
    assert_eq!(
        seen["network"]["documents"][0]["illustrativeFields"],
        json!(["url"]),
        "an address inferred from a caption says so"
    );
    assert_eq!(
        seen["plan"]["documents"],
        json!([{ "category": "ACTION_PLAN", "documentLanguage": "sl", "url": null }])
    );
}

#[tokio::test]
async fn a_drafts_documents_are_hidden_exactly_as_the_draft_is() {
    let app = TestApp::spawn().await;
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let draft = app
        .gql_as(
            Some(&se),
            r#"mutation { createProject(input: { code: "SE-DOCS", originalLanguage: "sv",
                title: [{ language: "sv", text: "Dokument" }], dates: { plannedStart: "2026" },
                country: "SE" }) { project { id } } }"#,
            json!({}),
        )
        .await;
    let project = draft["data"]["createProject"]["project"]["id"].clone();

    // Only http(s) addresses; exactly one owner.
    for (url, field) in [
        ("javascript:alert(1)", "input.url"),
        ("ftp://x.se/a", "input.url"),
    ] {
        let refused = app
            .gql_as(Some(&se), ADD, link("project", &project, Some(url)))
            .await;
        assert_eq!(
            code_and_field(&refused),
            ("BAD_USER_INPUT", field),
            "{refused}"
        );
    }
    let mut two = link("project", &project, None);
    two["i"]["programme"] = json!("UHJvZ3JhbW1lOjAxYTIxOWJiLTkyYjEtNzdiZi1iODI4LTNhYmNhMGI0OGJjZA");
    let refused = app.gql_as(Some(&se), ADD, two).await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "input"),
        "{refused}"
    );

    // Someone who cannot see the draft cannot tell it apart from nothing.
    let hidden = app
        .gql_as(Some(&fi), ADD, link("project", &project, None))
        .await;
    assert_eq!(first_code(&hidden), "NOT_FOUND", "{hidden}");

    let added = app
        .gql_as(
            Some(&se),
            ADD,
            link("project", &project, Some("https://example.se/rapport.pdf")),
        )
        .await;
    let document = added["data"]["addDocumentLink"]["document"].clone();
    assert_eq!(document["title"], "Slutrapport", "{added}");

    let read = "query($id: ID!) { node(id: $id) { ... on DocumentLink { url } } }";
    for (who, token, expected) in [
        ("anonymous", None, Value::Null),
        ("FI coordinator", Some(fi.as_str()), Value::Null),
        (
            "SE coordinator",
            Some(se.as_str()),
            json!({ "url": "https://example.se/rapport.pdf" }),
        ),
    ] {
        let answer = app
            .gql_as(token, read, json!({ "id": document["id"] }))
            .await;
        assert_eq!(answer["data"]["node"], expected, "{who}: {answer}");
    }

    // Published, everyone reads it; only its managers change it.
    let (_, version) = app.project_ref("SE-DOCS").await;
    let published = app
        .gql_as(
            Some(&se),
            "mutation($i: PublishProjectInput!) { publishProject(input: $i) { project { published } } }",
            json!({ "i": { "id": project, "expectedVersion": version } }),
        )
        .await;
    assert_eq!(
        published["data"]["publishProject"]["project"]["published"], true,
        "{published}"
    );
    let public = app.gql(read, json!({ "id": document["id"] })).await;
    assert_eq!(
        public["data"]["node"]["url"],
        "https://example.se/rapport.pdf"
    );
    const UPDATE: &str = "mutation($i: UpdateDocumentLinkInput!) {
        updateDocumentLink(input: $i) { document { url category version } } }";
    let change = json!({ "i": { "id": document["id"], "expectedVersion": 1, "category": "PRESENTATION", "url": null } });
    let refused = app.gql_as(Some(&fi), UPDATE, change.clone()).await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{refused}");
    let changed = app.gql_as(Some(&se), UPDATE, change.clone()).await;
    assert_eq!(
        changed["data"]["updateDocumentLink"]["document"],
        json!({ "url": null, "category": "PRESENTATION", "version": 2 }),
        "{changed}"
    );
    let stale = app.gql_as(Some(&se), UPDATE, change).await;
    assert_eq!(first_code(&stale), "CONFLICT", "{stale}");
    let gone = app
        .gql_as(
            Some(&se),
            "mutation($i: DeleteInput!) { deleteDocumentLink(input: $i) { deletedId } }",
            json!({ "i": { "id": document["id"] } }),
        )
        .await;
    assert_eq!(
        gone["data"]["deleteDocumentLink"]["deletedId"], document["id"],
        "{gone}"
    );
}

#[tokio::test]
async fn programme_links_are_admins_and_a_centres_links_its_countrys() {
    let app = TestApp::spawn().await;
    let ids = app
        .data(
            r#"{ programme(code: "SE-RRC") { id } resourceCentres(first: 1) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    let programme = ids["programme"]["id"].clone();
    let centre = ids["resourceCentres"]["nodes"][0]["id"].clone();
    let se = app.token("COORDINATOR", &["SE"], None);
    let fi = app.token("COORDINATOR", &["FI"], None);
    let admin = app.token("ADMIN", &[], None);

    let refused = app
        .gql_as(Some(&se), ADD, link("programme", &programme, None))
        .await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{refused}");
    let added = app
        .gql_as(Some(&admin), ADD, link("programme", &programme, None))
        .await;
    assert!(added.get("errors").is_none(), "{added}");

    let refused = app
        .gql_as(Some(&fi), ADD, link("resourceCentre", &centre, None))
        .await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{refused}");
    let added = app
        .gql_as(
            Some(&se),
            ADD,
            link(
                "resourceCentre",
                &centre,
                Some("https://www.regionvarmland.se"),
            ),
        )
        .await;
    assert!(added.get("errors").is_none(), "{added}");

    let listed = app
        .data(
            r#"{ programme(code: "SE-RRC") { documents { title(lang: "en") } }
                 resourceCentres(first: 1) { nodes { documents { url } } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        listed["programme"]["documents"],
        json!([{ "title": "Final report" }])
    );
    assert_eq!(
        listed["resourceCentres"]["nodes"][0]["documents"],
        json!([{ "url": "https://www.regionvarmland.se" }])
    );
}
