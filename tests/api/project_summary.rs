//! Questions officers ask of projects: counts by country, status, start year and focus
//! area under the same visibility and filter as the list, and date ranges.

use mosaic_tests::{TestApp, code_and_field};
use serde_json::json;

const SUMMARY: &str = r#"query($g: [ProjectDimension!]!, $f: ProjectFilter) {
    projectSummary(groupBy: $g, filter: $f) { country { code } status year focusArea count illustrativeCount }
}"#;

#[tokio::test]
async fn projects_are_counted_by_country_and_year_under_the_lists_visibility_and_filter() {
    let app = TestApp::spawn().await;
    let by_country = app
        .data(SUMMARY, json!({ "g": ["COUNTRY"], "f": null }))
        .await;
    let counts: Vec<(String, i64)> = by_country["projectSummary"]
        .as_array()
        .map(|groups| {
            groups
                .iter()
                .map(|g| {
                    (
                        g["country"]["code"].as_str().unwrap_or_default().to_owned(),
                        g["count"].as_i64().unwrap_or_default(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    // Anonymous callers do not count the Polish draft.
    assert_eq!(
        counts,
        [
            ("FI".into(), 1),
            ("PL".into(), 1),
            ("SE".into(), 6),
            ("SI".into(), 2)
        ],
        "{by_country}"
    );
    let admin = app.token("ADMIN", &[], None);
    let poland = app
        .gql_as(
            Some(&admin),
            SUMMARY,
            json!({ "g": ["COUNTRY", "YEAR"], "f": { "ownerCountries": ["PL"] } }),
        )
        .await;
    assert_eq!(
        poland["data"]["projectSummary"],
        json!([
            { "country": { "code": "PL" }, "status": null, "year": 2024, "focusArea": null, "count": 1, "illustrativeCount": 0 },
            { "country": { "code": "PL" }, "status": null, "year": 2025, "focusArea": null, "count": 1, "illustrativeCount": 0 }
        ]),
        "{poland}"
    );

    // "Swedish projects that ended in 2018", counted and listed alike.
    let ended =
        json!({ "countries": ["SE"], "endDateFrom": "2018-01-01", "endDateTo": "2018-12-31" });
    let counted = app
        .data(SUMMARY, json!({ "g": ["STATUS"], "f": ended }))
        .await;
    assert_eq!(
        counted["projectSummary"],
        json!([{ "country": null, "status": "COMPLETED", "year": null, "focusArea": null, "count": 5, "illustrativeCount": 0 }]),
        "{counted}"
    );
    let listed = app
        .data(
            "query($f: ProjectFilter) { projects(filter: $f, orderBy: [{ field: UPDATED_AT, direction: DESC }]) { nodes { code } } }",
            json!({ "f": ended }),
        )
        .await;
    assert_eq!(
        listed["projects"]["nodes"].as_array().map(Vec::len),
        Some(5),
        "{listed}"
    );
    let focus = app
        .data(
            SUMMARY,
            json!({ "g": ["FOCUS_AREA"], "f": { "startDateFrom": "2016-01-01", "startDateTo": "2016-12-31" } }),
        )
        .await;
    let gender = focus["projectSummary"]
        .as_array()
        .and_then(|groups| {
            groups
                .iter()
                .find(|g| g["focusArea"] == "GENDER_MAINSTREAMING")
        })
        .map(|g| g["count"].clone());
    assert_eq!(gender, Some(json!(1)), "{focus}");

    let refused = app
        .gql(
            SUMMARY,
            json!({ "g": [], "f": { "endDateFrom": "2019-01-01", "endDateTo": "2018-01-01" } }),
        )
        .await;
    assert_eq!(
        code_and_field(&refused),
        ("BAD_USER_INPUT", "filter.endDateTo"),
        "{refused}"
    );
}
