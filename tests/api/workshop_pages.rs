//! A project's page of workshops loads only the columns its selection reads. Every field must
//! answer the same either way: each field of `Workshop`, read alone on a page, answers as it
//! does over the whole row (`nodes(ids:)`).

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
async fn a_page_answers_every_field_as_the_whole_row_does() {
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
    // Each field with what to select of it: objects by the fields of theirs it shows.
    let objects = [
        ("project", "project { id }"),
        ("titleTranslations", "titleTranslations { language text }"),
        (
            "descriptionTranslations",
            "descriptionTranslations { language text }",
        ),
        ("venue", "venue { name address town region { id } }"),
        ("registrations", "registrations(first: 2) { nodes { id } }"),
        ("agenda", "agenda { startsAt title }"),
        ("targetGroups", "targetGroups { code }"),
        ("documents", "documents { id }"),
    ];
    let selections: Vec<String> = fields["__type"]["fields"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["args"]
                .as_array()
                .is_none_or(|args| args.iter().all(|a| a["type"]["kind"] != "NON_NULL"))
        })
        .filter_map(|f| {
            let name = f["name"].as_str()?;
            if matches!(named_kind(&f["type"]), "SCALAR" | "ENUM") {
                return Some(name.to_owned());
            }
            let listed = objects.iter().find(|(field, _)| *field == name);
            Some(
                listed
                    .unwrap_or_else(|| panic!("Workshop.{name}: add what to select of it"))
                    .1
                    .to_owned(),
            )
        })
        .collect();
    assert!(selections.len() > 25, "{fields}");

    let mut compared = 0;
    for selection in &selections {
        let field = selection.split([' ', '(']).next().unwrap_or_default();
        let query = format!(
            "{{ projects(first: 100) {{ nodes {{ workshops(first: 20) {{ nodes {{ id {selection} }} }} }} }} }}"
        );
        let answer = app.gql_as(Some(&admin), &query, json!({})).await;
        assert!(answer.get("errors").is_none(), "{field}: {answer:#}");
        let paged = by_id(&answer["data"]["projects"]["nodes"], "workshops", field);
        // The same workshops by id: whole rows.
        let ids: Vec<Value> = paged.iter().map(|(id, _)| id.clone()).collect();
        let mut whole = Vec::new();
        for chunk in ids.chunks(100) {
            let query = format!(
                "query($ids: [ID!]!) {{ nodes(ids: $ids) {{ ... on Workshop {{ id {selection} }} }} }}"
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
