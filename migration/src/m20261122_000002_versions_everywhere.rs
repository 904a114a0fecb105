//! Optimistic concurrency for every updatable row: a `version` on the tables that lacked one.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &[
    "region",
    "organisation",
    "resource_centre",
    "milestone",
    "contact",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .add_column(ColumnDef::new("version").integer().not_null().default(1))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(*table)
                        .drop_column("version")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
