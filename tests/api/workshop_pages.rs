//! A project's page of workshops loads the long columns (description, target groups, invented
//! fields) only when its selection reads one of them. Every other field must answer the same
//! either way: each scalar field of `Workshop` is read beside and without `description`.

use mosaic_tests::TestApp;
use serde_json::{Value, json};

/// The type's kind once lists and non-nulls are unwrapped.
fn named_kind(t: &Value) -> &str {
    match t["kind"].as_str() {
        Some("LIST" | "NON_NULL") => named_kind(&t["ofType"]),
        other => other.unwrap_or_default(),
    }
}

/// Workshops by id, each with its answer to `field`, over every project's page `page`.
fn by_id(projects: &Value, page: &str, field: &str) -> Vec<(Value, Value)> {
    let mut out = Vec::new();
    for project in projects.as_array().into_iter().flatten() {
        for node in project[page]["nodes"].as_array().into_iter().flatten() {
            out.push((node["id"].clone(), node[field].clone()));
        }
    }
    out.sort_by_key(|(id, _)| id.to_string());
    out
}

#[tokio::test]
async fn a_page_without_long_fields_answers_every_field_as_a_full_one() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let fields = app
        .data(
            r#"{ __type(name: "Workshop") { fields { name
                args { type { kind } }
                type { kind ofType { kind ofType { kind ofType { kind } } } } } } }"#,
            json!({}),
        )
        .await;
    let scalars: Vec<String> = fields["__type"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| matches!(named_kind(&f["type"]), "SCALAR" | "ENUM"))
        .filter(|f| {
            f["args"]
                .as_array()
                .is_none_or(|args| args.iter().all(|a| a["type"]["kind"] != "NON_NULL"))
        })
        .filter_map(|f| f["name"].as_str().map(str::to_owned))
        .collect();
    assert!(scalars.len() > 15, "{fields}");

    let mut compared = 0;
    for field in &scalars {
        let query = format!(
            "{{ projects(first: 100) {{ nodes {{ workshops(first: 20) {{ nodes {{ id {field} }} }} }} }} }}"
        );
        let answer = app.gql_as(Some(&admin), &query, json!({})).await;
        assert!(answer.get("errors").is_none(), "{field}: {answer:#}");
        let paged = by_id(&answer["data"]["projects"]["nodes"], "workshops", field);
        // The same workshops by id: whole rows.
        let ids: Vec<Value> = paged.iter().map(|(id, _)| id.clone()).collect();
        let mut whole = Vec::new();
        for chunk in ids.chunks(100) {
            let query = format!(
                "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on Workshop {{ id {field} }} }} }}"
            );
            let answer = app
                .gql_as(Some(&admin), &query, json!({ "ids": chunk }))
                .await;
            assert!(answer.get("errors").is_none(), "{field}: {answer:#}");
            for node in answer["data"]["nodes"].as_array().into_iter().flatten() {
                whole.push((node["id"].clone(), node[field].clone()));
            }
        }
        whole.sort_by_key(|(id, _)| id.to_string());
        assert_eq!(paged, whole, "{field}");
        compared += paged.len();
    }
    assert!(compared > 100, "only {compared} answers compared");

    // The long fields themselves, however they are asked for, are the stored ones.
    let asked = app
        .gql_as(
            Some(&admin),
            r#"{ projects(first: 100) { nodes {
                   spread: workshops(first: 20) { nodes { id ...Long } }
                   inline: workshops(first: 20) { edges { node { id ... on Workshop {
                       description targetGroups { code } illustrativeFields } } } } } } }
               fragment Long on Workshop { description targetGroups { code } illustrativeFields }"#,
            json!({}),
        )
        .await;
    assert!(asked.get("errors").is_none(), "{asked:#}");
    let mut described = 0;
    for project in asked["data"]["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let spread = &project["spread"]["nodes"];
        for (i, node) in spread.as_array().into_iter().flatten().enumerate() {
            let by_node = app
                .gql_as(
                    Some(&admin),
                    "query($id: ID!) { node(id: $id) { ... on Workshop {
                        description targetGroups { code } illustrativeFields } } }",
                    json!({ "id": node["id"] }),
                )
                .await;
            let stored = &by_node["data"]["node"];
            for field in ["description", "targetGroups", "illustrativeFields"] {
                assert_eq!(node[field], stored[field], "{field} by a fragment");
                assert_eq!(
                    project["inline"]["edges"][i]["node"][field], stored[field],
                    "{field} by an inline fragment under edges"
                );
            }
            described += usize::from(
                stored["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty()),
            );
        }
    }
    assert!(
        described > 5,
        "only {described} workshops with a description"
    );
}
