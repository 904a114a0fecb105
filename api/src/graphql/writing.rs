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

/// Who may attempt a write that a workshop hears of.
#[derive(Clone, Copy)]
pub(crate) enum Attempt {
    /// Signed-in callers only: anyone else gets UNAUTHENTICATED before anything is read.
    SignedIn,
    /// Anyone (a public registration, a manage token): the use case's own rule decides.
    Anyone,
}

/// Runs `work` and commits it with the event it causes to its workshop; a write that changed
/// nothing is rolled back, so no instance hears of it.
pub(crate) async fn announced<T: Announced>(
    ctx: &Context<'_>,
    who: Attempt,
    kind: events::Kind,
    work: impl AsyncFnOnce(&Write<'_>) -> ApiResult<T>,
) -> ApiResult<T> {
    let rc = request(ctx)?;
    let write = match who {
        Attempt::SignedIn => Write::begin(&rc.db, &rc.caller).await?,
        Attempt::Anyone => Write::open(&rc.db, &rc.caller).await?,
    };
    let done = work(&write).await?;
    let hub = ctx.data::<Events>().map_err(ApiError::internal)?;
    match done.workshop() {
        Some(id) => write.commit_announcing(hub, id, kind).await?,
        None => write.roll_back().await?,
    }
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

/// What a write that a workshop hears of gives back.
pub(crate) trait Announced {
    /// The workshop to tell, or `None` when the write changed nothing.
    fn workshop(&self) -> Option<Uuid>;
}

impl Announced for workshop::Model {
    fn workshop(&self) -> Option<Uuid> {
        Some(self.id)
    }
}

impl Announced for registration::Model {
    fn workshop(&self) -> Option<Uuid> {
        Some(self.workshop_id)
    }
}

/// A cancellation: the row and whether it changed. Cancelling again changes nothing, so it
/// is rolled back and nobody hears of it.
impl Announced for (registration::Model, bool) {
    fn workshop(&self) -> Option<Uuid> {
        self.1.then_some(self.0.workshop_id)
    }
}

impl Announced for crate::writes::registration::Registered {
    fn workshop(&self) -> Option<Uuid> {
        Some(self.row.workshop_id)
    }
}
