//! Documents and links of projects, programmes, resource centres and workshops: action
//! plans, reports, toolkits, websites, presentations, media. A link belongs to exactly one
//! of them and goes with it.

use sea_orm_migration::prelude::*;

use crate::columns::{
    boolean, date_null, fk_owned, index, int, json, string, string_null, uuid_null, uuid_pk,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OWNERS: [(&str, &str); 4] = [
    ("project_id", "project"),
    ("programme_id", "programme"),
    ("resource_centre_id", "resource_centre"),
    ("workshop_id", "workshop"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table
            .table("document_link")
            .col(uuid_pk("id"))
            .col(string_null("url", 512))
            .col(json("title"))
            .col(string("language", 8))
            .col(string("category", 24))
            .col(string_null("document_language", 8))
            .col(date_null("published_on"))
            .col(int("position"))
            .col(boolean("illustrative"))
            .col(json("illustrative_fields"))
            .col(int("version"));
        for (column, owner) in OWNERS {
            table.col(uuid_null(column)).foreign_key(&mut fk_owned(
                "document_link",
                column,
                owner,
                "id",
            ));
        }
        // Exactly one owner: who may see a link is decided by it.
        let owners: Vec<String> = OWNERS
            .iter()
            .map(|(column, _)| format!("CASE WHEN {column} IS NULL THEN 0 ELSE 1 END"))
            .collect();
        table.check(Expr::cust(format!("({}) = 1", owners.join(" + "))));
        manager.create_table(table.to_owned()).await?;
        // Each owner's links in order: one statement for a page of owners.
        for (column, _) in OWNERS {
            manager
                .create_index(index("document_link", &[column, "position"]))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("document_link").to_owned())
            .await
    }
}
