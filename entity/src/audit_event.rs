//! One row per write: who did what to which row, with the row before and after.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "audit_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub at: DateTimeUtc,
    pub actor_subject: String,
    /// How the actor authenticated: `jwt`, `api_token` or `anonymous`.
    pub actor_kind: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub country_code: Option<String>,
    pub before: Option<Json>,
    pub after: Option<Json>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
