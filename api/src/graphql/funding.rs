//! Funding of projects: amounts are exact decimals in their original currency.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object};
use entity::{funding, organisation};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::access;

use crate::derived::eur;
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::load;
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::global_id;
use crate::graphql::loaders::{Loaders, ProjectById, hash_by_id};
use crate::graphql::organisation::Organisation;
use crate::graphql::project::Project;
use crate::graphql::record::{Record, Recorded};
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::viewer_can;
use crate::ids::Kind;

/// A funding, and its funder when the list it came in fetched it along
/// (`loaders::FundingsWithFunders`).
#[derive(Clone)]
pub struct Funding(pub funding::Model, pub Option<organisation::Model>);

impl From<funding::Model> for Funding {
    fn from(row: funding::Model) -> Self {
        Self(row, None)
    }
}

/// A funding by id, if the caller may see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingById(pub Uuid);
hash_by_id!(FundingById, |key| key.0);

impl Loader<FundingById> for Loaders {
    type Value = Arc<funding::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[FundingById]) -> ApiResult<HashMap<FundingById, Self::Value>> {
        let rows = funding::Entity::find()
            .filter(funding::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(access::fundings(&self.caller))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (FundingById(m.id), Arc::new(m)))
            .collect())
    }
}

impl Funding {
    /// What each `Funding` field reads of its row, for lists that fetch only the columns their
    /// selection reads (`graphql::projection`; the id and project always); `None` for a field
    /// that may read any of it (`viewerCan…`), which then loads whole rows.
    pub fn reads(field: &str) -> Option<&'static [funding::Column]> {
        use funding::Column::*;
        Some(match field {
            "__typename" | "id" | "project" => &[],
            "funder" => &[FunderId],
            "kind" => &[Kind],
            "status" => &[Status],
            "amount" => &[AmountMinor],
            "currency" => &[Currency],
            "amountEur" => &[AmountMinor, RateMicros, RateDate],
            "eurRate" | "rateDate" => &[RateMicros, RateDate],
            "eurUnavailableReason" => &[RateMicros, RateDate, Currency, ValueDate],
            "periodStart" => &[PeriodStart],
            "periodEnd" => &[PeriodEnd],
            "valueDate" => &[ValueDate],
            "drawnFrom" => &[DrawnFromId],
            "updatedAt" => &[UpdatedAt],
            "version" => &[Version],
            "illustrative" => &[Illustrative],
            "illustrativeFields" => &[IllustrativeFields],
            _ => return None,
        })
    }

    /// What every list of fundings carries: the id, and the project it is grouped by.
    pub const KEPT: [funding::Column; 2] = [funding::Column::Id, funding::Column::ProjectId];

    /// The stored rate (millionths per euro) and its date, when the funding has one.
    fn rate(&self) -> Option<(i64, chrono::NaiveDate)> {
        self.0.rate_micros.zip(self.0.rate_date)
    }
}

/// Money an organisation gives a project, as an exact amount in its original currency with
/// its euro equivalent; you see a funding when you may see its project.
#[Object(serial)]
impl Funding {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Funding, self.0.id)
    }

    /// The project the money is for.
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        Ok(load(ctx, ProjectById(self.0.project_id, "funding.project"))
            .await?
            .map(Project))
    }

    /// The organisation that provides the money.
    async fn funder(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        match &self.1 {
            Some(funder) => Ok(Some(Organisation(funder.clone()))),
            None => Organisation::by_id(ctx, self.0.funder_id, "funding.funder").await,
        }
    }

    /// What kind of money it is: a grant, co-financing, a contribution in kind or an own
    /// contribution.
    async fn kind(&self) -> FundingKind {
        self.0.kind
    }

    /// How far the money has come: planned, committed or disbursed.
    async fn status(&self) -> FundingStatus {
        self.0.status
    }

    /// The amount in `currency`, as an exact decimal string (e.g. "5200000.00").
    async fn amount(&self) -> Decimal {
        Decimal(money::from_minor(self.0.amount_minor))
    }

    /// ISO 4217 code of `amount`.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// `amount` in euros at `eurRate`, rounded half up to the cent; null when no rate is known
    /// (`eurUnavailableReason` says why).
    async fn amount_eur(&self) -> Option<Decimal> {
        self.rate()
            .and_then(|(micros, _)| eur::eur_minor(self.0.amount_minor, micros))
            .map(|eur| Decimal(money::from_minor(eur)))
    }

    /// Units of `currency` per euro used for `amountEur`: the latest rate on or before
    /// `valueDate` (1 for the euro).
    async fn eur_rate(&self) -> Option<Decimal> {
        self.rate()
            .map(|(micros, _)| Decimal(rust_decimal::Decimal::new(micros, 6).normalize()))
    }

    /// The date of `eurRate`.
    async fn rate_date(&self) -> Option<Date> {
        self.rate().map(|(_, date)| Date(date))
    }

    /// Why `amountEur` is null, e.g. "no CHF rate on or before 2015-03-01"; null when it is not.
    async fn eur_unavailable_reason(&self) -> Option<String> {
        match self.rate() {
            Some(_) => None,
            None => Some(format!(
                "no {} rate on or before {}",
                self.0.currency, self.0.value_date
            )),
        }
    }

    /// The first day of the period the money covers; null when none is recorded.
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }

    /// The last day (inclusive) of the period the money covers; null when none is recorded.
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }

    /// The date the money was granted; its EUR equivalent uses the rate of this date.
    async fn value_date(&self) -> Date {
        Date(self.0.value_date)
    }

    /// The allocation this money was drawn from (the national assignment a regional grant
    /// came out of), if you may see it; `fundingSummary` then counts the money once.
    async fn drawn_from(&self, ctx: &Context<'_>) -> ApiResult<Option<Funding>> {
        let Some(id) = self.0.drawn_from_id else {
            return Ok(None);
        };
        Ok(load(ctx, FundingById(id)).await?.map(Funding::from))
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }

    #[graphql(flatten)]
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<viewer_can::FundingActions> {
        viewer_can::funding(ctx, self.0.project_id).await
    }
}

crate::graphql::connection::connection!(FundingConnection, FundingEdge, Funding, "fundings");
