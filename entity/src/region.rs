//! A NUTS region in one NUTS version (a region recoded between versions has one row per code).

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "region")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub nuts_code: String,
    pub nuts_version: i16,
    pub level: i16,
    pub parent_id: Option<Uuid>,
    pub country_code: String,
    pub name: Json,
    pub language: String,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
