//! Append-only schema migrations, run by `mosaic migrate` and on every start.

pub use sea_orm_migration::prelude::*;

mod columns;
mod m20261122_000001_programme_schema;
mod m20261122_000002_versions_everywhere;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_programme_schema::Migration),
            Box::new(m20261122_000002_versions_everywhere::Migration),
        ]
    }
}
