//! Keyset paging: every row once, stable under inserts, limits enforced.

use chrono::NaiveDate;
use mosaic_tests::{TestApp, first_code, project_row};
use sea_orm::ActiveModelTrait;
use serde_json::{Value, json};

const PAGE: &str = r#"query($first: Int, $after: String, $last: Int, $before: String, $orderBy: [ProjectOrder!]) {
    projects(first: $first, after: $after, last: $last, before: $before, orderBy: $orderBy) {
        totalCount
        edges { cursor node { code startDate } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
}"#;

fn codes(page: &Value) -> Vec<String> {
    page["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["code"].as_str().map(str::to_owned))
        .collect()
}

/// Pages forward `size` at a time and returns every code seen, in order.
async fn walk(app: &TestApp, size: i64, order: Value) -> (Vec<String>, i64) {
    let mut seen = Vec::new();
    let mut after = Value::Null;
    let mut total = -1;
    for _ in 0..50 {
        let data = app
            .data(
                PAGE,
                json!({ "first": size, "after": after, "orderBy": order }),
            )
            .await;
        let page = &data["projects"];
        total = page["totalCount"].as_i64().unwrap_or(-1);
        seen.extend(codes(page));
        if page["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = page["pageInfo"]["endCursor"].clone();
    }
    (seen, total)
}

fn assert_no_repeats(codes: &[String]) {
    let mut sorted = codes.to_vec();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), codes.len(), "a project came twice: {codes:?}");
}

#[tokio::test]
async fn paging_two_at_a_time_visits_every_project_once() {
    let app = TestApp::spawn().await;
    for order in [
        json!(null),
        json!([{ "field": "START_DATE", "direction": "DESC" }]),
        json!([{ "field": "END_DATE" }, { "field": "CODE", "direction": "DESC" }]),
    ] {
        let (seen, total) = walk(&app, 2, order.clone()).await;
        assert_eq!(seen.len() as i64, total, "order {order}: {seen:?}");
        assert_eq!(total, 10, "the seed has ten published projects");
        assert_no_repeats(&seen);
    }
}

#[tokio::test]
async fn rows_with_equal_sort_values_are_split_across_pages_by_the_tiebreaker() {
    let app = TestApp::spawn().await;
    // Five seed projects start on 2016-01-01 and two on 2023-07-01: pages of one split them.
    let (seen, total) = walk(&app, 1, json!([{ "field": "START_DATE" }])).await;
    assert_eq!(seen.len() as i64, total);
    assert_no_repeats(&seen);
}

#[tokio::test]
async fn the_last_page_says_there_is_no_next_page() {
    let app = TestApp::spawn().await;
    let first = app.data(PAGE, json!({ "first": 5 })).await;
    assert_eq!(first["projects"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(first["projects"]["pageInfo"]["hasPreviousPage"], false);
    let after = first["projects"]["pageInfo"]["endCursor"].clone();
    let last = app.data(PAGE, json!({ "first": 8, "after": after })).await;
    assert_eq!(codes(&last["projects"]).len(), 5);
    assert_eq!(last["projects"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(last["projects"]["pageInfo"]["hasPreviousPage"], true);
    // Exactly a full last page: still no next page.
    let exact = app.data(PAGE, json!({ "first": 10 })).await;
    assert_eq!(exact["projects"]["pageInfo"]["hasNextPage"], false);
}

#[tokio::test]
async fn paging_backwards_gives_the_same_rows_in_the_same_order() {
    let app = TestApp::spawn().await;
    let all = codes(&app.data(PAGE, json!({ "first": 100 })).await["projects"]);
    let mut seen: Vec<String> = Vec::new();
    let mut before = Value::Null;
    loop {
        let data = app.data(PAGE, json!({ "last": 3, "before": before })).await;
        let page = &data["projects"];
        let mut chunk = codes(page);
        chunk.extend(seen);
        seen = chunk;
        if page["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before = page["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(seen, all);
}

async fn insert_project(app: &TestApp, code: &str) {
    let date = NaiveDate::from_ymd_opt(2020, 1, 1).expect("valid date");
    project_row(code, date)
        .insert(&app.db)
        .await
        .expect("the test project is inserted");
}

#[tokio::test]
async fn a_row_inserted_between_pages_is_neither_skipped_nor_repeated() {
    let app = TestApp::spawn().await;
    let first = app.data(PAGE, json!({ "first": 3 })).await;
    let mut seen = codes(&first["projects"]);
    let cursor = first["projects"]["pageInfo"]["endCursor"].clone();
    // One row before the cursor (already passed) and one after it (still to come).
    insert_project(&app, "AA-INSERTED-BEHIND").await;
    insert_project(&app, "ZZ-INSERTED-AHEAD").await;
    let mut after = cursor;
    loop {
        let data = app.data(PAGE, json!({ "first": 3, "after": after })).await;
        seen.extend(codes(&data["projects"]));
        if data["projects"]["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = data["projects"]["pageInfo"]["endCursor"].clone();
    }
    assert_no_repeats(&seen);
    assert!(
        seen.contains(&"ZZ-INSERTED-AHEAD".to_owned()),
        "the row ahead is reached: {seen:?}"
    );
    assert!(!seen.contains(&"AA-INSERTED-BEHIND".to_owned()));
    assert_eq!(seen.len(), 11);
}

#[tokio::test]
async fn pages_default_to_20_and_refuse_more_than_100() {
    let app = TestApp::spawn().await;
    // The seed has 21 regions.
    let data = app
        .data(
            "{ regions { totalCount nodes { nutsCode } pageInfo { hasNextPage } } }",
            json!({}),
        )
        .await;
    assert_eq!(data["regions"]["nodes"].as_array().map(Vec::len), Some(20));
    assert_eq!(data["regions"]["totalCount"], 21);
    assert_eq!(data["regions"]["pageInfo"]["hasNextPage"], true);

    let answer = app.gql(PAGE, json!({ "first": 101 })).await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "first");
    let answer = app.gql(PAGE, json!({ "first": -1 })).await;
    assert_eq!(answer["errors"][0]["extensions"]["field"], "first");
    let answer = app.gql(PAGE, json!({ "first": 1, "last": 1 })).await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
}

#[tokio::test]
async fn a_cursor_from_elsewhere_is_refused_with_the_field_named() {
    let app = TestApp::spawn().await;
    let answer = app
        .gql(PAGE, json!({ "first": 2, "after": "not-a-cursor" }))
        .await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    assert_eq!(answer["errors"][0]["extensions"]["field"], "after");
    // A cursor made for another order does not silently page the wrong list.
    let by_code = app.data(PAGE, json!({ "first": 2 })).await;
    let cursor = by_code["projects"]["pageInfo"]["endCursor"].clone();
    let answer = app
        .gql(
            PAGE,
            json!({ "first": 2, "after": cursor, "orderBy": [{ "field": "START_DATE" }] }),
        )
        .await;
    assert_eq!(first_code(&answer), "BAD_USER_INPUT");
    let answer = app
        .gql(
            PAGE,
            json!({ "first": 2, "orderBy": [{ "field": "CODE" }, { "field": "CODE" }] }),
        )
        .await;
    assert_eq!(answer["errors"][0]["extensions"]["field"], "orderBy");
}

/// Every top-level list, and a project's workshops, pages backwards as `projects` does: `last`
/// is the end of the forward order, and `before` continues back from a page's start.
#[tokio::test]
async fn every_list_pages_backwards_too() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let lists = [
        "regions",
        "organisations",
        "resourceCentres",
        "programmes",
        "workshops",
        "auditEvents",
    ];
    let mut paged = 0;
    for list in lists {
        let all = app
            .gql_as(
                Some(&admin),
                &format!("{{ {list}(first: 100) {{ nodes {{ id }} }} }}"),
                json!({}),
            )
            .await;
        let ids: Vec<Value> = all["data"][list]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!ids.is_empty(), "{list} has rows to page: {all}");
        let tail = app
            .gql_as(
                Some(&admin),
                &format!("{{ {list}(last: 2) {{ nodes {{ id }} pageInfo {{ hasPreviousPage startCursor }} }} }}"),
                json!({}),
            )
            .await;
        let tail_ids: Vec<Value> = tail["data"][list]["nodes"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let n = ids.len();
        assert_eq!(
            tail_ids,
            ids[n.saturating_sub(2)..].to_vec(),
            "{list}: the last two"
        );
        assert_eq!(
            tail["data"][list]["pageInfo"]["hasPreviousPage"],
            n > 2,
            "{list}"
        );
        if n < 3 {
            continue;
        }
        paged += 1;
        let before = app
            .gql_as(
                Some(&admin),
                &format!(
                    "query($c: String) {{ {list}(last: 1, before: $c) {{ nodes {{ id }} }} }}"
                ),
                json!({ "c": tail["data"][list]["pageInfo"]["startCursor"] }),
            )
            .await;
        assert_eq!(
            before["data"][list]["nodes"],
            json!([ids[n - 3]]),
            "{list}: the row before the page"
        );
    }
    assert!(
        paged >= 4,
        "most lists have enough rows to page back through"
    );
}
