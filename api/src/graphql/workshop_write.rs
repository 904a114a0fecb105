//! Workshop mutations: thin adapters from input to command (`domain::workshop`) to use case
//! (`writes::workshop`) to payload; each commits with the event it causes.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::domain::Edit;
use crate::domain::codes::Language;
use crate::domain::text;
use crate::domain::workshop::{NewWorkshop, Venue, WorkshopChanges, capacity, time_zone};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::enums::{ActivityKind, WorkshopFormat};
use crate::graphql::scalars::DateTime;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::workshop::Workshop;
use crate::graphql::writing::{Attempt, DeleteInput, DeletePayload, announced, deleted};
use crate::ids::{self, Kind};
use crate::writes::workshop;

const TITLE: TextField = TextField::required("input.title", 300);
const DESCRIPTION: TextField = TextField::optional("input.description", 5_000);

/// Where a workshop takes place; every part is optional.
#[derive(InputObject, Clone)]
pub struct VenueInput {
    /// Name of the venue, up to 200 characters.
    pub name: Option<String>,
    /// Street address, up to 300 characters.
    pub address: Option<String>,
    /// Town or city, up to 120 characters.
    pub town: Option<String>,
    /// Region id.
    pub region: Option<ID>,
}

/// A new workshop (or other event) of a project.
#[derive(InputObject)]
pub struct CreateWorkshopInput {
    /// Global id of the project it belongs to; you must take part in it as a partner,
    /// coordinate its country or be an admin (FORBIDDEN otherwise).
    pub project: ID,
    /// Code of the language the title and description are written in, e.g. `sv`.
    pub original_language: String,
    /// The title, one entry per language, up to 300 characters each; one in
    /// `originalLanguage` is required.
    pub title: Vec<TranslationInput>,
    /// The description, one entry per language, up to 5000 characters each.
    pub description: Option<Vec<TranslationInput>>,
    /// When it starts, as a UTC instant.
    pub starts_at: DateTime,
    /// When it ends, as a UTC instant; after `startsAt`.
    pub ends_at: DateTime,
    /// IANA time zone of the venue, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    /// Where it takes place; leave it out when there is no venue (online).
    pub venue: Option<VenueInput>,
    /// What kind of event it is; a workshop unless said otherwise.
    #[graphql(default_with = "ActivityKind::Workshop")]
    pub kind: ActivityKind,
    /// Whether it is held in person, online or both.
    pub format: WorkshopFormat,
    /// The language it is held in.
    pub language: String,
    /// Seats; `null` for unlimited.
    pub capacity: Option<i32>,
    /// When registration closes (UTC), at or before `startsAt`; `null`: when it starts.
    pub registration_deadline: Option<DateTime>,
    /// Codes of its target groups, from `terms(vocabulary: TARGET_GROUP)`.
    pub target_groups: Option<Vec<String>>,
    /// Whether people may register without signing in.
    #[graphql(default)]
    pub open_to_public: bool,
}

#[derive(InputObject)]
/// What to change on a workshop; a field left out keeps its value.
pub struct UpdateWorkshopInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the title (the original language included).
    pub title: Option<Vec<TranslationInput>>,
    /// Replaces all language versions of the description.
    pub description: Option<Vec<TranslationInput>>,
    /// When it starts; it must still end after it starts.
    pub starts_at: Option<DateTime>,
    /// When it ends.
    pub ends_at: Option<DateTime>,
    /// IANA time zone of the venue, e.g. `Europe/Helsinki`.
    pub time_zone: Option<String>,
    /// Seats; more seats go to those waiting, in the order they registered.
    pub capacity: Option<i32>,
    /// When registration closes: before the workshop starts.
    pub registration_deadline: Option<DateTime>,
    /// Whether people may register without signing in.
    pub open_to_public: Option<bool>,
    /// What kind of event it is.
    pub kind: Option<ActivityKind>,
}

/// Which workshop to cancel.
#[derive(InputObject)]
pub struct CancelWorkshopInput {
    #[graphql(flatten)]
    pub revision: Revision,
}

/// The workshop as it is after the change.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct WorkshopPayload {
    /// The workshop after the change.
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
            title: TITLE.written(&title)?,
            description: DESCRIPTION.written(description.as_deref().unwrap_or_default())?,
            starts_at: starts_at.0,
            ends_at: ends_at.0,
            time_zone: time_zone(&zone)?,
            venue,
            kind,
            format,
            spoken_language: Language::parse(&language)
                .map_err(|m| ApiError::bad_input("input.language", m))?,
            capacity: capacity(seats)?,
            registration_deadline: registration_deadline.map(|d| d.0),
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
            title: self.title.map(|t| TITLE.written(&t)).transpose()?,
            description: self
                .description
                .map(|t| DESCRIPTION.written(&t))
                .transpose()?,
            starts_at: self.starts_at.map(|d| d.0),
            ends_at: self.ends_at.map(|d| d.0),
            time_zone: self.time_zone.as_deref().map(time_zone).transpose()?,
            capacity: capacity(self.capacity)?,
            registration_deadline: self.registration_deadline.map(|d| d.0),
            open_to_public: self.open_to_public,
            kind: self.kind,
        };
        Ok(Edit {
            id: self.revision.row(Kind::Workshop)?,
            expected: self.revision.version,
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
        #[graphql(desc = "The workshop to add.")] input: CreateWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let created = announced(
            ctx,
            Attempt::SignedIn,
            events::Kind::Created,
            async |write| workshop::create(write, input.command()?).await,
        )
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(created),
        })
    }

    /// Changes a workshop; `expectedVersion` guards against lost updates.
    async fn update_workshop(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workshop, the version you read and what to change.")]
        input: UpdateWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let updated = announced(
            ctx,
            Attempt::SignedIn,
            events::Kind::Updated,
            async |write| workshop::update(write, input.command()?).await,
        )
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }

    /// Cancels a workshop; it stays on record, and no one can register any more.
    async fn cancel_workshop(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workshop and the version you read.")] input: CancelWorkshopInput,
    ) -> ApiResult<WorkshopPayload> {
        let updated = announced(
            ctx,
            Attempt::SignedIn,
            events::Kind::Cancelled,
            async |write| {
                let edit = Edit {
                    id: input.revision.row(Kind::Workshop)?,
                    expected: input.revision.version,
                    changes: (),
                };
                workshop::cancel(write, edit).await
            },
        )
        .await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }

    /// Deletes a workshop no real person registered for, with its invented registrations and
    /// its agenda (its project's coordinators and admins; partners may only cancel), and sends
    /// no event. A workshop with real registrations is refused (BAD_USER_INPUT): cancel it.
    async fn delete_workshop(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The workshop to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Workshop)?;
            workshop::delete(write, id).await
        })
        .await
    }
}

crate::graphql::connection::payload_edge!(
    WorkshopPayload,
    workshop,
    crate::graphql::workshop::WorkshopEdge,
    crate::graphql::ordering::WorkshopOrderField
);
