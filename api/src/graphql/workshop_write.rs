//! Workshop writes, and what registration writes share with them: the workshop row lock, and
//! committing with the event a change causes and the participation counts refreshed.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::WorkshopStatus as StoredStatus;
use entity::{region, workshop};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, DatabaseTransaction, EntityTrait, PaginatorTrait,
    QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::lock_row;
use crate::derived::participation_counts;
use crate::domain::codes::{Language, TimeZone};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::context::request;
use crate::graphql::enums::WorkshopFormat;
use crate::graphql::global_id;
use crate::graphql::project_write::load_for_write;
use crate::graphql::registration::seats_taken;
use crate::graphql::registration_write::promote_from_waitlist;
use crate::graphql::text_input::{TranslationInput, check_length, texts};
use crate::graphql::workshop::Workshop;
use crate::ids::Kind;

const MAX_CAPACITY: i32 = 100_000;

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

fn capacity(value: Option<i32>) -> ApiResult<Option<i32>> {
    match value {
        Some(c) if !(0..=MAX_CAPACITY).contains(&c) => Err(ApiError::bad_input(
            "input.capacity",
            format!("capacity is 0 to {MAX_CAPACITY}"),
        )),
        other => Ok(other),
    }
}

fn times(
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
) -> ApiResult<()> {
    if ends <= starts {
        return Err(ApiError::bad_input(
            "input.endsAt",
            "a workshop ends after it starts",
        ));
    }
    if deadline.is_some_and(|d| d > starts) {
        return Err(ApiError::bad_input(
            "input.registrationDeadline",
            "registration closes before the workshop starts",
        ));
    }
    Ok(())
}

fn time_zone(value: &str) -> ApiResult<String> {
    TimeZone::parse(value)
        .map(|z| z.0.name().to_owned())
        .map_err(|m| ApiError::bad_input("input.timeZone", m))
}

pub(crate) fn optional_text(
    field: &str,
    value: &Option<String>,
    max: usize,
) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => {
            check_length(field, text, max)?;
            Ok(Some(text.to_owned()))
        }
        _ => Ok(None),
    }
}

/// The workshop with what the caller may do to it (the rights of its project).
async fn workshop_for_write(
    txn: &DatabaseTransaction,
    caller: &Caller,
    id: &ID,
) -> ApiResult<(workshop::Model, ProjectRights)> {
    let id = crate::ids::decode_uuid("input.id", id, Kind::Workshop)?;
    let found = workshop::Entity::find_by_id(id)
        .filter(access::workshops(caller))
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("workshop"))?;
    let project = global_id::encode_uuid(Kind::Project, found.project_id);
    let (_, rights) = load_for_write(txn, caller, "input.id", &project).await?;
    Ok((found, rights))
}

/// Takes the workshop's row lock so that seat counting and the write that follows are serial.
pub(crate) async fn lock_workshop(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<()> {
    Ok(
        lock_row::<workshop::Entity>(txn, (workshop::Column::Id, workshop::Column::Version), id)
            .await?,
    )
}

fn workshop_json(w: &workshop::Model) -> serde_json::Value {
    json!({
        "id": w.id, "projectId": w.project_id, "title": w.title, "startsAt": w.starts_at,
        "endsAt": w.ends_at, "timeZone": w.time_zone, "capacity": w.capacity,
        "status": w.status, "openToPublic": w.open_to_public, "version": w.version
    })
}

pub(crate) async fn country_of(
    txn: &DatabaseTransaction,
    project: Uuid,
) -> ApiResult<Option<String>> {
    Ok(entity::project::Entity::find_by_id(project)
        .one(txn)
        .await?
        .map(|p| p.country_code))
}

/// Commits `txn` with the event a change of workshop `id` causes, staged inside it with the
/// seats as of this transaction, so the event goes out if and only if the change commits; the
/// participation counts of the workshop's project are refreshed in the same transaction.
pub(crate) async fn commit_announcing(
    ctx: &Context<'_>,
    txn: DatabaseTransaction,
    id: Uuid,
    kind: events::Kind,
) -> ApiResult<()> {
    let found = workshop::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal("announced workshop vanished in its own transaction"))?;
    participation_counts::refresh(&txn, found.project_id).await?;
    let notice = events::Notice {
        kind,
        workshop: id,
        project: found.project_id,
        country: country_of(&txn, found.project_id)
            .await?
            .unwrap_or_default(),
        seats_taken: i64::try_from(seats_taken(&txn, id).await?).unwrap_or(i64::MAX),
        at: Utc::now(),
    };
    let hub = event_hub(ctx)?;
    let staged = hub.stage(&txn, notice).await?;
    Ok(hub.commit(txn, staged).await?)
}

fn event_hub<'a>(ctx: &'a Context<'_>) -> ApiResult<&'a events::Events> {
    ctx.data::<events::Events>().map_err(ApiError::internal)
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
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let (project, rights) =
            load_for_write(&txn, &rc.caller, "input.project", &input.project).await?;
        if rights == ProjectRights::Nothing {
            return Err(access::forbidden(
                "you may not add workshops to this project",
            ));
        }
        let original = Language::parse(&input.original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let title = texts("input.title", &input.title, original.as_str(), 300, true)?;
        let description = texts(
            "input.description",
            input.description.as_deref().unwrap_or_default(),
            original.as_str(),
            5000,
            false,
        )?;
        times(input.starts_at, input.ends_at, input.registration_deadline)?;
        let zone = time_zone(&input.time_zone)?;
        let spoken = Language::parse(&input.language)
            .map_err(|m| ApiError::bad_input("input.language", m))?;
        let seats = capacity(input.capacity)?;
        let venue = input.venue.clone().unwrap_or(VenueInput {
            name: None,
            address: None,
            town: None,
            region: None,
        });
        let venue_region = venue
            .region
            .as_ref()
            .map(|id| crate::ids::decode_uuid("input.venue.region", id, Kind::Region))
            .transpose()?;
        if let Some(region_id) = venue_region
            && region::Entity::find_by_id(region_id).count(&txn).await? == 0
        {
            return Err(ApiError::bad_input("input.venue.region", "no such region"));
        }
        let created = workshop::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(project.id),
            title: Set(title),
            description: Set(description),
            language: Set(original.as_str().to_owned()),
            starts_at: Set(input.starts_at),
            ends_at: Set(input.ends_at),
            time_zone: Set(zone),
            venue_name: Set(optional_text("input.venue.name", &venue.name, 200)?),
            venue_address: Set(optional_text("input.venue.address", &venue.address, 300)?),
            venue_town: Set(optional_text("input.venue.town", &venue.town, 120)?),
            venue_region_id: Set(venue_region),
            format: Set(input.format.into()),
            spoken_language: Set(spoken.as_str().to_owned()),
            capacity: Set(seats),
            registration_deadline: Set(input.registration_deadline),
            target_groups: Set(json!(input.target_groups.unwrap_or_default())),
            status: Set(StoredStatus::Scheduled),
            open_to_public: Set(input.open_to_public),
            illustrative: Set(json!([])),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        crate::search::index(&txn, &created).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "createWorkshop",
                entity: "Workshop",
                entity_id: created.id.to_string(),
                country: Some(project.country_code),
                before: None,
                after: Some(workshop_json(&created)),
            },
        )
        .await?;
        commit_announcing(ctx, txn, created.id, events::Kind::Created).await?;
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
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let (current, rights) = workshop_for_write(&txn, &rc.caller, &input.id).await?;
        if rights == ProjectRights::Nothing {
            return Err(access::forbidden("you may not change this workshop"));
        }
        let mut changes = <workshop::ActiveModel as Default>::default();
        if let Some(title) = &input.title {
            changes.title = Set(texts("input.title", title, &current.language, 300, true)?);
        }
        if let Some(description) = &input.description {
            changes.description = Set(texts(
                "input.description",
                description,
                &current.language,
                5000,
                false,
            )?);
        }
        let starts = input.starts_at.unwrap_or(current.starts_at);
        let ends = input.ends_at.unwrap_or(current.ends_at);
        let deadline = input
            .registration_deadline
            .or(current.registration_deadline);
        times(starts, ends, deadline)?;
        changes.starts_at = Set(starts);
        changes.ends_at = Set(ends);
        changes.registration_deadline = Set(deadline);
        if let Some(zone) = &input.time_zone {
            changes.time_zone = Set(time_zone(zone)?);
        }
        if input.capacity.is_some() {
            changes.capacity = Set(capacity(input.capacity)?);
        }
        if let Some(open) = input.open_to_public {
            changes.open_to_public = Set(open);
        }
        let updated = crate::db::rows::versioned_update(
            &txn,
            "workshop",
            current.id,
            (workshop::Column::Id, workshop::Column::Version),
            current.version,
            input.expected_version,
            changes,
        )
        .await?;
        crate::search::index(&txn, &updated).await?;
        let country = country_of(&txn, current.project_id).await?;
        if updated.capacity != current.capacity {
            // More seats go to those already waiting, in arrival order, before any newcomer.
            promote_from_waitlist(&txn, &rc.caller, current.id, country.clone()).await?;
        }
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "updateWorkshop",
                entity: "Workshop",
                entity_id: current.id.to_string(),
                country,
                before: Some(workshop_json(&current)),
                after: Some(workshop_json(&updated)),
            },
        )
        .await?;
        commit_announcing(ctx, txn, current.id, events::Kind::Updated).await?;
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
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let (current, rights) = workshop_for_write(&txn, &rc.caller, &input.id).await?;
        if rights == ProjectRights::Nothing {
            return Err(access::forbidden("you may not cancel this workshop"));
        }
        let changes = workshop::ActiveModel {
            status: Set(StoredStatus::Cancelled),
            ..Default::default()
        };
        let updated = crate::db::rows::versioned_update(
            &txn,
            "workshop",
            current.id,
            (workshop::Column::Id, workshop::Column::Version),
            current.version,
            input.expected_version,
            changes,
        )
        .await?;
        let country = country_of(&txn, current.project_id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "cancelWorkshop",
                entity: "Workshop",
                entity_id: current.id.to_string(),
                country,
                before: Some(workshop_json(&current)),
                after: Some(workshop_json(&updated)),
            },
        )
        .await?;
        commit_announcing(ctx, txn, current.id, events::Kind::Cancelled).await?;
        Ok(WorkshopPayload {
            workshop: Workshop(updated),
        })
    }
}
