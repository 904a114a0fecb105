//! What every resolver gets: the caller, the language preference and the database, built once
//! per request next to the loaders.

use std::hash::Hash;
use std::sync::Arc;

use async_graphql::Context;
use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::Loaders;

pub struct RequestContext {
    pub caller: Caller,
    /// Languages from `Accept-Language`, most wanted first (primary subtags).
    pub languages: Vec<String>,
    pub db: DatabaseConnection,
}

pub fn request<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a RequestContext> {
    ctx.data::<RequestContext>().map_err(ApiError::internal)
}

pub fn loader<'a>(
    ctx: &'a Context<'_>,
) -> ApiResult<&'a async_graphql::dataloader::DataLoader<crate::graphql::loaders::Loaders>> {
    ctx.data::<async_graphql::dataloader::DataLoader<crate::graphql::loaders::Loaders>>()
        .map_err(ApiError::internal)
}

/// One value through the request's DataLoader, moved out of the `Arc` the loader shares it in
/// (copied only when another field of the request holds it too).
pub async fn load<K, V>(ctx: &Context<'_>, key: K) -> ApiResult<Option<V>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Loaders: Loader<K, Value = Arc<V>, Error = ApiError>,
    V: Clone + Send + Sync + 'static,
{
    Ok(loader(ctx)?.load_one(key).await?.map(Arc::unwrap_or_clone))
}

/// Every row a list loader holds for `key` (none when it holds nothing), each wrapped as
/// its GraphQL type.
pub async fn load_all<K, T, W>(
    ctx: &Context<'_>,
    key: K,
    wrap: impl FnMut(T) -> W,
) -> ApiResult<Vec<W>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Loaders: Loader<K, Value = Arc<Vec<T>>, Error = ApiError>,
    T: Clone + Send + Sync + 'static,
{
    Ok(load(ctx, key)
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(wrap)
        .collect())
}

/// Notes that the request reads personal data of `entity` row `id`, for the one audit row
/// written when it is answered. False where reads are not audited (subscriptions), which
/// then get no personal data.
pub fn audited_read(ctx: &Context<'_>, entity: &'static str, id: uuid::Uuid) -> bool {
    match ctx.data_opt::<Arc<crate::audit::PersonalReads>>() {
        Some(reads) => {
            reads.note(entity, id);
            true
        }
        None => false,
    }
}
