use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workshop")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: Json,
    pub description: Json,
    pub language: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub venue_town: Option<String>,
    pub venue_region_id: Option<Uuid>,
    pub kind: String,
    pub format: String,
    pub spoken_language: String,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTimeUtc>,
    pub target_groups: Json,
    pub status: String,
    pub open_to_public: bool,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    #[sea_orm(belongs_to, from = "project_id", to = "id")]
    pub project: BelongsTo<super::project::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
