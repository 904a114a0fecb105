//! Workshops: times are UTC instants with the venue's IANA zone; agenda items are venue-local.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{project, workshop, workshop_agenda_item};
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::access;
use crate::domain::cell_key;
use crate::domain::codes::TimeZone;
use crate::domain::text::string_list;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{connection, fetch_ordered};
use crate::graphql::context::{load, load_all, loader, request};
use crate::graphql::count_loaders::{People, SeatsTaken, WaitlistCount};
use crate::graphql::document_link::{DocumentLink, Owner, documents_of};
use crate::graphql::enums::{ActivityKind, WorkshopFormat, WorkshopStatus};
use crate::graphql::filters::Narrow;
use crate::graphql::loaders::{
    AgendaOfWorkshop, ManagedProject, ProjectById, RegionById, RegistrationsOfWorkshop,
};
use crate::graphql::ordering::{Order, WorkshopOrderField};
use crate::graphql::pagination::{Keyset, PageArgs};
use crate::graphql::project::Project;
use crate::graphql::record::{Record, Recorded};
use crate::graphql::region::Region;
use crate::graphql::registration::{Registration, RegistrationConnection};
use crate::graphql::scalars::{DateTime, LocalTime, OffsetDateTime};
use crate::graphql::term::Term;
use crate::graphql::viewer_can;
use crate::graphql::{filters, global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Workshop(pub workshop::Model);

/// Where a workshop takes place.
#[derive(SimpleObject)]
#[graphql(complex, serial)]
pub struct Venue {
    /// Name of the venue; null when not given.
    pub name: Option<String>,
    /// Street address of the venue; null when not given.
    pub address: Option<String>,
    /// Town or city of the venue; null when not given.
    pub town: Option<String>,
    #[graphql(skip)]
    region_id: Option<uuid::Uuid>,
}

#[async_graphql::ComplexObject]
impl Venue {
    /// The region the venue lies in; null when not given.
    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        let Some(id) = self.region_id else {
            return Ok(None);
        };
        Ok(load(ctx, RegionById(id, "venue.region")).await?.map(Region))
    }
}

/// One item of the day's programme, in the venue's local time.
pub struct AgendaItem(workshop_agenda_item::Model);

/// One item of a workshop's programme for the day (e.g. coffee at 08:30, the workshop from
/// 09:00 to 12:00), in the venue's local time.
#[Object(serial)]
impl AgendaItem {
    /// Local start time at the venue, e.g. `08:30:00`.
    async fn starts_at(&self) -> LocalTime {
        LocalTime(self.0.starts_at)
    }

    /// Local end time at the venue, e.g. `12:00:00`; null when the item has no set end.
    async fn ends_at(&self) -> Option<LocalTime> {
        self.0.ends_at.map(LocalTime)
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }
}

impl Workshop {
    /// A count of this workshop's people as the caller may see it: exact for those who may
    /// read its personal data, perturbed by the cell key method for everyone else, like
    /// `participationSummary`.
    async fn people(&self, ctx: &Context<'_>, counted: Option<People>) -> ApiResult<i64> {
        let (count, key_sum) = counted.unwrap_or((0, 0));
        let exact = loader(ctx)?
            .load_one(ManagedProject(self.0.project_id))
            .await?
            .unwrap_or(false);
        Ok(if exact {
            count
        } else {
            cell_key::published(count, key_sum)
        })
    }
}

fn local(instant: chrono::DateTime<chrono::Utc>, zone: &str) -> ApiResult<OffsetDateTime> {
    let zone = TimeZone::parse(zone).map_err(ApiError::internal)?;
    Ok(OffsetDateTime(
        instant.with_timezone(&zone.0).fixed_offset(),
    ))
}

/// A workshop or other event (webinar, training, conference, …) of a project: its times,
/// venue, seats and registrations. Cancelled ones are shown only to those who manage the project.
#[paged]
#[Object(serial)]
impl Workshop {
    /// Opaque global id, for `node(id:)` and the workshop mutations.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Workshop, self.0.id)
    }

    /// The project it belongs to.
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        Ok(
            load(ctx, ProjectById(self.0.project_id, "workshop.project"))
                .await?
                .map(Project),
        )
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }

    #[graphql(flatten)]
    async fn description(&self) -> text::TranslatedDescription<'_> {
        text::TranslatedDescription::of(&self.0.description, &self.0.language)
    }

    /// Start as a UTC instant.
    async fn starts_at(&self) -> DateTime {
        DateTime(self.0.starts_at)
    }

    /// End as a UTC instant.
    async fn ends_at(&self) -> DateTime {
        DateTime(self.0.ends_at)
    }

    /// Start in the venue's local time, with its offset (e.g. `2017-03-14T09:00:00.000+01:00`).
    async fn local_starts_at(&self) -> ApiResult<OffsetDateTime> {
        local(self.0.starts_at, &self.0.time_zone)
    }

    /// End in the venue's local time, with its offset (e.g. `2017-03-14T12:00:00.000+01:00`).
    async fn local_ends_at(&self) -> ApiResult<OffsetDateTime> {
        local(self.0.ends_at, &self.0.time_zone)
    }

    /// IANA time zone of the venue, e.g. `Europe/Stockholm`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Where it takes place: venue name, address, town and region, each null when not given.
    async fn venue(&self) -> Venue {
        Venue {
            name: self.0.venue_name.clone(),
            address: self.0.venue_address.clone(),
            town: self.0.venue_town.clone(),
            region_id: self.0.venue_region_id,
        }
    }

    /// Whether it is held in person, online or both (HYBRID).
    async fn format(&self) -> WorkshopFormat {
        self.0.format
    }

    /// The language the workshop is held in.
    async fn language(&self) -> &str {
        &self.0.spoken_language
    }

    /// Seats; `null` when unlimited.
    async fn capacity(&self) -> Option<i32> {
        self.0.capacity
    }

    /// People registered or attended; perturbed (off by at most 2, never 1 or 2) unless you
    /// may read the workshop's personal data.
    async fn seats_taken(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let counted = loader(ctx)?.load_one(SeatsTaken(self.0.id)).await?;
        self.people(ctx, counted).await
    }

    /// People on the waiting list, moved up in arrival order when a seat frees; perturbed
    /// as `seatsTaken` is.
    async fn waitlist_count(&self, ctx: &Context<'_>) -> ApiResult<i64> {
        let counted = loader(ctx)?.load_one(WaitlistCount(self.0.id)).await?;
        self.people(ctx, counted).await
    }

    /// Registrations, oldest first. Personal data: empty unless you manage the project.
    async fn registrations(
        &self,
        ctx: &Context<'_>,
        page: PageArgs,
    ) -> ApiResult<RegistrationConnection> {
        RegistrationConnection::loaded(
            load_all(ctx, RegistrationsOfWorkshop(self.0.id), Registration).await?,
            &page,
            &Keyset::by("registration:of-workshop", entity::registration::Column::Id),
            |r| r.0.id,
        )
    }

    /// When registration closes (UTC); null: registration stays open until the workshop starts.
    async fn registration_deadline(&self) -> Option<DateTime> {
        self.0.registration_deadline.map(DateTime)
    }

    /// The day's programme, in order, in the venue's local time. Not paged: one day's items.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn agenda(&self, ctx: &Context<'_>) -> ApiResult<Vec<AgendaItem>> {
        load_all(ctx, AgendaOfWorkshop(self.0.id), AgendaItem).await
    }

    /// Its target groups, as terms (`terms(vocabulary: TARGET_GROUP)`).
    async fn target_groups(&self, ctx: &Context<'_>) -> ApiResult<Vec<Term>> {
        Term::all(
            ctx,
            entity::enums::ClassificationVocabulary::TargetGroup,
            string_list(&self.0.target_groups),
        )
        .await
    }

    /// Its documents and links (action plans, reports, toolkits, websites), in order.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<DocumentLink>> {
        documents_of(ctx, Owner::Workshop, self.0.id).await
    }

    /// What kind of event it is: a workshop, a webinar, a training, a conference, a network
    /// meeting, mentoring or an awards ceremony.
    async fn kind(&self) -> ActivityKind {
        self.0.kind
    }

    /// CANCELLED when cancelled; otherwise SCHEDULED until it ends, then COMPLETED.
    async fn status(&self) -> WorkshopStatus {
        crate::domain::workshop::status_at(self.0.status, self.0.ends_at, chrono::Utc::now())
    }

    /// Whether anyone may register without signing in.
    async fn open_to_public(&self) -> bool {
        self.0.open_to_public
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }

    #[graphql(flatten)]
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<viewer_can::WorkshopActions> {
        viewer_can::workshop(ctx, &self.0).await
    }
}

connection!(WorkshopConnection, WorkshopEdge, Workshop, "workshops");

/// Which workshops to list; fields combine with AND, values inside a list with OR.
#[derive(InputObject, Default)]
pub struct WorkshopFilter {
    /// ISO codes of the countries owning the workshops' projects.
    pub countries: Option<Vec<String>>,
    /// Statuses as they are today (SCHEDULED until the end, then COMPLETED; CANCELLED ones
    /// only for those who manage the project).
    pub statuses: Option<Vec<WorkshopStatus>>,
    /// Words in the title, description, venue or town, any language.
    pub search: Option<String>,
    /// Project ids.
    pub projects: Option<Vec<ID>>,
    /// Formats: in person, online, hybrid.
    pub formats: Option<Vec<WorkshopFormat>>,
    /// Kinds of event: webinars, trainings, …
    pub kinds: Option<Vec<ActivityKind>>,
    /// Workshops starting at or after this instant.
    pub starts_from: Option<DateTime>,
    /// Workshops starting before this instant.
    pub starts_to: Option<DateTime>,
    /// Those changed at or after this instant (`updatedAt >= updatedSince`): what a partner
    /// system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

#[derive(Default)]
pub struct WorkshopQuery;

#[paged]
#[Object]
impl WorkshopQuery {
    /// Workshops you may see, by start time.
    async fn workshops(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which workshops to list; every one you may see when left out.")]
        filter: Option<WorkshopFilter>,
        #[graphql(desc = "The order, most significant key first; by start when left out.")]
        order_by: Option<Vec<Order<WorkshopOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<WorkshopConnection> {
        let rc = request(ctx)?;
        let filter = filter.unwrap_or_default();
        let mut select = workshop::Entity::find().filter(access::workshops(&rc.caller));
        if let Some(countries) = &filter.countries {
            let codes = filters::countries("filter.countries", countries)?;
            select = select.filter(
                workshop::Column::ProjectId.in_subquery(
                    project::Entity::find()
                        .select_only()
                        .column(project::Column::Id)
                        .filter(project::Column::CountryCode.is_in(codes))
                        .into_query(),
                ),
            );
        }
        if let Some(status) = &filter.statuses {
            select = select.filter(crate::db::status::workshops_in(status, chrono::Utc::now()));
        }
        if let Some(projects) = &filter.projects {
            select = select.filter(workshop::Column::ProjectId.is_in(filters::ids(
                "filter.projects",
                projects,
                Kind::Project,
            )?));
        }
        if let Some(formats) = &filter.formats {
            select = select.filter(workshop::Column::Format.is_in(formats.iter().copied()));
        }
        if let Some(kinds) = &filter.kinds {
            select = select.filter(workshop::Column::Kind.is_in(kinds.iter().copied()));
        }
        if let Some(DateTime(after)) = filter.starts_from {
            select = select.filter(workshop::Column::StartsAt.gte(after));
        }
        if let Some(DateTime(before)) = filter.starts_to {
            select = select.filter(workshop::Column::StartsAt.lt(before));
        }
        select = select.matching(filter.search.as_deref(), "workshop", workshop::Column::Id)?;
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(WorkshopConnection::new(page.map(Workshop), total))
    }
}
