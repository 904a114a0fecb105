//! Registrations for workshops. Names and emails are personal data: the list is visible only
//! to those who manage the project; registrants see their own registration in the payload.

use async_graphql::{Context, ID, Object};
use chrono::{DateTime, Utc};
use entity::registration;

use crate::error::ApiResult;
use crate::graphql::context::load;
use crate::graphql::enums::{AgeBand, Gender, RegistrationStatus};
use crate::graphql::global_id;
use crate::graphql::loaders::WorkshopById;
use crate::graphql::provenance::Provenance;
use crate::graphql::workshop::Workshop;
use crate::ids::Kind;

pub struct Registration(pub registration::Model);

#[Object(serial)]
impl Registration {
    async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Registration, self.0.id)
    }

    async fn workshop(&self, ctx: &Context<'_>) -> ApiResult<Option<Workshop>> {
        Ok(load(
            ctx,
            WorkshopById(self.0.workshop_id, "registration.workshop"),
        )
        .await?
        .map(Workshop))
    }

    /// Personal data.
    async fn participant_name(&self) -> &str {
        &self.0.participant_name
    }

    /// Personal data.
    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn organisation_name(&self) -> Option<&str> {
        self.0.organisation_name.as_deref()
    }

    /// Self-declared.
    async fn gender(&self) -> Gender {
        self.0.gender.into()
    }

    async fn age_band(&self) -> AgeBand {
        self.0.age_band.into()
    }

    /// REGISTERED and ATTENDED hold a seat; WAITLISTED move up in arrival order.
    async fn status(&self) -> RegistrationStatus {
        self.0.status.into()
    }

    async fn registered_at(&self) -> DateTime<Utc> {
        self.0.registered_at
    }

    #[graphql(flatten)]
    async fn provenance(&self) -> Provenance {
        Provenance::of(self.0.illustrative, &self.0.illustrative_fields)
    }
}
