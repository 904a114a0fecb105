//! Planned and actual start and end dates, each optional and known to a year, a month or a
//! day (`2016`, `2023-07`, `2021-08-01`). `start_date` and `end_date` stay as the days lists
//! filter and order by, now derived by the server: the first day of the actual (else planned)
//! start, the last day of the actual (else planned) end, 9999-12-31 when no end is known.
//! Existing projects' dates become planned dates known to the day.

use sea_orm_migration::prelude::*;

use crate::columns::string_null;

#[derive(DeriveMigrationName)]
pub struct Migration;

const COLUMNS: [&str; 4] = ["planned_start", "planned_end", "actual_start", "actual_end"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("project")
                        .add_column(string_null(column, 10))
                        .to_owned(),
                )
                .await?;
        }
        // ISO text whatever the server's DateStyle.
        let text = |column: &str| match manager.get_database_backend() {
            sea_orm::DbBackend::Postgres => format!("to_char({column}, 'YYYY-MM-DD')"),
            _ => format!("CAST({column} AS TEXT)"),
        };
        manager
            .get_connection()
            .execute_unprepared(&format!(
                "UPDATE project SET planned_start = {}, planned_end = {}",
                text("start_date"),
                text("end_date")
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table("project")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
