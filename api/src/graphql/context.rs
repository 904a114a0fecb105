//! What every resolver gets: the caller, the language preference and the database, built once
//! per request next to the loaders.

use async_graphql::Context;
use sea_orm::DatabaseConnection;

use crate::auth::Caller;
use crate::graphql::errors::{ApiError, ApiResult};

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
