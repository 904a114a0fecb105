//! A programme or fund that projects run under (URBACT IV, the Swedish national assignment
//! for gender-equal regional growth), possibly within a parent programme.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "programme")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub name: Json,
    pub description: Json,
    pub language: String,
    pub managing_organisation_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub budget_minor: Option<i64>,
    pub budget_currency: Option<String>,
    /// Units of the budget currency per euro in millionths at the start of the period (kept
    /// by the server).
    pub budget_rate_micros: Option<i64>,
    pub budget_rate_date: Option<Date>,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
