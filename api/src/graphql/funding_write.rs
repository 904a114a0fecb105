//! Fundings of a project (its coordinators, admins), through the write pipeline; a funding's
//! euro rate is stored with it (the rates: `exchange_rate_write`).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{funding, organisation};
use sea_orm::ActiveValue::{NotSet, Set};
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::db::rows::visible_dependants;
use crate::domain::codes::input_currency;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::funding::Funding;
use crate::graphql::money::minor;
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted, given};
use crate::ids::Kind;
use crate::writes::{Write, changed, funding as flows, new_real_row, project};

fn amount(value: Decimal) -> ApiResult<i64> {
    minor("input.amount", value.0)
}

fn period(start: Option<Date>, end: Option<Date>) -> ApiResult<()> {
    use chrono::Datelike as _;
    for (date, field) in [(start, "input.periodStart"), (end, "input.periodEnd")] {
        if date.is_some_and(|d| !(1900..=2200).contains(&d.0.year())) {
            return Err(ApiError::bad_input(
                field,
                "a period lies between 1900 and 2200",
            ));
        }
    }
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

/// A new funding of a project.
#[derive(InputObject)]
pub struct CreateFundingInput {
    /// Global id of the project the money is for.
    pub project: ID,
    /// The organisation that gives the money.
    pub funder: ID,
    /// What kind of money it is.
    pub kind: FundingKind,
    /// How far the money has come: planned, committed or disbursed.
    pub status: FundingStatus,
    /// Exact decimal, at most two decimals, e.g. "149500.00".
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
    /// The first day of the period the money covers, in a year from 1900 to 2200.
    pub period_start: Option<Date>,
    /// The last day (inclusive) of the period the money covers, in a year from 1900 to 2200;
    /// not before `periodStart`.
    pub period_end: Option<Date>,
    /// The date whose exchange rate converts it to EUR.
    pub value_date: Date,
    /// The allocation (another funding, in the same currency) this money is drawn from, so
    /// that `fundingSummary` counts it once.
    pub drawn_from: Option<ID>,
}

/// What to change on a funding; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateFundingInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// What kind of money it is.
    pub kind: Option<FundingKind>,
    /// How far the money has come: planned, committed or disbursed.
    pub status: Option<FundingStatus>,
    /// Exact decimal, at most two decimals; not less than what is drawn from this funding,
    /// nor more than is left in the allocation it is drawn from.
    pub amount: Option<Decimal>,
    /// ISO 4217 code; it cannot change while money is drawn from this funding.
    pub currency: Option<String>,
    /// The first day of the period the money covers; left out or null keeps it.
    pub period_start: Option<Date>,
    /// The last day (inclusive) of the period; left out or null keeps it.
    pub period_end: Option<Date>,
    /// The date whose exchange rate converts it to EUR.
    pub value_date: Option<Date>,
    /// The allocation it is drawn from; `null`: none.
    pub drawn_from: MaybeUndefined<ID>,
}

/// What `createFunding` and `updateFunding` answer.
#[derive(SimpleObject)]
pub struct FundingPayload {
    /// The funding as stored, with its new `version`.
    pub funding: Funding,
}

#[derive(Default)]
pub struct FundingMutation;

#[Object]
impl FundingMutation {
    /// Records money for a project (its coordinators, admins).
    async fn create_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding to record.")] input: CreateFundingInput,
    ) -> ApiResult<FundingPayload> {
        let created = committed(ctx, async |write| {
            let project_id =
                crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
            let funder =
                crate::ids::decode_uuid("input.funder", &input.funder, Kind::Organisation)?;
            let amount_minor = amount(input.amount)?;
            let code = input_currency(&input.currency)?;
            period(input.period_start, input.period_end)?;
            project::managed(write, project_id, ProjectRights::Everything).await?;
            let drawn_from = input.drawn_from.as_ref().map(drawn_from_id).transpose()?;
            if let Some(parent) = drawn_from {
                flows::check_draw(write, None, parent, amount_minor, &code).await?;
            }
            write
                .referenced::<organisation::Entity>("input.funder", funder)
                .await?;
            let row = new_real_row!(funding {
                project_id: Set(project_id),
                funder_id: Set(funder),
                kind: Set(input.kind),
                status: Set(input.status),
                amount_minor: Set(amount_minor),
                currency: Set(code),
                period_start: Set(input.period_start.map(|d| d.0)),
                period_end: Set(input.period_end.map(|d| d.0)),
                value_date: Set(input.value_date.0),
                drawn_from_id: Set(drawn_from),
                rate_micros: NotSet,
                rate_date: NotSet,
            });
            write.insert("createFunding", row).await
        })
        .await?;
        Ok(FundingPayload {
            funding: Funding::from(created),
        })
    }

    /// Changes a funding (its project's coordinators, admins); a stale `expectedVersion`
    /// answers CONFLICT and changes nothing.
    async fn update_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding and what to change on it.")] input: UpdateFundingInput,
    ) -> ApiResult<FundingPayload> {
        let updated = committed(ctx, async |write| {
            let id = input.revision.row(Kind::Funding)?;
            let current = managed_funding(write, id).await?;
            let start = input.period_start.or(current.period_start.map(Date));
            let end = input.period_end.or(current.period_end.map(Date));
            period(start, end)?;
            let new_amount = input.amount.map(amount).transpose()?;
            let currency = input.currency.as_deref().map(input_currency).transpose()?;
            let drawn_from = given(input.drawn_from, |id| drawn_from_id(&id))?;
            let (new_minor, new_currency) = (
                new_amount.unwrap_or(current.amount_minor),
                currency.clone().unwrap_or_else(|| current.currency.clone()),
            );
            let money_changed = new_amount.is_some() || currency.is_some();
            if money_changed {
                flows::check_allocation(write, &current, new_minor, &new_currency).await?;
            }
            // A draw is checked again only when what it draws or where from changes.
            if let Some(parent) = drawn_from.unwrap_or(current.drawn_from_id)
                && (money_changed || drawn_from.is_some())
            {
                flows::check_draw(write, Some(id), parent, new_minor, &new_currency).await?;
            }
            let changes = funding::ActiveModel {
                period_start: Set(start.map(|d| d.0)),
                period_end: Set(end.map(|d| d.0)),
                kind: changed(input.kind),
                status: changed(input.status),
                amount_minor: changed(new_amount),
                currency: changed(currency),
                value_date: changed(input.value_date.map(|d| d.0)),
                drawn_from_id: changed(drawn_from),
                ..Default::default()
            };
            write
                .update("updateFunding", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(FundingPayload {
            funding: Funding::from(updated),
        })
    }

    /// Deletes a funding (its project's coordinators, admins); refused with BAD_USER_INPUT
    /// while money is drawn from it.
    async fn delete_funding(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The funding to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Funding)?;
            let current = managed_funding(write, id).await?;
            let uses = vec![
                visible_dependants::<funding::Entity>(
                    write.txn(),
                    "fundings drawn from it",
                    funding::Column::DrawnFromId,
                    id,
                    access::fundings(write.caller()),
                )
                .await?,
            ];
            write
                .delete::<funding::Entity>("deleteFunding", &current, uses)
                .await
        })
        .await
    }
}

fn drawn_from_id(id: &ID) -> ApiResult<Uuid> {
    crate::ids::decode_uuid("input.drawnFrom", id, Kind::Funding)
}

/// A funding the caller sees and may change (its project's coordinators, admins).
async fn managed_funding(write: &Write<'_>, id: Uuid) -> ApiResult<funding::Model> {
    let current = write
        .find::<funding::Entity>(id, access::fundings(write.caller()))
        .await?;
    project::managed(write, current.project_id, ProjectRights::Everything).await?;
    Ok(current)
}
