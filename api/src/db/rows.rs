//! Machinery every write shares: row locks, versioned updates and refusing deletes that would
//! orphan rows.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr,
    EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    Value,
    sea_query::{Expr, IntoCondition, LockType},
};

use crate::error::{ApiError, ApiResult};

/// Takes the lock of row `id` until the transaction ends, with an UPDATE that changes nothing:
/// the same statement on PostgreSQL (a row lock) and SQLite (whose writes are serial anyway).
pub async fn lock_row<E: EntityTrait>(
    txn: &DatabaseTransaction,
    (id_column, version_column): (E::Column, E::Column),
    id: impl Into<Value>,
) -> Result<(), DbErr> {
    E::update_many()
        .col_expr(version_column, Expr::col(version_column))
        .filter(id_column.eq(id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Takes the locks of the rows of `E` that `condition` selects until the transaction ends, in
/// the order of `id`, so that writers locking overlapping sets take turns instead of waiting
/// on each other: on PostgreSQL the lock an UPDATE that changes no key takes (`FOR NO KEY
/// UPDATE`), in one statement. SQLite has no row locks and its writers are serial already
/// (`BEGIN IMMEDIATE`): nothing to do there.
pub async fn lock_rows<E: EntityTrait, C: ConnectionTrait>(
    db: &C,
    id: E::Column,
    condition: impl IntoCondition,
) -> Result<(), DbErr> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let lock = E::find()
        .select_only()
        .column(id)
        .filter(condition)
        .order_by_asc(id)
        .lock(LockType::NoKeyUpdate)
        .into_query();
    db.query_all(&lock).await?;
    Ok(())
}

/// Applies `changes` to the row `id` only if its stored version is still `expected`, bumping
/// the version by one; otherwise CONFLICT with the current version, and nothing changes.
pub async fn versioned_update<E, A>(
    txn: &DatabaseTransaction,
    what: &str,
    id: impl Into<Value> + Clone,
    (id_column, version_column): (E::Column, E::Column),
    stored_version: i32,
    expected: i32,
    mut changes: A,
) -> ApiResult<E::Model>
where
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Send,
    E::Model: Sync,
{
    let conflict = |version: i32| ApiError::Conflict {
        message: format!(
            "the {what} changed meanwhile: it is at version {version}, not {expected}"
        ),
        current_version: Some(version),
    };
    if stored_version != expected {
        return Err(conflict(stored_version));
    }
    changes.set(version_column, (expected + 1).into());
    let result = E::update_many()
        .set(changes)
        .filter(id_column.eq(id.clone()))
        .filter(version_column.eq(expected))
        .exec(txn)
        .await?;
    let now = E::find().filter(id_column.eq(id)).one(txn).await?;
    if result.rows_affected != 1 {
        return Err(match &now {
            Some(row) => match row.get(version_column) {
                Value::Int(Some(version)) => conflict(version),
                _ => conflict(expected + 1),
            },
            None => ApiError::not_found(what),
        });
    }
    now.ok_or_else(|| ApiError::internal(format!("updated {what} vanished")))
}

/// How many rows of `E` still point at the row being deleted, labelled for the message.
pub async fn dependants<E>(
    txn: &DatabaseTransaction,
    label: &str,
    column: E::Column,
    id: impl Into<Value>,
) -> ApiResult<Option<String>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let n = E::find().filter(column.eq(id)).count(txn).await?;
    Ok((n > 0).then(|| format!("{n} {label}")))
}

/// Like [`dependants`], counting only the rows `visible` lets the caller see; rows it cannot
/// see still block the delete (the database would refuse it), but are not counted.
pub async fn visible_dependants<E>(
    txn: &DatabaseTransaction,
    label: &str,
    column: E::Column,
    id: impl Into<Value> + Clone,
    visible: sea_orm::Condition,
) -> ApiResult<Option<String>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let all = E::find().filter(column.eq(id.clone())).count(txn).await?;
    if all == 0 {
        return Ok(None);
    }
    let seen = E::find()
        .filter(column.eq(id))
        .filter(visible)
        .count(txn)
        .await?;
    Ok(Some(match (seen, all > seen) {
        (0, _) => format!("{label} you cannot see"),
        (n, true) => format!("{n} {label} (and more you cannot see)"),
        (n, false) => format!("{n} {label}"),
    }))
}

/// What still refers to row `id`: one `dependants` count per `entity::Column => "label"`.
macro_rules! uses {
    ($txn:expr, $id:expr; $($entity:ident :: $column:ident => $label:literal),+ $(,)?) => {
        vec![$(
            $crate::db::rows::dependants::<$entity::Entity>(
                $txn,
                $label,
                $entity::Column::$column,
                $id,
            )
            .await?,
        )+]
    };
}
pub(crate) use uses;

/// Refuses a delete while anything depends on the row, naming what does.
pub fn refuse_if_used(what: &str, found: Vec<Option<String>>) -> ApiResult<()> {
    let used: Vec<String> = found.into_iter().flatten().collect();
    if used.is_empty() {
        Ok(())
    } else {
        Err(ApiError::bad_input(
            "input.id",
            format!(
                "the {what} is still used by {}; remove those first",
                used.join(", ")
            ),
        ))
    }
}
