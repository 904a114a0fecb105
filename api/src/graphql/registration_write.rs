//! Registration mutations: thin adapters from input to command to use case
//! (`writes::registration`, which keeps seats from being oversold) to payload; each commits
//! with the event it causes.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};

use crate::domain::codes::Email;
use crate::domain::text;
use crate::domain::workshop::NewRegistration;
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::context::request;
use crate::graphql::enums::{AgeBand, Gender};
use crate::graphql::registration::Registration;
use crate::graphql::writing::{announce, announced};
use crate::ids::{self, Kind};
use crate::writes::{Write, registration};

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

impl RegisterForWorkshopInput {
    fn command(self) -> ApiResult<NewRegistration> {
        let Self {
            workshop,
            participant_name,
            email,
            organisation_name,
            gender,
            age_band,
        } = self;
        Ok(NewRegistration {
            workshop: ids::decode_uuid("input.workshop", &workshop, Kind::Workshop)?,
            participant_name: text::optional(
                "input.participantName",
                Some(&participant_name),
                200,
            )?
            .ok_or_else(|| ApiError::bad_input("input.participantName", "a name is required"))?,
            email: Email::parse(&email).map_err(|m| ApiError::bad_input("input.email", m))?,
            organisation_name: text::optional(
                "input.organisationName",
                organisation_name.as_deref(),
                200,
            )?,
            gender: gender.into(),
            age_band: age_band.into(),
        })
    }
}

const CHANGED: events::Kind = events::Kind::RegistrationChanged;

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
        let new = input.command()?;
        let write = Write::open(&rc.db, &rc.caller).await?;
        let created = announce(ctx, write, CHANGED, async |write| {
            registration::register(write, new).await
        })
        .await?;
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
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = ids::decode_uuid("input.id", &input.id, Kind::Registration)?;
        let (cancelled, changed) = registration::cancel(&write, id).await?;
        // Cancelling again changes nothing, so nobody hears of it.
        if changed {
            announce(ctx, write, CHANGED, async |_| Ok(cancelled.clone())).await?;
        }
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
        let updated = announced(ctx, CHANGED, async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Registration)?;
            registration::mark_attendance(write, id, input.attended).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(updated),
        })
    }
}
