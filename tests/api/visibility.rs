//! One visibility rule per entity, on every path: a draft is invisible to anonymous callers in
//! lists, counts, lookups, `node`, nested fields and search alike.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use entity::project;
use mosaic_tests::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

const DRAFT: &str = "PL-PROUD-TO-SUPPORT";

async fn draft_id(app: &TestApp) -> uuid::Uuid {
    project::Entity::find()
        .filter(project::Column::Code.eq(DRAFT))
        .one(&app.db)
        .await
        .expect("query")
        .expect("the seed holds the draft")
        .id
}

#[tokio::test]
async fn anonymous_callers_never_see_a_draft_project() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"query($code: String!) {
                project(code: $code) { code }
                projects(first: 100) { totalCount nodes { code } }
                search: projects(filter: { search: "Proud" }) { totalCount }
                drafts: projects(filter: { published: false }) { totalCount }
                polish: projects(filter: { countries: ["PL"] }) { totalCount nodes { code } }
            }"#,
            json!({ "code": DRAFT }),
        )
        .await;
    assert_eq!(data["project"], json!(null));
    let codes: Vec<&str> = data["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["code"].as_str())
        .collect();
    assert!(!codes.contains(&DRAFT));
    assert_eq!(data["projects"]["totalCount"], 10);
    assert_eq!(data["search"]["totalCount"], 0);
    assert_eq!(data["drafts"]["totalCount"], 0);
    assert_eq!(
        data["polish"],
        json!({ "totalCount": 1, "nodes": [{ "code": "PL-DH-GRASSROOTS" }] })
    );
}

#[tokio::test]
async fn a_drafts_workshops_and_node_are_hidden_too() {
    let app = TestApp::spawn().await;
    let id = URL_SAFE_NO_PAD.encode(format!("Project:{}", draft_id(&app).await));
    let data = app
        .data(
            r#"query($id: ID!) {
                node(id: $id) { id }
                workshops(first: 100, filter: { countries: ["PL"] }) { totalCount nodes { title(lang: "en") project { code } } }
                proud: organisations(filter: { search: "Proud" }) { nodes { id } }
            }"#,
            json!({ "id": id }),
        )
        .await;
    assert_eq!(data["node"], json!(null));
    // The five academy sessions of the published Polish project; not the draft's meeting.
    assert_eq!(data["workshops"]["totalCount"], 5);
    assert!(
        data["workshops"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|w| w["project"]["code"] == "PL-DH-GRASSROOTS")
    );
    // The organisation itself is public; filtering projects by it still hides the draft it leads.
    let organisation = data["proud"]["nodes"][0]["id"].clone();
    let led = app
        .data(
            "query($org: ID!) { projects(filter: { organisations: [$org] }) { totalCount nodes { code } } }",
            json!({ "org": organisation }),
        )
        .await;
    assert_eq!(
        led["projects"],
        json!({ "totalCount": 1, "nodes": [{ "code": "PL-DH-GRASSROOTS" }] })
    );
}

#[tokio::test]
async fn node_finds_what_the_lists_show_by_the_same_global_id() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ projects(first: 1, filter: { countries: ["FI"] }) { nodes { id code fundings { nodes { id } } workshops { nodes { id } } regions { id } } }
                 countries { id code } }"#,
            json!({}),
        )
        .await;
    let project = &data["projects"]["nodes"][0];
    for (id, typename) in [
        (&project["id"], "Project"),
        (&project["fundings"]["nodes"][0]["id"], "Funding"),
        (&project["workshops"]["nodes"][0]["id"], "Workshop"),
        (&project["regions"][0]["id"], "Region"),
        (&data["countries"][0]["id"], "Country"),
    ] {
        let found = app
            .data(
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(found["node"], json!({ "__typename": typename, "id": id }));
    }
    let nothing = app
        .data(
            "{ a: node(id: \"garbage\") { id } b: node(id: \"UHJvamVjdDpub3QtYS11dWlk\") { id } }",
            json!({}),
        )
        .await;
    assert_eq!(nothing, json!({ "a": null, "b": null }));
}

#[tokio::test]
async fn anonymous_callers_get_no_contacts_and_no_personal_data() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ project(code: "FI-ELY-MONIMUOTOISUUS") { contacts { nodes { name email phone } } } viewer { authenticated role countries } }"#,
            json!({}),
        )
        .await;
    assert_eq!(data["project"]["contacts"]["nodes"], json!([]));
    assert_eq!(
        data["viewer"],
        json!({ "authenticated": false, "role": null, "countries": [] })
    );
}
