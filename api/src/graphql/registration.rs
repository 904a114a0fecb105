//! Registrations for workshops. Names and emails are personal data: the list is visible only
//! to those who manage the project; registrants see their own registration in the payload.

use async_graphql::{Context, ID, Object, SimpleObject};
use entity::registration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

use crate::error::ApiError;
use async_graphql::dataloader::Loader;

use crate::auth::secrets;
use crate::graphql::context::{audited_read, request};
use crate::graphql::loaders::{Loaders, group, key, shared};
use crate::graphql::organisation::Organisation;
use crate::graphql::scalars::DateTime;

use crate::error::ApiResult;
use crate::graphql::context::load;
use crate::graphql::enums::{AgeBand, Gender, RegistrationPurpose, RegistrationStatus};
use crate::graphql::global_id;
use crate::graphql::loaders::WorkshopById;
use crate::graphql::provenance::Provenance;
use crate::graphql::workshop::Workshop;
use crate::ids::Kind;

#[derive(Clone)]
pub struct Registration(pub registration::Model);

key!(
    /// A workshop's waiting list: its registrations' ids in the order seats go to them.
    WaitlistOf
);

/// One statement for every workshop asked about.
impl Loader<WaitlistOf> for Loaders {
    type Value = Arc<Vec<Uuid>>;
    type Error = ApiError;

    async fn load(&self, keys: &[WaitlistOf]) -> ApiResult<HashMap<WaitlistOf, Self::Value>> {
        let rows: Vec<(Uuid, Uuid)> = registration::Entity::find()
            .select_only()
            .columns([registration::Column::WorkshopId, registration::Column::Id])
            .filter(registration::Column::WorkshopId.is_in(keys.iter().map(|k| k.0)))
            .filter(registration::Column::Status.eq(RegistrationStatus::Waitlisted))
            .order_by_asc(registration::Column::RegisteredAt)
            .order_by_asc(registration::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(shared(group(rows, |(workshop, id)| {
            (WaitlistOf(workshop), id)
        })))
    }
}

impl Registration {
    /// Whether the caller sees this registrant's gender and age band one by one: not a
    /// partner, or the partner running the workshop.
    fn profile(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        Ok(match request(ctx)?.caller.organisation() {
            Some(organisation) => self.0.controller_id == Some(organisation),
            None => true,
        })
    }

    /// The row, unless its identity was erased; its reading noted for the audit trail.
    fn identity(&self, ctx: &Context<'_>) -> Option<&registration::Model> {
        (self.0.erased_at.is_none() && audited_read(ctx, "Registration", self.0.id))
            .then_some(&self.0)
    }
}

/// What a registrant agreed to.
#[derive(SimpleObject)]
pub struct RegistrationConsent {
    /// The privacy notice version shown.
    pub notice_version: String,
    /// WORKSHOP_ADMINISTRATION, and what else the person allowed.
    pub purposes: Vec<RegistrationPurpose>,
    /// When the person agreed (UTC): the moment they registered.
    pub consented_at: DateTime,
    /// A guardian agreed (registrants under 18).
    pub guardian_consent: bool,
}

#[derive(Default)]
pub struct MyRegistrationQuery;

#[Object]
impl MyRegistrationQuery {
    /// Your own registration, by the manage token you were given when registering: your
    /// data, status, place on the waiting list and who is responsible for it. A wrong token,
    /// or one whose registration was erased, answers null.
    async fn my_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The `mrg_…` token `registerForWorkshop` returned.")] manage_token: String,
    ) -> ApiResult<Option<Registration>> {
        let rc = request(ctx)?;
        Ok(registration::Entity::find()
            .filter(registration::Column::ManageTokenSha256.eq(secrets::digest(&manage_token)))
            .filter(registration::Column::ErasedAt.is_null())
            .one(&rc.db)
            .await?
            .map(Registration))
    }
}

/// One person's registration for a workshop, seen by those who manage the project and by the
/// registrant (with the manage token). Name, email and organisation are personal data.
#[Object(serial)]
impl Registration {
    /// Opaque global id, for `cancelRegistration`, `markAttendance` and `eraseRegistration`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Registration, self.0.id)
    }

    /// When it last changed, to the millisecond: every write sets it. Partner systems sync by
    /// asking their list for `updatedSince` the latest value they hold.
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    /// The workshop registered for; null when it is hidden from you (a cancelled workshop is
    /// shown only to those who manage its project).
    async fn workshop(&self, ctx: &Context<'_>) -> ApiResult<Option<Workshop>> {
        Ok(load(
            ctx,
            WorkshopById(self.0.workshop_id, "registration.workshop"),
        )
        .await?
        .map(Workshop))
    }

    /// Personal data; null once erased. Reading it is audited.
    async fn participant_name(&self, ctx: &Context<'_>) -> Option<&str> {
        self.identity(ctx).map(|r| r.participant_name.as_str())
    }

    /// Personal data; null once erased. Reading it is audited.
    async fn email(&self, ctx: &Context<'_>) -> Option<&str> {
        self.identity(ctx).map(|r| r.email.as_str())
    }

    /// Personal data. Reading it is audited.
    async fn organisation_name(&self, ctx: &Context<'_>) -> Option<&str> {
        self.identity(ctx)
            .and_then(|r| r.organisation_name.as_deref())
    }

    /// What the person agreed to; null for registrations made before consent was recorded
    /// and for the seed's invented people.
    async fn consent(&self) -> Option<RegistrationConsent> {
        let r = &self.0;
        Some(RegistrationConsent {
            notice_version: r.consent_notice_version.clone()?,
            purposes: r
                .consent_purposes
                .as_ref()
                .and_then(|p| serde_json::from_value::<Vec<String>>(p.clone()).ok())
                .unwrap_or_default()
                .iter()
                .filter_map(|code| RegistrationPurpose::from_code(code))
                .collect(),
            consented_at: DateTime(r.consented_at?),
            guardian_consent: r.guardian_consent,
        })
    }

    /// The organisation responsible for the data (the one running the workshop): whom to
    /// ask about it.
    async fn controller(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        let Some(id) = self.0.controller_id else {
            return Ok(None);
        };
        Organisation::by_id(ctx, id, "registration.controller").await
    }

    /// Place on the waiting list (1: next to get a seat); null unless WAITLISTED.
    async fn waitlist_position(&self, ctx: &Context<'_>) -> ApiResult<Option<i64>> {
        if self.0.status != RegistrationStatus::Waitlisted {
            return Ok(None);
        }
        let waiting = load(ctx, WaitlistOf(self.0.workshop_id))
            .await?
            .unwrap_or_default();
        Ok(waiting
            .iter()
            .position(|id| *id == self.0.id)
            .map(|i| i as i64 + 1))
    }

    /// When name, email and organisation were erased (by the person, a manager, or
    /// retention); the rest stays for the figures.
    async fn erased_at(&self) -> Option<DateTime> {
        self.0.erased_at.map(DateTime)
    }

    /// Self-declared. A partner sees it only for workshops its organisation runs (the
    /// controller); otherwise only in aggregate (`participationSummary`): null.
    async fn gender(&self, ctx: &Context<'_>) -> ApiResult<Option<Gender>> {
        Ok(self.profile(ctx)?.then_some(self.0.gender))
    }

    /// As `gender`.
    async fn age_band(&self, ctx: &Context<'_>) -> ApiResult<Option<AgeBand>> {
        Ok(self.profile(ctx)?.then_some(self.0.age_band))
    }

    /// REGISTERED and ATTENDED hold a seat; WAITLISTED move up in arrival order.
    async fn status(&self) -> RegistrationStatus {
        self.0.status
    }

    /// When the person registered (UTC); the waiting list moves up in this order.
    async fn registered_at(&self) -> DateTime {
        DateTime(self.0.registered_at)
    }

    #[graphql(flatten)]
    async fn provenance(&self) -> Provenance {
        Provenance::of(self.0.illustrative, &self.0.illustrative_fields)
    }
}

crate::graphql::connection::connection!(
    RegistrationConnection,
    RegistrationEdge,
    Registration,
    "registrations"
);
