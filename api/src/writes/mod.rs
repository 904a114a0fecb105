//! The write pipeline: every mutation that goes through it gets, from one place, the sign-in
//! check, a write transaction (`db::begin_write`), rows loaded under the caller's visibility
//! (a row it may not see is NOT_FOUND, exactly like a missing one), the versioned update with
//! CONFLICT, the derived data kept in step (`Audited::refresh`), the audit row with the
//! entity's own audit view, the search index, and the commit. A mutation resolver parses its input, checks its `access` rule, and calls these.

mod audited;

pub use audited::Audited;

use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection,
    DatabaseTransaction, IntoActiveModel, QueryFilter,
};
use uuid::Uuid;

use crate::access;
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::{refuse_if_used, versioned_update};
use crate::error::{ApiError, ApiResult};

/// One write: a transaction of one signed-in caller.
pub struct Write<'c> {
    txn: DatabaseTransaction,
    caller: &'c Caller,
}

impl<'c> Write<'c> {
    /// Anonymous callers are told to sign in before anything else happens.
    pub async fn begin(db: &DatabaseConnection, caller: &'c Caller) -> ApiResult<Self> {
        access::require_signed_in(caller)?;
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
    pub async fn find<E>(&self, id: Uuid, visible: Condition) -> ApiResult<E::Model>
    where
        E: Audited,
        E::Model: Sync,
    {
        let (id_column, _) = E::versioned();
        E::find()
            .filter(id_column.eq(id))
            .filter(visible)
            .one(&self.txn)
            .await?
            .ok_or_else(|| not_found::<E>())
    }

    /// Inserts a row, with its audit row and search words.
    pub async fn insert<E, A>(&self, action: &str, row: A) -> ApiResult<E::Model>
    where
        E: Audited,
        E::Model: IntoActiveModel<A> + Sync + Send,
        A: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
    {
        let created = row.insert(&self.txn).await?;
        let created = E::refresh(&self.txn, created).await?;
        self.record::<E>(action, None, Some(&created)).await?;
        Ok(created)
    }

    /// Applies `changes` if `expected` is still the row's version (CONFLICT otherwise), with
    /// the audit row (before and after) and search words.
    pub async fn update<E, A>(
        &self,
        action: &str,
        current: &E::Model,
        expected: i32,
        changes: A,
    ) -> ApiResult<E::Model>
    where
        E: Audited,
        E::Model: Sync + Send + VersionOf,
        A: ActiveModelTrait<Entity = E> + Send,
    {
        let updated = versioned_update(
            &self.txn,
            E::KIND.noun(),
            E::id(current),
            E::versioned(),
            current.version(),
            expected,
            changes,
        )
        .await?;
        let updated = E::refresh(&self.txn, updated).await?;
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
        E: Audited,
        E::Model: Sync,
    {
        refuse_if_used(E::KIND.noun(), uses)?;
        let (id_column, _) = E::versioned();
        E::delete_many()
            .filter(id_column.eq(E::id(current)))
            .exec(&self.txn)
            .await?;
        self.record::<E>(action, Some(current), None).await
    }

    /// Commits; nothing of the write is visible before, all of it after.
    pub async fn commit(self) -> ApiResult<()> {
        Ok(self.txn.commit().await?)
    }

    async fn record<E>(
        &self,
        action: &str,
        before: Option<&E::Model>,
        after: Option<&E::Model>,
    ) -> ApiResult<()>
    where
        E: Audited,
        E::Model: Sync,
    {
        let Some(row) = after.or(before) else {
            return Err(ApiError::internal("a write with no row"));
        };
        let id = E::id(row);
        match after.and_then(E::search) {
            Some((kind, texts)) => crate::search::index_texts(&self.txn, kind, id, &texts).await?,
            None => {
                if let Some((kind, _)) = before.and_then(E::search) {
                    crate::search::forget(&self.txn, kind, id).await?;
                }
            }
        }
        let country = E::country(&self.txn, row).await?;
        audit::record(
            &self.txn,
            self.caller,
            Change {
                action,
                entity: E::KIND.name(),
                entity_id: id.to_string(),
                country,
                before: before.and_then(E::view),
                after: after.and_then(E::view),
            },
        )
        .await
    }
}

/// The stored version of a row, for CONFLICT checks.
pub trait VersionOf {
    fn version(&self) -> i32;
}

macro_rules! versioned {
    ($($entity:ident),*) => {
        $(impl VersionOf for entity::$entity::Model {
            fn version(&self) -> i32 {
                self.version
            }
        })*
    };
}

versioned!(
    contact,
    funding,
    milestone,
    organisation,
    region,
    resource_centre
);

fn not_found<E: Audited>() -> ApiError {
    ApiError::not_found(E::KIND.noun())
}
