//! Registration mutations: thin adapters from input to command to use case
//! (`writes::registration`, which keeps seats from being oversold) to payload; each commits
//! with the event it causes.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};

use crate::domain::codes::Email;
use crate::domain::text;
use crate::domain::workshop::{Consent, NewRegistration};
use crate::error::{ApiError, ApiResult};
use crate::events;
use crate::graphql::enums::{AgeBand, Gender, RegistrationPurpose};
use crate::graphql::registration::Registration;
use crate::graphql::writing::{Attempt, announced, committed, given};
use crate::ids::{self, Kind};
use crate::writes::registration;

/// A person registering for a workshop, with the consent they gave.
#[derive(InputObject)]
pub struct RegisterForWorkshopInput {
    /// Global id of the workshop; it must be SCHEDULED, with registration still open (before
    /// its `registrationDeadline` and its start), else BAD_USER_INPUT.
    pub workshop: ID,
    /// The person's name, up to 200 characters.
    pub participant_name: String,
    /// The person's email address, compared in lower case; an address already holding a
    /// registration (neither cancelled nor erased) for this workshop is refused.
    pub email: String,
    /// The organisation the person comes from, up to 200 characters.
    pub organisation_name: Option<String>,
    /// Self-declared gender; UNDISCLOSED unless given.
    #[graphql(default_with = "Gender::Undisclosed")]
    pub gender: Gender,
    /// The person's age band; UNDER_18 also needs `guardianConsent`.
    pub age_band: AgeBand,
    /// What the person agreed to, as shown on the form.
    pub consent: RegistrationConsentInput,
    /// A guardian agreed: required for UNDER_18.
    #[graphql(default)]
    pub guardian_consent: bool,
}

/// The privacy notice a registrant agreed to, and for what.
#[derive(InputObject)]
pub struct RegistrationConsentInput {
    /// The version of the privacy notice shown, e.g. `2026-11`.
    pub notice_version: String,
    /// WORKSHOP_ADMINISTRATION is required: it is what registering is.
    pub purposes: Vec<RegistrationPurpose>,
}

/// The secret a registrant manages their registration with.
#[derive(InputObject)]
pub struct ManageTokenInput {
    /// The `mrg_…` token `registerForWorkshop` returned; a wrong one, or one whose
    /// registration was erased, answers NOT_FOUND.
    pub manage_token: String,
}

/// What a registrant may correct; a field left out keeps its value, `null` clears the
/// organisation.
#[derive(InputObject)]
pub struct UpdateMyRegistrationInput {
    /// The `mrg_…` token `registerForWorkshop` returned; a wrong one, or one whose
    /// registration was erased, answers NOT_FOUND.
    pub manage_token: String,
    /// The corrected name, up to 200 characters.
    pub participant_name: Option<String>,
    /// The corrected organisation, up to 200 characters; `null` removes it.
    pub organisation_name: MaybeUndefined<String>,
}

/// Which registration's identity to erase.
#[derive(InputObject)]
pub struct EraseRegistrationInput {
    /// Global id of a registration of a project you manage; any other answers NOT_FOUND.
    pub id: ID,
}

/// A registration just made, with the secret to manage it: shown this once, never stored.
#[derive(SimpleObject)]
pub struct RegisterForWorkshopPayload {
    /// The registration made: REGISTERED, or WAITLISTED when the workshop is full.
    pub registration: Registration,
    /// Keep it: with it the registrant sees, corrects, cancels or erases the registration
    /// (`myRegistration`, `updateMyRegistration`, `cancelMyRegistration`,
    /// `eraseMyRegistration`).
    pub manage_token: String,
}

/// Which registration to cancel.
#[derive(InputObject)]
pub struct CancelRegistrationInput {
    /// Global id of a registration of a project you manage; any other answers NOT_FOUND.
    pub id: ID,
}

/// Whether a registered person came.
#[derive(InputObject)]
pub struct MarkAttendanceInput {
    /// Global id of a registration of a project you manage; any other answers NOT_FOUND.
    pub id: ID,
    /// `true` (the default) makes it ATTENDED, `false` REGISTERED again; a registration that
    /// is WAITLISTED or CANCELLED is refused (BAD_USER_INPUT).
    #[graphql(default = true)]
    pub attended: bool,
}

/// A registration as it is after the change.
#[derive(SimpleObject)]
pub struct RegistrationPayload {
    /// The registration after the change.
    pub registration: Registration,
}

fn name(value: &str) -> ApiResult<String> {
    text::optional("input.participantName", Some(value), 200)?
        .ok_or_else(|| ApiError::bad_input("input.participantName", "a name is required"))
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
            consent,
            guardian_consent,
        } = self;
        let consent = Consent::parse(
            &consent.notice_version,
            consent
                .purposes
                .iter()
                .map(|p| p.code().to_owned())
                .collect(),
            guardian_consent,
            age_band,
        )?;
        Ok(NewRegistration {
            workshop: ids::decode_uuid("input.workshop", &workshop, Kind::Workshop)?,
            participant_name: name(&participant_name)?,
            email: Email::parse(&email).map_err(|m| ApiError::bad_input("input.email", m))?,
            organisation_name: text::optional(
                "input.organisationName",
                organisation_name.as_deref(),
                200,
            )?,
            gender,
            age_band,
            consent,
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
        #[graphql(desc = "The person, the workshop and the consent given.")]
        input: RegisterForWorkshopInput,
    ) -> ApiResult<RegisterForWorkshopPayload> {
        let new = input.command()?;
        let limits = ctx
            .data::<registration::RegistrationLimits>()
            .map_err(ApiError::internal)?;
        let created = announced(ctx, Attempt::Anyone, CHANGED, async |write| {
            registration::register(write, new, limits).await
        })
        .await?;
        Ok(RegisterForWorkshopPayload {
            registration: Registration(created.row),
            manage_token: created.manage_token,
        })
    }

    /// Cancels a registration (those who manage the project); a freed seat goes to the first
    /// person on the waiting list.
    async fn cancel_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration to cancel.")] input: CancelRegistrationInput,
    ) -> ApiResult<RegistrationPayload> {
        let (cancelled, _) = announced(ctx, Attempt::SignedIn, CHANGED, async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Registration)?;
            registration::cancel(write, id).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(cancelled),
        })
    }

    /// Records that a registered person came (or, with `attended: false`, did not after all).
    async fn mark_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration and whether the person came.")]
        input: MarkAttendanceInput,
    ) -> ApiResult<RegistrationPayload> {
        let updated = announced(ctx, Attempt::SignedIn, CHANGED, async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Registration)?;
            registration::mark_attendance(write, id, input.attended).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(updated),
        })
    }

    /// Erases a registration's identity (name, email, organisation), keeping only the
    /// gender, age band and status the figures count (those who manage the project).
    async fn erase_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration to erase.")] input: EraseRegistrationInput,
    ) -> ApiResult<RegistrationPayload> {
        let erased = committed(ctx, async |write| {
            let id = ids::decode_uuid("input.id", &input.id, Kind::Registration)?;
            let current = registration::managed(write, id).await?;
            registration::erase(write, "eraseRegistration", &current).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(erased),
        })
    }

    /// The registrant corrects their name or organisation, with their manage token.
    async fn update_my_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Your manage token and the corrections; a field left out keeps its \
                    value."
        )]
        input: UpdateMyRegistrationInput,
    ) -> ApiResult<RegistrationPayload> {
        let name = input.participant_name.as_deref().map(name).transpose()?;
        let organisation = given(input.organisation_name, |o| {
            text::optional("input.organisationName", Some(&o), 200)
        })?
        .map(Option::flatten);
        let updated = announced(ctx, Attempt::Anyone, CHANGED, async |write| {
            let current = registration::by_token(write, &input.manage_token).await?;
            registration::correct(write, &current, name, organisation).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(updated),
        })
    }

    /// The registrant cancels, with their manage token; a freed seat goes to the first
    /// person waiting.
    async fn cancel_my_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your manage token.")] input: ManageTokenInput,
    ) -> ApiResult<RegistrationPayload> {
        let (cancelled, _) = announced(ctx, Attempt::Anyone, CHANGED, async |write| {
            let current = registration::by_token(write, &input.manage_token).await?;
            registration::cancel_held(write, "cancelMyRegistration", current).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(cancelled),
        })
    }

    /// The registrant erases their identity, with their manage token, which then stops
    /// working. A seat held is given up first.
    async fn erase_my_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Your manage token.")] input: ManageTokenInput,
    ) -> ApiResult<RegistrationPayload> {
        let erased = announced(ctx, Attempt::Anyone, CHANGED, async |write| {
            let current = registration::by_token(write, &input.manage_token).await?;
            let (current, _) =
                registration::cancel_held(write, "cancelMyRegistration", current).await?;
            registration::erase(write, "eraseMyRegistration", &current).await
        })
        .await?;
        Ok(RegistrationPayload {
            registration: Registration(erased),
        })
    }
}
