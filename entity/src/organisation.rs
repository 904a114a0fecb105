//! A body that leads, funds or takes part in projects.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::OrganisationKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: Json,
    pub language: String,
    pub acronym: Option<String>,
    pub kind: OrganisationKind,
    pub country_code: Option<String>,
    pub region_id: Option<Uuid>,
    pub website: Option<String>,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
