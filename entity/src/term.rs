//! A term of a vocabulary (focus areas, target groups, action areas): a stable code and its
//! labels in the programme's languages.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::ClassificationVocabulary;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "term")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub vocabulary: ClassificationVocabulary,
    pub code: String,
    /// Language-tagged labels, e.g. `{"en": "Gender mainstreaming", "sv": "…"}`.
    pub label: Json,
    /// The language the label was first written in.
    pub language: String,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
