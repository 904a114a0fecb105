//! Append-only schema migrations, run by `mosaic migrate` and on every start.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_programme_schema;
mod m20261122_000002_versions_everywhere;
pub mod m20261123_000001_participation_counts;

/// The upkeep of `participationSummary`'s counts, shared with the server's writes and seeds.
pub use m20261123_000001_participation_counts as participation_counts;
pub mod m20261123_000002_funding_rates;
/// Storing each funding's euro rate, shared with the server's writes and seeds.
pub use m20261123_000002_funding_rates as funding_rates;
mod m20261126_000001_trust;
mod m20261126_000002_search_words;

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
        ]
    }
}
