//! Database connections for SQLite and PostgreSQL, with every statement counted.
//!
//! Two rules keep acknowledged writes durable: write transactions take the write lock up
//! front (`begin_write`), and a pooled connection still inside a transaction (its `COMMIT` or
//! `ROLLBACK` failed, say on a full disk) is closed, never handed out again.

mod failure;
pub mod positioned;
mod probe;
pub mod replica;
pub mod rows;
pub mod sql;
pub mod status;

pub use failure::is_unavailable;
pub use probe::ready;

use std::{str::FromStr, time::Duration};

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use prometheus::{IntCounter, Registry};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, SqlxPostgresConnector,
    SqlxSqliteConnector, TransactionOptions, TransactionTrait,
};
use sqlx::{
    Connection as _,
    postgres::{PgConnectOptions, PgPoolOptions},
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use sqlx_core::transaction::TransactionManager as _;

use crate::config::Config;

/// How long a SQLite writer waits for another's write lock.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How long after its last use a pooled PostgreSQL connection is handed out without a ping.
const RECENTLY_USED: Duration = Duration::from_millis(500);

pub struct Database {
    pub connection: DatabaseConnection,
    /// The streaming replica that serves queries, when `MOSAIC_DATABASE_READ_URL` names one.
    pub replica: Option<std::sync::Arc<replica::Replica>>,
    /// Counts every SQL statement sent, so tests and `/metrics` can see N+1 patterns.
    pub statements: IntCounter,
}

pub async fn connect(config: &Config) -> anyhow::Result<Database> {
    let url = config.database_url.as_str();
    let mut connection = if url.starts_with("sqlite:") {
        let options = SqliteConnectOptions::from_str(url)
            .context("DATABASE_URL is not a valid SQLite URL")?
            .create_if_missing(true)
            .foreign_keys(true)
            // WAL lets readers proceed while one writer commits; the busy timeout makes
            // concurrent writers wait for the lock instead of failing at once.
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a commit is on disk before it is acknowledged, power loss included.
            .synchronous(SqliteSynchronous::Full)
            // Writers queue for the lock (`BEGIN IMMEDIATE`) this long, then answer 503.
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(config.pool_size())
            .acquire_timeout(config.db_acquire_timeout)
            // A file has no server to hang up: no liveness round trip per acquire.
            .test_before_acquire(false)
            .before_acquire(|connection, _| {
                Box::pin(async move {
                    Ok(
                        <sqlx::Sqlite as sqlx::Database>::TransactionManager::get_transaction_depth(
                            connection,
                        ) == 0,
                    )
                })
            })
            .connect_with(options)
            .await
            .context("cannot open the SQLite database named by DATABASE_URL")?;
        SqlxSqliteConnector::from_sqlx_sqlite_pool(pool)
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let options = PgConnectOptions::from_str(url)
            .context("DATABASE_URL is not a valid PostgreSQL URL")?;
        let pool = postgres_pool(config)
            .connect_with(options)
            .await
            .context("cannot connect to the PostgreSQL database named by DATABASE_URL")?;
        SqlxPostgresConnector::from_sqlx_postgres_pool(pool)
    } else {
        anyhow::bail!("DATABASE_URL must start with sqlite: or postgres:");
    };
    let statements = IntCounter::new(
        "mosaic_db_statements_total",
        "SQL statements sent to the database",
    )?;
    count_statements(&mut connection, &statements);
    let replica = match config
        .database_read_url
        .as_deref()
        .filter(|u| !u.is_empty())
    {
        Some(read_url) => Some(std::sync::Arc::new(connect_replica(
            config,
            read_url,
            &statements,
        )?)),
        None => None,
    };
    Ok(Database {
        connection,
        replica,
        statements,
    })
}

/// Counts every statement `connection` sends in `statements`.
fn count_statements(connection: &mut DatabaseConnection, statements: &IntCounter) {
    let counter = statements.clone();
    connection.set_metric_callback(move |info| {
        counter.inc();
        // Placeholders only, never bound values: no personal data reaches the log.
        tracing::trace!(target: "mosaic::sql", elapsed = ?info.elapsed, failed = info.failed, sql = %info.statement.sql);
    });
}

/// The replica's pool. It connects when first used, so that a replica being rebuilt does not
/// keep the primary from serving: the watcher tells when it may serve reads.
fn connect_replica(
    config: &Config,
    url: &str,
    statements: &IntCounter,
) -> anyhow::Result<replica::Replica> {
    if !config.database_url.starts_with("postgres") {
        anyhow::bail!("MOSAIC_DATABASE_READ_URL needs DATABASE_URL to be PostgreSQL");
    }
    let options = PgConnectOptions::from_str(url)
        .context("MOSAIC_DATABASE_READ_URL is not a valid PostgreSQL URL")?;
    let mut connection = SqlxPostgresConnector::from_sqlx_postgres_pool(
        postgres_pool(config).connect_lazy_with(options),
    );
    count_statements(&mut connection, statements);
    Ok(replica::Replica::new(connection, config.replica_max_lag)?)
}

/// A PostgreSQL pool that never hands out a connection whose transaction did not end, and
/// pings only connections idle for a while.
fn postgres_pool(config: &Config) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(config.pool_size())
        .acquire_timeout(config.db_acquire_timeout)
        .test_before_acquire(false)
        .before_acquire(|connection, meta| {
            Box::pin(async move {
                // A transaction whose end failed leaves its connection in an unknown
                // state: closed, not reused.
                if <sqlx::Postgres as sqlx::Database>::TransactionManager::get_transaction_depth(
                    connection,
                ) != 0
                {
                    return Ok(false);
                }
                // A connection used moments ago is alive; pinging it before each of a
                // page's statements cost a round trip apiece. One idle for longer may
                // have outlived a server restart, so it is pinged and, if dead, replaced.
                if meta.idle_for > RECENTLY_USED {
                    connection.ping().await?;
                }
                Ok(true)
            })
        })
}

impl Database {
    pub fn register(&self, registry: &Registry) -> anyhow::Result<()> {
        registry.register(Box::new(self.statements.clone()))?;
        if let Some(replica) = &self.replica {
            registry.register(Box::new(replica.reads.clone()))?;
        }
        Ok(())
    }
}

pub async fn migrate(connection: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(connection, None)
        .await
        .context("database migration failed")
}

/// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write lock is taken
/// before the first read, so a transaction that reads then writes never meets `SQLITE_BUSY`
/// halfway (which the busy timeout cannot retry); writers queue instead. PostgreSQL's
/// default `BEGIN` already serialises on row locks.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    })
    .await
}
