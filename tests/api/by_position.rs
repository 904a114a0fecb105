//! Every stored model reads the same by column position (`db::positioned`, used by the
//! loaders and lists) as by name (SeaORM's own reading), on the seeded programme.

use mosaic::db::positioned;
use mosaic_tests::TestApp;
use sea_orm::EntityTrait;

macro_rules! compare {
    ($db:expr, $($table:ident),+ $(,)?) => {{
        let mut filled = 0;
        $(
            let by_name = entity::$table::Entity::find().all($db).await?;
            let by_position = positioned::all($db, entity::$table::Entity::find()).await?;
            assert_eq!(by_name, by_position, "{}", stringify!($table));
            filled += usize::from(!by_name.is_empty());
        )+
        filled
    }};
}

#[tokio::test]
async fn every_model_reads_the_same_by_position_as_by_name() -> anyhow::Result<()> {
    let app = TestApp::spawn().await;
    let filled = compare!(
        &app.db,
        api_token,
        audit_event,
        budget_line,
        contact,
        country,
        document_link,
        exchange_rate,
        funding,
        funding_year,
        indicator,
        indicator_period,
        milestone,
        organisation,
        persisted_document,
        programme,
        programme_country,
        programme_funder,
        project,
        project_classification,
        project_country,
        project_participant,
        project_region,
        region,
        registration,
        resource_centre,
        result,
        search_word,
        term,
        workshop,
        workshop_agenda_item,
    );
    assert!(filled >= 20, "only {filled} tables hold rows to compare");
    Ok(())
}
