//! `updated_at` on every row a caller can change, so that partner systems can sync by polling
//! (`updatedSince`, `orderBy: UPDATED_AT`); projects and programmes had it already.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::prelude::ChronoUtc;

use crate::columns::index;

const TABLES: &[&str] = &[
    "api_token",
    "contact",
    "country",
    "document_link",
    "funding",
    "indicator",
    "indicator_period",
    "milestone",
    "organisation",
    "region",
    "registration",
    "resource_centre",
    "result",
    "term",
    "workshop",
];

/// The tables of top-level lists, which page in `UPDATED_AT` order (programmes included).
const LISTED: &[&str] = &[
    "api_token",
    "organisation",
    "programme",
    "region",
    "resource_centre",
    "workshop",
];

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds a NOT NULL column only with a constant default; every write sets the
        // column, and the rows already there are stamped with the time of the migration.
        let now = ChronoUtc::now();
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .add_column(
                            ColumnDef::new("updated_at")
                                .timestamp_with_time_zone()
                                .not_null()
                                .default("1970-01-01T00:00:00Z"),
                        )
                        .to_owned(),
                )
                .await?;
            manager
                .exec_stmt(
                    Query::update()
                        .table(*table)
                        .value("updated_at", now)
                        .to_owned(),
                )
                .await?;
        }
        for table in LISTED {
            manager
                .create_index(index(table, &["updated_at", "id"]))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in LISTED {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_updated_at_id"))
                        .table(*table)
                        .to_owned(),
                )
                .await?;
        }
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .drop_column("updated_at")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
