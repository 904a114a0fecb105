//! Access requests (GDPR art. 15): everything held about one email address, as data and as
//! a JSON document to hand over. Reading it is audited like every read of personal data.

use async_graphql::{Context, Object};
use entity::{contact, registration};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

use crate::access;
use crate::domain::codes::Email;
use crate::error::{ApiError, ApiResult};
use crate::graphql::contact::Contact;
use crate::graphql::context::{audited_read, request};
use crate::graphql::registration::Registration;

/// What Mosaic holds about one person, by email.
pub struct PersonalData {
    email: String,
    registrations: Vec<registration::Model>,
    contacts: Vec<contact::Model>,
}

/// Everything Mosaic holds about one email address, for an access request (GDPR art. 15):
/// registrations and contacts, as far as you may search them.
#[Object]
impl PersonalData {
    /// The address searched for, in lower case.
    async fn email(&self) -> &str {
        &self.email
    }

    /// Their registrations, oldest first.
    async fn registrations(&self) -> Vec<Registration> {
        self.registrations
            .iter()
            .cloned()
            .map(Registration)
            .collect()
    }

    /// Contact entries with their address.
    async fn contacts(&self) -> Vec<Contact> {
        self.contacts.iter().cloned().map(Contact).collect()
    }

    /// All of it as one JSON document (`application/json`), to hand to the person.
    async fn document(&self, ctx: &Context<'_>) -> ApiResult<String> {
        let registrations: Vec<serde_json::Value> = self
            .registrations
            .iter()
            .filter(|r| audited_read(ctx, "Registration", r.id))
            .map(|r| {
                json!({
                    "workshopId": r.workshop_id, "participantName": r.participant_name,
                    "email": r.email, "organisationName": r.organisation_name,
                    "gender": r.gender, "ageBand": r.age_band, "status": r.status,
                    "registeredAt": r.registered_at, "consent": {
                        "noticeVersion": r.consent_notice_version, "purposes": r.consent_purposes,
                        "consentedAt": r.consented_at, "guardianConsent": r.guardian_consent,
                    },
                    "controllerOrganisationId": r.controller_id,
                })
            })
            .collect();
        let contacts: Vec<serde_json::Value> = self
            .contacts
            .iter()
            .filter(|c| audited_read(ctx, "Contact", c.id))
            .map(|c| {
                json!({
                    "name": c.name, "title": c.title, "email": c.email, "phone": c.phone,
                    "projectId": c.project_id, "organisationId": c.organisation_id,
                })
            })
            .collect();
        serde_json::to_string_pretty(&json!({
            "email": self.email,
            "exportedAt": chrono::Utc::now(),
            "registrations": registrations,
            "contacts": contacts,
        }))
        .map_err(ApiError::internal)
    }
}

#[derive(Default)]
pub struct PersonalDataQuery;

#[Object]
impl PersonalDataQuery {
    /// Every registration and contact held with this email address (an access request):
    /// ADMIN for everything, a COORDINATOR within its countries. Audited.
    async fn personal_data(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The person's email address, compared in lower case.")] email: String,
    ) -> ApiResult<PersonalData> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let Some((registrations, contacts)) = access::access_requests(&rc.caller) else {
            return Err(access::forbidden(
                "access requests are answered by admins and coordinators",
            ));
        };
        let email = Email::parse(&email)
            .map_err(|m| ApiError::bad_input("email", m))?
            .into_inner();
        Ok(PersonalData {
            registrations: registration::Entity::find()
                .filter(registration::Column::Email.eq(email.as_str()))
                .filter(registrations)
                .order_by_asc(registration::Column::RegisteredAt)
                .all(&rc.db)
                .await?,
            contacts: contact::Entity::find()
                .filter(contact::Column::Email.eq(email.as_str()))
                .filter(contacts)
                .order_by_asc(contact::Column::Name)
                .all(&rc.db)
                .await?,
            email,
        })
    }
}
