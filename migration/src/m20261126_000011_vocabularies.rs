//! Vocabularies as translated data: focus areas, target groups and action areas are terms,
//! each a code with labels in the programme's languages, so frontends label and offer them in
//! every language and admins add terms without a schema change.

use sea_orm_migration::prelude::*;

use crate::columns::{int, json, string, unique, uuid_pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("term")
                    .col(uuid_pk("id"))
                    .col(string("vocabulary", 24))
                    .col(string("code", 64))
                    .col(json("label"))
                    .col(string("language", 8))
                    .col(int("version"))
                    .to_owned(),
            )
            .await?;
        // A vocabulary's terms by code: lists, lookups and the uniqueness of codes.
        manager
            .create_index(unique("term", &["vocabulary", "code"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("term").to_owned())
            .await
    }
}
