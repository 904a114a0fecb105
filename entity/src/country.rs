//! A country, keyed by its ISO 3166-1 alpha-2 code: a member of the programme (with
//! coordinators) or a country that only hosts partners and places.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
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
    /// Members have coordinators and own projects; other countries host partners and places.
    pub programme_member: bool,
    /// The two letters its NUTS codes start with (`EL` for Greece); `None` outside NUTS.
    pub nuts_prefix: Option<String>,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
