//! Every seeded kind of record says whether it is invented as a whole (`illustrative`) and
//! which of its values are (`illustrative_fields`): projects, fundings and workshops had only
//! the list (now renamed), milestones and registrations only the flag, organisations and
//! contacts neither.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn flag() -> ColumnDef {
    ColumnDef::new("illustrative")
        .boolean()
        .not_null()
        .default(false)
        .take()
}

fn fields() -> ColumnDef {
    ColumnDef::new("illustrative_fields")
        .json()
        .not_null()
        .default("[]")
        .take()
}

async fn add(
    manager: &SchemaManager<'_>,
    table: &'static str,
    column: ColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Renaming a column and adding one under its old name must run on one connection:
        // SQLite checks the added name against the schema its connection has cached.
        let db = manager.get_connection();
        let txn = db.begin().await?;
        for table in ["project", "funding", "workshop"] {
            txn.execute_unprepared(&format!(
                "ALTER TABLE {table} RENAME COLUMN illustrative TO illustrative_fields"
            ))
            .await?;
            txn.execute(&Table::alter().table(table).add_column(flag()).to_owned())
                .await?;
        }
        txn.commit().await?;
        for table in ["milestone", "registration"] {
            add(manager, table, fields()).await?;
        }
        for table in ["organisation", "contact"] {
            add(manager, table, flag()).await?;
            add(manager, table, fields()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let drop = |table: &'static str, column: &'static str| {
            Table::alter().table(table).drop_column(column).to_owned()
        };
        for table in ["organisation", "contact"] {
            manager
                .alter_table(drop(table, "illustrative_fields"))
                .await?;
            manager.alter_table(drop(table, "illustrative")).await?;
        }
        for table in ["milestone", "registration"] {
            manager
                .alter_table(drop(table, "illustrative_fields"))
                .await?;
        }
        let db = manager.get_connection();
        let txn = db.begin().await?;
        for table in ["project", "funding", "workshop"] {
            txn.execute(&drop(table, "illustrative")).await?;
            txn.execute_unprepared(&format!(
                "ALTER TABLE {table} RENAME COLUMN illustrative_fields TO illustrative"
            ))
            .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
