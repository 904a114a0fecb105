//! Money: each funding in euros at the rate of its value date, and `fundingSummary` totals that
//! equal the sum of the rows a caller can fetch one by one, never counting a hidden row.

use std::collections::BTreeMap;

use mosaic_tests::{TestApp, code_and_field};
use serde_json::{Value, json};

/// Hundredths of a decimal string such as "544360.12" (or "1").
fn cents(value: &Value) -> Option<i64> {
    let text = value.as_str()?;
    let (units, fraction) = text.split_once('.').unwrap_or((text, "0"));
    let fraction = format!("{fraction:0<2}");
    Some(units.parse::<i64>().ok()? * 100 + fraction[..2].parse::<i64>().ok()?)
}

async fn id_of(app: &TestApp, query: &str, path: &[&str]) -> Value {
    let mut data = app.data(query, json!({})).await;
    for step in path {
        data = data[*step].clone();
    }
    data
}

async fn organisation_id(app: &TestApp, search: &str) -> Value {
    let query =
        format!("{{ organisations(filter: {{ search: \"{search}\" }}) {{ nodes {{ id }} }} }}");
    id_of(app, &query, &["organisations", "nodes"]).await[0]["id"].clone()
}

/// Funds a project through the API as an admin; returns the new funding.
async fn fund(app: &TestApp, project: &str, amount: &str, currency: &str, day: &str) -> Value {
    let admin = app.token("ADMIN", &[], None);
    let input = json!({
        "project": app.project_ref(project).await.0,
        "funder": organisation_id(app, "Diversity Hub").await,
        "kind": "CO_FINANCING", "status": "COMMITTED",
        "amount": amount, "currency": currency, "valueDate": day,
    });
    let answer = app
        .gql_as(
            Some(&admin),
            "mutation($i: CreateFundingInput!) { createFunding(input: $i) {
                funding { id amount currency amountEur eurRate rateDate eurUnavailableReason } } }",
            json!({ "i": input }),
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    answer["data"]["createFunding"]["funding"].clone()
}

#[tokio::test]
async fn a_funding_in_euros_uses_the_latest_rate_on_or_before_its_value_date() {
    let app = TestApp::spawn().await;
    let data = app
        .data(
            r#"{ blekinge: project(code: "SE-BLEKINGE-JRT") {
                    fundings { nodes { amount currency valueDate amountEur eurRate rateDate eurUnavailableReason } } }
                 ely: project(code: "FI-ELY-MONIMUOTOISUUS") {
                    fundings { nodes { amount currency amountEur eurRate rateDate } } } }"#,
            json!({}),
        )
        .await;
    // 5 200 000.00 SEK granted 2016-12-31 (a Saturday): the ECB rate of Friday 2016-12-30 is
    // 9.5525 SEK per euro, and 5 200 000 / 9.5525 = 544 360.1151… EUR.
    assert_eq!(
        data["blekinge"]["fundings"]["nodes"][0],
        json!({ "amount": "5200000.00", "currency": "SEK", "valueDate": "2016-12-31",
                "amountEur": "544360.12", "eurRate": "9.5525", "rateDate": "2016-12-30",
                "eurUnavailableReason": null })
    );
    assert_eq!(
        data["ely"]["fundings"]["nodes"][0],
        json!({ "amount": "149500.00", "currency": "EUR", "amountEur": "149500.00",
                "eurRate": "1", "rateDate": "2021-08-01" })
    );
}

/// The summary of all CHF fundings, as anyone sees it.
async fn francs_total(app: &TestApp) -> Value {
    app.data(
        r#"{ fundingSummary(groupBy: [], filter: { currencies: ["CHF"] }) { count totalEur } }"#,
        json!({}),
    )
    .await["fundingSummary"]
        .clone()
}

#[tokio::test]
async fn a_missing_rate_is_null_with_its_reason_never_zero() {
    let app = TestApp::spawn().await;
    let francs = fund(&app, "PL-DH-GRASSROOTS", "1000.00", "CHF", "2020-01-15").await;
    assert_eq!(francs["amountEur"], json!(null));
    assert_eq!(francs["eurRate"], json!(null));
    assert_eq!(
        francs["eurUnavailableReason"],
        json!("no CHF rate on or before 2020-01-15")
    );
    let early = fund(&app, "PL-DH-GRASSROOTS", "1000.00", "PLN", "2001-01-01").await;
    assert_eq!(early["amountEur"], json!(null));

    let groups = app
        .data(
            r#"{ fundingSummary(groupBy: [CURRENCY], filter: { countries: ["PL"] }) {
                    currency count totalEur eurUnavailableReason
                    totals { currency amount amountEur count unconvertedCount } } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        groups["fundingSummary"],
        json!([
            { "currency": "CHF", "count": 1, "totalEur": null,
              "eurUnavailableReason": "no rate on or before the value date for: 1 CHF",
              "totals": [{ "currency": "CHF", "amount": "1000.00", "amountEur": null, "count": 1, "unconvertedCount": 1 }] },
            { "currency": "PLN", "count": 1, "totalEur": null,
              "eurUnavailableReason": "no rate on or before the value date for: 1 PLN",
              "totals": [{ "currency": "PLN", "amount": "1000.00", "amountEur": null, "count": 1, "unconvertedCount": 1 }] },
        ])
    );

    // An admin adds the missing rate: the same funding converts from then on.
    let admin = app.token("ADMIN", &[], None);
    let set = app
        .gql_as(
            Some(&admin),
            r#"mutation { setExchangeRate(input: { currency: "CHF", date: "2020-01-10",
                unitsPerEur: "1.0800", source: MANUAL }) { exchangeRate { unitsPerEur } } }"#,
            json!({}),
        )
        .await;
    assert!(set.get("errors").is_none(), "{set:#}");
    // 1000 / 1.08 = 925.925… → 925.93
    assert_eq!(
        francs_total(&app).await,
        json!([{ "count": 1, "totalEur": "925.93" }])
    );
    // The funding itself converts at the new rate too.
    const ROW: &str = "query($id: ID!) { node(id: $id) { ... on Funding {
        amountEur eurRate rateDate eurUnavailableReason version } } }";
    let row = app.data(ROW, json!({ "id": francs["id"] })).await;
    assert_eq!(
        row["node"],
        json!({ "amountEur": "925.93", "eurRate": "1.08", "rateDate": "2020-01-10",
                "eurUnavailableReason": null, "version": 1 })
    );

    // Moved before the first CHF rate, it has none again, row and total alike.
    let moved = app
        .gql_as(
            Some(&admin),
            r#"mutation($id: ID!) { updateFunding(input: { id: $id, valueDate: "2020-01-09", expectedVersion: 1 }) {
                funding { amountEur eurUnavailableReason } } }"#,
            json!({ "id": francs["id"] }),
        )
        .await;
    assert_eq!(
        moved["data"]["updateFunding"]["funding"],
        json!({ "amountEur": null, "eurUnavailableReason": "no CHF rate on or before 2020-01-09" }),
        "{moved:#}"
    );
    assert_eq!(
        francs_total(&app).await,
        json!([{ "count": 1, "totalEur": null }])
    );
}

const DIMENSIONS: [&str; 8] = [
    "COUNTRY", "REGION", "FUNDER", "YEAR", "CURRENCY", "PROJECT", "KIND", "STATUS",
];

/// One visible funding as a client sees it, with what each dimension would group it by.
struct Row {
    keys: BTreeMap<&'static str, Vec<String>>,
    currency: String,
    amount: i64,
    eur: Option<i64>,
}

/// Every funding the caller can read, fetched through the projects it can read.
async fn visible_rows(app: &TestApp, token: Option<&str>) -> Vec<Row> {
    let answer = app
        .gql_as(
            token,
            r#"{ projects(first: 100) { nodes { id country { code } regions { id }
                fundings { nodes { amount currency amountEur valueDate kind status funder { id } } } } } }"#,
            json!({}),
        )
        .await;
    let mut rows = Vec::new();
    for project in answer["data"]["projects"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let mut regions: Vec<String> = project["regions"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|r| r["id"].to_string())
            .collect();
        if regions.is_empty() {
            regions.push("null".into());
        }
        for f in project["fundings"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let year = f["valueDate"].as_str().unwrap_or_default()[..4].to_owned();
            let one = |v: &Value| vec![v.to_string()];
            let keys = BTreeMap::from([
                ("COUNTRY", one(&project["country"]["code"])),
                ("REGION", regions.clone()),
                ("FUNDER", one(&f["funder"]["id"])),
                ("YEAR", vec![year]),
                ("CURRENCY", one(&f["currency"])),
                ("PROJECT", one(&project["id"])),
                ("KIND", one(&f["kind"])),
                ("STATUS", one(&f["status"])),
            ]);
            rows.push(Row {
                keys,
                currency: f["currency"].as_str().unwrap_or_default().to_owned(),
                amount: cents(&f["amount"]).unwrap_or(i64::MIN),
                eur: cents(&f["amountEur"]),
            });
        }
    }
    rows
}

/// Per group key: count, per-currency (count, amount) and the EUR total (None if any row
/// has no rate).
type Expected = BTreeMap<Vec<String>, (i64, BTreeMap<String, (i64, i64)>, Option<i64>)>;

fn expected(rows: &[Row], dims: &[&str]) -> Expected {
    let mut out: Expected = BTreeMap::new();
    for row in rows {
        let mut keys: Vec<Vec<String>> = vec![vec![]];
        for d in dims {
            keys = keys
                .into_iter()
                .flat_map(|k| {
                    row.keys[d].iter().map(move |v| {
                        let mut k = k.clone();
                        k.push(v.clone());
                        k
                    })
                })
                .collect();
        }
        for key in keys {
            let entry = out.entry(key).or_insert((0, BTreeMap::new(), Some(0)));
            entry.0 += 1;
            let currency = entry.1.entry(row.currency.clone()).or_insert((0, 0));
            currency.0 += 1;
            currency.1 += row.amount;
            entry.2 = entry.2.zip(row.eur).map(|(a, b)| a + b);
        }
    }
    out
}

fn group_key(group: &Value, dims: &[&str]) -> Vec<String> {
    dims.iter()
        .map(|d| match *d {
            "COUNTRY" => group["country"]["code"].to_string(),
            "REGION" => group["region"]["id"].to_string(),
            "FUNDER" => group["funder"]["id"].to_string(),
            "YEAR" => group["year"].to_string(),
            "CURRENCY" => group["currency"].to_string(),
            "PROJECT" => group["project"]["id"].to_string(),
            "KIND" => group["kind"].to_string(),
            _ => group["status"].to_string(),
        })
        .collect()
}

async fn summary(app: &TestApp, token: Option<&str>, dims: &[&str]) -> Expected {
    let query = format!(
        "{{ fundingSummary(groupBy: [{}], counting: EVERY_LEVEL) {{ country {{ code }} region {{ id }} funder {{ id }}
            year currency project {{ id }} kind status count totalEur
            totals {{ currency amount count }} }} }}",
        dims.join(", ")
    );
    let answer = app.gql_as(token, &query, json!({})).await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    let mut out: Expected = BTreeMap::new();
    for g in answer["data"]["fundingSummary"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let totals = g["totals"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|t| {
                (
                    t["currency"].as_str().unwrap_or_default().to_owned(),
                    (
                        t["count"].as_i64().unwrap_or(-1),
                        cents(&t["amount"]).unwrap_or(-1),
                    ),
                )
            })
            .collect();
        let previous = out.insert(
            group_key(g, dims),
            (
                g["count"].as_i64().unwrap_or(-1),
                totals,
                cents(&g["totalEur"]),
            ),
        );
        assert!(previous.is_none(), "each group appears once");
    }
    out
}

#[tokio::test]
async fn every_grouped_total_equals_the_sum_of_the_rows_each_caller_can_see() {
    let app = TestApp::spawn().await;
    // More variety than the seed: PLN and USD, a second funder, a draft's funding.
    fund(&app, "PL-DH-GRASSROOTS", "250000.00", "PLN", "2023-03-15").await;
    fund(&app, "PL-DH-GRASSROOTS", "12500.50", "USD", "2024-07-04").await;
    fund(&app, "FI-ELY-MONIMUOTOISUUS", "0.01", "SEK", "2022-06-30").await;
    fund(
        &app,
        "PL-PROUD-TO-SUPPORT",
        "999999.99",
        "PLN",
        "2025-02-01",
    )
    .await;

    let admin = app.token("ADMIN", &[], None);
    let poland = app.token("COORDINATOR", &["PL"], None);
    let finland = app.token("COORDINATOR", &["FI"], None);
    let mut combos: Vec<Vec<&str>> = vec![vec![], DIMENSIONS.to_vec()];
    combos.extend(DIMENSIONS.iter().map(|d| vec![*d]));
    combos.extend([
        vec!["COUNTRY", "YEAR"],
        vec!["REGION", "CURRENCY"],
        vec!["FUNDER", "KIND", "STATUS"],
        vec!["YEAR", "PROJECT"],
    ]);
    for (who, token) in [
        ("anonymous", None),
        ("admin", Some(admin.as_str())),
        ("PL coordinator", Some(poland.as_str())),
        ("FI coordinator", Some(finland.as_str())),
    ] {
        let rows = visible_rows(&app, token).await;
        assert!(rows.len() >= 8, "{who} sees the seed's and the new funding");
        for dims in &combos {
            let mut want = expected(&rows, dims);
            if dims.is_empty() && want.is_empty() {
                want.insert(vec![], (0, BTreeMap::new(), Some(0)));
            }
            assert_eq!(
                summary(&app, token, dims).await,
                want,
                "{who}, grouped by {dims:?}"
            );
        }
    }
}

#[tokio::test]
async fn a_drafts_money_is_absent_from_the_totals_of_those_who_cannot_see_it() {
    let app = TestApp::spawn().await;
    fund(
        &app,
        "PL-PROUD-TO-SUPPORT",
        "1000000.00",
        "PLN",
        "2025-02-01",
    )
    .await;
    let query = r#"{ fundingSummary(groupBy: [COUNTRY], filter: { countries: ["PL"] }) { count totals { amount } } }"#;
    let admin = app.token("ADMIN", &[], None);
    let poland = app.token("COORDINATOR", &["PL"], None);
    let finland = app.token("COORDINATOR", &["FI"], None);
    let viewer = app.token("VIEWER", &[], None);
    for (who, token) in [
        ("anonymous", None),
        ("viewer", Some(&viewer)),
        ("FI coordinator", Some(&finland)),
    ] {
        let answer = app
            .gql_as(token.map(String::as_str), query, json!({}))
            .await;
        assert_eq!(answer["data"]["fundingSummary"], json!([]), "{who}");
    }
    for (who, token) in [("admin", &admin), ("PL coordinator", &poland)] {
        let answer = app.gql_as(Some(token), query, json!({})).await;
        assert_eq!(
            answer["data"]["fundingSummary"],
            json!([{ "count": 1, "totals": [{ "amount": "1000000.00" }] }]),
            "{who}"
        );
    }
}

#[tokio::test]
async fn bad_summary_filters_name_their_field() {
    let app = TestApp::spawn().await;
    for (filter, field) in [
        (r#"{ countries: ["Sweden"] }"#, "filter.countries"),
        (r#"{ yearFrom: 2020, yearTo: 2019 }"#, "filter.yearTo"),
        (r#"{ yearFrom: 99999 }"#, "filter.yearFrom"),
        (r#"{ funders: ["nope"] }"#, "filter.funders"),
        (r#"{ currencies: ["EURO"] }"#, "filter.currencies"),
    ] {
        let answer = app
            .gql(
                &format!("{{ fundingSummary(groupBy: [COUNTRY], filter: {filter}) {{ count }} }}"),
                json!({}),
            )
            .await;
        assert_eq!(
            code_and_field(&answer),
            ("BAD_USER_INPUT", field),
            "{filter}: {answer}"
        );
    }
}
