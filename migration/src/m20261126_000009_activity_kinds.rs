//! What kind of event each activity is: the documents describe webinars, trainings,
//! networking events, awards ceremonies and conferences, not only workshops. Existing rows
//! are workshops; lists filter and summaries group by the kind.

use sea_orm_migration::prelude::*;

use crate::columns::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("workshop")
                    .add_column(
                        ColumnDef::new("kind")
                            .string_len(24)
                            .not_null()
                            .default("WORKSHOP"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("workshop", &["kind", "starts_at"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_workshop_kind_starts_at")
                    .table("workshop")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("workshop")
                    .drop_column("kind")
                    .to_owned(),
            )
            .await
    }
}
