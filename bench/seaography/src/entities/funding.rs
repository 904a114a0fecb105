use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "funding")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub funder_id: Uuid,
    pub kind: String,
    pub status: String,
    pub amount_minor: i64,
    pub currency: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub value_date: Date,
    pub drawn_from_id: Option<Uuid>,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    pub rate_micros: Option<i64>,
    pub rate_date: Option<Date>,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "project_id", to = "id")]
    pub project: BelongsTo<super::project::Entity>,
    #[sea_orm(belongs_to, from = "funder_id", to = "id")]
    pub funder: BelongsTo<super::organisation::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
