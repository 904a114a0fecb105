//! A person's registration for a workshop. Name and email are personal data.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::{AgeBand, Gender, RegistrationStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
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
    /// The privacy notice the person agreed to; none on registrations made before consent
    /// was recorded.
    pub consent_notice_version: Option<String>,
    /// What the person agreed their data is used for.
    pub consent_purposes: Option<Json>,
    pub consented_at: Option<DateTimeUtc>,
    /// A guardian agreed, for a registrant under 18.
    pub guardian_consent: bool,
    /// The organisation responsible for the data: the one running the workshop.
    pub controller_id: Option<Uuid>,
    /// SHA-256 of the registrant's manage token; none once erased.
    pub manage_token_sha256: Option<String>,
    /// When name, email and organisation were erased (by the person, a manager, or retention).
    pub erased_at: Option<DateTimeUtc>,
    /// Random, fixed at insert: keys the perturbation of published counts (cell key method).
    pub record_key: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
