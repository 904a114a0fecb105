//! Workshop events for subscriptions, delivered only after the write that caused them commits.
//!
//! A write *stages* a [`Notice`] inside its transaction and hands the transaction to
//! [`Events::commit`]. On PostgreSQL staging is a `pg_notify` in that transaction: the database
//! delivers it to every instance's listener (`listener.rs`) at commit, in commit order, and
//! never for a rollback. On SQLite (one instance) the notice is broadcast in process right
//! after the commit, under a lock so broadcasts keep commit order.
//!
//! A notice holds ids and the seat count only; each subscriber reads the workshop itself with
//! its own access rules, so no one learns about a row they may not see.
//!
//! Every other committed write travels the same way as an empty notification, and each
//! instance counts the writes it hears (`generation`): the response cache keeps an answer only
//! while that count stands still, so a write on any instance retires every kept answer.

mod listener;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, Statement};
use serde::{Deserialize, Serialize};
use tokio::sync::{Mutex, broadcast};
use uuid::Uuid;

pub use listener::listen;

/// How many notices a subscriber may fall behind before it is dropped as too slow.
pub const BACKLOG: usize = 256;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Created,
    Updated,
    Cancelled,
    RegistrationChanged,
}

/// What changed, as of the commit that changed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub kind: Kind,
    pub workshop: Uuid,
    pub project: Uuid,
    /// The owning project's country.
    pub country: String,
    /// Seats taken (REGISTERED or ATTENDED) when the write committed.
    pub seats_taken: i64,
    /// The sum of their record keys: subscribers without rights to the people get the count
    /// perturbed, as `Workshop.seatsTaken` is (`domain::cell_key`).
    #[serde(default)]
    pub seat_keys: i64,
    pub at: DateTime<Utc>,
}

/// A notice waiting for its transaction to commit.
#[must_use = "pass it to Events::commit with its transaction"]
pub struct Staged(Notice);

#[derive(Clone)]
pub struct Events {
    inner: Arc<Inner>,
}

struct Inner {
    sender: broadcast::Sender<Arc<Notice>>,
    transport: Transport,
    /// Keeps in-process broadcasts in commit order (SQLite has one writer at a time anyway).
    commit_order: Mutex<()>,
    /// How many committed writes this instance has heard of (its own, and on PostgreSQL
    /// every instance's).
    generation: AtomicU64,
    /// Whether other instances' writes are heard: false while the PostgreSQL listener is
    /// away, when they would go unnoticed.
    hearing: AtomicBool,
}

enum Transport {
    InProcess,
    Postgres { channel: String },
}

impl Events {
    /// Events within this process (SQLite: one instance).
    pub fn in_process() -> Self {
        let events = Self::with(Transport::InProcess);
        events.inner.hearing.store(true, Ordering::SeqCst);
        events
    }

    /// Events through PostgreSQL's NOTIFY on `channel`; `listen` must run for this instance to
    /// receive any, its own included.
    pub fn postgres(channel: impl Into<String>) -> Self {
        Self::with(Transport::Postgres {
            channel: channel.into(),
        })
    }

    /// The events of `db`'s tables, without listening: for a process that only writes (the
    /// command line), whose writes other instances must still hear of.
    pub async fn of(db: &sea_orm::DatabaseConnection) -> Result<Self, DbErr> {
        Ok(match channel(db).await? {
            Some(channel) => Self::postgres(channel),
            None => Self::in_process(),
        })
    }

    fn with(transport: Transport) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        Self {
            inner: Arc::new(Inner {
                sender,
                transport,
                commit_order: Mutex::new(()),
                generation: AtomicU64::new(0),
                hearing: AtomicBool::new(false),
            }),
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Notice>> {
        self.inner.sender.subscribe()
    }

    /// Records `notice` inside `txn`; it reaches subscribers only if `commit` succeeds.
    pub async fn stage(&self, txn: &DatabaseTransaction, notice: Notice) -> Result<Staged, DbErr> {
        if let Transport::Postgres { channel } = &self.inner.transport {
            let payload = serde_json::to_string(&notice)
                .map_err(|e| DbErr::Custom(format!("event payload: {e}")))?;
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [channel.as_str().into(), payload.into()],
            ))
            .await?;
        }
        Ok(Staged(notice))
    }

    /// Commits `txn`, then lets its staged notice go.
    pub async fn commit(&self, txn: DatabaseTransaction, staged: Staged) -> Result<(), DbErr> {
        match self.inner.transport {
            Transport::Postgres { .. } => {
                txn.commit().await?;
                // The listener delivers the notice; counting it now too keeps this
                // instance's kept answers from outliving the write by that delay.
                self.changed();
                Ok(())
            }
            Transport::InProcess => {
                let _order = self.inner.commit_order.lock().await;
                txn.commit().await?;
                self.deliver(staged.0);
                Ok(())
            }
        }
    }

    /// Commits `txn`, a write with no workshop event, and lets every instance know that the
    /// data changed.
    pub async fn commit_change(&self, txn: DatabaseTransaction) -> Result<(), DbErr> {
        if let Transport::Postgres { channel } = &self.inner.transport {
            txn.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, '')",
                [channel.as_str().into()],
            ))
            .await?;
        }
        txn.commit().await?;
        self.changed();
        Ok(())
    }

    /// Hands a committed notice to this instance's subscribers (none listening is fine).
    pub(crate) fn deliver(&self, notice: Notice) {
        let _ = self.inner.sender.send(Arc::new(notice));
        self.changed();
    }

    /// Counts a committed write.
    pub(crate) fn changed(&self) {
        self.inner.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Whether other instances' writes are heard now; a change either way counts as a write,
    /// since some may have gone unheard.
    pub(crate) fn set_hearing(&self, hearing: bool) {
        self.inner.hearing.store(hearing, Ordering::SeqCst);
        self.changed();
    }

    /// How many writes this instance has heard of, or `None` while it may miss some: what a
    /// kept answer is valid for.
    pub fn generation(&self) -> Option<u64> {
        self.inner
            .hearing
            .load(Ordering::SeqCst)
            .then(|| self.inner.generation.load(Ordering::SeqCst))
    }
}

/// The NOTIFY channel of `db`'s tables on PostgreSQL (`None` on SQLite): named after the
/// schema, so instances share it only when they share the tables.
pub async fn channel(db: &sea_orm::DatabaseConnection) -> Result<Option<String>, DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(None);
    }
    let schema: String = db
        .query_one_raw(Statement::from_string(
            DbBackend::Postgres,
            "SELECT current_schema() AS name",
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("no current schema".into()))?
        .try_get("", "name")?;
    Ok(Some(format!("mosaic_workshop_events.{schema}")))
}
