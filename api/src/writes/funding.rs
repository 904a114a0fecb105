//! Money drawn from a parent allocation: the rules that keep each euro counted once. An
//! allocation is another funding the caller sees, in the same currency; what is drawn from
//! it never exceeds its amount, and no funding is drawn, through others, from itself.

use entity::funding;
use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, Func},
};
use uuid::Uuid;

use crate::access;
use crate::db::rows::lock_row;
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::writes::{Write, project};

const FIELD: &str = "input.drawnFrom";

/// What is drawn from allocation `parent`, leaving out funding `except`.
async fn drawn(write: &Write<'_>, parent: Uuid, except: Option<Uuid>) -> ApiResult<i64> {
    let mut select = funding::Entity::find()
        .select_only()
        // As BIGINT: PostgreSQL sums bigints as numeric.
        .expr(Func::cast_as(
            Func::sum(Expr::col(funding::Column::AmountMinor)),
            Alias::new("BIGINT"),
        ))
        .filter(funding::Column::DrawnFromId.eq(parent));
    if let Some(except) = except {
        select = select.filter(funding::Column::Id.ne(except));
    }
    let sum: Option<Option<i64>> = select.into_tuple().one(write.txn()).await?;
    Ok(sum.flatten().unwrap_or(0))
}

/// Checks funding `id` (none yet when new), of `amount_minor` in `currency`, drawn from
/// `parent`. Money is drawn only by those who manage the allocation's project (its
/// coordinators, admins): they see every draw from it, so the amount left they are told of
/// reveals nothing hidden from them. The allocation's row lock, taken before it is read,
/// makes concurrent draws from it serial.
pub async fn check_draw(
    write: &Write<'_>,
    id: Option<Uuid>,
    parent: Uuid,
    amount_minor: i64,
    currency: &str,
) -> ApiResult<()> {
    let no_allocation =
        || ApiError::bad_input(FIELD, "`input.drawnFrom` names no funding you may see");
    if funding::Entity::find_by_id(parent)
        .filter(access::fundings(write.caller()))
        .one(write.txn())
        .await?
        .is_none()
    {
        return Err(no_allocation());
    }
    lock_row::<funding::Entity>(
        write.txn(),
        (funding::Column::Id, funding::Column::Version),
        parent,
    )
    .await?;
    let allocation = funding::Entity::find_by_id(parent)
        .one(write.txn())
        .await?
        .ok_or_else(no_allocation)?;
    if !project::managed_by(write, allocation.project_id).await? {
        return Err(ApiError::bad_input(
            FIELD,
            "money is drawn only from allocations of projects you manage",
        ));
    }
    if allocation.currency != currency {
        return Err(ApiError::bad_input(
            FIELD,
            format!(
                "money is drawn in its allocation's currency, {}",
                allocation.currency
            ),
        ));
    }
    // Walk up from the allocation: meeting `id` would make a loop.
    let mut next = Some(allocation.id);
    let mut depth = 0;
    while let Some(at) = next {
        if Some(at) == id || depth > 16 {
            return Err(ApiError::bad_input(
                FIELD,
                "a funding cannot be drawn from itself or from what is drawn from it",
            ));
        }
        next = funding::Entity::find_by_id(at)
            .one(write.txn())
            .await?
            .and_then(|f| f.drawn_from_id);
        depth += 1;
    }
    let left = allocation.amount_minor - drawn(write, parent, id).await?;
    if amount_minor > left {
        return Err(ApiError::bad_input(
            "input.amount",
            format!(
                "more than the {} {} left in the allocation it is drawn from",
                money::from_minor(left.max(0)),
                currency
            ),
        ));
    }
    Ok(())
}

/// An allocation's new amount or currency must still hold what is drawn from it. Its own
/// row lock keeps a draw from slipping in between this check and the update. (The caller
/// manages its project, so it may know what is drawn from it.)
pub async fn check_allocation(
    write: &Write<'_>,
    current: &funding::Model,
    amount_minor: i64,
    currency: &str,
) -> ApiResult<()> {
    lock_row::<funding::Entity>(
        write.txn(),
        (funding::Column::Id, funding::Column::Version),
        current.id,
    )
    .await?;
    let drawn = drawn(write, current.id, None).await?;
    if drawn == 0 {
        return Ok(());
    }
    if currency != current.currency {
        return Err(ApiError::bad_input(
            "input.currency",
            "fundings are drawn from this one in its currency",
        ));
    }
    if amount_minor < drawn {
        return Err(ApiError::bad_input(
            "input.amount",
            format!(
                "less than the {} {} drawn from it",
                money::from_minor(drawn),
                currency
            ),
        ));
    }
    Ok(())
}
