//! Syncing by polling: every entity says when it last changed (`updatedAt`), and every
//! top-level list filters by `updatedSince` and sorts by `UPDATED_AT`, under the caller's
//! visibility.

use chrono::{DateTime, Duration, Utc};
use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

/// A top-level list, and the mutation that changes one of its rows.
struct List {
    name: &'static str,
    /// The payload field holding the changed row.
    payload: &'static str,
    /// The mutation, taking `$id` and `$v` (its version).
    mutation: &'static str,
}

fn lists() -> Vec<List> {
    vec![
        List {
            name: "regions",
            payload: "region",
            mutation: "updateRegion(input: { id: $id, expectedVersion: $v, name: NAME })",
        },
        List {
            name: "organisations",
            payload: "organisation",
            mutation: r#"updateOrganisation(input: { id: $id, expectedVersion: $v, acronym: "SYNC" })"#,
        },
        List {
            name: "resourceCentres",
            payload: "resourceCentre",
            mutation: "updateResourceCentre(input: { id: $id, expectedVersion: $v, name: NAME })",
        },
        List {
            name: "programmes",
            payload: "programme",
            mutation: "updateProgramme(input: { id: $id, expectedVersion: $v, name: NAME })",
        },
        List {
            name: "projects",
            payload: "project",
            mutation: r#"updateProject(input: { id: $id, expectedVersion: $v, acronym: "SYNC" })"#,
        },
        List {
            name: "workshops",
            payload: "workshop",
            mutation: "updateWorkshop(input: { id: $id, expectedVersion: $v, capacity: 77 })",
        },
    ]
}

fn instant(value: &Value) -> DateTime<Utc> {
    let text = value.as_str().unwrap_or_default();
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|_| panic!("an RFC 3339 instant: {value}"))
        .with_timezone(&Utc)
}

/// `updatedAt` as the API writes it: UTC, milliseconds, `Z`.
fn written(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The ids (and `updatedAt`s) `list` answers `token` with these arguments.
async fn page(app: &TestApp, token: &str, list: &str, arguments: &str) -> Vec<(String, String)> {
    let query = format!("{{ {list}({arguments}) {{ nodes {{ id updatedAt }} }} }}");
    let answer = app.gql_as(Some(token), &query, json!({})).await;
    assert!(answer.get("errors").is_none(), "{list}: {answer:#}");
    answer["data"][list]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|n| {
            (
                n["id"].as_str().unwrap_or_default().to_owned(),
                n["updatedAt"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_list_answers_what_changed_since_in_the_order_of_change() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    for list in lists() {
        let name = list.name;
        let newest = r#"orderBy: [{ field: UPDATED_AT, direction: DESC }], first: 3"#;
        let before = page(&app, &admin, name, newest).await;
        assert!(!before.is_empty(), "{name} has rows to change");
        // Everything held so far is older than `since`; the row changed below is not.
        let since = written(instant(&json!(before[0].1)) + Duration::milliseconds(1));
        let filter = format!(r#"filter: {{ updatedSince: "{since}" }}"#);
        assert_eq!(page(&app, &admin, name, &filter).await, vec![], "{name}");

        // The oldest of (up to) three changes, and comes first in both senses.
        let (id, old) = before[before.len() - 1].clone();
        // Names are given in every language the row has (the original among them).
        let named = list.mutation.contains("NAME");
        let read = format!(
            "query($id: ID!) {{ node(id: $id) {{ ... on {} {{ version {} }} }} }}",
            typename(list.payload),
            if named {
                "nameTranslations { language }"
            } else {
                ""
            }
        );
        let node =
            app.gql_as(Some(&admin), &read, json!({ "id": id })).await["data"]["node"].clone();
        let names: Vec<String> = node["nameTranslations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| format!(r#"{{ language: {}, text: "Synced" }}"#, t["language"]))
            .collect();
        let mutation = format!(
            "mutation($id: ID!, $v: Int!) {{ {} {{ {} {{ id updatedAt }} }} }}",
            list.mutation
                .replace("NAME", &format!("[{}]", names.join(", "))),
            list.payload
        );
        let v = node["version"].clone();
        let changed = app
            .gql_as(Some(&admin), &mutation, json!({ "id": id, "v": v }))
            .await;
        assert!(changed.get("errors").is_none(), "{name}: {changed:#}");
        let payload = changed["data"].as_object().and_then(|d| d.values().next());
        let at = payload.map_or(Value::Null, |p| p[list.payload]["updatedAt"].clone());
        let at = at.as_str().unwrap_or_default().to_owned();
        assert!(
            instant(&json!(at)) > instant(&json!(old)),
            "{name}: {at} after {old}"
        );
        assert!(at >= since, "{name}: {at} is since {since}");

        assert_eq!(
            page(&app, &admin, name, &filter).await,
            vec![(id.clone(), at.clone())],
            "{name}: only the changed row is new since {since}"
        );
        // The bound is inclusive: polling again from the value read finds the row again.
        let again = format!(r#"filter: {{ updatedSince: "{at}" }}"#);
        assert_eq!(
            page(&app, &admin, name, &again).await,
            vec![(id.clone(), at.clone())]
        );
        assert_eq!(
            page(&app, &admin, name, newest).await[0],
            (id.clone(), at.clone())
        );

        // Ascending, paged one at a time with cursors, the changed row comes last.
        let mut after = Value::Null;
        let mut seen = Vec::new();
        for _ in 0..200 {
            let query = format!(
                "query($after: String) {{ {name}(orderBy: [{{ field: UPDATED_AT }}], first: 50, after: $after) {{ nodes {{ id updatedAt }} pageInfo {{ hasNextPage endCursor }} }} }}"
            );
            let answer = app
                .gql_as(Some(&admin), &query, json!({ "after": after }))
                .await;
            assert!(answer.get("errors").is_none(), "{name}: {answer:#}");
            let connection = &answer["data"][name];
            for node in connection["nodes"].as_array().into_iter().flatten() {
                seen.push((
                    node["updatedAt"].as_str().unwrap_or_default().to_owned(),
                    node["id"].as_str().unwrap_or_default().to_owned(),
                ));
            }
            if connection["pageInfo"]["hasNextPage"] != true {
                break;
            }
            after = connection["pageInfo"]["endCursor"].clone();
        }
        let times: Vec<_> = seen.iter().map(|(t, _)| instant(&json!(t))).collect();
        assert!(times.is_sorted(), "{name} ascending by updatedAt");
        assert_eq!(seen.last().map(|(_, id)| id), Some(&id), "{name}");
    }
}

fn typename(payload: &str) -> String {
    let mut chars = payload.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

#[tokio::test]
async fn updated_since_shows_a_changed_draft_only_to_those_who_may_see_it() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let drafts = app
        .gql_as(
            Some(&admin),
            "{ projects(filter: { published: false }, first: 1) { nodes { id version country { code } } } }",
            json!({}),
        )
        .await;
    let draft = drafts["data"]["projects"]["nodes"][0].clone();
    assert!(draft["id"].is_string(), "the seed has a draft: {drafts:#}");
    let since = written(Utc::now() - Duration::milliseconds(1));
    let changed = app
        .gql_as(
            Some(&admin),
            r#"mutation($id: ID!, $v: Int!) { updateProject(input: { id: $id, expectedVersion: $v, acronym: "DRAFT" }) { project { updatedAt } } }"#,
            json!({ "id": draft["id"], "v": draft["version"] }),
        )
        .await;
    assert!(changed.get("errors").is_none(), "{changed:#}");
    let query = "query($since: DateTime!) { projects(filter: { updatedSince: $since }) { totalCount nodes { id } } }";
    let anonymous = app.gql(query, json!({ "since": since })).await;
    assert_eq!(
        anonymous["data"]["projects"]["totalCount"], 0,
        "{anonymous:#}"
    );
    let elsewhere = app.token("COORDINATOR", &["PL"], None);
    let poland = app
        .gql_as(Some(&elsewhere), query, json!({ "since": since }))
        .await;
    let country = draft["country"]["code"].as_str().unwrap_or_default();
    if country != "PL" {
        assert_eq!(poland["data"]["projects"]["totalCount"], 0, "{poland:#}");
    }
    let seen = app
        .gql_as(Some(&admin), query, json!({ "since": since }))
        .await;
    assert_eq!(
        seen["data"]["projects"]["nodes"],
        json!([{ "id": draft["id"] }])
    );
}

#[tokio::test]
async fn api_tokens_sync_by_issue_and_revocation() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let organisation = app
        .data("{ organisations(first: 1) { nodes { id } } }", json!({}))
        .await["organisations"]["nodes"][0]["id"]
        .clone();
    let issue = r#"mutation($o: ID!, $n: String!) { issueApiToken(input: { organisation: $o, name: $n }) { token { id updatedAt } } }"#;
    let mut ids = Vec::new();
    for name in ["first", "second"] {
        let issued = app
            .gql_as(Some(&admin), issue, json!({ "o": organisation, "n": name }))
            .await;
        assert!(issued.get("errors").is_none(), "{issued:#}");
        ids.push(issued["data"]["issueApiToken"]["token"]["id"].clone());
    }
    let since = written(Utc::now());
    let revoked = app
        .gql_as(
            Some(&admin),
            "mutation($id: ID!) { revokeApiToken(input: { id: $id }) { token { updatedAt revokedAt } } }",
            json!({ "id": ids[0] }),
        )
        .await;
    assert!(revoked.get("errors").is_none(), "{revoked:#}");
    let filter = format!(
        r#"filter: {{ organisations: ["{}"], updatedSince: "{since}" }}"#,
        organisation.as_str().unwrap_or_default()
    );
    let changed = page(&app, &admin, "apiTokens", &filter).await;
    assert_eq!(changed.len(), 1, "only the revoked token: {changed:?}");
    assert_eq!(json!(changed[0].0), ids[0]);
    let newest = r#"orderBy: [{ field: UPDATED_AT, direction: DESC }]"#;
    assert_eq!(
        json!(page(&app, &admin, "apiTokens", newest).await[0].0),
        ids[0]
    );
}

#[tokio::test]
async fn every_node_type_says_when_it_last_changed() {
    let app = TestApp::spawn().await;
    let types = app
        .data(
            r#"{ __type(name: "Node") { possibleTypes { name fields { name type { kind ofType { name } } } } } }"#,
            json!({}),
        )
        .await;
    let possible = types["__type"]["possibleTypes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(possible.len() >= 17, "{types:#}");
    for kind in possible {
        let field = kind["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["name"] == "updatedAt")
            .cloned();
        assert_eq!(
            field.map(|f| f["type"].clone()),
            Some(json!({ "kind": "NON_NULL", "ofType": { "name": "DateTime" } })),
            "{}",
            kind["name"]
        );
    }
}

#[tokio::test]
async fn a_bad_sync_argument_is_refused_with_its_field() {
    let app = TestApp::spawn().await;
    let twice = app
        .gql(
            "{ regions(orderBy: [{ field: UPDATED_AT }, { field: UPDATED_AT, direction: DESC }]) { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        code_and_field(&twice),
        ("BAD_USER_INPUT", "orderBy"),
        "{twice:#}"
    );
    let not_a_time = app
        .gql(
            r#"{ workshops(filter: { updatedSince: "yesterday" }) { nodes { id } } }"#,
            json!({}),
        )
        .await;
    assert!(not_a_time["data"].is_null(), "{not_a_time:#}");
    let message = not_a_time["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        message.contains("RFC 3339") && message.contains("WorkshopFilter"),
        "{not_a_time:#}"
    );
    assert_eq!(not_a_time["errors"][0]["path"], json!(["workshops"]));
    assert_eq!(
        not_a_time["errors"][0]["extensions"]["code"],
        "BAD_USER_INPUT"
    );
}

#[tokio::test]
async fn a_new_exchange_rate_marks_the_euro_figures_it_moves_as_changed() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let swedish = r#"{ projects(filter: { countries: ["SE"] }, first: 100) { nodes { id updatedAt budget { total { currency } } } } }"#;
    let before = app.gql_as(Some(&admin), swedish, json!({})).await;
    let in_sek: Vec<Value> = before["data"]["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["budget"]["total"]["currency"] == "SEK")
        .map(|p| p["id"].clone())
        .collect();
    assert!(
        !in_sek.is_empty(),
        "the seed has budgets in SEK: {before:#}"
    );
    let since = written(Utc::now());
    let set = app
        .gql_as(
            Some(&admin),
            r#"mutation { setExchangeRate(input: { currency: "SEK", date: "2000-01-03", unitsPerEur: "9.1234", source: ECB_REFERENCE }) { exchangeRate { date } } }"#,
            json!({}),
        )
        .await;
    assert!(set.get("errors").is_none(), "{set:#}");
    let changed = page(
        &app,
        &admin,
        "projects",
        &format!(r#"filter: {{ updatedSince: "{since}" }}, first: 100"#),
    )
    .await;
    let changed: Vec<Value> = changed.into_iter().map(|(id, _)| json!(id)).collect();
    for id in &in_sek {
        assert!(
            changed.contains(id),
            "{id} has a budget in SEK: {changed:?}"
        );
    }
}
