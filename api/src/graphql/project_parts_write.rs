//! Writes of what hangs under a project: milestones (partners too), contacts and funding
//! (its coordinators, admins), exchange rates (admins), and deleting a project.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use entity::enums::Role;
use entity::{contact, exchange_rate, funding, milestone, organisation, project, workshop};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::{NotSet, Set},
    ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
};
use serde_json::json;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::{dependants, refuse_if_used};
use crate::derived::eur;
use crate::domain::codes::{CurrencyCode, Email};
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::contact::Contact;
use crate::graphql::context::request;
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::funding::Funding;
use crate::graphql::global_id;
use crate::graphql::project::Milestone;
use crate::graphql::project_write::{TranslationInput, check_length, load_for_write, texts};
use crate::graphql::reference_write::{DeleteInput, DeletePayload};
use crate::ids::Kind;
use crate::writes::Write;

/// The project behind a part, checked against what the caller needs to hold on it.
async fn project_with(
    txn: &DatabaseTransaction,
    caller: &Caller,
    field: &str,
    project: Uuid,
    needed: ProjectRights,
) -> ApiResult<project::Model> {
    let (found, rights) = load_for_write(
        txn,
        caller,
        field,
        &global_id::encode_uuid(Kind::Project, project),
    )
    .await?;
    let enough = match needed {
        ProjectRights::Everything => rights == ProjectRights::Everything,
        _ => rights != ProjectRights::Nothing,
    };
    if enough {
        Ok(found)
    } else {
        Err(access::forbidden(
            "you may not change this project's details",
        ))
    }
}

async fn record(txn: &DatabaseTransaction, caller: &Caller, change: Change<'_>) -> ApiResult<()> {
    audit::record(txn, caller, change).await
}

fn optional(field: &str, value: &Option<String>, max: usize) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => {
            check_length(field, text, max)?;
            Ok(Some(text.to_owned()))
        }
    }
}

fn email(value: &Option<String>) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Email::parse(text)
            .map(|e| Some(e.into_inner()))
            .map_err(|m| ApiError::bad_input("input.email", m)),
    }
}

fn amount(value: Decimal) -> ApiResult<i64> {
    money::to_minor(value).ok_or_else(|| {
        ApiError::bad_input(
            "input.amount",
            format!(
                "an amount is between 0 and {}, with at most two decimals",
                money::from_minor(money::MAX_MINOR)
            ),
        )
    })
}

fn currency(value: &str) -> ApiResult<String> {
    CurrencyCode::parse(value)
        .map(|c| c.as_str().to_owned())
        .map_err(|m| ApiError::bad_input("input.currency", m))
}

fn period(start: Option<NaiveDate>, end: Option<NaiveDate>) -> ApiResult<()> {
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err(ApiError::bad_input(
            "input.periodEnd",
            "the period ends before it starts",
        ));
    }
    Ok(())
}

/// A milestone the caller sees (as visible as its project) and may change (its project's
/// partners, coordinators, admins).
async fn managed_milestone(write: &Write<'_>, id: Uuid) -> ApiResult<milestone::Model> {
    let seen = sea_orm::Condition::all().add(
        milestone::Column::ProjectId
            .in_subquery(access::project_ids(access::projects(write.caller()))),
    );
    let current = write.find::<milestone::Entity>(id, seen).await?;
    project_with(
        write.txn(),
        write.caller(),
        "input.id",
        current.project_id,
        ProjectRights::Descriptions,
    )
    .await?;
    Ok(current)
}

/// A funding the caller sees and may change (its project's coordinators, admins).
async fn managed_funding(write: &Write<'_>, id: Uuid) -> ApiResult<funding::Model> {
    let current = write
        .find::<funding::Entity>(id, access::fundings(write.caller()))
        .await?;
    project_with(
        write.txn(),
        write.caller(),
        "input.id",
        current.project_id,
        ProjectRights::Everything,
    )
    .await?;
    Ok(current)
}

/// A project contact the caller sees and may change (its project's coordinators, admins).
async fn managed_contact(write: &Write<'_>, id: Uuid) -> ApiResult<contact::Model> {
    let current = write
        .find::<contact::Entity>(id, access::contacts(write.caller()))
        .await?;
    let Some(project_id) = current.project_id else {
        return Err(access::forbidden(
            "organisation contacts are changed by admins",
        ));
    };
    project_with(
        write.txn(),
        write.caller(),
        "input.id",
        project_id,
        ProjectRights::Everything,
    )
    .await?;
    Ok(current)
}

#[derive(InputObject)]
pub struct AddMilestoneInput {
    pub project: ID,
    /// In the project's original language at least.
    pub title: Vec<TranslationInput>,
    pub due_date: NaiveDate,
    pub achieved_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    pub id: ID,
    pub expected_version: i32,
    pub title: Option<Vec<TranslationInput>>,
    pub due_date: Option<NaiveDate>,
    pub achieved_on: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct AddContactInput {
    pub project: ID,
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateContactInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<String>,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(InputObject)]
pub struct CreateFundingInput {
    pub project: ID,
    /// The organisation that gives the money.
    pub funder: ID,
    pub kind: FundingKind,
    pub status: FundingStatus,
    /// Exact decimal, at most two decimals, e.g. "149500.00".
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    /// The date whose exchange rate converts it to EUR.
    pub value_date: NaiveDate,
}

#[derive(InputObject)]
pub struct UpdateFundingInput {
    pub id: ID,
    pub expected_version: i32,
    pub kind: Option<FundingKind>,
    pub status: Option<FundingStatus>,
    pub amount: Option<Decimal>,
    pub currency: Option<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub value_date: Option<NaiveDate>,
}

#[derive(InputObject)]
pub struct SetExchangeRateInput {
    /// ISO 4217 code, e.g. SEK.
    pub currency: String,
    pub date: NaiveDate,
    /// Units of `currency` one euro buys, e.g. "11.4825" (at most six decimals).
    pub units_per_eur: Decimal,
    /// Where the figure comes from, e.g. ECB_REFERENCE.
    pub source: String,
}

#[derive(SimpleObject)]
pub struct MilestonePayload {
    pub milestone: Milestone,
}

#[derive(SimpleObject)]
pub struct ContactPayload {
    pub contact: Contact,
}

#[derive(SimpleObject)]
pub struct FundingPayload {
    pub funding: Funding,
}

/// A euro reference rate.
#[derive(SimpleObject)]
pub struct ExchangeRate {
    pub currency: String,
    pub date: NaiveDate,
    pub units_per_eur: Decimal,
    pub source: String,
}

#[derive(SimpleObject)]
pub struct ExchangeRatePayload {
    pub exchange_rate: ExchangeRate,
}

#[derive(Default)]
pub struct ProjectPartsMutation;

#[Object]
impl ProjectPartsMutation {
    /// Adds a milestone (the project's partners, coordinators, admins).
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        input: AddMilestoneInput,
    ) -> ApiResult<MilestonePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let project_id = crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
        let project = project_with(
            write.txn(),
            write.caller(),
            "input.project",
            project_id,
            ProjectRights::Descriptions,
        )
        .await?;
        let title = texts("input.title", &input.title, &project.language, 300, true)?;
        let position = milestone::Entity::find()
            .filter(milestone::Column::ProjectId.eq(project_id))
            .order_by_desc(milestone::Column::Position)
            .one(write.txn())
            .await?
            .map_or(0, |m| m.position + 1);
        let row = milestone::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(project_id),
            title: Set(title),
            language: Set(project.language.clone()),
            due_date: Set(input.due_date),
            achieved_on: Set(input.achieved_on),
            position: Set(position),
            illustrative: Set(false),
            version: Set(1),
        };
        let created = write.insert("addMilestone", row).await?;
        write.commit().await?;
        Ok(MilestonePayload {
            milestone: Milestone(created),
        })
    }

    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        input: UpdateMilestoneInput,
    ) -> ApiResult<MilestonePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Milestone)?;
        let current = managed_milestone(&write, id).await?;
        let mut changes = <milestone::ActiveModel as Default>::default();
        if let Some(title) = &input.title {
            changes.title = Set(texts("input.title", title, &current.language, 300, true)?);
        }
        if let Some(due) = input.due_date {
            changes.due_date = Set(due);
        }
        if input.achieved_on.is_some() {
            changes.achieved_on = Set(input.achieved_on);
        }
        let updated = write
            .update("updateMilestone", &current, input.expected_version, changes)
            .await?;
        write.commit().await?;
        Ok(MilestonePayload {
            milestone: Milestone(updated),
        })
    }

    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Milestone)?;
        let current = managed_milestone(&write, id).await?;
        write
            .delete::<milestone::Entity>("deleteMilestone", &current, Vec::new())
            .await?;
        write.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Adds a contact person (the project's coordinators, admins). Email and phone are
    /// personal data.
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        input: AddContactInput,
    ) -> ApiResult<ContactPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let project_id = crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
        let name = optional("input.name", &Some(input.name.clone()), 200)?
            .ok_or_else(|| ApiError::bad_input("input.name", "a name is required"))?;
        project_with(
            write.txn(),
            write.caller(),
            "input.project",
            project_id,
            ProjectRights::Everything,
        )
        .await?;
        let row = contact::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(Some(project_id)),
            organisation_id: Set(None),
            name: Set(name),
            title: Set(optional("input.title", &input.title, 200)?),
            email: Set(email(&input.email)?),
            phone: Set(optional("input.phone", &input.phone, 40)?),
            version: Set(1),
        };
        let created = write.insert("addContact", row).await?;
        write.commit().await?;
        Ok(ContactPayload {
            contact: Contact(created),
        })
    }

    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactInput,
    ) -> ApiResult<ContactPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Contact)?;
        let current = managed_contact(&write, id).await?;
        let mut changes = <contact::ActiveModel as Default>::default();
        if input.name.is_some() {
            changes.name = Set(optional("input.name", &input.name, 200)?
                .ok_or_else(|| ApiError::bad_input("input.name", "a name is required"))?);
        }
        if input.title.is_some() {
            changes.title = Set(optional("input.title", &input.title, 200)?);
        }
        if input.email.is_some() {
            changes.email = Set(email(&input.email)?);
        }
        if input.phone.is_some() {
            changes.phone = Set(optional("input.phone", &input.phone, 40)?);
        }
        let updated = write
            .update("updateContact", &current, input.expected_version, changes)
            .await?;
        write.commit().await?;
        Ok(ContactPayload {
            contact: Contact(updated),
        })
    }

    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Contact)?;
        let current = managed_contact(&write, id).await?;
        write
            .delete::<contact::Entity>("deleteContact", &current, Vec::new())
            .await?;
        write.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Records money for a project (its coordinators, admins).
    async fn create_funding(
        &self,
        ctx: &Context<'_>,
        input: CreateFundingInput,
    ) -> ApiResult<FundingPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let project_id = crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
        let funder = crate::ids::decode_uuid("input.funder", &input.funder, Kind::Organisation)?;
        let minor = amount(input.amount)?;
        let code = currency(&input.currency)?;
        period(input.period_start, input.period_end)?;
        project_with(
            write.txn(),
            write.caller(),
            "input.project",
            project_id,
            ProjectRights::Everything,
        )
        .await?;
        if organisation::Entity::find_by_id(funder)
            .one(write.txn())
            .await?
            .is_none()
        {
            return Err(ApiError::bad_input(
                "input.funder",
                "`input.funder` names no organisation",
            ));
        }
        let row = funding::ActiveModel {
            id: Set(Uuid::now_v7()),
            project_id: Set(project_id),
            funder_id: Set(funder),
            kind: Set(input.kind.into()),
            status: Set(input.status.into()),
            amount_minor: Set(minor),
            currency: Set(code),
            period_start: Set(input.period_start),
            period_end: Set(input.period_end),
            value_date: Set(input.value_date),
            illustrative: Set(json!([])),
            version: Set(1),
            rate_micros: NotSet,
            rate_date: NotSet,
        };
        let created = write.insert("createFunding", row).await?;
        write.commit().await?;
        Ok(FundingPayload {
            funding: Funding(created),
        })
    }

    async fn update_funding(
        &self,
        ctx: &Context<'_>,
        input: UpdateFundingInput,
    ) -> ApiResult<FundingPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Funding)?;
        let current = managed_funding(&write, id).await?;
        let start = input.period_start.or(current.period_start);
        let end = input.period_end.or(current.period_end);
        period(start, end)?;
        let mut changes = funding::ActiveModel {
            period_start: Set(start),
            period_end: Set(end),
            ..Default::default()
        };
        if let Some(kind) = input.kind {
            changes.kind = Set(kind.into());
        }
        if let Some(status) = input.status {
            changes.status = Set(status.into());
        }
        if let Some(value) = input.amount {
            changes.amount_minor = Set(amount(value)?);
        }
        if let Some(code) = &input.currency {
            changes.currency = Set(currency(code)?);
        }
        if let Some(date) = input.value_date {
            changes.value_date = Set(date);
        }
        let updated = write
            .update("updateFunding", &current, input.expected_version, changes)
            .await?;
        write.commit().await?;
        Ok(FundingPayload {
            funding: Funding(updated),
        })
    }

    async fn delete_funding(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Funding)?;
        let current = managed_funding(&write, id).await?;
        write
            .delete::<funding::Entity>("deleteFunding", &current, Vec::new())
            .await?;
        write.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Sets the euro rate of a currency on a date (admins); replaces an existing one.
    async fn set_exchange_rate(
        &self,
        ctx: &Context<'_>,
        input: SetExchangeRateInput,
    ) -> ApiResult<ExchangeRatePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        if rc.caller.role() != Some(Role::Admin) {
            return Err(access::forbidden("only admins set exchange rates"));
        }
        let code = currency(&input.currency)?;
        if code == "EUR" {
            return Err(ApiError::bad_input(
                "input.currency",
                "the euro has no rate against itself",
            ));
        }
        let micros = money::rate_to_micros(input.units_per_eur).ok_or_else(|| {
            ApiError::bad_input(
                "input.unitsPerEur",
                format!(
                    "a rate is above zero and at most {}, with at most six decimals",
                    money::MAX_RATE_UNITS
                ),
            )
        })?;
        let source = match input.source.trim().to_ascii_uppercase().as_str() {
            "ECB_REFERENCE" => entity::enums::RateSource::EcbReference,
            "INFOREURO" => entity::enums::RateSource::InforEuro,
            "MANUAL" => entity::enums::RateSource::Manual,
            _ => {
                return Err(ApiError::bad_input(
                    "input.source",
                    "the source is ECB_REFERENCE, INFOREURO or MANUAL",
                ));
            }
        };
        let txn = crate::db::begin_write(&rc.db).await?;
        let before = exchange_rate::Entity::find_by_id((code.clone(), input.date))
            .one(&txn)
            .await?;
        let row = exchange_rate::ActiveModel {
            currency: Set(code.clone()),
            rate_date: Set(input.date),
            units_per_eur_micros: Set(micros),
            source: Set(source),
        };
        if before.is_some() {
            exchange_rate::Entity::delete_by_id((code.clone(), input.date))
                .exec(&txn)
                .await?;
        }
        row.insert(&txn).await?;
        eur::store_rates_from(&txn, &code, input.date).await?;
        let after = json!({ "currency": code, "date": input.date, "unitsPerEurMicros": micros, "source": input.source.trim().to_ascii_uppercase() });
        let before = before.map(|b| json!({ "currency": b.currency, "date": b.rate_date, "unitsPerEurMicros": b.units_per_eur_micros }));
        record(
            &txn,
            &rc.caller,
            Change {
                action: "setExchangeRate",
                entity: "ExchangeRate",
                entity_id: format!("{code}:{}", input.date),
                country: None,
                before,
                after: Some(after),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(ExchangeRatePayload {
            exchange_rate: ExchangeRate {
                currency: code,
                date: input.date,
                units_per_eur: Decimal::new(micros, 6).normalize(),
                source: input.source.trim().to_ascii_uppercase(),
            },
        })
    }

    /// Deletes a project without funding, workshops or sub-projects (its coordinators, admins);
    /// its links, milestones and contacts go with it.
    async fn delete_project(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Project)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current =
            project_with(&txn, &rc.caller, "input.id", id, ProjectRights::Everything).await?;
        refuse_if_used(
            "project",
            vec![
                dependants::<funding::Entity>(&txn, "fundings", funding::Column::ProjectId, id)
                    .await?,
                dependants::<workshop::Entity>(&txn, "workshops", workshop::Column::ProjectId, id)
                    .await?,
                dependants::<project::Entity>(&txn, "sub-projects", project::Column::ParentId, id)
                    .await?,
            ],
        )?;
        project::Entity::delete_by_id(id).exec(&txn).await?;
        crate::search::forget(&txn, "project", id).await?;
        record(
            &txn,
            &rc.caller,
            Change {
                action: "deleteProject",
                entity: "Project",
                entity_id: id.to_string(),
                country: Some(current.country_code.clone()),
                before: audit::snapshot(&current),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }
}
