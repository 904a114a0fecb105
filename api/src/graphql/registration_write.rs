//! Registration writes. Seats are never oversold: every registration change first locks its
//! workshop row (an UPDATE, which serialises writers on PostgreSQL per workshop and on SQLite
//! per database), then counts seats inside the same transaction; a freed or added seat goes
//! to the longest-waiting person.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::Utc;
use entity::enums::{RegistrationStatus as Stored, WorkshopStatus as StoredStatus};
use entity::{registration, workshop};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{self};
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::domain::codes::Email;
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::context::request;
use crate::graphql::enums::{AgeBand, Gender};
use crate::graphql::registration::{Registration, seats_taken};
use crate::graphql::text_input::check_length;
use crate::ids::Kind;

use crate::graphql::workshop_write::{commit_announcing, country_of, lock_workshop, optional_text};

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
pub struct RegistrationPayload {
    pub registration: Registration,
}

/// Registrations are audited without names or emails: the audit log holds no personal data.
fn registration_json(r: &registration::Model) -> serde_json::Value {
    json!({ "id": r.id, "workshopId": r.workshop_id, "status": r.status, "gender": r.gender, "ageBand": r.age_band })
}

#[derive(Default)]
pub struct RegistrationMutation;

#[Object]
impl RegistrationMutation {
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
pub(crate) async fn promote_from_waitlist(
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
