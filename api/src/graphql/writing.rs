//! How a mutation resolver runs its use case: as one `Write` of the request's caller,
//! committed when the use case succeeds and rolled back, with all it did, when it fails.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, SimpleObject};
use entity::{registration, workshop};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::events::{self, Events};
use crate::graphql::context::request;
use crate::writes::Write;

/// Which row to delete.
#[derive(InputObject)]
pub struct DeleteInput {
    /// Global id of the row to delete.
    pub id: ID,
}

/// What a delete answers: the global id of the row that is gone.
#[derive(SimpleObject)]
pub struct DeletePayload {
    /// The global id of the row that is gone.
    pub deleted_id: ID,
}

/// The value an update's nullable input field gives, parsed: `None` when left out (keep),
/// `Some(None)` when `null` (clear).
pub(crate) fn given<T, U>(
    value: MaybeUndefined<T>,
    parse: impl FnOnce(T) -> ApiResult<U>,
) -> ApiResult<Option<Option<U>>> {
    Ok(match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(parse(v)?)),
    })
}

/// Runs `work` for a signed-in caller and commits it.
pub(crate) async fn committed<T>(
    ctx: &Context<'_>,
    work: impl AsyncFnOnce(&Write<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    let rc = request(ctx)?;
    let write = Write::begin(&rc.db, &rc.caller).await?;
    let done = work(&write).await?;
    write
        .commit(ctx.data::<Events>().map_err(ApiError::internal)?)
        .await?;
    Ok(done)
}

/// Runs `work` for a signed-in caller and commits it with the event it causes to its
/// workshop.
pub(crate) async fn announced<T: Announced>(
    ctx: &Context<'_>,
    kind: events::Kind,
    work: impl AsyncFnOnce(&Write<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    let rc = request(ctx)?;
    announce(ctx, Write::begin(&rc.db, &rc.caller).await?, kind, work).await
}

/// Runs `work` in `write` and commits it with the event it causes to its workshop.
pub(crate) async fn announce<T: Announced>(
    ctx: &Context<'_>,
    write: Write<'_>,
    kind: events::Kind,
    work: impl AsyncFnOnce(&Write<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    let done = work(&write).await?;
    let hub = ctx.data::<Events>().map_err(ApiError::internal)?;
    write.commit_announcing(hub, done.workshop(), kind).await?;
    Ok(done)
}

/// Runs a delete and answers with the id of the row that is gone.
pub(crate) async fn deleted(
    ctx: &Context<'_>,
    id: ID,
    work: impl AsyncFnOnce(&Write<'_>) -> ApiResult<()>,
) -> ApiResult<DeletePayload> {
    committed(ctx, work).await?;
    Ok(DeletePayload { deleted_id: id })
}

/// A written row whose workshop hears of the write.
pub(crate) trait Announced {
    fn workshop(&self) -> Uuid;
}

impl Announced for workshop::Model {
    fn workshop(&self) -> Uuid {
        self.id
    }
}

impl Announced for registration::Model {
    fn workshop(&self) -> Uuid {
        self.workshop_id
    }
}

impl Announced for crate::writes::registration::Registered {
    fn workshop(&self) -> Uuid {
        self.row.workshop_id
    }
}
