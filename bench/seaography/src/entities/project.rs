use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
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
    pub status: String,
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub start_date: Date,
    pub end_date: Date,
    pub country_code: String,
    pub resource_centre_id: Option<Uuid>,
    pub parent_id: Option<Uuid>,
    pub programme_id: Option<Uuid>,
    pub gender_marker: i16,
    pub published: bool,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    pub budget_currency: Option<String>,
    pub budget_total_minor: Option<i64>,
    pub budget_eligible_minor: Option<i64>,
    pub budget_rate_micros: Option<i64>,
    pub budget_rate_date: Option<Date>,
    pub budget_eur_sort: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    #[sea_orm(has_many)]
    pub fundings: HasMany<super::funding::Entity>,
    #[sea_orm(has_many)]
    pub workshops: HasMany<super::workshop::Entity>,
    #[sea_orm(has_many)]
    pub project_participants: HasMany<super::project_participant::Entity>,
    #[sea_orm(has_many, via = "project_region")]
    pub regions: HasMany<super::region::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
