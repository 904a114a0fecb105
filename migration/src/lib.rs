//! Append-only schema migrations, run by `mosaic migrate` and on every start. Each is history:
//! the server never calls into one (its live SQL is in `api/src/derived/`), so a migration
//! does what it did when it was written.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_programme_schema;
mod m20261122_000002_versions_everywhere;
mod m20261123_000001_participation_counts;
mod m20261123_000002_funding_rates;
mod m20261126_000001_trust;
mod m20261126_000002_search_words;
mod m20261126_000003_countries_as_data;
mod m20261126_000004_project_countries;
mod m20261126_000005_illustrative_everywhere;
mod m20261126_000006_project_updated_at;
mod m20261126_000007_programmes_and_budgets;
mod m20261126_000008_honest_dates;
mod m20261126_000009_activity_kinds;
mod m20261126_000010_document_links;
mod m20261126_000011_vocabularies;
mod m20261127_000001_results;
mod m20261127_000002_personal_data;
mod m20261206_000001_persisted_documents;
mod m20261207_000001_updated_at_everywhere;
mod m20261207_000002_funding_totals;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_programme_schema::Migration),
            Box::new(m20261122_000002_versions_everywhere::Migration),
            Box::new(m20261123_000001_participation_counts::Migration),
            Box::new(m20261123_000002_funding_rates::Migration),
            Box::new(m20261126_000001_trust::Migration),
            Box::new(m20261126_000002_search_words::Migration),
            Box::new(m20261126_000003_countries_as_data::Migration),
            Box::new(m20261126_000004_project_countries::Migration),
            Box::new(m20261126_000005_illustrative_everywhere::Migration),
            Box::new(m20261126_000006_project_updated_at::Migration),
            Box::new(m20261126_000007_programmes_and_budgets::Migration),
            Box::new(m20261126_000008_honest_dates::Migration),
            Box::new(m20261126_000009_activity_kinds::Migration),
            Box::new(m20261126_000010_document_links::Migration),
            Box::new(m20261126_000011_vocabularies::Migration),
            Box::new(m20261127_000001_results::Migration),
            Box::new(m20261127_000002_personal_data::Migration),
            Box::new(m20261206_000001_persisted_documents::Migration),
            Box::new(m20261207_000001_updated_at_everywhere::Migration),
            Box::new(m20261207_000002_funding_totals::Migration),
        ]
    }
}
