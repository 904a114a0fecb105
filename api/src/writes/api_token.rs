//! API token use cases: issue one for an organisation, revoke one. The secret is generated
//! here and returned once; only its digest is stored, and the audit view leaves even that out.

use chrono::{DateTime, Utc};
use entity::enums::Role;
use entity::{api_token, organisation};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    EntityTrait, IntoActiveModel,
};
use serde_json::json;
use uuid::Uuid;

use crate::access;
use crate::auth::api_token as secrets;
use crate::error::{ApiError, ApiResult};
use crate::writes::Write;

/// A token to issue: `countries` is the confinement asked for, if any.
pub struct NewToken {
    pub organisation: Uuid,
    pub name: String,
    pub countries: Option<Vec<String>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// Issues a PARTNER token; returns it with its secret.
pub async fn issue(write: &Write<'_>, new: NewToken) -> ApiResult<(api_token::Model, String)> {
    let organisation = organisation::Entity::find_by_id(new.organisation)
        .one(write.txn())
        .await?
        .ok_or_else(|| ApiError::not_found("organisation"))?;
    if !access::administers(write.caller(), organisation.country_code.as_deref()) {
        return Err(access::forbidden(
            "you may not issue tokens for this organisation",
        ));
    }
    let scope = access::token_scope(write.caller(), new.countries)?;
    let (secret, digest) = secrets::generate()?;
    let row = api_token::ActiveModel {
        updated_at: NotSet,
        id: Set(Uuid::now_v7()),
        organisation_id: Set(organisation.id),
        name: Set(new.name),
        secret_sha256: Set(digest),
        role: Set(Role::Partner),
        countries: Set(json!(scope.clone().unwrap_or_default())),
        country_scope: Set(scope.map(|list| json!(list))),
        scopes: Set(json!([])),
        expires_at: Set(new.expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
        created_at: Set(Utc::now()),
    };
    Ok((write.insert("issueApiToken", row).await?, secret))
}

/// Revokes a token at once; a token the caller does not manage is NOT_FOUND, like a missing
/// one. Revoking twice changes nothing.
pub async fn revoke(write: &Write<'_>, id: Uuid) -> ApiResult<api_token::Model> {
    let current = write
        .find::<api_token::Entity>(id, access::managed_api_tokens(write.caller()))
        .await?;
    if current.revoked_at.is_some() {
        return Ok(current);
    }
    let mut row = current.clone().into_active_model();
    row.revoked_at = Set(Some(Utc::now()));
    write.change("revokeApiToken", &current, row).await
}
