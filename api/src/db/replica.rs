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
/// Callers whose last write is remembered; beyond, the oldest is forgotten, and every read
/// then waits for the replica to replay its write (`Replica::floor`).
const WRITERS: usize = 10_000;
/// How old the watcher's verdict may be: a poll, and a look that waits on both servers.
const VERDICT_AGE: Duration = Duration::from_millis(200 + 2 * 1000);

/// Where the primary writes WAL now, in bytes.
const PRIMARY: &str = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint";
/// How much WAL a standby has replayed, in bytes; NULL on a server that is no standby.
const REPLAYED: &str = "SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint";

pub struct Replica {
    pub connection: DatabaseConnection,
    max_lag: Duration,
    /// WAL the replica had replayed at the last look, or -1 while it may not serve reads.
    replayed: AtomicI64,
    /// Where the primary was at the last look.
    written: AtomicI64,
    /// What the replica must have replayed to serve anyone: the position of the writes of
    /// writers forgotten to keep `writes` bounded.
    floor: AtomicI64,
    /// Each writer's last write, as `Written`.
    writes: Mutex<lru::LruCache<String, Written>>,
    /// Query operations by the server that answered them.
    pub reads: IntCounterVec,
}

/// A writer's last write: the primary's position just after it (`None` when it could not
/// be read), and when.
#[derive(Clone, Copy)]
struct Written {
    position: Option<i64>,
    at: Instant,
}

impl Replica {
    pub fn new(connection: DatabaseConnection, max_lag: Duration) -> prometheus::Result<Self> {
        Ok(Self {
            connection,
            max_lag,
            replayed: AtomicI64::new(-1),
            written: AtomicI64::new(0),
            floor: AtomicI64::new(0),
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
    /// and it has replayed the caller's last write. A write whose position is unknown keeps
    /// its writer on the primary until the replica must have replayed it: the lag allowed,
    /// plus the age of the watcher's verdict.
    pub fn serves(&self, caller: &str) -> bool {
        let replayed = self.replayed.load(Ordering::Acquire);
        if replayed < 0 || replayed < self.floor.load(Ordering::Acquire) {
            return false;
        }
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(written) = writes.get(caller).copied() else {
            return true;
        };
        let replayed_it = match written.position {
            Some(position) => replayed >= position,
            None => written.at.elapsed() > self.max_lag + VERDICT_AGE,
        };
        if replayed_it {
            writes.pop(caller);
        }
        replayed_it
    }

    /// Notes that `caller` has just written on `primary`, whose position after the write is
    /// read now.
    pub async fn wrote(&self, primary: &DatabaseConnection, caller: String) {
        let position = position(primary, PRIMARY).await.ok().flatten();
        let mut writes = self.writes.lock().unwrap_or_else(PoisonError::into_inner);
        // Two writes of one caller may finish in either order: the later position counts.
        let position = match (writes.peek(&caller).map(|w| w.position), position) {
            (Some(Some(before)), Some(now)) => Some(before.max(now)),
            (Some(None), _) | (_, None) => None,
            (None, now) => now,
        };
        let evicted = writes.push(
            caller.clone(),
            Written {
                position,
                at: Instant::now(),
            },
        );
        if let Some((other, forgotten)) = evicted
            && other != caller
        {
            // Forgotten, that writer's write must still be seen: by every read, then.
            let must = forgotten
                .position
                .unwrap_or_else(|| self.written.load(Ordering::Acquire));
            self.floor.fetch_max(must, Ordering::AcqRel);
        }
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
        let written = match position(primary, PRIMARY).await {
            Ok(Some(written)) => written,
            failed => {
                // Positions from before a gap would judge the replica by old news.
                history.clear();
                return Err(match failed {
                    Err(e) => format!("the primary's position is unreadable: {e}"),
                    _ => "the primary has no WAL position".into(),
                });
            }
        };
        self.written.fetch_max(written, Ordering::AcqRel);
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
