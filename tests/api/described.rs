//! The schema explains itself: every type, field, argument, input field and enum value a
//! client can introspect has a description, and the scalars are the standard ones.

use mosaic_tests::TestApp;
use serde_json::{Value, json};

const INTROSPECT: &str = "{ __schema { types {
    name kind description specifiedByURL
    fields(includeDeprecated: true) { name description args { name description } }
    inputFields { name description }
    enumValues(includeDeprecated: true) { name description } } } }";

fn described(item: &Value) -> bool {
    item["description"]
        .as_str()
        .is_some_and(|d| d.trim().len() >= 8)
}

#[tokio::test]
async fn everything_a_client_can_introspect_is_described() {
    let app = TestApp::spawn().await;
    let schema = app.data(INTROSPECT, json!({})).await;
    let types = schema["__schema"]["types"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(types.len() > 100, "the schema is introspected whole");
    let mut missing = Vec::new();
    for t in types
        .iter()
        .filter(|t| !t["name"].as_str().unwrap_or("__").starts_with("__"))
    {
        let name = t["name"].as_str().unwrap_or_default();
        // The specification's own `ID`, which the GraphQL library leaves undescribed.
        if !described(t) && name != "ID" {
            missing.push(name.to_owned());
        }
        for field in t["fields"].as_array().into_iter().flatten() {
            let field_name = format!("{name}.{}", field["name"].as_str().unwrap_or_default());
            if !described(field) {
                missing.push(field_name.clone());
            }
            for arg in field["args"].as_array().into_iter().flatten() {
                if !described(arg) {
                    missing.push(format!(
                        "{field_name}({})",
                        arg["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        for list in ["inputFields", "enumValues"] {
            for item in t[list].as_array().into_iter().flatten() {
                if !described(item) {
                    missing.push(format!(
                        "{name}.{}",
                        item["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} without a description: {missing:?}",
        missing.len()
    );
}

#[tokio::test]
async fn the_scalars_are_the_standard_ones_with_their_specifications() {
    let app = TestApp::spawn().await;
    let schema = app.data(INTROSPECT, json!({})).await;
    let scalars: Vec<(String, Value)> = schema["__schema"]["types"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["kind"] == "SCALAR")
        .map(|t| {
            (
                t["name"].as_str().unwrap_or_default().to_owned(),
                t["specifiedByURL"].clone(),
            )
        })
        .collect();
    let names: Vec<&str> = scalars.iter().map(|(n, _)| n.as_str()).collect();
    for gone in ["NaiveDate", "NaiveTime"] {
        assert!(
            !names.contains(&gone),
            "{gone} is still a scalar: {names:?}"
        );
    }
    for (name, url) in [
        (
            "DateTime",
            "https://scalars.graphql.org/andimarek/date-time.html",
        ),
        (
            "Date",
            "https://scalars.graphql.org/andimarek/local-date.html",
        ),
        (
            "LocalTime",
            "https://www.rfc-editor.org/rfc/rfc3339#section-5.6",
        ),
    ] {
        assert!(
            scalars.iter().any(|(n, u)| n == name && u == url),
            "{name} is specified by {url}: {scalars:?}"
        );
    }
}

#[tokio::test]
async fn every_timestamp_is_utc_with_milliseconds() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let answer = app
        .gql_as(
            Some(&admin),
            "{ workshops(first: 5) { nodes { startsAt endsAt localStartsAt agenda { startsAt } } }
               auditEvents(first: 3) { nodes { at } }
               projects(first: 3) { nodes { createdAt updatedAt startDate } } }",
            json!({}),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let text = answer["data"].to_string();
    let utc = |value: &Value| {
        let s = value.as_str().unwrap_or_default();
        // 2026-05-04T07:00:00.000Z: always 24 characters, milliseconds and Z.
        s.len() == 24 && s.ends_with('Z') && s.as_bytes()[19] == b'.'
    };
    let data = &answer["data"];
    let mut seen = 0;
    for w in data["workshops"]["nodes"].as_array().into_iter().flatten() {
        assert!(utc(&w["startsAt"]) && utc(&w["endsAt"]), "{w}");
        let local = w["localStartsAt"].as_str().unwrap_or_default();
        assert_eq!(
            local.len(),
            29,
            "local time with milliseconds and offset: {local}"
        );
        for item in w["agenda"].as_array().into_iter().flatten() {
            assert_eq!(
                item["startsAt"].as_str().map(str::len),
                Some(8),
                "HH:MM:SS: {item}"
            );
        }
        seen += 1;
    }
    for e in data["auditEvents"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(utc(&e["at"]), "{e}");
        seen += 1;
    }
    for p in data["projects"]["nodes"].as_array().into_iter().flatten() {
        assert!(utc(&p["createdAt"]) && utc(&p["updatedAt"]), "{p}");
        assert_eq!(p["startDate"].as_str().map(str::len), Some(10), "{p}");
        seen += 1;
    }
    assert!(seen >= 8, "enough rows were looked at: {text}");
}
