//! A euro reference rate: how many units of a currency one euro buys on a date.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::RateSource;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "exchange_rate")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub currency: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub rate_date: Date,
    /// Units per euro in millionths (11.4825 SEK is 11_482_500), exact on every database.
    pub units_per_eur_micros: i64,
    pub source: RateSource,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
