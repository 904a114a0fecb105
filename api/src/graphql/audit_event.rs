//! The audit trail, for admins (everything) and coordinators (events in their countries).

use async_graphql::{Context, ID, InputObject, Object};
use entity::audit_event;
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::access;
use crate::db::positioned::Columns;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Total, connection};
use crate::graphql::context::request;
use crate::graphql::enums::AuditEntity;
use crate::graphql::global_id;
use crate::graphql::pagination::{
    CursorValue, Keyset, PageArgs, SortKey, count_statement, fetch_page,
};
use crate::graphql::scalars::DateTime;
use crate::ids::Kind;

#[derive(Clone)]
pub struct AuditEvent(pub audit_event::Model);

/// One entry of the audit trail: a write (or a read of personal data), who made it, when,
/// and the row before and after.
#[Object]
impl AuditEvent {
    /// Opaque global id of the entry.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::AuditEvent, self.0.id)
    }

    /// The same as `at`: an audit event never changes.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.at)
    }

    /// When it happened (UTC).
    async fn at(&self) -> DateTime {
        DateTime(self.0.at)
    }

    /// The token's subject (`api-token:<id>` for API tokens).
    async fn actor(&self) -> &str {
        &self.0.actor_subject
    }

    /// How the actor authenticated; null only for a kind this server no longer knows.
    async fn actor_kind(&self) -> Option<crate::graphql::enums::ActorKind> {
        crate::graphql::enums::ActorKind::from_stored(&self.0.actor_kind)
    }

    /// The mutation, e.g. `updateProject`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The kind of row, e.g. `PROJECT`, `WORKSHOP`, `REGISTRATION`; `PERSONAL_DATA` for
    /// reads and erasures of personal data; null only for a kind this server no longer
    /// writes.
    async fn entity(&self) -> Option<AuditEntity> {
        AuditEntity::from_stored(&self.0.entity)
    }

    /// The row's key: usually its UUID (not its global id); a country's ISO code; for an
    /// exchange rate `currency:date`.
    async fn entity_id(&self) -> &str {
        &self.0.entity_id
    }

    /// ISO code of the country whose coordinators see the entry; null for what belongs to
    /// no country (e.g. programmes, exchange rates, reads of personal data): admins only.
    async fn country(&self) -> Option<&str> {
        self.0.country_code.as_deref()
    }

    /// The row before the write (registrations without personal data).
    async fn before(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0.before.clone().map(async_graphql::Json)
    }

    /// The row after the write, as the trail keeps it (registrations without personal data);
    /// null for a delete.
    async fn after(&self) -> Option<async_graphql::Json<serde_json::Value>> {
        self.0.after.clone().map(async_graphql::Json)
    }
}

/// Which audit entries to list; fields combine with AND and match exactly.
#[derive(InputObject, Default)]
pub struct AuditEventFilter {
    /// Kinds of row, any of them.
    pub entities: Option<Vec<AuditEntity>>,
    /// The row's key, as `entityId` gives it.
    pub entity_id: Option<String>,
    /// Actor subject.
    pub actor: Option<String>,
    /// Entries at or after this instant.
    pub at_from: Option<DateTime>,
    /// Entries before this instant; one before `from` answers BAD_USER_INPUT.
    pub at_to: Option<DateTime>,
}

connection!(
    AuditEventConnection,
    AuditEventEdge,
    AuditEvent,
    "audit events"
);

#[derive(Default)]
pub struct AuditEventQuery;

#[paged]
#[Object]
impl AuditEventQuery {
    /// Writes, newest first: all for admins, those in their countries for coordinators.
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which entries to list; every one you may read when left out.")]
        filter: Option<AuditEventFilter>,
        page: PageArgs,
    ) -> ApiResult<AuditEventConnection> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let Some(readable) = access::audit_events(&rc.caller) else {
            return Err(access::forbidden(
                "only coordinators and admins read the audit trail",
            ));
        };
        let mut select = audit_event::Entity::find().filter(readable);
        let filter = filter.unwrap_or_default();
        if let Some(entities) = filter.entities {
            select = select.filter(
                audit_event::Column::Entity.is_in(entities.into_iter().map(AuditEntity::stored)),
            );
        }
        if let Some(id) = filter.entity_id {
            select = select.filter(audit_event::Column::EntityId.eq(id));
        }
        if let Some(actor) = filter.actor {
            select = select.filter(audit_event::Column::ActorSubject.eq(actor));
        }
        if let (Some(from), Some(to)) = (filter.at_from, filter.at_to)
            && to < from
        {
            return Err(ApiError::bad_input(
                "filter.atTo",
                "`atTo` is before `atFrom`",
            ));
        }
        if let Some(from) = filter.at_from {
            select = select.filter(audit_event::Column::At.gte(from.0));
        }
        if let Some(to) = filter.at_to {
            select = select.filter(audit_event::Column::At.lt(to.0));
        }
        let keyset = Keyset {
            signature: "audit:newest".into(),
            keys: vec![
                SortKey {
                    column: audit_event::Column::At,
                    descending: true,
                },
                SortKey {
                    column: audit_event::Column::Id,
                    descending: true,
                },
            ],
        };
        let page = fetch_page(&rc.db, select.clone(), &keyset, &page, Columns::ALL, |e| {
            vec![CursorValue::Instant(e.at), CursorValue::Id(e.id)]
        })
        .await?;
        Ok(AuditEventConnection::new(
            page.map(AuditEvent),
            Total::Query(Box::new(count_statement(select))),
        ))
    }
}
