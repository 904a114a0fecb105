//! Registration use cases. Seats are never oversold: every registration change first locks
//! its workshop row (`Write::lock_workshop`: an UPDATE, which serialises writers on
//! PostgreSQL per workshop and on SQLite per database), then counts seats inside the same
//! transaction; a freed or added seat goes to the longest-waiting person.

use chrono::Utc;
use entity::enums::{ParticipantRole, RegistrationStatus};
use entity::{project_participant, registration, workshop};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::access;
use crate::auth::secrets;
use crate::derived::seats;
use crate::domain::cell_key;
use crate::domain::workshop::NewRegistration;
use crate::error::{ApiError, ApiResult};
use crate::writes::Write;

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// Anonymous registrations per workshop: whatever addresses they come from, a workshop fills
/// no faster than this.
pub struct RegistrationLimits {
    limiter: Option<DefaultKeyedRateLimiter<uuid::Uuid>>,
}

impl RegistrationLimits {
    /// Off when `registrations_per_workshop_per_minute` is 0.
    pub fn new(limits: &crate::config::Limits) -> Self {
        Self {
            limiter: NonZeroU32::new(limits.registrations_per_workshop_per_minute)
                .map(|per_minute| RateLimiter::keyed(Quota::per_minute(per_minute))),
        }
    }

    /// Whether workshop `id` takes another anonymous registration now.
    pub fn admits(&self, workshop: uuid::Uuid) -> bool {
        self.limiter
            .as_ref()
            .is_none_or(|l| l.check_key(&workshop).is_ok())
    }
}

/// A registration as made, with the secret its registrant manages it by (shown once).
pub struct Registered {
    pub row: registration::Model,
    pub manage_token: String,
}

/// Manage tokens start so, to be told apart from API tokens.
pub const MANAGE_TOKEN_PREFIX: &str = "mrg_";

/// Registers a person; past capacity the registration is WAITLISTED, in arrival order.
/// Anonymous callers may register only for workshops open to the public, and no faster than
/// the workshop's limit. One email holds one registration per workshop (cancelled and
/// erased ones aside).
pub async fn register(
    write: &Write<'_>,
    new: NewRegistration,
    limits: &RegistrationLimits,
) -> ApiResult<Registered> {
    write.lock_workshop(new.workshop).await?;
    let found = write
        .find::<workshop::Entity>(new.workshop, access::workshops(write.caller()))
        .await?;
    if !access::may_register_for(write.caller(), found.open_to_public) {
        return Err(ApiError::Unauthenticated {
            message: "sign in to register for this workshop".into(),
        });
    }
    let now = Utc::now();
    if let Some(why) = crate::domain::workshop::registration_closed(&found, now) {
        return Err(ApiError::bad_input("input.workshop", why));
    }
    let email = new.email.into_inner();
    let holding = registration::Entity::find()
        .filter(registration::Column::WorkshopId.eq(found.id))
        .filter(registration::Column::Email.eq(email.as_str()))
        .filter(registration::Column::Status.ne(RegistrationStatus::Cancelled))
        .filter(registration::Column::ErasedAt.is_null())
        .count(write.txn())
        .await?;
    if holding > 0 {
        return Err(ApiError::bad_input(
            "input.email",
            "this address is already registered for this workshop; its registrant manages \
             it with the manage token they were given",
        ));
    }
    if write.caller().is_anonymous() && !limits.admits(found.id) {
        return Err(ApiError::RateLimited {
            message: "this workshop takes no more registrations this minute; try again".into(),
        });
    }
    let taken = seats::taken(write.txn(), found.id).await?;
    let status = match found.capacity {
        Some(capacity) if taken >= capacity as u64 => RegistrationStatus::Waitlisted,
        _ => RegistrationStatus::Registered,
    };
    let (manage_token, digest) = secrets::generate(MANAGE_TOKEN_PREFIX)?;
    let row = registration::ActiveModel {
        updated_at: NotSet,
        id: Set(Uuid::now_v7()),
        workshop_id: Set(found.id),
        participant_name: Set(new.participant_name),
        email: Set(email),
        organisation_name: Set(new.organisation_name),
        gender: Set(new.gender),
        age_band: Set(new.age_band),
        status: Set(status),
        registered_at: Set(now),
        illustrative: Set(false),
        illustrative_fields: Set(serde_json::json!([])),
        consent_notice_version: Set(Some(new.consent.notice_version)),
        consent_purposes: Set(Some(serde_json::json!(new.consent.purposes))),
        consented_at: Set(Some(now)),
        guardian_consent: Set(new.consent.guardian),
        controller_id: Set(controller(write, found.project_id).await?),
        manage_token_sha256: Set(Some(digest)),
        erased_at: Set(None),
        record_key: Set(cell_key::record_key()),
    };
    let row = write.insert("registerForWorkshop", row).await?;
    Ok(Registered { row, manage_token })
}

/// The organisation responsible for a workshop's registrations: its project's lead.
async fn controller(write: &Write<'_>, project: Uuid) -> ApiResult<Option<Uuid>> {
    Ok(project_participant::Entity::find()
        .filter(project_participant::Column::ProjectId.eq(project))
        .filter(project_participant::Column::Role.eq(ParticipantRole::Lead))
        .one(write.txn())
        .await?
        .map(|p| p.organisation_id))
}

/// A registration the caller manages (NOT_FOUND otherwise, exactly like a missing one), read
/// under its workshop's lock.
pub async fn managed(write: &Write<'_>, id: Uuid) -> ApiResult<registration::Model> {
    let visible = || access::registrations(write.caller());
    let found = write.find::<registration::Entity>(id, visible()).await?;
    write.lock_workshop(found.workshop_id).await?;
    // Read again under the lock: the status may have changed while we waited.
    write.find::<registration::Entity>(id, visible()).await
}

/// Cancels a registration; a freed seat goes to the first person waiting. Cancelling twice
/// changes nothing: the second answers `changed: false`.
pub async fn cancel(write: &Write<'_>, id: Uuid) -> ApiResult<(registration::Model, bool)> {
    let current = managed(write, id).await?;
    cancel_row(write, "cancelRegistration", current).await
}

async fn cancel_row(
    write: &Write<'_>,
    action: &str,
    current: registration::Model,
) -> ApiResult<(registration::Model, bool)> {
    if current.status == RegistrationStatus::Cancelled {
        return Ok((current, false));
    }
    let cancelled = set_status(write, action, &current, RegistrationStatus::Cancelled).await?;
    if matches!(
        current.status,
        RegistrationStatus::Registered | RegistrationStatus::Attended
    ) {
        promote_from_waitlist(write, current.workshop_id).await?;
    }
    Ok((cancelled, true))
}

/// The registrant gives up the seat they hold or wait for; attendance already recorded
/// stays, as the figures counted it.
pub async fn cancel_held(
    write: &Write<'_>,
    action: &str,
    current: registration::Model,
) -> ApiResult<(registration::Model, bool)> {
    if current.status == RegistrationStatus::Attended {
        return Ok((current, false));
    }
    cancel_row(write, action, current).await
}

/// The registration `token` manages, under its workshop's lock. A wrong token, or one whose
/// registration was erased, answers NOT_FOUND, exactly like a missing registration.
pub async fn by_token(write: &Write<'_>, token: &str) -> ApiResult<registration::Model> {
    let held = || {
        registration::Entity::find()
            .filter(registration::Column::ManageTokenSha256.eq(secrets::digest(token)))
            .filter(registration::Column::ErasedAt.is_null())
    };
    let found = held()
        .one(write.txn())
        .await?
        .ok_or_else(|| ApiError::not_found("registration"))?;
    write.lock_workshop(found.workshop_id).await?;
    held()
        .one(write.txn())
        .await?
        .ok_or_else(|| ApiError::not_found("registration"))
}

/// The registrant corrects their name or organisation (`Some(None)` clears it).
pub async fn correct(
    write: &Write<'_>,
    current: &registration::Model,
    name: Option<String>,
    organisation: Option<Option<String>>,
) -> ApiResult<registration::Model> {
    let mut row = current.clone().into_active_model();
    if let Some(name) = name {
        row.participant_name = Set(name);
    }
    if let Some(organisation) = organisation {
        row.organisation_name = Set(organisation);
    }
    write.change("updateMyRegistration", current, row).await
}

/// Erases a registration's identity: name, email and organisation go, and with them the
/// manage token; gender, age band and status stay, so the published figures do not move.
pub async fn erase(
    write: &Write<'_>,
    action: &str,
    current: &registration::Model,
) -> ApiResult<registration::Model> {
    if current.erased_at.is_some() {
        return Ok(current.clone());
    }
    let mut row = current.clone().into_active_model();
    row.participant_name = Set(String::new());
    row.email = Set(String::new());
    row.organisation_name = Set(None);
    row.manage_token_sha256 = Set(None);
    row.erased_at = Set(Some(Utc::now()));
    write.change(action, current, row).await
}

/// Records that a registered person came (or, with `attended: false`, did not after all).
pub async fn mark_attendance(
    write: &Write<'_>,
    id: Uuid,
    attended: bool,
) -> ApiResult<registration::Model> {
    let current = managed(write, id).await?;
    let next = match (current.status, attended) {
        (RegistrationStatus::Registered | RegistrationStatus::Attended, true) => {
            RegistrationStatus::Attended
        }
        (RegistrationStatus::Registered | RegistrationStatus::Attended, false) => {
            RegistrationStatus::Registered
        }
        _ => {
            return Err(ApiError::bad_input(
                "input.id",
                "only registered people can attend",
            ));
        }
    };
    set_status(write, "markAttendance", &current, next).await
}

/// Gives the free seats of workshop `id` (its lock held) to the longest-waiting people.
pub async fn promote_from_waitlist(write: &Write<'_>, id: Uuid) -> ApiResult<()> {
    let Some(found) = workshop::Entity::find_by_id(id).one(write.txn()).await? else {
        return Ok(());
    };
    let free = match found.capacity {
        Some(capacity) => (capacity as u64).saturating_sub(seats::taken(write.txn(), id).await?),
        None => u64::MAX,
    };
    if free == 0 {
        return Ok(());
    }
    let waiting = registration::Entity::find()
        .filter(registration::Column::WorkshopId.eq(id))
        .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
        .order_by_asc(registration::Column::RegisteredAt)
        .order_by_asc(registration::Column::Id)
        .all(write.txn())
        .await?;
    for person in waiting
        .into_iter()
        .take(usize::try_from(free).unwrap_or(usize::MAX))
    {
        set_status(
            write,
            "promoteFromWaitlist",
            &person,
            RegistrationStatus::Registered,
        )
        .await?;
    }
    Ok(())
}

async fn set_status(
    write: &Write<'_>,
    action: &str,
    current: &registration::Model,
    status: RegistrationStatus,
) -> ApiResult<registration::Model> {
    let mut row = current.clone().into_active_model();
    row.status = Set(status);
    write.change(action, current, row).await
}
