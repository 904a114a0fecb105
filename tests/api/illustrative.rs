//! What the seed invented says so: whole records (`illustrative`) and values within real
//! ones (`illustrativeFields`, by API name); a value a write sets is real from then on.

use mosaic_tests::{TestApp, first_code};
use serde_json::{Value, json};

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
                    fundings { nodes { illustrative illustrativeFields } }
                    milestones { illustrative illustrativeFields }
                    contacts { nodes { name illustrative illustrativeFields } }
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
        blekinge["fundings"]["nodes"][0]["illustrativeFields"],
        json!(["status", "valueDate", "drawnFrom"]),
        "{seen}"
    );
    assert_eq!(
        blekinge["milestones"][0],
        json!({ "illustrative": false, "illustrativeFields": ["dueDate", "achievedOn"] }),
        "a real step with invented dates: {seen}"
    );
    assert_eq!(
        blekinge["contacts"]["nodes"],
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
    // As after a seed, whose rows bypass the writes: derived figures counted again.
    mosaic::derived::rebuild_after_load(&app.db)
        .await
        .expect("derived figures rebuilt");
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

#[tokio::test]
async fn an_invented_workshop_can_be_deleted_with_its_invented_people_but_not_one_real_people_joined()
 {
    let app = TestApp::spawn().await;
    let fi = app.token("COORDINATOR", &["FI"], None);
    let seen = app
        .gql_as(
            Some(&fi),
            r#"{ project(code: "FI-ELY-MONIMUOTOISUUS") { workshops(first: 10) {
                    nodes { id illustrative seatsTaken } } }
                 participationSummary(groupBy: [], filter: { countries: ["FI"] }) { count } }"#,
            json!({}),
        )
        .await;
    let workshops = seen["data"]["project"]["workshops"]["nodes"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(workshops.len() >= 2, "{seen}");
    let (gone, kept) = (&workshops[0], &workshops[1]);
    assert_eq!(gone["illustrative"], true);
    let people = seen["data"]["participationSummary"][0]["count"]
        .as_i64()
        .unwrap_or_default();
    let delete = "mutation($i: DeleteInput!) { deleteWorkshop(input: $i) { deletedId } }";

    // Only those who take part in or manage the project may delete; a Swede may not.
    let se = app.token("COORDINATOR", &["SE"], None);
    let refused = app
        .gql_as(Some(&se), delete, json!({ "i": { "id": gone["id"] } }))
        .await;
    assert_eq!(first_code(&refused), "FORBIDDEN", "{refused}");

    let done = app
        .gql_as(Some(&fi), delete, json!({ "i": { "id": gone["id"] } }))
        .await;
    assert_eq!(
        done["data"]["deleteWorkshop"]["deletedId"], gone["id"],
        "{done}"
    );
    let after = app
        .gql_as(
            Some(&fi),
            r#"query($id: ID!) { node(id: $id) { id }
                participationSummary(groupBy: [], filter: { countries: ["FI"] }) { count } }"#,
            json!({ "id": gone["id"] }),
        )
        .await;
    assert_eq!(after["data"]["node"], Value::Null);
    assert_eq!(
        after["data"]["participationSummary"][0]["count"],
        people - gone["seatsTaken"].as_i64().unwrap_or_default(),
        "{after}"
    );

    // Once a real person has registered, the workshop can only be cancelled. (The seed's
    // workshops are over, so the registration is arranged directly.)
    use base64::Engine as _;
    use sea_orm::{ActiveModelTrait, ActiveValue::Set};
    let global = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(kept["id"].as_str().unwrap_or_default())
        .expect("a global id");
    let key = String::from_utf8(global).expect("utf-8");
    let workshop = uuid::Uuid::parse_str(key.trim_start_matches("Workshop:")).expect("a uuid");
    entity::registration::ActiveModel {
        updated_at: Set(chrono::Utc::now()),
        id: Set(uuid::Uuid::now_v7()),
        workshop_id: Set(workshop),
        participant_name: Set("Aino".into()),
        email: Set("aino@example.org".into()),
        organisation_name: Set(None),
        gender: Set(entity::enums::Gender::Woman),
        age_band: Set(entity::enums::AgeBand::From30To54),
        status: Set(entity::enums::RegistrationStatus::Attended),
        registered_at: Set(chrono::Utc::now()),
        illustrative: Set(false),
        illustrative_fields: Set(json!([])),
        consent_notice_version: Set(Some("2026-11".into())),
        consent_purposes: Set(Some(json!(["WORKSHOP_ADMINISTRATION"]))),
        consented_at: Set(Some(chrono::Utc::now())),
        guardian_consent: Set(false),
        controller_id: Set(None),
        manage_token_sha256: Set(None),
        erased_at: Set(None),
        record_key: Set(7),
    }
    .insert(&app.db)
    .await
    .expect("arranged");
    let refused = app
        .gql_as(Some(&fi), delete, json!({ "i": { "id": kept["id"] } }))
        .await;
    assert_eq!(
        mosaic_tests::code_and_field(&refused),
        ("BAD_USER_INPUT", "input.id"),
        "{refused}"
    );
}
