//! Registration use cases. Seats are never oversold: every registration change first locks
//! its workshop row (`Write::lock_workshop`: an UPDATE, which serialises writers on
//! PostgreSQL per workshop and on SQLite per database), then counts seats inside the same
//! transaction; a freed or added seat goes to the longest-waiting person.

use chrono::Utc;
use entity::enums::{RegistrationStatus, WorkshopStatus};
use entity::{registration, workshop};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
};
use uuid::Uuid;

use crate::access;
use crate::derived::seats;
use crate::domain::workshop::NewRegistration;
use crate::error::{ApiError, ApiResult};
use crate::writes::Write;

/// Registers a person; past capacity the registration is WAITLISTED, in arrival order.
/// Anonymous callers may register only for workshops open to the public.
pub async fn register(write: &Write<'_>, new: NewRegistration) -> ApiResult<registration::Model> {
    write.lock_workshop(new.workshop).await?;
    let found = write
        .find::<workshop::Entity>(new.workshop, access::workshops(write.caller()))
        .await?;
    if !access::may_register_for(write.caller(), found.open_to_public) {
        return Err(ApiError::Unauthenticated {
            message: "sign in to register for this workshop".into(),
        });
    }
    if crate::domain::workshop::status_at(found.status, found.ends_at, Utc::now())
        != WorkshopStatus::Scheduled
    {
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
    let taken = seats::taken(write.txn(), found.id).await?;
    let status = match found.capacity {
        Some(capacity) if taken >= capacity as u64 => RegistrationStatus::Waitlisted,
        _ => RegistrationStatus::Registered,
    };
    let row = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        workshop_id: Set(found.id),
        participant_name: Set(new.participant_name),
        email: Set(new.email.into_inner()),
        organisation_name: Set(new.organisation_name),
        gender: Set(new.gender),
        age_band: Set(new.age_band),
        status: Set(status),
        registered_at: Set(now),
        illustrative: Set(false),
        illustrative_fields: Set(serde_json::json!([])),
    };
    write.insert("registerForWorkshop", row).await
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
    if current.status == RegistrationStatus::Cancelled {
        return Ok((current, false));
    }
    let cancelled = set_status(
        write,
        "cancelRegistration",
        &current,
        RegistrationStatus::Cancelled,
    )
    .await?;
    if matches!(
        current.status,
        RegistrationStatus::Registered | RegistrationStatus::Attended
    ) {
        promote_from_waitlist(write, current.workshop_id).await?;
    }
    Ok((cancelled, true))
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
