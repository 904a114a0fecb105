//! Workshop and registration writes. Seats are never oversold: every registration change first
//! locks its workshop row (an UPDATE, which serialises writers on PostgreSQL per workshop and on
//! SQLite per database), then counts seats inside the same transaction.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::{RegistrationStatus as Stored, WorkshopStatus as StoredStatus};
use entity::{region, registration, workshop};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::lock_row;
use crate::derived::participation_counts;
use crate::domain::codes::{Email, Language, TimeZone};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::context::request;
use crate::graphql::enums::{AgeBand, Gender, WorkshopFormat};
use crate::graphql::global_id;
use crate::graphql::project_write::{TranslationInput, check_length, load_for_write, texts};
use crate::graphql::registration::{Registration, seats_taken};
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

#[derive(InputObject)]
pub struct RegisterForWorkshopInput {
    pub workshop: ID,
    pub participant_name: String,
    pub email: String,
    pub organisation_name: Option<String>,
    #[graphql(default_with = "Gender::Undisclosed")]
    pub gender: Gender,
    pub age_band: AgeBand,
}

#[derive(InputObject)]
pub struct CancelRegistrationInput {
    pub id: ID,
}

#[derive(InputObject)]
pub struct MarkAttendanceInput {
    pub id: ID,
    #[graphql(default = true)]
    pub attended: bool,
}

#[derive(SimpleObject)]
pub struct WorkshopPayload {
    pub workshop: Workshop,
}

#[derive(SimpleObject)]
pub struct RegistrationPayload {
    pub registration: Registration,
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

fn optional_text(field: &str, value: &Option<String>, max: usize) -> ApiResult<Option<String>> {
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
async fn lock_workshop(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<()> {
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

/// Registrations are audited without names or emails: the audit log holds no personal data.
fn registration_json(r: &registration::Model) -> serde_json::Value {
    json!({ "id": r.id, "workshopId": r.workshop_id, "status": r.status, "gender": r.gender, "ageBand": r.age_band })
}

async fn country_of(txn: &DatabaseTransaction, project: Uuid) -> ApiResult<Option<String>> {
    Ok(entity::project::Entity::find_by_id(project)
        .one(txn)
        .await?
        .map(|p| p.country_code))
}

/// Commits `txn` with the event a change of workshop `id` causes, staged inside it with the
/// seats as of this transaction, so the event goes out if and only if the change commits; the
/// participation counts of the workshop's project are refreshed in the same transaction.
async fn commit_announcing(
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

    /// Registers a person. Past capacity the registration is WAITLISTED, in arrival order.
    /// Anonymous callers may register only for workshops open to the public.
    async fn register_for_workshop(
        &self,
        ctx: &Context<'_>,
        input: RegisterForWorkshopInput,
    ) -> ApiResult<RegistrationPayload> {
        let rc = request(ctx)?;
        let id = crate::ids::decode_uuid("input.workshop", &input.workshop, Kind::Workshop)?;
        let name = input.participant_name.trim().to_owned();
        if name.is_empty() {
            return Err(ApiError::bad_input(
                "input.participantName",
                "a name is required",
            ));
        }
        check_length("input.participantName", &name, 200)?;
        let email =
            Email::parse(&input.email).map_err(|m| ApiError::bad_input("input.email", m))?;
        let organisation_name =
            optional_text("input.organisationName", &input.organisation_name, 200)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        lock_workshop(&txn, id).await?;
        let found = workshop::Entity::find_by_id(id)
            .filter(access::workshops(&rc.caller))
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("workshop"))?;
        if rc.caller.is_anonymous() && !found.open_to_public {
            return Err(ApiError::Unauthenticated {
                message: "sign in to register for this workshop".into(),
            });
        }
        if found.status != StoredStatus::Scheduled {
            return Err(ApiError::bad_input(
                "input.workshop",
                "the workshop is not open for registration (cancelled or over)",
            ));
        }
        let now = Utc::now();
        if found.registration_deadline.is_some_and(|d| d <= now) || found.starts_at <= now {
            return Err(ApiError::bad_input(
                "input.workshop",
                "registration for this workshop has closed",
            ));
        }
        let taken = seats_taken(&txn, id).await?;
        let status = match found.capacity {
            Some(seats) if taken >= seats as u64 => Stored::Waitlisted,
            _ => Stored::Registered,
        };
        let created = registration::ActiveModel {
            id: Set(Uuid::now_v7()),
            workshop_id: Set(id),
            participant_name: Set(name),
            email: Set(email.into_inner()),
            organisation_name: Set(organisation_name),
            gender: Set(input.gender.into()),
            age_band: Set(input.age_band.into()),
            status: Set(status),
            registered_at: Set(now),
            illustrative: Set(false),
        }
        .insert(&txn)
        .await?;
        let country = country_of(&txn, found.project_id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "registerForWorkshop",
                entity: "Registration",
                entity_id: created.id.to_string(),
                country,
                before: None,
                after: Some(registration_json(&created)),
            },
        )
        .await?;
        commit_announcing(ctx, txn, id, events::Kind::RegistrationChanged).await?;
        Ok(RegistrationPayload {
            registration: Registration(created),
        })
    }

    /// Cancels a registration (those who manage the project); a freed seat goes to the first
    /// person on the waiting list.
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        input: CancelRegistrationInput,
    ) -> ApiResult<RegistrationPayload> {
        let rc = request(ctx)?;
        let (txn, current) = registration_for_write(rc, &input.id).await?;
        if current.status == Stored::Cancelled {
            return Ok(RegistrationPayload {
                registration: Registration(current),
            });
        }
        let mut active: registration::ActiveModel = current.clone().into();
        active.status = Set(Stored::Cancelled);
        let cancelled = active.update(&txn).await?;
        let country = country_of_workshop(&txn, current.workshop_id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "cancelRegistration",
                entity: "Registration",
                entity_id: current.id.to_string(),
                country: country.clone(),
                before: Some(registration_json(&current)),
                after: Some(registration_json(&cancelled)),
            },
        )
        .await?;
        if current.status == Stored::Registered || current.status == Stored::Attended {
            promote_from_waitlist(&txn, &rc.caller, current.workshop_id, country).await?;
        }
        commit_announcing(
            ctx,
            txn,
            current.workshop_id,
            events::Kind::RegistrationChanged,
        )
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(cancelled),
        })
    }

    /// Records that a registered person came (or, with `attended: false`, did not after all).
    async fn mark_attendance(
        &self,
        ctx: &Context<'_>,
        input: MarkAttendanceInput,
    ) -> ApiResult<RegistrationPayload> {
        let rc = request(ctx)?;
        let (txn, current) = registration_for_write(rc, &input.id).await?;
        let next = match (current.status, input.attended) {
            (Stored::Registered | Stored::Attended, true) => Stored::Attended,
            (Stored::Registered | Stored::Attended, false) => Stored::Registered,
            _ => {
                return Err(ApiError::bad_input(
                    "input.id",
                    "only registered people can attend",
                ));
            }
        };
        let mut active: registration::ActiveModel = current.clone().into();
        active.status = Set(next);
        let updated = active.update(&txn).await?;
        let country = country_of_workshop(&txn, current.workshop_id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "markAttendance",
                entity: "Registration",
                entity_id: current.id.to_string(),
                country,
                before: Some(registration_json(&current)),
                after: Some(registration_json(&updated)),
            },
        )
        .await?;
        commit_announcing(
            ctx,
            txn,
            current.workshop_id,
            events::Kind::RegistrationChanged,
        )
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(updated),
        })
    }
}

async fn country_of_workshop(
    txn: &DatabaseTransaction,
    workshop: Uuid,
) -> ApiResult<Option<String>> {
    match workshop::Entity::find_by_id(workshop).one(txn).await? {
        Some(w) => country_of(txn, w.project_id).await,
        None => Ok(None),
    }
}

/// A registration the caller manages, with its workshop locked, inside a new transaction.
async fn registration_for_write(
    rc: &crate::graphql::context::RequestContext,
    id: &ID,
) -> ApiResult<(DatabaseTransaction, registration::Model)> {
    access::require_signed_in(&rc.caller)?;
    let id = crate::ids::decode_uuid("input.id", id, Kind::Registration)?;
    let txn = crate::db::begin_write(&rc.db).await?;
    // Rights before existence: a registration the caller may not manage is "not found",
    // exactly like one that does not exist.
    let managed = || registration::Entity::find_by_id(id).filter(access::registrations(&rc.caller));
    let found = managed()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("registration"))?;
    lock_workshop(&txn, found.workshop_id).await?;
    // Read again under the lock: the status may have changed while we waited.
    let current = managed()
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("registration"))?;
    Ok((txn, current))
}

/// Gives free seats to the longest-waiting people.
async fn promote_from_waitlist(
    txn: &DatabaseTransaction,
    caller: &Caller,
    workshop_id: Uuid,
    country: Option<String>,
) -> ApiResult<()> {
    let Some(found) = workshop::Entity::find_by_id(workshop_id).one(txn).await? else {
        return Ok(());
    };
    let free = match found.capacity {
        Some(seats) => (seats as u64).saturating_sub(seats_taken(txn, workshop_id).await?),
        None => u64::MAX,
    };
    if free == 0 {
        return Ok(());
    }
    let waiting = registration::Entity::find()
        .filter(registration::Column::WorkshopId.eq(workshop_id))
        .filter(registration::Column::Status.eq(Stored::Waitlisted))
        .order_by_asc(registration::Column::RegisteredAt)
        .order_by_asc(registration::Column::Id)
        .all(txn)
        .await?;
    for person in waiting
        .into_iter()
        .take(usize::try_from(free).unwrap_or(usize::MAX))
    {
        let mut active: registration::ActiveModel = person.clone().into();
        active.status = Set(Stored::Registered);
        let promoted = active.update(txn).await?;
        audit::record(
            txn,
            caller,
            Change {
                action: "promoteFromWaitlist",
                entity: "Registration",
                entity_id: person.id.to_string(),
                country: country.clone(),
                before: Some(registration_json(&person)),
                after: Some(registration_json(&promoted)),
            },
        )
        .await?;
    }
    Ok(())
}
