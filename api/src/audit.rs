//! The audit trail: one row per write, written in the write's own transaction.

use std::collections::BTreeSet;
use std::sync::Mutex;

use chrono::Utc;
use entity::audit_event;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiResult;

pub struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub country: Option<String>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

pub async fn record(
    db: &impl ConnectionTrait,
    caller: &Caller,
    change: Change<'_>,
) -> ApiResult<()> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(Utc::now()),
        actor_subject: Set(caller.subject().unwrap_or_else(|| "anonymous".into())),
        actor_kind: Set(caller.method().as_str().to_owned()),
        action: Set(change.action.to_owned()),
        entity: Set(change.entity.to_owned()),
        entity_id: Set(change.entity_id),
        country_code: Set(change.country),
        before: Set(change.before),
        after: Set(change.after),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A row as audit JSON (models serialise without secrets).
pub fn snapshot<T: serde::Serialize>(row: &T) -> Option<Json> {
    serde_json::to_value(row).ok()
}

/// The personal data one request read (registrations', contacts' identities), written as one
/// audit row when the request is answered: who read which rows, and when.
#[derive(Default)]
pub struct PersonalReads(Mutex<BTreeSet<(&'static str, Uuid)>>);

impl PersonalReads {
    pub fn note(&self, entity: &'static str, id: Uuid) {
        if let Ok(mut read) = self.0.lock() {
            read.insert((entity, id));
        }
    }

    /// Whether the answer holds personal data: it is never stored by a cache.
    pub fn any(&self) -> bool {
        self.0.lock().map_or(true, |read| !read.is_empty())
    }

    /// Writes the audit row of what was read, if anything was, filed under no country (admins
    /// see it). An anonymous caller reads only its own registration (by its manage token, or
    /// in the answer to registering), which is not recorded: refusing that answer for want of
    /// an audit row would lose the one-time token of a registration already made.
    pub async fn record(&self, db: &impl ConnectionTrait, caller: &Caller) -> ApiResult<()> {
        if caller.is_anonymous() {
            return Ok(());
        }
        let read: Vec<(&'static str, Uuid)> = match self.0.lock() {
            Ok(read) => read.iter().copied().collect(),
            Err(_) => return Err(crate::error::ApiError::internal("personal reads poisoned")),
        };
        if read.is_empty() {
            return Ok(());
        }
        let ids = |entity: &str| -> Vec<String> {
            read.iter()
                .filter(|(e, _)| *e == entity)
                .map(|(_, id)| id.to_string())
                .collect()
        };
        let after = serde_json::json!({
            "registrations": ids("Registration"),
            "contacts": ids("Contact"),
        });
        record(
            db,
            caller,
            Change {
                action: "readPersonalData",
                entity: "PersonalData",
                entity_id: Uuid::now_v7().to_string(),
                country: None,
                before: None,
                after: Some(after),
            },
        )
        .await
    }
}
