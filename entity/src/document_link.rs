//! A document or link of a project, programme, resource centre or workshop: exactly one of
//! the four owner columns is set.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::DocumentCategory;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "document_link")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// An http(s) address; `None` when the sources name the document but give no address.
    pub url: Option<String>,
    pub title: Json,
    /// The language the title was written in.
    pub language: String,
    pub category: DocumentCategory,
    /// The language of the document itself.
    pub document_language: Option<String>,
    pub published_on: Option<Date>,
    pub position: i32,
    pub project_id: Option<Uuid>,
    pub programme_id: Option<Uuid>,
    pub resource_centre_id: Option<Uuid>,
    pub workshop_id: Option<Uuid>,
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
