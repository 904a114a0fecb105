//! A person to contact about a project or an organisation. Personal data.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "contact")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Option<Uuid>,
    pub organisation_id: Option<Uuid>,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
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
