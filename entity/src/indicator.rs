//! How a result is measured (IATI `indicator`), with its baseline. Values are stored in
//! hundredths.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::IndicatorMeasure;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub result_id: Uuid,
    /// The result's project: who may see the indicator is decided by it.
    pub project_id: Uuid,
    pub title: Json,
    pub language: String,
    pub measure: IndicatorMeasure,
    /// Whether more is better.
    pub ascending: bool,
    /// Counts people, so its periods may be split by gender.
    pub by_gender: bool,
    pub baseline_year: Option<i32>,
    pub baseline_centi: Option<i64>,
    pub baseline_comment: Option<String>,
    pub position: i32,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
