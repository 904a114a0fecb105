//! The countries each project works in, kept by the server: its owner's, and those of its
//! partner organisations and regions. Lists filter by them and coordinators of any of them
//! see the project; the server fills the table on start when it is empty.

use sea_orm_migration::prelude::*;

use crate::columns::{boolean, fk, fk_owned, index, string, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("project_country")
                    .col(uuid("project_id"))
                    .col(string("country_code", 2))
                    .col(boolean("owner"))
                    .primary_key(Index::create().col("project_id").col("country_code"))
                    .foreign_key(&mut fk_owned(
                        "project_country",
                        "project_id",
                        "project",
                        "id",
                    ))
                    .foreign_key(&mut fk(
                        "project_country",
                        "country_code",
                        "country",
                        "code",
                    ))
                    .to_owned(),
            )
            .await?;
        // Projects by country: the `countries` filter and coordinators' visibility.
        manager
            .create_index(index("project_country", &["country_code", "project_id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("project_country").to_owned())
            .await
    }
}
