//! One period of an indicator (IATI `period`): its target and what was achieved, each
//! optionally split by gender. Values are stored in hundredths.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "indicator_period")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub indicator_id: Uuid,
    /// The indicator's project: who may see the period is decided by it.
    pub project_id: Uuid,
    pub starts_on: Date,
    pub ends_on: Date,
    pub target_centi: Option<i64>,
    pub target_women: Option<i32>,
    pub target_men: Option<i32>,
    pub target_non_binary: Option<i32>,
    pub target_comment: Option<String>,
    pub actual_centi: Option<i64>,
    pub actual_women: Option<i32>,
    pub actual_men: Option<i32>,
    pub actual_non_binary: Option<i32>,
    pub actual_comment: Option<String>,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::indicator::Entity",
        from = "Column::IndicatorId",
        to = "super::indicator::Column::Id"
    )]
    Indicator,
}

impl Related<super::indicator::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Indicator.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
