//! Projects in order of their last change (`orderBy: UPDATED_AT`), for partner systems that
//! sync by polling: a keyset index like the other orders'.

use sea_orm_migration::prelude::*;

use crate::columns::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("project", &["updated_at", "id"]))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_project_updated_at_id")
                    .table("project")
                    .to_owned(),
            )
            .await
    }
}
