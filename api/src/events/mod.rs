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

mod listener;

use std::sync::Arc;

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
}

enum Transport {
    InProcess,
    Postgres { channel: String },
}

impl Events {
    /// Events within this process (SQLite: one instance).
    pub fn in_process() -> Self {
        Self::with(Transport::InProcess)
    }

    /// Events through PostgreSQL's NOTIFY on `channel`; `listen` must run for this instance to
    /// receive any, its own included.
    pub fn postgres(channel: impl Into<String>) -> Self {
        Self::with(Transport::Postgres {
            channel: channel.into(),
        })
    }

    fn with(transport: Transport) -> Self {
        let (sender, _) = broadcast::channel(BACKLOG);
        Self {
            inner: Arc::new(Inner {
                sender,
                transport,
                commit_order: Mutex::new(()),
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
            Transport::Postgres { .. } => txn.commit().await,
            Transport::InProcess => {
                let _order = self.inner.commit_order.lock().await;
                txn.commit().await?;
                self.deliver(staged.0);
                Ok(())
            }
        }
    }

    /// Hands a committed notice to this instance's subscribers (none listening is fine).
    pub(crate) fn deliver(&self, notice: Notice) {
        let _ = self.inner.sender.send(Arc::new(notice));
    }
}
