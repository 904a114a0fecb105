//! Search by words: one row per (kind, folded word, row). Prefix matches are range scans of
//! the primary key, byte-ordered on both databases (PostgreSQL's column uses the "C"
//! collation), so one index serves every list's `search`. The server fills it on start when
//! it is empty and keeps it with every write.

use sea_orm_migration::prelude::*;

use crate::columns::{string, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("search_word")
                    .col(string("kind", 20))
                    .col(string("word", 40))
                    .col(uuid("entity_id"))
                    .primary_key(Index::create().col("kind").col("word").col("entity_id"))
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    r#"ALTER TABLE search_word ALTER COLUMN word TYPE VARCHAR(40) COLLATE "C""#,
                )
                .await?;
        }
        // Forgetting a row's words looks them up by row.
        manager
            .create_index(
                Index::create()
                    .name("search_word_entity")
                    .table("search_word")
                    .col("entity_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("search_word").to_owned())
            .await
    }
}
