//! `mosaic seed --synthetic N`: a generated programme on top of the seed one, the same for the
//! same random seed, and served like any other data.

use std::collections::HashMap;

use entity::{funding, project, project_region, region, registration, workshop};
use mosaic::seed::synthetic;
use mosaic_tests::TestApp;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// Everything the generator wrote, with seed-programme ids (made at load time) replaced by
/// the NUTS codes they stand for.
async fn fingerprint(app: &TestApp) -> anyhow::Result<String> {
    let nuts: HashMap<_, _> = region::Entity::find()
        .all(&app.db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.nuts_code))
        .collect();
    let projects = project::Entity::find()
        .filter(project::Column::Code.starts_with(synthetic::CODE_PREFIX))
        .order_by_asc(project::Column::Code)
        .all(&app.db)
        .await?;
    let ids: Vec<_> = projects.iter().map(|p| p.id).collect();
    let mut regions: Vec<_> = project_region::Entity::find()
        .filter(project_region::Column::ProjectId.is_in(ids.clone()))
        .all(&app.db)
        .await?
        .into_iter()
        .map(|pr| (pr.project_id, nuts.get(&pr.region_id).cloned()))
        .collect();
    regions.sort();
    let fundings = funding::Entity::find()
        .filter(funding::Column::ProjectId.is_in(ids.clone()))
        .order_by_asc(funding::Column::Id)
        .all(&app.db)
        .await?;
    let mut workshops = workshop::Entity::find()
        .filter(workshop::Column::ProjectId.is_in(ids))
        .order_by_asc(workshop::Column::Id)
        .all(&app.db)
        .await?;
    for w in &mut workshops {
        w.venue_region_id = None; // a seed-programme id; the rest is compared
    }
    let registrations = registration::Entity::find()
        .filter(registration::Column::Email.starts_with("synthetic-"))
        .order_by_asc(registration::Column::Id)
        .all(&app.db)
        .await?;
    Ok(format!(
        "{projects:?}{regions:?}{fundings:?}{workshops:?}{registrations:?}"
    ))
}

#[tokio::test]
async fn the_same_seed_gives_the_same_programme_and_another_seed_another() -> anyhow::Result<()> {
    let (first, second, other) = (
        TestApp::spawn().await,
        TestApp::spawn().await,
        TestApp::spawn().await,
    );
    let summary = synthetic::load(&first.db, 120, 42).await?;
    synthetic::load(&second.db, 120, 42).await?;
    synthetic::load(&other.db, 120, 43).await?;
    assert_eq!(summary.projects, 120);
    assert_eq!(fingerprint(&first).await?, fingerprint(&second).await?);
    assert_ne!(fingerprint(&first).await?, fingerprint(&other).await?);

    // About 5 workshops and 40 registrations per project, funded in several currencies.
    let per_project = |n: usize| n as f64 / 120.0;
    assert!(
        (4.0..=6.0).contains(&per_project(summary.workshops)),
        "{summary}"
    );
    assert!(
        (30.0..=50.0).contains(&per_project(summary.registrations)),
        "{summary}"
    );
    let currencies: std::collections::BTreeSet<_> = funding::Entity::find()
        .all(&first.db)
        .await?
        .into_iter()
        .map(|f| f.currency)
        .collect();
    assert!(currencies.len() >= 3, "{currencies:?}");

    // A second run on the same database is refused and changes nothing.
    assert!(synthetic::load(&first.db, 10, 42).await.is_err());
    let admin = first.token("ADMIN", &[], None);
    let answer = first
        .gql_as(
            Some(&admin),
            "{ projects(filter: { countries: [\"SE\", \"FI\", \"PL\", \"SI\"] }) { totalCount }
               participationSummary(groupBy: [COUNTRY]) { country { code } count } }",
            json!({}),
        )
        .await;
    assert_eq!(answer["errors"], serde_json::Value::Null, "{answer}");
    assert_eq!(answer["data"]["projects"]["totalCount"], 11 + 120);
    let countries = answer["data"]["participationSummary"]
        .as_array()
        .map(Vec::len);
    assert_eq!(countries, Some(4), "projects in every country: {answer}");
    Ok(())
}
