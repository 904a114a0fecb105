//! Workshop mutations: thin adapters from input to command (`domain::workshop`) to use case
//! (`writes::workshop`) to payload; each commits with the event it causes.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::domain::codes::Language;
use crate::domain::text;
use crate::domain::workshop::{NewWorkshop, Venue, WorkshopChanges, capacity, time_zone};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::context::request;
use crate::graphql::enums::WorkshopFormat;
use crate::graphql::text_input::{TranslationInput, written};
use crate::graphql::workshop::Workshop;
use crate::ids::{self, Kind};
use crate::writes::{Write, workshop};

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
pub struct UpdateWorkshopInput {
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<Vec<TranslationInput>>,
    pub description: Option<Vec<TranslationInput>>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub open_to_public: Option<bool>,
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

/// The event hub every announcing commit stages its event with.
pub(crate) fn event_hub<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a events::Events> {
    ctx.data::<events::Events>().map_err(ApiError::internal)
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
            format: format.into(),
            spoken_language: Language::parse(&language)
                .map_err(|m| ApiError::bad_input("input.language", m))?,
            capacity: capacity(seats)?,
            registration_deadline,
            target_groups: target_groups.unwrap_or_default(),
            open_to_public,
        })
    }
}

impl UpdateWorkshopInput {
    fn command(self) -> ApiResult<(uuid::Uuid, i32, WorkshopChanges)> {
        let Self {
            id,
            expected_version,
            title,
            description,
            starts_at,
            ends_at,
            time_zone: zone,
            capacity: seats,
            registration_deadline,
            open_to_public,
        } = self;
        let changes = WorkshopChanges {
            title: title.map(|t| written("input.title", &t, 300)).transpose()?,
            description: description
                .map(|t| written("input.description", &t, 5000))
                .transpose()?,
            starts_at,
            ends_at,
            time_zone: zone.as_deref().map(time_zone).transpose()?,
            capacity: capacity(seats)?,
            registration_deadline,
            open_to_public,
        };
        Ok((
            ids::decode_uuid("input.id", &id, Kind::Workshop)?,
            expected_version,
            changes,
        ))
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
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let created = workshop::create(&write, input.command()?).await?;
        write
            .commit_announcing(event_hub(ctx)?, created.id, events::Kind::Created)
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
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let (id, expected, changes) = input.command()?;
        let updated = workshop::update(&write, id, expected, changes).await?;
        write
            .commit_announcing(event_hub(ctx)?, id, events::Kind::Updated)
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
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = ids::decode_uuid("input.id", &input.id, Kind::Workshop)?;
        let updated = workshop::cancel(&write, id, input.expected_version).await?;
        write
            .commit_announcing(event_hub(ctx)?, id, events::Kind::Cancelled)
            .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }
}
