//! Every object of an answer keeps the order of its selection (`http::ordered`), fragments and
//! aliases included, however its fields' loaders happen to finish: as the spec asks, as
//! GraphiQL shows it, and so that the same data always has the same bytes and `ETag`.

use mosaic_tests::TestApp;
use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::json;

/// A JSON value that keeps the order of every object's keys.
enum Ordered {
    Object(Vec<(String, Ordered)>),
    List(Vec<Ordered>),
    Leaf,
}

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OrderedVisitor)
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Ordered;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Ordered>()? {
            entries.push(entry);
        }
        Ok(Ordered::Object(entries))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Ordered, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Ordered::List(items))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
    fn visit_str<E>(self, _: &str) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
    fn visit_unit<E>(self) -> Result<Ordered, E> {
        Ok(Ordered::Leaf)
    }
}

impl Ordered {
    fn keys(&self) -> Vec<&str> {
        match self {
            Ordered::Object(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    fn get(&self, key: &str) -> &Ordered {
        match self {
            Ordered::Object(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map_or(&Ordered::Leaf, |(_, v)| v),
            _ => &Ordered::Leaf,
        }
    }

    fn items(&self) -> &[Ordered] {
        match self {
            Ordered::List(items) => items,
            _ => &[],
        }
    }
}

const PAGE: &str = "{ projects(first: 20) { nodes { b: code ...Parts
        leadOrganisation { name kind } a: code } totalCount } countries { code } }
    fragment Parts on Project { workshops(first: 3) { nodes { startsAt title } }
        regions { nutsCode name } fundings { nodes { funder { name } amount } } }";

#[tokio::test]
async fn every_object_of_an_answer_keeps_the_order_of_its_selection() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let mut seen = [0; 4];
    for _ in 0..5 {
        let body = app
            .client
            .post(format!("{}/graphql", app.base))
            .bearer_auth(&admin)
            .json(&json!({ "query": PAGE }))
            .send()
            .await
            .expect("answered")
            .text()
            .await
            .unwrap_or_default();
        let answer: Ordered = serde_json::from_str(&body).expect("JSON");
        let data = answer.get("data");
        assert_eq!(data.keys(), ["projects", "countries"], "{body}");
        assert_eq!(data.get("projects").keys(), ["nodes", "totalCount"]);
        for project in data.get("projects").get("nodes").items() {
            assert_eq!(
                project.keys(),
                [
                    "b",
                    "workshops",
                    "regions",
                    "fundings",
                    "leadOrganisation",
                    "a"
                ],
                "{body}"
            );
            for workshop in project.get("workshops").get("nodes").items() {
                assert_eq!(workshop.keys(), ["startsAt", "title"]);
                seen[0] += 1;
            }
            for region in project.get("regions").items() {
                assert_eq!(region.keys(), ["nutsCode", "name"]);
                seen[1] += 1;
            }
            for funding in project.get("fundings").get("nodes").items() {
                assert_eq!(funding.keys(), ["funder", "amount"]);
                assert_eq!(funding.get("funder").keys(), ["name"]);
                seen[2] += 1;
            }
            if let lead @ Ordered::Object(_) = project.get("leadOrganisation") {
                assert_eq!(lead.keys(), ["name", "kind"]);
                seen[3] += 1;
            }
        }
    }
    assert!(seen.iter().all(|n| *n > 5), "too little compared: {seen:?}");
}

#[tokio::test]
async fn the_same_answer_always_has_the_same_etag_and_revalidates() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let get = |tag: Option<String>| {
        let mut request = app
            .client
            .get(format!("{}/graphql", app.base))
            .query(&[("query", PAGE)])
            .bearer_auth(&admin);
        if let Some(tag) = tag {
            request = request.header("If-None-Match", tag);
        }
        request.send()
    };
    let mut tags = Vec::new();
    for _ in 0..8 {
        let answer = get(None).await.expect("answered");
        assert_eq!(answer.status(), 200);
        tags.push(
            answer.headers()["etag"]
                .to_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    tags.dedup();
    assert_eq!(tags.len(), 1, "one answer, several tags: {tags:?}");
    let again = get(tags.pop()).await.expect("answered");
    assert_eq!(again.status(), 304);
}
