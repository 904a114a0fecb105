//! A workshop of a project: UTC instants plus the venue's IANA time zone.

use mosaic_macros::ByPosition;
use sea_orm::entity::prelude::*;

use crate::enums::{ActivityKind, WorkshopFormat, WorkshopStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, ByPosition)]
#[sea_orm(table_name = "workshop")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: Json,
    pub description: Json,
    /// Language the texts were written in.
    pub language: String,
    pub starts_at: DateTimeUtc,
    pub ends_at: DateTimeUtc,
    pub time_zone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub venue_town: Option<String>,
    pub venue_region_id: Option<Uuid>,
    /// What kind of event it is (a webinar, a training, an awards ceremony, …).
    pub kind: ActivityKind,
    pub format: WorkshopFormat,
    /// The language the workshop is held in.
    pub spoken_language: String,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTimeUtc>,
    /// Target-group codes (a JSON array of strings).
    pub target_groups: Json,
    pub status: WorkshopStatus,
    pub open_to_public: bool,
    /// Invented for the seed as a whole: no source document describes it.
    pub illustrative: bool,
    /// API names of its invented values, in a record a source document describes.
    pub illustrative_fields: Json,
    pub version: i32,
    /// When the row last changed (set by every write).
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
