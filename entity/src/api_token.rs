//! A partner organisation's API token. Only the SHA-256 digest of the secret is kept.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::Role;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organisation_id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    #[serde(skip_serializing)]
    pub secret_sha256: String,
    pub role: Role,
    /// ISO codes of the countries it acts for (a JSON array).
    pub countries: Json,
    pub scopes: Json,
    /// Countries whose projects the token may act on (a JSON array); `None`: every project
    /// its organisation takes part in. A coordinator's token is confined to its countries.
    pub country_scope: Option<Json>,
    pub expires_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    pub last_used_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
