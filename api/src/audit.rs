//! The audit trail: one row per write, written in the write's own transaction.

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
