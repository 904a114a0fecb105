//! Persisted documents: Apollo's automatic persisted queries (hash first, text on a miss,
//! then the hash alone, over POST and GET), and trusted documents, which alone run for
//! callers other than ADMIN when `MOSAIC_TRUSTED_DOCUMENTS` is set, over HTTP and sockets.

use mosaic::http::documents::sha256_hex;
use mosaic_tests::{Heard, TestApp, first_code};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

const COUNT: &str = "query Count { projects { totalCount } }";

fn persisted(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

#[tokio::test]
async fn an_unknown_hash_asks_for_the_text_and_later_the_hash_alone_runs() {
    let app = TestApp::spawn().await;
    let hash = sha256_hex(COUNT);
    let (_, missing) = app
        .post_raw(&[], json!({ "extensions": persisted(&hash) }))
        .await;
    assert_eq!(first_code(&missing), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(missing["errors"][0]["message"], "PersistedQueryNotFound");

    // Text under a hash that is not its own is refused and not kept.
    let wrong = sha256_hex("{ __typename }");
    let (_, refused) = app
        .post_raw(
            &[],
            json!({ "query": COUNT, "extensions": persisted(&wrong) }),
        )
        .await;
    assert_eq!(first_code(&refused), "BAD_REQUEST");
    let (_, still) = app
        .post_raw(&[], json!({ "extensions": persisted(&wrong) }))
        .await;
    assert_eq!(first_code(&still), "PERSISTED_QUERY_NOT_FOUND");

    let (status, sent) = app
        .post_raw(
            &[],
            json!({ "query": COUNT, "extensions": persisted(&hash) }),
        )
        .await;
    assert_eq!(status, 200, "{sent}");
    let total = sent["data"]["projects"]["totalCount"].clone();
    assert!(total.as_i64().is_some_and(|n| n > 0), "{sent}");
    // Kept in the database, where every instance of a deployment finds it.
    let row = entity::persisted_document::Entity::find_by_id(hash.clone())
        .one(&app.db)
        .await
        .expect("the table is readable");
    assert_eq!(row.map(|r| r.document).as_deref(), Some(COUNT));

    let (_, by_hash) = app
        .post_raw(&[], json!({ "extensions": persisted(&hash) }))
        .await;
    assert_eq!(by_hash["data"]["projects"]["totalCount"], total);

    // Over GET too, as Apollo's link sends hashed queries for CDNs to cache.
    let extensions = persisted(&hash).to_string();
    let get = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[
            ("extensions", extensions.as_str()),
            ("operationName", "Count"),
        ])
        .send()
        .await
        .expect("answered");
    assert_eq!(get.status(), 200);
    assert!(get.headers().contains_key("etag"));
    let answer: Value = get.json().await.expect("JSON");
    assert_eq!(answer["data"]["projects"]["totalCount"], total);

    let (_, version) = app
        .post_raw(
            &[],
            json!({ "extensions": { "persistedQuery": { "version": 2, "sha256Hash": hash } } }),
        )
        .await;
    assert_eq!(first_code(&version), "PERSISTED_QUERY_NOT_SUPPORTED");
}

#[tokio::test]
async fn a_mutation_known_by_hash_still_needs_post() {
    let app = TestApp::spawn().await;
    let mutation = "mutation { __typename }";
    let hash = sha256_hex(mutation);
    let (status, _) = app
        .post_raw(
            &[],
            json!({ "query": mutation, "extensions": persisted(&hash) }),
        )
        .await;
    assert_eq!(status, 200);
    let extensions = persisted(&hash).to_string();
    let get = app
        .client
        .get(format!("{}/graphql", app.base))
        .query(&[("extensions", extensions.as_str())])
        .send()
        .await
        .expect("answered");
    assert_eq!(get.status(), 405);
    assert_eq!(get.headers()["allow"], "POST");
}

#[tokio::test]
async fn with_a_manifest_only_admins_run_documents_outside_it() {
    let dir = tempfile::tempdir().expect("a directory");
    let listed = "query Listed { projects(first: 2) { nodes { code } } }";
    let manifest = dir.path().join("persisted-documents.json");
    // Keyed as GraphQL Code Generator's client preset writes it.
    let documents = json!({ format!("sha256:{}", sha256_hex(listed)): listed, "doc-count": COUNT });
    std::fs::write(&manifest, documents.to_string()).expect("written");
    let app = TestApp::spawn_with(|c| c.trusted_documents = Some(manifest.clone())).await;
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let admin = app.token("ADMIN", &[], None);
    let bearer = format!("Bearer {coordinator}");

    let (_, by_id) = app
        .post_raw(&[], json!({ "documentId": "doc-count" }))
        .await;
    assert!(by_id["data"]["projects"]["totalCount"].is_i64(), "{by_id}");
    let hash = sha256_hex(listed);
    let (_, by_hash) = app
        .post_raw(&[], json!({ "documentId": format!("sha256:{hash}") }))
        .await;
    assert_eq!(
        by_hash["data"]["projects"]["nodes"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let (_, by_apq) = app
        .post_raw(&[], json!({ "extensions": persisted(&hash) }))
        .await;
    assert_eq!(by_apq["data"], by_hash["data"]);
    let (_, by_text) = app.post_raw(&[], json!({ "query": listed })).await;
    assert_eq!(by_text["data"], by_hash["data"]);
    // A listed text whose manifest id is not its hash (Relay's ids) is that document too.
    let (_, count_text) = app.post_raw(&[], json!({ "query": COUNT })).await;
    assert!(
        count_text["data"]["projects"]["totalCount"].is_i64(),
        "{count_text}"
    );
    let get = app.get("/graphql?documentId=doc-count").await;
    assert_eq!(get.status(), 200);

    let other = "{ projects(first: 1) { nodes { code title } } }";
    let (_, anonymous) = app.post_raw(&[], json!({ "query": other })).await;
    assert_eq!(first_code(&anonymous), "QUERY_NOT_IN_SAFELIST");
    assert!(anonymous.get("data").is_none_or(Value::is_null));
    let (_, signed_in) = app
        .post_raw(
            &[("Authorization", bearer.as_str())],
            json!({ "query": other }),
        )
        .await;
    assert_eq!(first_code(&signed_in), "QUERY_NOT_IN_SAFELIST");
    // Registering a document of one's own does not make it trusted.
    let (_, registered) = app
        .post_raw(
            &[("Authorization", bearer.as_str())],
            json!({ "query": other, "extensions": persisted(&sha256_hex(other)) }),
        )
        .await;
    assert_eq!(first_code(&registered), "QUERY_NOT_IN_SAFELIST");
    let (_, unknown) = app.post_raw(&[], json!({ "documentId": "doc-none" })).await;
    assert_eq!(first_code(&unknown), "PERSISTED_QUERY_NOT_FOUND");
    let admins = app.gql_as(Some(&admin), other, json!({})).await;
    assert!(admins["data"]["projects"]["nodes"].is_array(), "{admins}");

    // A socket is no way around the list.
    let mut socket = app.socket(json!({})).await;
    let heard = socket.run("1", other, json!({})).await;
    let Heard::Message(message) = heard else {
        panic!("the socket answers: {heard:?}");
    };
    assert!(
        message.to_string().contains("QUERY_NOT_IN_SAFELIST"),
        "{message}"
    );
    let Heard::Message(listed_answer) = socket.run("2", listed, json!({})).await else {
        panic!("the socket answers the listed document");
    };
    assert_eq!(listed_answer["payload"]["data"], by_hash["data"]);
}

/// Parses are kept by document text (`http::parsed`): a text sent again answers exactly as it
/// did the first time, whichever of its operations and variables are asked for, and a text
/// that does not parse or validate is refused the same way each time. Of several operations
/// (a GraphiQL tab), the one named runs though another takes variables it is not sent.
#[tokio::test]
async fn a_document_sent_again_answers_as_it_did_the_first_time() {
    let app = TestApp::spawn().await;
    let two = "query Few($n: Int!) { projects(first: $n) { nodes { code } } }
               query Count { projects { totalCount } }";
    let few = |n: i64| json!({ "query": two, "operationName": "Few", "variables": { "n": n } });
    let count = json!({ "query": two, "operationName": "Count" });
    let (_, first) = app.post_raw(&[], few(2)).await;
    let (_, counted) = app.post_raw(&[], count.clone()).await;
    let (_, three) = app.post_raw(&[], few(3)).await;
    let (_, again) = app.post_raw(&[], few(2)).await;
    assert_eq!(
        first["data"]["projects"]["nodes"].as_array().map(Vec::len),
        Some(2),
        "{first:#}"
    );
    assert_eq!(
        three["data"]["projects"]["nodes"].as_array().map(Vec::len),
        Some(3),
        "{three:#}"
    );
    assert_eq!(again, first);
    assert!(
        counted["data"]["projects"]["totalCount"].as_i64() > Some(3),
        "{counted:#}"
    );
    assert_eq!(app.post_raw(&[], count).await.1, counted);

    // The other operation's variables and fragments are not the named one's concern.
    let tab = "query Total { ...All }
               query Few($n: Int!) { projects(first: $n) { totalCount } }
               fragment All on Query { projects { totalCount } }";
    let (_, total) = app
        .post_raw(&[], json!({ "query": tab, "operationName": "Total" }))
        .await;
    assert_eq!(
        total["data"]["projects"], counted["data"]["projects"],
        "{total:#}"
    );
    let (_, unknown) = app
        .post_raw(&[], json!({ "query": tab, "operationName": "Nope" }))
        .await;
    assert!(
        unknown["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("Nope")),
        "{unknown:#}"
    );

    for broken in ["{ projects(first: ", "{ projects { nope } }"] {
        let (status, refused) = app.post_raw(&[], json!({ "query": broken })).await;
        assert_eq!(
            app.post_raw(&[], json!({ "query": broken })).await,
            (status, refused.clone())
        );
        assert!(
            refused.get("data").is_none_or(Value::is_null),
            "{refused:#}"
        );
        assert!(!first_code(&refused).is_empty(), "{refused:#}");
    }
}
