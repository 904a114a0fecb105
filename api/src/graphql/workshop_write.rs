//! Workshop mutations: thin adapters from input to command (`domain::workshop`) to use case
//! (`writes::workshop`) to payload; each commits with the event it causes.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::Edit;
use crate::domain::codes::Language;
use crate::domain::text;
use crate::domain::workshop::{NewWorkshop, Venue, WorkshopChanges, capacity, time_zone};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::enums::{ActivityKind, WorkshopFormat};
use crate::graphql::text_input::{TranslationInput, written};
use crate::graphql::workshop::Workshop;
use crate::graphql::writing::{DeleteInput, DeletePayload, announced, deleted};
use crate::ids::{self, Kind};
use crate::writes::workshop;

#[derive(InputObject, Clone)]
pub struct VenueInput {
    pub name: Option<String>,
    pub address: Option<String>,
    pub town: Option<String>,
    /// Region id.
    pub region: Option<ID>,
}

#[derive(InputObject)]
pub struct CreateWorkshopInput {
    pub project: ID,
    pub original_language: String,
    pub title: Vec<TranslationInput>,
    pub description: Option<Vec<TranslationInput>>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// IANA time zone of the venue, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    pub venue: Option<VenueInput>,
    /// What kind of event it is; a workshop unless said otherwise.
    #[graphql(default_with = "ActivityKind::Workshop")]
    pub kind: ActivityKind,
    pub format: WorkshopFormat,
    /// The language it is held in.
    pub language: String,
    /// Seats; `null` for unlimited.
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub target_groups: Option<Vec<String>>,
    /// Whether people may register without signing in.
    #[graphql(default)]
    pub open_to_public: bool,
}

#[derive(InputObject)]
/// What to change on a workshop; a field left out keeps its value.
pub struct UpdateWorkshopInput {
    pub id: ID,
    /// The `version` you read; a newer one answers CONFLICT and changes nothing.
    pub expected_version: i32,
    /// Replaces all language versions of the title (the original language included).
    pub title: Option<Vec<TranslationInput>>,
    /// Replaces all language versions of the description.
    pub description: Option<Vec<TranslationInput>>,
    /// When it starts; it must still end after it starts.
    pub starts_at: Option<DateTime<Utc>>,
    /// When it ends.
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA time zone of the venue, e.g. `Europe/Helsinki`.
    pub time_zone: Option<String>,
    /// Seats; more seats go to those waiting, in the order they registered.
    pub capacity: Option<i32>,
    /// When registration closes: before the workshop starts.
    pub registration_deadline: Option<DateTime<Utc>>,
    /// Whether people may register without signing in.
    pub open_to_public: Option<bool>,
    pub kind: Option<ActivityKind>,
}

#[derive(InputObject)]
pub struct CancelWorkshopInput {
    pub id: ID,
    pub expected_version: i32,
}

#[derive(SimpleObject)]
pub struct WorkshopPayload {
    pub workshop: Workshop,
}

impl CreateWorkshopInput {
    fn command(self) -> ApiResult<NewWorkshop> {
        let Self {
            project,
            original_language,
            title,
            description,
            starts_at,
            ends_at,
            time_zone: zone,
            venue,
            kind,
            format,
            language,
            capacity: seats,
            registration_deadline,
            target_groups,
            open_to_public,
        } = self;
        let venue = match venue {
            None => Venue::default(),
            Some(VenueInput {
                name,
                address,
                town,
                region,
            }) => Venue {
                name: text::optional("input.venue.name", name.as_deref(), 200)?,
                address: text::optional("input.venue.address", address.as_deref(), 300)?,
                town: text::optional("input.venue.town", town.as_deref(), 120)?,
                region: region
                    .map(|id| ids::decode_uuid("input.venue.region", &id, Kind::Region))
                    .transpose()?,
            },
        };
        Ok(NewWorkshop {
            project: ids::decode_uuid("input.project", &project, Kind::Project)?,
            original_language: Language::parse(&original_language)
                .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?,
            title: written("input.title", &title, 300)?,
            description: written(
                "input.description",
                description.as_deref().unwrap_or_default(),
                5000,
            )?,
            starts_at,
            ends_at,
            time_zone: time_zone(&zone)?,
            venue,
            kind: kind.into(),
            format: format.into(),
            spoken_language: Language::parse(&language)
                .map_err(|m| ApiError::bad_input("input.language", m))?,
            capacity: capacity(seats)?,
            registration_deadline,
            target_groups: crate::domain::project::classification_codes(
                "input.targetGroups",
                &target_groups.unwrap_or_default(),
            )?,
            open_to_public,
        })
    }
}

impl UpdateWorkshopInput {
    fn command(self) -> ApiResult<Edit<WorkshopChanges>> {
        let changes = WorkshopChanges {
            title: self
                .title
                .map(|t| written("input.title", &t, 300))
                .transpose()?,
            description: self
                .description
                .map(|t| written("input.description", &t, 5000))
                .transpose()?,
            starts_at: self.starts_at,
            ends_at: self.ends_at,
            time_zone: self.time_zone.as_deref().map(time_zone).transpose()?,
            capacity: capacity(self.capacity)?,
            registration_deadline: self.registration_deadline,
            open_to_public: self.open_to_public,
            kind: self.kind.map(Into::into),
        };
        Ok(Edit {
            id: ids::decode_uuid("input.id", &self.id, Kind::Workshop)?,
            expected: self.expected_version,
            changes,
        })
    }
}

#[derive(Default)]
pub struct WorkshopMutation;

#[Object]
impl WorkshopMutation {
    /// Adds a workshop to a project (its partners, its country's coordinators, admins).
    async fn create_workshop(
        &self,
        ctx: &Context<'_>,
        input: CreateWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let created = announced(ctx, events::Kind::Created, async |write| {
            workshop::create(write, input.command()?).await
        })
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(created),
        })
    }

    /// Changes a workshop; `expectedVersion` guards against lost updates.
    async fn update_workshop(
        &self,
        ctx: &Context<'_>,
        input: UpdateWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let updated = announced(ctx, events::Kind::Updated, async |write| {
            workshop::update(write, input.command()?).await
        })
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }

    /// Cancels a workshop; it stays on record, and no one can register any more.
    async fn cancel_workshop(
        &self,
        ctx: &Context<'_>,
        input: CancelWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let updated = announced(ctx, events::Kind::Cancelled, async |write| {
            let edit = Edit {
                id: ids::decode_uuid("input.id", &input.id, Kind::Workshop)?,
                expected: input.expected_version,
                changes: (),
            };
            workshop::cancel(write, edit).await
        })
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }

    /// Deletes a workshop no real person registered for (the seed's invented ones: their
    /// invented registrations go with them); one with real registrations is cancelled
    /// instead. No event goes out: no real person was told of it, and lists drop it on their
    /// next read.
    async fn delete_workshop(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Workshop)?;
            workshop::delete(write, id).await
        })
        .await
    }
}
