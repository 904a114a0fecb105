//! A funding's days in one year of its period, kept by the server: `fundingSummary` spreads
//! money over years with it (`YEAR_OF_PERIOD`).

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "funding_year")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub funding_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// Days of the period before this year.
    pub days_before: i32,
    /// Days of the period in this year.
    pub days: i32,
    pub days_total: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
