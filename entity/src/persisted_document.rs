//! A GraphQL document a client registered under its SHA-256 (automatic persisted queries).

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "persisted_document")]
pub struct Model {
    /// Lower-case hex SHA-256 of `document`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub sha256: String,
    pub document: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
