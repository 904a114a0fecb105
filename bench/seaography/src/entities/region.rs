use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "region")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub nuts_code: String,
    pub nuts_version: i16,
    pub level: i16,
    pub parent_id: Option<Uuid>,
    pub country_code: String,
    pub name: Json,
    pub language: String,
    pub version: i32,
    pub updated_at: DateTimeUtc,
    #[sea_orm(has_many, via = "project_region")]
    pub projects: HasMany<super::project::Entity>,
}

impl ActiveModelBehavior for ActiveModel {}
