//! A PostgreSQL streaming replica that serves queries (`MOSAIC_DATABASE_READ_URL`).
//!
//! A watcher compares, every `POLL`, how much WAL the replica has replayed with how much the
//! primary had written `max_lag` ago. While the replica keeps up, it may serve reads; when it
//! falls further behind or stops answering, every read goes to the primary until it catches
//! up again. A caller's own writes are never hidden by the replica: after a caller writes,
//! its reads go to the primary until the replica has replayed the primary's position as of
//! that write (`Replica::wrote`, `Replica::serves`).

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use prometheus::{IntCounterVec, Opts};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, Statement};

/// How often the watcher compares the two servers.
const POLL: Duration = Duration::from_millis(200);
/// How long the watcher waits for either server's answer.
const ANSWER: Duration = Duration::from_secs(1);
/// Callers whose last write is remembered; beyond, the oldest are forgotten early, which
/// `MOSAIC_REPLICA_MAX_LAG` makes harmless (see `Replica::serves`).
const WRITERS: usize = 10_000;

/// Where the primary writes WAL now, in bytes.
const PRIMARY: &str = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint";
/// How much WAL a standby has replayed, in bytes; NULL on a server that is no standby.
const REPLAYED: &str = "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint";

pub struct Replica {
    pub connection: DatabaseConnection,
    max_lag: Duration,
    /// WAL the replica had replayed at the last look, or -1 while it may not serve reads.
    replayed: AtomicI64,
    /// Each writer's last write: the primary's position just after it, and when.
    writes: Mutex<lru::LruCache<String, (i64, Instant)>>,
    /// Query operations by the server that answered them.
    pub reads: IntCounterVec,
}

impl Replica {
    pub fn new(connection: DatabaseConnection, max_lag: Duration) -> prometheus::Result<Self> {
        Ok(Self {
            connection,
            max_lag,
            replayed: AtomicI64::new(-1),
            writes: Mutex::new(lru::LruCache::new(
                NonZeroUsize::new(WRITERS).unwrap_or(NonZeroUsize::MIN),
            )),
            reads: IntCounterVec::new(
                Opts::new(
                    "mosaic_db_reads_total",
                    "Query operations, by the database that answered them",
                ),
                &["database"],
            )?,
        })
    }

    /// Whether the replica may answer a read of `caller` (a rate-limit key): it keeps up,
    /// and it has replayed the caller's last write. A write older than the lag the replica
    /// is allowed needs no memory: a replica that keeps up has replayed it.
    pub fn serves(&self, caller: &str) -> bool {
        let replayed = self.replayed.load(Ordering::Acquire);
        if replayed < 0 {
            return false;
        }
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        match writes.get(caller) {
            Some(&(position, at)) if replayed < position && at.elapsed() <= self.max_lag => false,
            Some(_) => {
                writes.pop(caller);
                true
            }
            None => true,
        }
    }

    /// Notes that `caller` has just written on `primary`, whose position after the write is
    /// read now (a write it cannot read keeps the caller on the primary for the lag allowed).
    pub async fn wrote(&self, primary: &DatabaseConnection, caller: String) {
        let position = position(primary, PRIMARY).await.ok().flatten();
        self.writes
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .put(caller, (position.unwrap_or(i64::MAX), Instant::now()));
    }

    /// A read on the replica failed for want of it: reads go to the primary until the
    /// watcher sees it keep up again.
    pub fn away(&self) {
        self.replayed.store(-1, Ordering::Release);
    }

    /// Counts a query operation answered by the replica (`true`) or the primary.
    pub fn answered(&self, on_replica: bool) {
        let database = if on_replica { "replica" } else { "primary" };
        self.reads.with_label_values(&[database]).inc();
    }

    /// Watches the replica for as long as the application runs.
    pub fn watch(self: &Arc<Self>, primary: DatabaseConnection) {
        let replica = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut history: VecDeque<(Instant, i64)> = VecDeque::new();
            let mut every = tokio::time::interval(POLL);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut serving = false;
            loop {
                every.tick().await;
                let Some(replica) = replica.upgrade() else {
                    return;
                };
                let verdict = replica.look(&primary, &mut history).await;
                replica.replayed.store(
                    verdict.as_ref().map_or(-1, |replayed| *replayed),
                    Ordering::Release,
                );
                match (&verdict, serving) {
                    (Ok(_), false) => tracing::info!("the read replica keeps up: it serves reads"),
                    (Err(why), true) => {
                        tracing::warn!(%why, "reads go to the primary");
                    }
                    _ => {}
                }
                serving = verdict.is_ok();
            }
        });
    }

    /// WAL the replica has replayed, if it keeps up with the primary: it has replayed at least
    /// what the primary had written `max_lag` ago (or at the first look, when the watcher
    /// has not been watching that long).
    async fn look(
        &self,
        primary: &DatabaseConnection,
        history: &mut VecDeque<(Instant, i64)>,
    ) -> Result<i64, String> {
        let now = Instant::now();
        let written = position(primary, PRIMARY)
            .await
            .map_err(|e| format!("the primary's position is unreadable: {e}"))?
            .ok_or("the primary has no WAL position")?;
        history.push_back((now, written));
        // Keep the newest look at least `max_lag` old, and those after it.
        while history
            .get(1)
            .is_some_and(|(at, _)| now.duration_since(*at) >= self.max_lag)
        {
            history.pop_front();
        }
        let replayed = position(&self.connection, REPLAYED)
            .await
            .map_err(|e| format!("the read replica is away: {e}"))?
            .ok_or("MOSAIC_DATABASE_READ_URL is no standby: it replays nothing")?;
        let (_, due) = history.front().copied().unwrap_or((now, written));
        if replayed >= due {
            Ok(replayed)
        } else {
            Err(format!(
                "the read replica is {} bytes behind what the primary had written {:?} ago",
                due - replayed,
                self.max_lag
            ))
        }
    }
}

/// A WAL position in bytes, read with `sql`; bounded by `ANSWER`.
async fn position(db: &DatabaseConnection, sql: &str) -> Result<Option<i64>, DbErr> {
    let statement = Statement::from_string(db.get_database_backend(), sql);
    let row = tokio::time::timeout(ANSWER, db.query_one_raw(statement))
        .await
        .map_err(|_| DbErr::Custom(format!("no answer within {ANSWER:?}")))??;
    match row {
        Some(row) => row.try_get_by_index::<Option<i64>>(0),
        None => Ok(None),
    }
}
