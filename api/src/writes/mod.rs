//! The write pipeline. Every mutation runs as one `Write`, which owns, in this order:
//! the sign-in check (`begin`; `open` for the few writes the public may make), one write
//! transaction (`db::begin_write`), rows loaded under the caller's visibility (a row it may
//! not see is NOT_FOUND, exactly like a missing one, before any rule about it is told), the
//! versioned update with CONFLICT, derived data kept in step (`Audited::refresh`), the audit
//! row with the entity's own audit view, the search index, the event a workshop change
//! causes, and the commit. A mutation resolver parses its input into a command, checks its
//! `access` rule on what `find` returned, and calls these.

pub mod api_token;
mod audited;
pub mod exchange_rates;
pub mod funding;
pub mod project;
pub mod project_parts;
pub mod registration;
pub mod retention;
pub mod terms;
pub mod workshop;

pub use audited::{Audited, Keyed, Versioned};

use chrono::{SubsecRound, Utc};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue, ColumnTrait, Condition, DatabaseConnection,
    DatabaseTransaction, EntityTrait, IdenStatic, IntoActiveModel, Iterable, ModelTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait as _},
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::access;
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::{lock_row, refuse_if_used, versioned_update};
use crate::derived::participation_counts;
use crate::domain::illustrative;
use crate::domain::text::Written;
use crate::error::{ApiError, ApiResult};
use crate::events::{self, Events};

/// BAD_USER_INPUT on `field` when a parent already holds `max` rows of a bounded list.
fn refuse_beyond(count: i64, max: i64, field: &str) -> ApiResult<()> {
    if count >= max {
        return Err(ApiError::bad_input(
            field,
            format!("it already holds {max}, the most it may"),
        ));
    }
    Ok(())
}

/// The `ActiveModel` of a row a mutation creates: the columns given, and those the pipeline
/// owns for every new row (a v7 `id`, version 1, `updated_at`, which `insert` stamps). The
/// columns are given without `..`, so a column added to the entity later fails to compile
/// until each create sets it.
macro_rules! new_row {
    ($entity:ident { $($column:ident: $value:expr),* $(,)? }) => {
        $entity::ActiveModel {
            id: sea_orm::ActiveValue::Set(uuid::Uuid::now_v7()),
            updated_at: sea_orm::ActiveValue::NotSet,
            version: sea_orm::ActiveValue::Set(1),
            $($column: $value),*
        }
    };
}
pub(crate) use new_row;

/// `new_row!` for an entity the seed may invent values of: a row a mutation writes is not
/// illustrative and has no invented fields.
macro_rules! new_real_row {
    ($entity:ident { $($column:ident: $value:expr),* $(,)? }) => {
        $crate::writes::new_row!($entity {
            illustrative: sea_orm::ActiveValue::Set(false),
            illustrative_fields: sea_orm::ActiveValue::Set(serde_json::json!([])),
            $($column: $value),*
        })
    };
}
pub(crate) use new_real_row;

/// A column a command changes only when it names a value.
pub fn changed<V: Into<sea_orm::Value>>(value: Option<V>) -> ActiveValue<V> {
    value.map_or(ActiveValue::NotSet, ActiveValue::Set)
}

/// Translated texts a command changes only when given; stored with the row's original
/// language among them when `required`.
pub fn changed_texts(
    value: Option<Written>,
    field: &str,
    original: &str,
    required: bool,
) -> ApiResult<ActiveValue<Json>> {
    Ok(changed(
        value
            .map(|texts| texts.stored(field, original, required))
            .transpose()?,
    ))
}

/// `row` with its `updated_at` (for entities with one) set to now, to the millisecond that
/// `DateTime` shows, so that a client's `updatedSince` of the value it read includes the row.
fn stamped<E, A>(mut row: A) -> A
where
    E: Audited,
    E::Model: Sync + Send,
    A: ActiveModelTrait<Entity = E>,
{
    if let Some(column) = E::updated_at() {
        row.set(column, Utc::now().trunc_subsecs(3).into());
    }
    row
}

/// `changes` with the values it changes taken off the row's list of invented values.
fn made_real<E, A>(current: &E::Model, mut changes: A) -> A
where
    E: Audited,
    E::Model: Sync + Send,
    A: ActiveModelTrait<Entity = E>,
{
    if let Some((stored, column)) = E::invented(current) {
        // A use case may have taken names off already (links it replaced: `regions`).
        let stored = match changes.get(column).into_value() {
            Some(sea_orm::Value::Json(Some(list))) => *list,
            _ => stored.clone(),
        };
        let stored = &stored;
        let set: Vec<String> = E::Column::iter()
            .filter(|c| c.as_str() != column.as_str())
            .filter(|c| {
                // Set to a new value, not merely written back as it was.
                let value = changes.get(*c);
                value.is_set() && value.into_value().is_some_and(|v| v != current.get(*c))
            })
            .map(|c| illustrative::api_name(c.as_str()))
            .collect();
        if let Some(left) = illustrative::cleared(stored, &set) {
            changes.set(column, left.into());
        }
    }
    changes
}

/// One write: a transaction of one caller.
pub struct Write<'c> {
    txn: DatabaseTransaction,
    caller: &'c Caller,
}

impl<'c> Write<'c> {
    /// Anonymous callers are told to sign in before anything else happens.
    pub async fn begin(db: &DatabaseConnection, caller: &'c Caller) -> ApiResult<Self> {
        access::require_signed_in(caller)?;
        Self::open(db, caller).await
    }

    /// A write anyone may attempt (registering for a public workshop); its rule decides.
    pub async fn open(db: &DatabaseConnection, caller: &'c Caller) -> ApiResult<Self> {
        Ok(Self {
            txn: crate::db::begin_write(db).await?,
            caller,
        })
    }

    pub fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    pub fn caller(&self) -> &Caller {
        self.caller
    }

    /// Row `id` of `E` if the caller may see it (`visible`, from `access`); NOT_FOUND when it
    /// may not, exactly as when the row does not exist.
    pub async fn find<E>(&self, id: E::Key, visible: Condition) -> ApiResult<E::Model>
    where
        E: Keyed,
        E::Model: Sync + Send,
    {
        E::find()
            .filter(E::id_column().eq(id))
            .filter(visible)
            .one(&self.txn)
            .await?
            .ok_or_else(|| ApiError::not_found(E::NOUN))
    }

    /// The row of `E` an input field refers to (a funder, a host, a parent region): a missing
    /// one is BAD_USER_INPUT on `field`, whereas the row a mutation targets is NOT_FOUND
    /// (`find`). For public reference data only: it tells whether the row exists.
    pub async fn referenced<E>(&self, field: &str, id: E::Key) -> ApiResult<E::Model>
    where
        E: Keyed,
        E::Model: Sync + Send,
    {
        E::find()
            .filter(E::id_column().eq(id))
            .one(&self.txn)
            .await?
            .ok_or_else(|| ApiError::bad_input(field, format!("`{field}` names no {}", E::NOUN)))
    }

    /// Reference row `id` of `E` (organisations, regions, resource centres: public, so which
    /// exist is no secret) if the caller administers the country it belongs to
    /// (`Audited::country`); FORBIDDEN otherwise.
    pub async fn administered<E>(&self, id: E::Key) -> ApiResult<E::Model>
    where
        E: Keyed,
        E::Model: Sync + Send,
    {
        let row = self.find::<E>(id, Condition::all()).await?;
        if access::administers(self.caller, E::country(&self.txn, &row).await?.as_deref()) {
            Ok(row)
        } else {
            Err(access::forbidden(format!(
                "you may not change this {}",
                E::NOUN
            )))
        }
    }

    /// Takes workshop `id`'s row lock, so that counting its seats and the write that follows
    /// are serial with every other write to it.
    pub async fn lock_workshop(&self, id: Uuid) -> ApiResult<()> {
        Ok(lock_row::<entity::workshop::Entity>(
            &self.txn,
            (
                entity::workshop::Column::Id,
                entity::workshop::Column::Version,
            ),
            id,
        )
        .await?)
    }

    /// Where a new row goes among `parent`'s rows of `E` (after the last, by
    /// `position_column`), refusing it as `bounded` does.
    pub async fn next_position<E: EntityTrait>(
        &self,
        parent: (E::Column, Uuid),
        position_column: E::Column,
        max: i64,
        field: &str,
    ) -> ApiResult<i32> {
        let (last, count) = E::find()
            .select_only()
            .column_as(Expr::col(position_column).max(), "last")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(parent.0.eq(parent.1))
            .into_tuple::<(Option<i32>, i64)>()
            .one(&self.txn)
            .await?
            .unwrap_or((None, 0));
        refuse_beyond(count, max, field)?;
        Ok(last.map_or(0, |p| p + 1))
    }

    /// Refuses a new row of `E` under `parent` on `field` when the parent already holds
    /// `max`: the short lists under a project stay bounded.
    pub async fn bounded<E>(
        &self,
        parent: (E::Column, Uuid),
        max: i64,
        field: &str,
    ) -> ApiResult<()>
    where
        E: EntityTrait,
        E::Model: Sync + Send,
    {
        let count = E::find()
            .filter(parent.0.eq(parent.1))
            .count(&self.txn)
            .await?;
        refuse_beyond(i64::try_from(count).unwrap_or(i64::MAX), max, field)
    }

    /// Inserts a row, with its audit row and search words.
    pub async fn insert<E, A>(&self, action: &str, row: A) -> ApiResult<E::Model>
    where
        E: Audited,
        E::Model: IntoActiveModel<A> + Sync + Send,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    {
        let row = stamped::<E, A>(row).insert(&self.txn).await?;
        let created = E::refresh(&self.txn, None, row).await?;
        self.record::<E>(action, None, Some(&created)).await?;
        Ok(created)
    }

    /// Replaces `existing` (if any) by `row` under the same key, with one audit row holding
    /// both.
    pub async fn put<E, A>(
        &self,
        action: &str,
        existing: Option<E::Model>,
        row: A,
    ) -> ApiResult<E::Model>
    where
        E: Audited,
        E::Model: IntoActiveModel<A> + Sync + Send + Clone,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    {
        if let Some(old) = &existing {
            old.clone().into_active_model().delete(&self.txn).await?;
        }
        let inserted = stamped::<E, A>(row).insert(&self.txn).await?;
        let stored = E::refresh(&self.txn, existing.as_ref(), inserted).await?;
        self.record::<E>(action, existing.as_ref(), Some(&stored))
            .await?;
        Ok(stored)
    }

    /// Applies `changes` if `expected` is still the row's version (CONFLICT otherwise), with
    /// the audit row (before and after) and search words. A value it sets is no longer an
    /// invented one (`Audited::invented`).
    pub async fn update<E, A>(
        &self,
        action: &str,
        current: &E::Model,
        expected: i32,
        changes: A,
    ) -> ApiResult<E::Model>
    where
        E: Versioned,
        E::Model: Sync + Send,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        let updated = versioned_update(
            &self.txn,
            E::NOUN,
            E::id(current),
            (E::id_column(), E::version_column()),
            E::version(current),
            expected,
            stamped::<E, A>(made_real::<E, A>(current, changes)),
        )
        .await?;
        let updated = E::refresh(&self.txn, Some(current), updated).await?;
        self.record::<E>(action, Some(current), Some(&updated))
            .await?;
        Ok(updated)
    }

    /// A change of state with no version to compare: one made under the row lock of what it
    /// belongs to (a registration's status), or one that is idempotent (revoking a token).
    /// `changes` starts from the current row.
    pub async fn change<E, A>(
        &self,
        action: &str,
        current: &E::Model,
        changes: A,
    ) -> ApiResult<E::Model>
    where
        E: Keyed,
        E::Model: IntoActiveModel<A> + Sync + Send,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    {
        let updated = stamped::<E, A>(changes).update(&self.txn).await?;
        let updated = E::refresh(&self.txn, Some(current), updated).await?;
        self.record::<E>(action, Some(current), Some(&updated))
            .await?;
        Ok(updated)
    }

    /// Deletes a row nothing uses (`uses`: what still refers to it, from `db::rows`), with
    /// its audit row; its search words go with it.
    pub async fn delete<E>(
        &self,
        action: &str,
        current: &E::Model,
        uses: Vec<Option<String>>,
    ) -> ApiResult<()>
    where
        E: Keyed,
        E::Model: Sync + Send,
    {
        refuse_if_used(E::NOUN, uses)?;
        E::delete_many()
            .filter(E::id_column().eq(E::id(current)))
            .exec(&self.txn)
            .await?;
        E::removed(&self.txn, current).await?;
        self.record::<E>(action, Some(current), None).await
    }

    /// Commits; nothing of the write is visible before, all of it after.
    /// Every instance hears of the write (`hub`), so that no kept answer outlives it.
    pub async fn commit(self, hub: &Events) -> ApiResult<()> {
        Ok(hub.commit_change(self.txn).await?)
    }

    /// Undoes everything this write did: for a write that turned out to change nothing (its
    /// locks and version checks may have touched rows), so that no instance is told of it.
    pub async fn roll_back(self) -> ApiResult<()> {
        Ok(self.txn.rollback().await?)
    }

    /// Commits with the event this write causes to workshop `id`: its project's kept
    /// participation counts are refreshed and the event is staged with the seats as of this
    /// transaction, so the event goes out if and only if the write commits.
    pub async fn commit_announcing(
        self,
        hub: &Events,
        id: Uuid,
        kind: events::Kind,
    ) -> ApiResult<()> {
        let found = entity::workshop::Entity::find_by_id(id)
            .one(&self.txn)
            .await?
            .ok_or_else(|| {
                ApiError::internal("announced workshop vanished in its own transaction")
            })?;
        participation_counts::refresh(&self.txn, found.project_id).await?;
        let (seats, seat_keys) = crate::derived::seats::taken_with_keys(&self.txn, id).await?;
        let notice = events::Notice {
            kind,
            workshop: id,
            project: found.project_id,
            country: entity::workshop::Entity::country(&self.txn, &found)
                .await?
                .unwrap_or_default(),
            seats_taken: seats,
            seat_keys,
            at: Utc::now(),
        };
        let staged = hub.stage(&self.txn, notice).await?;
        Ok(hub.commit(self.txn, staged).await?)
    }

    /// Records a write of many rows of `E` (a file of exchange rates) as one audit row that
    /// says what it held, filed under no country.
    pub async fn record_many<E>(&self, action: &str, summary: Json) -> ApiResult<()>
    where
        E: Audited,
        E::Model: Sync + Send,
    {
        let views = (None, Some(summary));
        self.audit::<E>(action, action.to_owned(), None, views)
            .await
    }

    /// The audit row of a write to `E`: its key, its country, and its views before and after.
    async fn audit<E>(
        &self,
        action: &str,
        entity_id: String,
        country: Option<String>,
        (before, after): (Option<Json>, Option<Json>),
    ) -> ApiResult<()>
    where
        E: Audited,
        E::Model: Sync + Send,
    {
        let change = Change {
            action,
            entity: E::NAME,
            entity_id,
            country,
            before,
            after,
        };
        audit::record(&self.txn, self.caller, change).await
    }

    async fn record<E>(
        &self,
        action: &str,
        before: Option<&E::Model>,
        after: Option<&E::Model>,
    ) -> ApiResult<()>
    where
        E: Audited,
        E::Model: Sync + Send,
    {
        let Some(row) = after.or(before) else {
            return Err(ApiError::internal("a write with no row"));
        };
        match (before.and_then(E::search), after.and_then(E::search)) {
            (_, Some((kind, id, texts))) => {
                crate::search::index_texts(&self.txn, kind, id, &texts).await?
            }
            (Some((kind, id, _)), None) => crate::search::forget(&self.txn, kind, id).await?,
            (None, None) => {}
        }
        let country = E::country(&self.txn, row).await?;
        let views = (before.and_then(E::view), after.and_then(E::view));
        self.audit::<E>(action, E::key(row), country, views).await
    }
}
