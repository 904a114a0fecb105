//! A person's registration for a workshop. Name and email are personal data.

use sea_orm::entity::prelude::*;

use crate::enums::{AgeBand, Gender, RegistrationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registration")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub workshop_id: Uuid,
    pub participant_name: String,
    pub email: String,
    pub organisation_name: Option<String>,
    pub gender: Gender,
    pub age_band: AgeBand,
    pub status: RegistrationStatus,
    pub registered_at: DateTimeUtc,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
