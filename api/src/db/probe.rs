//! Readiness: the database answers and takes a write, within the acquire timeout.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// Writes the one row of `readiness_probe` in a committed transaction: a database that is
/// down, full or read-only fails here, so `/ready` says 503 before requests start failing.
pub async fn ready(db: &DatabaseConnection, within: Duration) -> Result<(), String> {
    match tokio::time::timeout(within, write_probe(db)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!("no answer within {} ms", within.as_millis())),
    }
}

async fn write_probe(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = super::begin_write(db).await?;
    let now = chrono::Utc::now().timestamp_millis();
    txn.execute_raw(Statement::from_sql_and_values(
        db.get_database_backend(),
        format!(
            "UPDATE readiness_probe SET checked_at = {} WHERE id = 1",
            match db.get_database_backend() {
                sea_orm::DbBackend::Postgres => "$1",
                _ => "?",
            }
        ),
        [now.into()],
    ))
    .await?;
    txn.commit().await
}
