//! `fundingSummary` for admins and anonymous readers comes from totals kept per group by the
//! writes. Grouped by project too, it is counted from the fundings one by one (the kept totals
//! do not hold projects). The two must agree, group by group and cent by cent, before and
//! after every kind of write that moves money: a hidden draw, publishing it, changing its
//! amount, a new rate, deleting it.

use std::collections::BTreeMap;

use mosaic_tests::TestApp;
use serde_json::{Value, json};

const SUMMARIES: &str = r#"query($c: FundingCounting, $f: FundingFilter) {
    kept: fundingSummary(
        groupBy: [COUNTRY, YEAR, FUNDER, CURRENCY, KIND, STATUS, PROGRAMME, LEVEL],
        counting: $c, filter: $f) { ...group }
    counted: fundingSummary(
        groupBy: [PROJECT, COUNTRY, YEAR, FUNDER, CURRENCY, KIND, STATUS, PROGRAMME, LEVEL],
        counting: $c, filter: $f) { ...group }
    whole: fundingSummary(groupBy: [], counting: $c, filter: $f) { count totalEur }
}
fragment group on FundingGroup {
    country { code } year funder { id } currency kind status programme { id } level
    totals { currency count amount amountEur unconvertedCount illustrativeCount }
}"#;

/// Hundredths of a decimal string such as "544360.12".
fn cents(value: &Value) -> Option<i64> {
    let text = value.as_str()?;
    let (units, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    Some(units.parse::<i64>().ok()? * 100 + fraction[..2].parse::<i64>().ok()?)
}

/// Per currency: fundings, amount, euros (`None` once one is unconverted), unconverted,
/// invented.
type Sums = (i64, i64, Option<i64>, i64, i64);

/// The groups summed by everything but the project, per currency.
fn by_group(groups: &Value) -> BTreeMap<(String, String), Sums> {
    let mut out: BTreeMap<(String, String), Sums> = BTreeMap::new();
    for g in groups.as_array().into_iter().flatten() {
        let key = json!([
            g["country"],
            g["year"],
            g["funder"],
            g["currency"],
            g["kind"],
            g["status"],
            g["programme"],
            g["level"]
        ])
        .to_string();
        for t in g["totals"].as_array().into_iter().flatten() {
            let currency = t["currency"].as_str().unwrap_or_default().to_owned();
            let sums = out
                .entry((key.clone(), currency))
                .or_insert((0, 0, Some(0), 0, 0));
            sums.0 += t["count"].as_i64().unwrap_or(-1);
            sums.1 += cents(&t["amount"]).unwrap_or(i64::MIN / 4);
            sums.2 = match (sums.2, cents(&t["amountEur"])) {
                (Some(a), Some(b)) => Some(a + b),
                _ => None,
            };
            sums.3 += t["unconvertedCount"].as_i64().unwrap_or(-1);
            sums.4 += t["illustrativeCount"].as_i64().unwrap_or(-1);
        }
    }
    out
}

/// Checks, for `token`, that kept and counted agree under every counting and a few filters;
/// answers the whole (count, euros) of the default summary.
async fn agree(app: &TestApp, token: Option<&str>, moment: &str) -> (i64, Value) {
    let filters = [
        json!(null),
        json!({ "excludeIllustrative": true }),
        json!({ "countries": ["SE"], "yearFrom": 2016, "yearTo": 2017,
                "statuses": ["COMMITTED", "DISBURSED"], "currencies": ["SEK"] }),
    ];
    let mut whole = (0, Value::Null);
    for counting in ["EACH_EURO_ONCE", "EVERY_LEVEL"] {
        for filter in &filters {
            let answer = app
                .gql_as(token, SUMMARIES, json!({ "c": counting, "f": filter }))
                .await;
            assert!(answer.get("errors").is_none(), "{moment}: {answer:#}");
            let data = &answer["data"];
            let kept = by_group(&data["kept"]);
            assert!(!kept.is_empty(), "{moment}: no groups in {data:#}");
            assert_eq!(
                kept,
                by_group(&data["counted"]),
                "{moment}, {counting}, {filter}: kept and counted differ"
            );
            if counting == "EACH_EURO_ONCE" && filter.is_null() {
                whole = (
                    data["whole"][0]["count"].as_i64().unwrap_or(-1),
                    data["whole"][0]["totalEur"].clone(),
                );
            }
        }
    }
    whole
}

async fn both_agree(app: &TestApp, admin: &str, moment: &str) -> [(i64, Value); 2] {
    [
        agree(app, Some(admin), moment).await,
        agree(app, None, moment).await,
    ]
}

async fn write(app: &TestApp, token: &str, query: &str, variables: Value) -> Value {
    let answer = app.gql_as(Some(token), query, variables).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"].clone()
}

#[tokio::test]
async fn kept_totals_equal_the_fundings_counted_one_by_one_through_every_write() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let se = app.token("COORDINATOR", &["SE"], None);
    let [admin_before, public_before] = both_agree(&app, &admin, "as seeded").await;

    // A Swedish draft draws 1 MSEK from the 2017 assignment: the admin sees it, the public
    // does not, and the remainder each sees differs.
    let ids = write(
        &app,
        &admin,
        r#"{ project(code: "SE-TVV-JRT-2016") { fundings { nodes { id } } }
             organisations(filter: { search: "Tillväxtverket" }) { nodes { id } } }"#,
        json!({}),
    )
    .await;
    let allocation = ids["project"]["fundings"]["nodes"][1]["id"].clone();
    let funder = ids["organisations"]["nodes"][0]["id"].clone();
    let draft = write(
        &app,
        &se,
        r#"mutation { createProject(input: { code: "SE-KEPT-TEST", originalLanguage: "sv",
            title: [{ language: "sv", text: "Dragning" }], dates: { plannedStart: "2017-01-01",
            plannedEnd: "2017-12-31" }, country: "SE" }) { project { id version } } }"#,
        json!({}),
    )
    .await;
    let draft_id = draft["createProject"]["project"]["id"].clone();
    let draw = write(
        &app,
        &se,
        "mutation($i: CreateFundingInput!) { createFunding(input: $i) { funding { id } } }",
        json!({ "i": { "project": draft_id, "funder": funder, "kind": "GRANT",
            "status": "COMMITTED", "amount": "1000000.00", "currency": "SEK",
            "valueDate": "2017-03-01", "drawnFrom": allocation } }),
    )
    .await;
    let draw_id = draw["createFunding"]["funding"]["id"].clone();
    let [admin_drawn, public_drawn] = both_agree(&app, &admin, "after a hidden draw").await;
    assert_eq!(
        admin_drawn.0,
        admin_before.0 + 1,
        "the admin counts the draw"
    );
    assert_eq!(
        public_drawn, public_before,
        "the public sees nothing of a draft"
    );

    // Published, the draw comes out of the public's remainder too.
    write(
        &app,
        &admin,
        "mutation($i: PublishProjectInput!) { publishProject(input: $i) { project { id } } }",
        json!({ "i": { "id": draft_id, "expectedVersion": 1 } }),
    )
    .await;
    let [_, public_published] = both_agree(&app, &admin, "after publishing the draw").await;
    assert_eq!(
        public_published.0,
        public_before.0 + 1,
        "the public counts it"
    );

    // A larger draw, then a new SEK rate: every euro sum moves.
    write(
        &app,
        &admin,
        "mutation($i: UpdateFundingInput!) { updateFunding(input: $i) { funding { id } } }",
        json!({ "i": { "id": draw_id, "expectedVersion": 1, "amount": "2500000.00" } }),
    )
    .await;
    let [admin_larger, _] = both_agree(&app, &admin, "after a larger draw").await;
    for date in ["2016-01-01", "2017-03-01"] {
        write(
            &app,
            &admin,
            r#"mutation($d: Date!) { setExchangeRate(input: { currency: "SEK", date: $d,
                unitsPerEur: "5.0000", source: MANUAL }) { exchangeRate { unitsPerEur } } }"#,
            json!({ "d": date }),
        )
        .await;
    }
    let [admin_rated, _] = both_agree(&app, &admin, "after new SEK rates").await;
    assert_ne!(
        admin_rated.1, admin_larger.1,
        "the euros move with the rate"
    );

    // Deleted, the draw's money returns to the allocation.
    write(
        &app,
        &admin,
        "mutation($i: DeleteInput!) { deleteFunding(input: $i) { deletedId } }",
        json!({ "i": { "id": draw_id } }),
    )
    .await;
    let [admin_after, public_after] = both_agree(&app, &admin, "after deleting the draw").await;
    assert_eq!(admin_after.0, admin_before.0);
    assert_eq!(public_after.0, public_before.0);
}

#[tokio::test]
async fn totals_that_miss_fundings_are_counted_again_at_start() {
    use sea_orm::ConnectionTrait;

    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let [seeded, _] = both_agree(&app, &admin, "as seeded").await;
    // As a database migrated from before the totals, or written to by an older release: the
    // kept rows are gone.
    for table in ["funding_total", "project_funding_total"] {
        app.db
            .execute_unprepared(&format!("DELETE FROM {table}"))
            .await
            .expect("emptied");
    }
    let bearer = format!("Bearer {admin}");
    let answer = async |base: &str| {
        let query = json!({ "query": "{ fundingSummary(groupBy: []) { count totalEur } }" });
        let (_, body) = app
            .post_to(base, &[("Authorization", &bearer)], query)
            .await;
        body["data"]["fundingSummary"][0].clone()
    };
    assert_eq!(
        answer(&app.base).await["count"],
        0,
        "with the totals gone, this instance counts nothing"
    );
    // Another instance starts on the database and counts them again, for every instance.
    let other = app.another_instance().await;
    let counted = answer(&other).await;
    assert_eq!(counted["count"], seeded.0, "{counted}");
    assert_eq!(counted["totalEur"], seeded.1, "{counted}");
    both_agree(&app, &admin, "counted again at start").await;
}
