//! Money given to a project by a funder. Amounts are integer minor units (hundredths) so that
//! sums are exact on every database.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::{FundingKind, FundingStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "funding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub funder_id: Uuid,
    pub kind: FundingKind,
    pub status: FundingStatus,
    pub amount_minor: i64,
    pub currency: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub value_date: Date,
    /// The allocation (another funding, in the same currency) this money was drawn from.
    pub drawn_from_id: Option<Uuid>,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
    pub version: i32,
    /// Units of `currency` per euro in millionths, looked up when the funding or its
    /// currency's rates were written (see `migration::funding_rates`); null without a rate.
    pub rate_micros: Option<i64>,
    /// The date of that rate.
    pub rate_date: Option<Date>,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
