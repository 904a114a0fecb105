//! Documents clients registered by hash (Apollo's automatic persisted queries), kept in the
//! database so that every instance behind a load balancer knows a hash any of them learnt.

use sea_orm_migration::prelude::*;

use crate::columns::{index, instant, string};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("persisted_document")
                    .col(string("sha256", 64).primary_key().take())
                    .col(ColumnDef::new("document").text().not_null())
                    .col(instant("created_at"))
                    .to_owned(),
            )
            .await?;
        // The oldest go first when the table is trimmed to its bound.
        manager
            .create_index(index("persisted_document", &["created_at"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("persisted_document").to_owned())
            .await
    }
}
