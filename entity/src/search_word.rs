//! The search index: each folded word of a searchable row's texts, once per row.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "search_word")]
pub struct Model {
    /// Which list the row belongs to: `project`, `workshop`, `organisation`, `region`,
    /// `resource_centre`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: String,
    /// Lower case, marks removed (compared byte by byte on both databases).
    #[sea_orm(primary_key, auto_increment = false)]
    pub word: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub entity_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
