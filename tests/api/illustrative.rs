//! What the seed invented says so: whole records (`illustrative`) and values within real
//! ones (`illustrativeFields`, by API name); a value a write sets is real from then on.

use mosaic_tests::TestApp;
use serde_json::json;

#[tokio::test]
async fn invented_records_and_values_say_so_and_a_set_value_becomes_real() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let seen = app
        .gql_as(
            Some(&admin),
            r#"{
                blekinge: project(code: "SE-BLEKINGE-JRT") {
                    illustrative illustrativeFields
                    workshops { nodes { id version illustrative illustrativeFields } }
                    fundings { illustrative illustrativeFields }
                    milestones { illustrative illustrativeFields }
                    contacts { name illustrative illustrativeFields }
                }
                finnish: project(code: "FI-ELY-MONIMUOTOISUUS") {
                    workshops { nodes { title(lang: "en") illustrative } }
                }
                city: organisations(filter: { search: "Slovenian" }) { nodes { illustrative } }
                agency: organisations(filter: { search: "Tillväxtverket" }) { nodes { illustrative illustrativeFields } }
            }"#,
            json!({}),
        )
        .await;
    let blekinge = &seen["data"]["blekinge"];
    assert_eq!(blekinge["illustrative"], false, "{seen}");
    assert_eq!(
        blekinge["illustrativeFields"],
        json!(["genderMarker"]),
        "{seen}"
    );
    let workshop = &blekinge["workshops"]["nodes"][0];
    assert_eq!(
        workshop["illustrative"], false,
        "the Ronneby workshop is real: {seen}"
    );
    assert_eq!(
        workshop["illustrativeFields"],
        json!(["startsAt", "endsAt", "capacity", "openToPublic"]),
        "{seen}"
    );
    assert_eq!(
        blekinge["fundings"][0]["illustrativeFields"],
        json!(["status", "valueDate", "drawnFrom"]),
        "{seen}"
    );
    assert_eq!(
        blekinge["milestones"][0],
        json!({ "illustrative": false, "illustrativeFields": ["dueDate", "achievedOn"] }),
        "a real step with invented dates: {seen}"
    );
    assert_eq!(
        blekinge["contacts"],
        json!([{ "name": "Malin Faraasen", "illustrative": false, "illustrativeFields": [] }]),
        "{seen}"
    );
    // The Finnish webinar, training and networking event stand for activities the document
    // names only in general.
    let finnish: Vec<bool> = seen["data"]["finnish"]["workshops"]["nodes"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|w| w["illustrative"].as_bool())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(finnish, [true, true, true], "{seen}");
    assert_eq!(
        seen["data"]["agency"]["nodes"][0],
        json!({ "illustrative": false, "illustrativeFields": ["website"] }),
        "{seen}"
    );

    // Setting the capacity makes it real; the dates stay invented.
    let coordinator = app.token("COORDINATOR", &["SE"], None);
    let updated = app
        .gql_as(
            Some(&coordinator),
            r#"mutation($id: ID!, $v: Int!) { updateWorkshop(input: { id: $id, expectedVersion: $v, capacity: 45 }) { workshop { capacity illustrativeFields } } }"#,
            json!({ "id": workshop["id"], "v": workshop["version"] }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateWorkshop"]["workshop"],
        json!({ "capacity": 45, "illustrativeFields": ["startsAt", "endsAt", "openToPublic"] }),
        "{updated}"
    );

    // Giving a project's regions makes them real too.
    let city = app
        .gql_as(
            Some(&admin),
            r#"{ project(code: "URBACT-TECHDIVERSITY-SI") { id version illustrativeFields regions { id } } }"#,
            json!({}),
        )
        .await;
    let city = &city["data"]["project"];
    assert_eq!(
        city["illustrativeFields"],
        json!(["genderMarker", "regions"]),
        "{city}"
    );
    let regions: Vec<serde_json::Value> = city["regions"]
        .as_array()
        .map(|r| r.iter().map(|r| r["id"].clone()).collect())
        .unwrap_or_default();
    let updated = app
        .gql_as(
            Some(&admin),
            r#"mutation($id: ID!, $v: Int!, $r: [ID!]) { updateProject(input: { id: $id, expectedVersion: $v, regions: $r }) { project { illustrativeFields } } }"#,
            json!({ "id": city["id"], "v": city["version"], "r": regions }),
        )
        .await;
    assert_eq!(
        updated["data"]["updateProject"]["project"]["illustrativeFields"],
        json!(["genderMarker"]),
        "{updated}"
    );
}

const SWEDISH_MONEY: &str = r#"query($x: Boolean) {
    fundingSummary(groupBy: [COUNTRY], filter: { countries: ["SE"], excludeIllustrative: $x }) {
        count illustrativeCount totals { currency amount illustrativeCount }
    }
}"#;

#[tokio::test]
async fn summaries_say_how_much_is_invented_and_can_leave_it_out() {
    use entity::funding;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};

    let app = TestApp::spawn().await;
    // Arrange: Blekinge's 5.2 MSEK as if the seed had invented it.
    funding::Entity::update_many()
        .col_expr(funding::Column::Illustrative, Expr::value(true))
        .filter(funding::Column::AmountMinor.eq(520_000_000_i64))
        .exec(&app.db)
        .await
        .expect("arranged");
    let all = app.data(SWEDISH_MONEY, json!({ "x": null })).await;
    assert_eq!(
        all["fundingSummary"],
        json!([{ "count": 4, "illustrativeCount": 1, "totals": [
            { "currency": "SEK", "amount": "108000000.00", "illustrativeCount": 1 }
        ] }]),
        "{all}"
    );
    // Left out, the invented grant's money stays in the assignment it was drawn from.
    let real = app.data(SWEDISH_MONEY, json!({ "x": true })).await;
    assert_eq!(
        real["fundingSummary"],
        json!([{ "count": 3, "illustrativeCount": 0, "totals": [
            { "currency": "SEK", "amount": "108000000.00", "illustrativeCount": 0 }
        ] }]),
        "{real}"
    );

    // No document lists people: leaving out the invented leaves nobody.
    let people = r#"query($x: Boolean) { participationSummary(groupBy: [], filter: { excludeIllustrative: $x }) { count } }"#;
    let everyone = app.data(people, json!({ "x": false })).await;
    assert!(
        everyone["participationSummary"][0]["count"]
            .as_i64()
            .is_some_and(|n| n > 300),
        "{everyone}"
    );
    let real = app.data(people, json!({ "x": true })).await;
    assert_eq!(
        real["participationSummary"],
        json!([{ "count": 0 }]),
        "{real}"
    );
}
