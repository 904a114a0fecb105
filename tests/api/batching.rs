//! Nested relations are batched: the statements a projects page costs do not grow with it.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use entity::enums::{
    FundingKind, FundingStatus, IndicatorMeasure, ParticipantRole, ResultKind, WorkshopFormat,
    WorkshopStatus,
};
use entity::{
    contact, funding, indicator, indicator_period, organisation, project, project_participant,
    project_region, region, result, workshop,
};
use mosaic_tests::{TestApp, project_row};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use uuid::Uuid;

// Latest codes first: both pages then open with the same two seed projects and go on with
// the added ones, which have a row in every relation, so both load the same relations.
const NESTED_PAGE: &str = r#"query($first: Int!) {
    projects(first: $first, orderBy: [{ field: CODE, direction: DESC }]) {
        totalCount
        nodes {
            code title country { code }
            regions { nutsCode parent { nutsCode } }
            leadOrganisation { name region { nutsCode } }
            participants { role organisation { name } }
            fundings { nodes { amount currency funder { name } } }
            workshops(first: 5) { totalCount nodes { title kind seatsTaken agenda { startsAt } venue { region { nutsCode } } documents { url } } }
            contacts { nodes { name } }
            milestones { title }
            focusAreas { code label }
            targetGroups { code label(lang: "sv") }
            resourceCentre { name documents { url } }
            programme { code documents { url } }
            budget { coFinancingRate lines { year } }
            documents { url title category }
            results { kind title indicators { title periods { target { value } actual { value } met } } }
        }
    }
}"#;

/// Adds `count` published projects, each with a region, two participants, a funding and two
/// workshops, so every nested field has rows to load.
async fn add_projects(app: &TestApp, count: usize) {
    let region = region::Entity::find()
        .filter(region::Column::NutsCode.eq("SE311"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("Värmland exists");
    let organisations = organisation::Entity::find()
        .all(&app.db)
        .await
        .expect("organisations");
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).expect("date");
    let (mut projects, mut regions, mut participants, mut fundings, mut workshops, mut contacts) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let (mut results, mut indicators, mut periods) = (vec![], vec![], vec![]);
    for i in 0..count {
        let id = Uuid::now_v7();
        let mut row = project_row(&format!("TEST-{i:04}"), start);
        row.id = Set(id);
        projects.push(row);
        regions.push(project_region::ActiveModel {
            project_id: Set(id),
            region_id: Set(region.id),
        });
        for (n, role) in [ParticipantRole::Lead, ParticipantRole::Funder]
            .into_iter()
            .enumerate()
        {
            participants.push(project_participant::ActiveModel {
                project_id: Set(id),
                organisation_id: Set(organisations[(i + n) % organisations.len()].id),
                role: Set(role),
            });
        }
        fundings.push(funding::ActiveModel {
            updated_at: Set(chrono::Utc::now()),
            id: Set(Uuid::now_v7()),
            project_id: Set(id),
            funder_id: Set(organisations[(i + 1) % organisations.len()].id),
            kind: Set(FundingKind::Grant),
            status: Set(FundingStatus::Committed),
            amount_minor: Set(100_000 + i as i64),
            currency: Set("SEK".into()),
            period_start: Set(None),
            period_end: Set(None),
            value_date: Set(start),
            drawn_from_id: Set(None),
            illustrative: Set(false),
            illustrative_fields: Set(json!([])),
            version: Set(1),
            // Rows written straight to the database carry no stored euro rate.
            rate_micros: Set(None),
            rate_date: Set(None),
        });
        for w in 0..2 {
            let starts = Utc
                .with_ymd_and_hms(2024, 3, 1, 9, 0, 0)
                .single()
                .expect("instant")
                + Duration::days(w);
            workshops.push(workshop::ActiveModel {
                updated_at: Set(chrono::Utc::now()),
                id: Set(Uuid::now_v7()),
                project_id: Set(id),
                title: Set(json!({ "en": format!("Workshop {w}") })),
                description: Set(json!({ "en": "" })),
                language: Set("en".into()),
                starts_at: Set(starts),
                ends_at: Set(starts + Duration::hours(3)),
                time_zone: Set("Europe/Stockholm".into()),
                venue_name: Set(None),
                venue_address: Set(None),
                venue_town: Set(None),
                venue_region_id: Set(Some(region.id)),
                kind: Set(entity::enums::ActivityKind::Workshop),
                format: Set(WorkshopFormat::InPerson),
                spoken_language: Set("sv".into()),
                capacity: Set(Some(10)),
                registration_deadline: Set(None),
                target_groups: Set(json!([])),
                status: Set(WorkshopStatus::Scheduled),
                open_to_public: Set(false),
                illustrative: Set(false),
                illustrative_fields: Set(json!([])),
                version: Set(1),
            });
        }
        let (result_id, indicator_id) = (Uuid::now_v7(), Uuid::now_v7());
        results.push(result::ActiveModel {
            updated_at: Set(chrono::Utc::now()),
            id: Set(result_id),
            project_id: Set(id),
            kind: Set(ResultKind::Output),
            title: Set(json!({ "en": "Result" })),
            description: Set(None),
            language: Set("en".into()),
            position: Set(0),
            illustrative: Set(false),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
        indicators.push(indicator::ActiveModel {
            updated_at: Set(chrono::Utc::now()),
            id: Set(indicator_id),
            result_id: Set(result_id),
            project_id: Set(id),
            title: Set(json!({ "en": "Indicator" })),
            language: Set("en".into()),
            measure: Set(IndicatorMeasure::Unit),
            ascending: Set(true),
            by_gender: Set(false),
            baseline_year: Set(None),
            baseline_centi: Set(None),
            baseline_comment: Set(None),
            position: Set(0),
            illustrative: Set(false),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
        periods.push(indicator_period::ActiveModel {
            updated_at: Set(chrono::Utc::now()),
            id: Set(Uuid::now_v7()),
            indicator_id: Set(indicator_id),
            project_id: Set(id),
            starts_on: Set(start),
            ends_on: Set(start),
            target_centi: Set(Some(1_000)),
            target_women: Set(None),
            target_men: Set(None),
            target_non_binary: Set(None),
            target_comment: Set(None),
            actual_centi: Set(Some(900 + i as i64)),
            actual_women: Set(None),
            actual_men: Set(None),
            actual_non_binary: Set(None),
            actual_comment: Set(None),
            illustrative: Set(false),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
        contacts.push(contact::ActiveModel {
            updated_at: Set(chrono::Utc::now()),
            id: Set(Uuid::now_v7()),
            project_id: Set(Some(id)),
            organisation_id: Set(None),
            name: Set(format!("Person {i}")),
            title: Set(None),
            email: Set(Some(format!("person{i}@example.org"))),
            phone: Set(None),
            illustrative: Set(false),
            illustrative_fields: Set(json!([])),
            version: Set(1),
        });
    }
    project::Entity::insert_many(projects)
        .exec_without_returning(&app.db)
        .await
        .expect("projects");
    project_region::Entity::insert_many(regions)
        .exec_without_returning(&app.db)
        .await
        .expect("regions");
    project_participant::Entity::insert_many(participants)
        .exec_without_returning(&app.db)
        .await
        .expect("participants");
    funding::Entity::insert_many(fundings)
        .exec_without_returning(&app.db)
        .await
        .expect("fundings");
    workshop::Entity::insert_many(workshops)
        .exec_without_returning(&app.db)
        .await
        .expect("workshops");
    contact::Entity::insert_many(contacts)
        .exec_without_returning(&app.db)
        .await
        .expect("contacts");
    result::Entity::insert_many(results)
        .exec_without_returning(&app.db)
        .await
        .expect("results");
    indicator::Entity::insert_many(indicators)
        .exec_without_returning(&app.db)
        .await
        .expect("indicators");
    indicator_period::Entity::insert_many(periods)
        .exec_without_returning(&app.db)
        .await
        .expect("periods");
}

async fn statements_for(app: &TestApp, first: i64) -> u64 {
    let before = app.statements().await;
    let data = app.data(NESTED_PAGE, json!({ "first": first })).await;
    let after = app.statements().await;
    assert_eq!(
        data["projects"]["nodes"].as_array().map(Vec::len),
        Some(first as usize)
    );
    after - before
}

#[tokio::test]
async fn a_nested_projects_page_costs_the_same_statements_for_5_and_100_projects() {
    // A hundred projects with every relation exceed the default complexity limit; statements
    // are what this measures.
    let app = TestApp::spawn_with(|c| c.limits.max_complexity = 1_000_000).await;
    add_projects(&app, 98).await;
    let five = statements_for(&app, 5).await;
    let hundred = statements_for(&app, 100).await;
    assert_eq!(
        five, hundred,
        "statements for 5 projects: {five}, for 100: {hundred}"
    );
    // One per relation and level, not one per row.
    assert!(hundred < 32, "{hundred} statements for one page");
}

/// The statements one query of an admin costs, and its data.
async fn statements_of(app: &TestApp, admin: &str, query: &str) -> (u64, Value) {
    let before = app.statements().await;
    let answer = app.gql_as(Some(admin), query, json!({})).await;
    assert!(answer["errors"].is_null(), "{answer}");
    (app.statements().await - before, answer["data"].clone())
}

#[tokio::test]
async fn a_pages_funders_come_in_its_fundings_statement() {
    let app = TestApp::spawn().await;
    let admin = app.token("ADMIN", &[], None);
    let amounts = "{ projects(first: 20) { nodes { fundings { nodes { amount } } } } }";
    let (without, _) = statements_of(&app, &admin, amounts).await;
    let funders = "{ projects(first: 20) { nodes { fundings { nodes { amount
        funder { id name(lang: \"en\") } again: funder { acronym kind } } } } } }";
    let (with, data) = statements_of(&app, &admin, funders).await;
    assert_eq!(
        with,
        without,
        "naming the funders cost {} more",
        with - without
    );

    // Each funder is the organisation its id names, with every field asked for.
    let mut named = 0;
    for project in data["projects"]["nodes"].as_array().into_iter().flatten() {
        for funding in project["fundings"]["nodes"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let funder = &funding["funder"];
            let node = app
                .data(
                    "query($id: ID!) { node(id: $id) { ... on Organisation {
                        name(lang: \"en\") acronym kind } } }",
                    json!({ "id": funder["id"] }),
                )
                .await;
            assert_eq!(funder["name"], node["node"]["name"], "{funder}");
            assert_eq!(funding["again"]["acronym"], node["node"]["acronym"]);
            assert_eq!(funding["again"]["kind"], node["node"]["kind"]);
            named += 1;
        }
    }
    assert!(named >= 5, "only {named} fundings on the page");
}
