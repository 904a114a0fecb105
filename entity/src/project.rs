//! A project: the programme's unit of work, owned by one country.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::ProjectStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, ByPosition)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub code: String,
    pub acronym: Option<String>,
    pub title: Json,
    pub summary: Json,
    pub language: String,
    /// SUSPENDED or CANCELLED when set so; otherwise what the dates gave at the last write
    /// (the API computes the status from the dates when it is read).
    pub status: ProjectStatus,
    /// Planned and actual dates as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    /// The first day of the actual (else planned) start, kept by the server for filters and
    /// orders.
    pub start_date: Date,
    /// The last day of the actual (else planned) end; 9999-12-31 when no end is known.
    pub end_date: Date,
    pub country_code: String,
    pub resource_centre_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub programme_id: Option<Uuid>,
    /// OECD DAC gender-equality marker, 0 to 3.
    pub gender_marker: i16,
    pub published: bool,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
    pub version: i32,
    /// ISO 4217 code of the budget's amounts; `None`: no budget.
    pub budget_currency: Option<String>,
    pub budget_total_minor: Option<i64>,
    pub budget_eligible_minor: Option<i64>,
    /// Units of the budget currency per euro in millionths on the start date (kept by the
    /// server, as a funding's rate is).
    pub budget_rate_micros: Option<i64>,
    pub budget_rate_date: Option<Date>,
    /// The total in euro cents, -1 without a budget or a rate: orders and filters by budget.
    pub budget_eur_sort: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
