//! A project's budget: total and eligible cost, the co-financing rate its fundings give, and
//! its lines by year (IATI `budget`).

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object, SimpleObject};
use entity::{budget_line, funding, project};
use rust_decimal::RoundingStrategy;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::db::positioned::Columns;
use crate::derived::eur;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::load;
use crate::graphql::loaders::{FundingsOfProject, Loaders, group, hash_by_id, shared};
use crate::graphql::money::Money;
use crate::graphql::scalars::Decimal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetLinesOfProject(pub Uuid);
hash_by_id!(BudgetLinesOfProject, |key| key.0);

impl Loader<BudgetLinesOfProject> for Loaders {
    type Value = Arc<Vec<budget_line::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[BudgetLinesOfProject],
    ) -> ApiResult<HashMap<BudgetLinesOfProject, Self::Value>> {
        let rows = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(budget_line::Column::Year)
            .all(&self.db)
            .await?;
        Ok(shared(group(rows, |r| {
            (BudgetLinesOfProject(r.project_id), r)
        })))
    }
}

/// A project's budget; all its amounts are in its currency, converted to euros at the rate
/// of the project's start date.
pub struct Budget(pub project::Model);

impl Budget {
    /// The project's budget, if it has one.
    pub fn of(p: &project::Model) -> Option<Self> {
        (p.budget_currency.is_some() && p.budget_total_minor.is_some()).then(|| Self(p.clone()))
    }

    fn money(&self, minor: i64) -> Money {
        Money {
            minor,
            currency: self.0.budget_currency.clone().unwrap_or_default(),
            rate: self.0.budget_rate_micros.zip(self.0.budget_rate_date),
        }
    }
}

/// One year's budget.
#[derive(SimpleObject)]
pub struct BudgetLine {
    /// The calendar year.
    pub year: i32,
    /// The year's budget, in the budget's currency.
    pub amount: Money,
}

/// Funding over eligible cost, to four decimals: in the budget's currency when every funding
/// is in it, else in euros; `None` when that cannot be known.
fn co_financing(fundings: &[funding::Model], budget: &Budget) -> Option<Decimal> {
    use rust_decimal::Decimal as Exact;
    let eligible = budget.0.budget_eligible_minor.filter(|e| *e > 0)?;
    let currency = budget.0.budget_currency.as_deref()?;
    let (funded, base) = if fundings.iter().all(|f| f.currency == currency) {
        (
            fundings.iter().map(|f| f.amount_minor).sum::<i64>(),
            eligible,
        )
    } else {
        let funded = fundings
            .iter()
            .map(|f| {
                f.rate_micros
                    .and_then(|r| eur::eur_minor(f.amount_minor, r))
            })
            .sum::<Option<i64>>()?;
        (
            funded,
            eur::eur_minor(eligible, budget.0.budget_rate_micros?)?,
        )
    };
    (base > 0).then(|| {
        Decimal(
            (Exact::from(funded) / Exact::from(base))
                .round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero),
        )
    })
}

/// A project's budget: its total and eligible cost and its lines by year, all in one
/// currency, with euro values at the rate of the project's start date.
#[Object]
impl Budget {
    /// ISO 4217 code of every amount of the budget.
    async fn currency(&self) -> &str {
        self.0.budget_currency.as_deref().unwrap_or_default()
    }

    /// The total cost.
    async fn total(&self) -> Money {
        self.money(self.0.budget_total_minor.unwrap_or_default())
    }

    /// The part of the total its funders accept.
    async fn eligible_cost(&self) -> Option<Money> {
        self.0.budget_eligible_minor.map(|m| self.money(m))
    }

    /// The project's fundings you may see over its eligible cost, e.g. 0.8 for 80 %: in the
    /// budget's currency, or in euros when a funding is in another. Null without an
    /// eligible cost or when a funding has no euro rate.
    async fn co_financing_rate(&self, ctx: &Context<'_>) -> ApiResult<Option<Decimal>> {
        let fundings = load(ctx, FundingsOfProject(self.0.id, Columns::ALL))
            .await?
            .unwrap_or_default();
        Ok(co_financing(&fundings, self))
    }

    /// The budget by calendar year.
    async fn lines(&self, ctx: &Context<'_>) -> ApiResult<Vec<BudgetLine>> {
        Ok(load(ctx, BudgetLinesOfProject(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|l| BudgetLine {
                year: l.year,
                amount: self.money(l.amount_minor),
            })
            .collect())
    }
}
