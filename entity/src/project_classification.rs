//! A project's focus areas and target groups: a code from a named vocabulary.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::ClassificationVocabulary;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "project_classification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub vocabulary: ClassificationVocabulary,
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
