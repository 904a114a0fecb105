//! Partner API tokens: `mos_` and 256 random bits; only the SHA-256 digest is stored.

use chrono::{Duration, Utc};
use entity::api_token;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, sea_query::Expr,
};

use super::{Caller, Credential, Principal, rejected};
use crate::error::ApiError;

pub const PREFIX: &str = "mos_";

/// `lastUsedAt` is refreshed at most this often, so using a token costs no write per request.
const LAST_USED_RESOLUTION_MINUTES: i64 = 5;

/// A new secret and the digest to store in its place.
pub fn generate() -> Result<(String, String), ApiError> {
    super::secrets::generate(PREFIX)
}

pub use super::secrets::digest;

pub async fn authenticate(db: &DatabaseConnection, secret: &str) -> Result<Caller, ApiError> {
    let token = api_token::Entity::find()
        .filter(api_token::Column::SecretSha256.eq(digest(secret)))
        .one(db)
        .await?
        .ok_or_else(|| rejected("the API token is not valid"))?;
    let now = Utc::now();
    if token.revoked_at.is_some() {
        return Err(rejected("the API token has been revoked"));
    }
    if token.expires_at.is_some_and(|at| at <= now) {
        return Err(rejected("the API token has expired"));
    }
    let stale = now - Duration::minutes(LAST_USED_RESOLUTION_MINUTES);
    if token.last_used_at.is_none_or(|at| at < stale) {
        // Conditional, so concurrent requests with the same token write at most once; and
        // best effort: a database that takes no writes must not stop tokens from reading.
        let refreshed = api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .filter(
                Condition::any()
                    .add(api_token::Column::LastUsedAt.is_null())
                    .add(api_token::Column::LastUsedAt.lt(stale)),
            )
            .exec(db)
            .await;
        if let Err(error) = refreshed {
            tracing::warn!(%error, "could not record an API token's last use");
        }
    }
    let scope = token
        .country_scope
        .as_ref()
        .map(crate::domain::text::string_list);
    // Tokens act as PARTNER of their organisation (the only role they are issued with).
    Ok(Caller {
        principal: Principal::Partner {
            organisation: token.organisation_id,
            scope,
        },
        credential: Credential::ApiToken {
            id: token.id,
            expires_at: token.expires_at,
        },
    })
}
