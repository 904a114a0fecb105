//! Countries become data an admin manages: whether a country is a member of the programme
//! (members have coordinators; others host partners and places), the two letters its NUTS
//! codes start with (Greece is `GR` but `EL` in NUTS), and a version for optimistic updates.

use sea_orm_migration::prelude::*;

use crate::columns::unique;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            ColumnDef::new("programme_member")
                .boolean()
                .not_null()
                .default(true)
                .take(),
            ColumnDef::new("nuts_prefix").string_len(2).null().take(),
            ColumnDef::new("version")
                .integer()
                .not_null()
                .default(1)
                .take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("country")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Every country so far (SE, FI, PL, SI) uses its ISO code in NUTS.
        manager
            .exec_stmt(
                Query::update()
                    .table("country")
                    .value("nuts_prefix", Expr::col("code"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(unique("country", &["nuts_prefix"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_country_nuts_prefix")
                    .table("country")
                    .to_owned(),
            )
            .await?;
        for column in ["version", "nuts_prefix", "programme_member"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("country")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
