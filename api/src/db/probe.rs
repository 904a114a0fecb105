//! Readiness: the database answers and takes a write, within the acquire timeout; for SQLite
//! also room on its disk, since a small probe write can still fit in pages the database
//! already holds while real writes no longer do.

use std::path::Path;
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// Writes the one row of `readiness_probe` in a committed transaction: a database that is
/// down, full or read-only fails here, so `/ready` says 503 before requests start failing.
pub async fn ready(
    db: &DatabaseConnection,
    within: Duration,
    sqlite_dir: Option<&Path>,
) -> Result<(), String> {
    if let Some(dir) = sqlite_dir {
        let free = free_bytes(dir).map_err(|e| format!("cannot read free space: {e}"))?;
        if free < MIN_FREE_BYTES {
            return Err(format!("only {free} bytes free beside the database"));
        }
    }
    match tokio::time::timeout(within, write_probe(db)).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(error.to_string()),
        Err(_) => Err(format!("no answer within {} ms", within.as_millis())),
    }
}

/// Below this much free space beside a SQLite database, `/ready` says 503.
const MIN_FREE_BYTES: u64 = 1 << 20;

fn free_bytes(dir: &Path) -> Result<u64, rustix::io::Errno> {
    let stat = rustix::fs::statvfs(dir)?;
    Ok(stat.f_bavail.saturating_mul(stat.f_frsize))
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
