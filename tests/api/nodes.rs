//! Every object with an id is a `Node`: `node(id:)` and `nodes(ids:)` fetch it again under
//! the caller's visibility (what Relay's `@refetchable` needs), one query per kind.

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

const GATHER: &str = "{
    projects(first: 20) { nodes { id contacts { nodes { id } } milestones { id }
        results { id indicators { id periods { id } } }
        workshops(first: 5) { nodes { id registrations { nodes { id } } } } } }
    auditEvents(first: 2) { nodes { id } }
    organisations(first: 1) { nodes { id } }
    countries { id }
}";

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }";

/// One id of each `__typename` found in the admin's view of the seed.
async fn one_of_each(app: &TestApp, admin: &str) -> Vec<(String, Value)> {
    let seen = app.gql_as(Some(admin), GATHER, json!({})).await;
    assert!(seen.get("errors").is_none(), "{seen:#}");
    let d = &seen["data"];
    let projects = d["projects"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let first = |path: &dyn Fn(&Value) -> Vec<Value>| -> Value {
        projects.iter().flat_map(path).next().unwrap_or(Value::Null)
    };
    let list = |v: &Value| v.as_array().cloned().unwrap_or_default();
    let workshops = |p: &Value| list(&p["workshops"]["nodes"]);
    let token = app
        .gql_as(
            Some(admin),
            "mutation($o: ID!) { issueApiToken(input: { organisation: $o, name: \"sync\" }) { token { id } } }",
            json!({ "o": d["organisations"]["nodes"][0]["id"] }),
        )
        .await;
    vec![
        ("Project".into(), projects[0]["id"].clone()),
        (
            "Contact".into(),
            first(&|p| list(&p["contacts"]["nodes"]))["id"].clone(),
        ),
        (
            "Milestone".into(),
            first(&|p| list(&p["milestones"]))["id"].clone(),
        ),
        (
            "Result".into(),
            first(&|p| list(&p["results"]))["id"].clone(),
        ),
        (
            "Indicator".into(),
            first(&|p| {
                list(&p["results"])
                    .iter()
                    .flat_map(|r| list(&r["indicators"]))
                    .collect()
            })["id"]
                .clone(),
        ),
        ("Workshop".into(), first(&|p| workshops(p))["id"].clone()),
        (
            "Registration".into(),
            first(&|p| {
                workshops(p)
                    .iter()
                    .flat_map(|w| list(&w["registrations"]["nodes"]))
                    .collect()
            })["id"]
                .clone(),
        ),
        (
            "AuditEvent".into(),
            d["auditEvents"]["nodes"][0]["id"].clone(),
        ),
        (
            "Organisation".into(),
            d["organisations"]["nodes"][0]["id"].clone(),
        ),
        ("Country".into(), d["countries"][0]["id"].clone()),
        (
            "ApiToken".into(),
            token["data"]["issueApiToken"]["token"]["id"].clone(),
        ),
    ]
}

#[tokio::test]
async fn every_object_with_an_id_comes_back_through_node_and_nodes() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let wanted = one_of_each(&app, &admin).await;
    for (kind, id) in &wanted {
        assert!(id.is_string(), "the seed has a {kind}");
        let one = app
            .gql_as(
                Some(&admin),
                "query($id: ID!) { node(id: $id) { __typename id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(
            one["data"]["node"],
            json!({ "__typename": kind, "id": id }),
            "{kind}"
        );
    }
    let mut ids: Vec<Value> = wanted.iter().map(|(_, id)| id.clone()).collect();
    ids.push(json!("garbage"));
    ids.push(wanted[0].1.clone());
    let many = app.gql_as(Some(&admin), NODES, json!({ "ids": ids })).await;
    let answered = many["data"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(answered.len(), wanted.len() + 2, "{many:#}");
    for (i, (kind, id)) in wanted.iter().enumerate() {
        assert_eq!(
            answered[i],
            json!({ "__typename": kind, "id": id }),
            "in the order asked"
        );
    }
    assert_eq!(
        answered[wanted.len()],
        Value::Null,
        "a malformed id answers null"
    );
    assert_eq!(
        answered[wanted.len() + 1]["id"],
        wanted[0].1,
        "a repeat is answered again"
    );
}

#[tokio::test]
async fn nodes_hide_what_the_lists_hide() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let wanted = one_of_each(&app, &admin).await;
    let ids: Vec<Value> = wanted.iter().map(|(_, id)| id.clone()).collect();
    let anonymous = app.data(NODES, json!({ "ids": ids })).await;
    let viewer = app.token("VIEWER", &[], None);
    let signed_in = app
        .gql_as(Some(&viewer), NODES, json!({ "ids": ids }))
        .await;
    for answer in [&anonymous, &signed_in["data"]] {
        for (i, (kind, _)) in wanted.iter().enumerate() {
            let node = &answer["nodes"][i];
            match kind.as_str() {
                // Personal data, credentials and the audit trail are not for these callers.
                "Registration" | "ApiToken" | "AuditEvent" => {
                    assert_eq!(*node, Value::Null, "{kind} is hidden: {answer}")
                }
                "Organisation" | "Country" => assert_eq!(node["__typename"], *kind),
                _ => {}
            }
        }
    }
}

#[tokio::test]
async fn nodes_cost_one_query_per_kind_and_take_at_most_100_ids() {
    let app = TestApp::spawn().await;
    let page = app
        .data("{ projects(first: 40) { nodes { id } } }", json!({}))
        .await;
    let ids: Vec<Value> = page["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| p["id"].clone())
        .collect();
    assert!(ids.len() >= 5, "{page}");
    let mut cost = Vec::new();
    for asked in [&ids[..1], &ids[..]] {
        let before = app.statements().await;
        let answer = app.data(NODES, json!({ "ids": asked })).await;
        assert_eq!(answer["nodes"].as_array().map(Vec::len), Some(asked.len()));
        cost.push(app.statements().await - before);
    }
    assert_eq!(
        cost[0],
        cost[1],
        "as many statements for {} ids as for one",
        ids.len()
    );

    let too_many: Vec<Value> = (0..101).map(|_| ids[0].clone()).collect();
    let refused = app.gql(NODES, json!({ "ids": too_many })).await;
    assert_eq!(code_and_field(&refused), ("BAD_USER_INPUT", "ids"));
}

/// A create answers the new row as an edge of its list, with the cursor the list itself gives
/// it, so Relay's `@appendEdge` and Apollo can insert it where it belongs.
#[tokio::test]
async fn creates_answer_the_new_edge_with_its_list_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let created = app
        .gql_as(
            Some(&admin),
            r#"mutation { createOrganisation(input: { originalLanguage: "sv", kind: NGO, country: "SE",
                name: [{ language: "sv", text: "Kant och Kanon" }] }) {
                organisation { id } edge { cursor node { id } } } }"#,
            json!({}),
        )
        .await;
    let payload = &created["data"]["createOrganisation"];
    assert_eq!(
        payload["edge"]["node"]["id"], payload["organisation"]["id"],
        "{created}"
    );
    let listed = app
        .gql_as(
            Some(&admin),
            "{ organisations(last: 1) { edges { cursor node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["data"]["organisations"]["edges"][0], payload["edge"],
        "the newest organisation, with the same cursor"
    );
    let after = app
        .gql_as(
            Some(&admin),
            "query($c: String) { organisations(after: $c) { nodes { id } } }",
            json!({ "c": payload["edge"]["cursor"] }),
        )
        .await;
    assert_eq!(
        after["data"]["organisations"]["nodes"],
        json!([]),
        "{after}"
    );

    let (project, _) = app.project_ref("SE-BLEKINGE-JRT").await;
    let workshop = app
        .gql_as(
            Some(&admin),
            "mutation($i: CreateWorkshopInput!) { createWorkshop(input: $i) { workshop { id } edge { cursor node { id } } } }",
            json!({ "i": { "project": project, "originalLanguage": "sv",
                "title": [{ "language": "sv", "text": "Kväll" }],
                "startsAt": "2099-05-04T17:00:00Z", "endsAt": "2099-05-04T19:00:00Z",
                "timeZone": "Europe/Stockholm", "kind": "WORKSHOP", "format": "ONLINE",
                "language": "sv", "openToPublic": true } }),
        )
        .await;
    let payload = &workshop["data"]["createWorkshop"];
    assert_eq!(
        payload["edge"]["node"]["id"], payload["workshop"]["id"],
        "{workshop}"
    );
    let before = app
        .gql_as(
            Some(&admin),
            "query($c: String) { workshops(last: 100, before: $c) { nodes { id } } }",
            json!({ "c": payload["edge"]["cursor"] }),
        )
        .await;
    let earlier = before["data"]["workshops"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        !earlier.is_empty() && !earlier.contains(&payload["workshop"]),
        "{before}"
    );
}
