//! A programme country, keyed by its ISO 3166-1 alpha-2 code.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// Language-tagged names, e.g. `{"sv": "Sverige", "en": "Sweden"}`.
    pub name: Json,
    /// The language the name was written in, and the country's default language.
    pub default_language: String,
    pub currency: String,
    pub time_zone: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
