use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: Json,
    pub language: String,
    pub acronym: Option<String>,
    pub kind: String,
    pub country_code: Option<String>,
    pub region_id: Option<Uuid>,
    pub website: Option<String>,
    pub illustrative: bool,
    pub illustrative_fields: Json,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    #[sea_orm(has_many)]
    pub fundings: HasMany<super::funding::Entity>,
    #[sea_orm(has_many)]
    pub project_participants: HasMany<super::project_participant::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
