//! Which fundings a summary counts and how: the filter, and each funding's money counted
//! once along a flow (an allocation and what is drawn from it) or at every level.

use async_graphql::{Enum, ID, InputObject};

use entity::{funding, project};
use sea_orm::{
    ActiveEnum, Condition,
    sea_query::{Alias, Expr, ExprTrait},
};
use uuid::Uuid;

pub(crate) use crate::derived::funding_flow::counted;
use crate::derived::{funding_flow, funding_totals};
use crate::domain::codes::CurrencyCode;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::filters;
use crate::ids;

/// How money drawn from an allocation (a regional grant out of a national assignment) is
/// counted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FundingCounting {
    /// Each euro once: the money at its final recipient, plus what stays unallocated at
    /// each allocation.
    #[default]
    EachEuroOnce,
    /// Every funding in full, at every level: an allocation and what is drawn from it both
    /// count.
    EveryLevel,
}

/// The level of a flow a sum is counted at.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FundingLevel {
    /// Money at a funding nothing (that you see) is drawn from: its final recipient.
    Recipient,
    /// What stays in an allocation after what is drawn from it (`EACH_EURO_ONCE`).
    Unallocated,
    /// An allocation in full (`EVERY_LEVEL`).
    Allocation,
}

impl FundingLevel {
    const ALL: [Self; 3] = [Self::Recipient, Self::Unallocated, Self::Allocation];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Recipient => funding_flow::RECIPIENT,
            Self::Unallocated => funding_flow::UNALLOCATED,
            Self::Allocation => funding_flow::ALLOCATION,
        }
    }

    pub(crate) fn parse(code: &str) -> ApiResult<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| ApiError::internal(format!("unknown funding level {code}")))
    }
}

/// Which funding to count. Every list is "any of"; an empty or absent list does not filter.
#[derive(InputObject, Default)]
pub struct FundingFilter {
    /// ISO codes of the countries owning the projects.
    pub countries: Option<Vec<String>>,
    /// Global ids of funder organisations.
    pub funders: Option<Vec<ID>>,
    /// Global ids of projects.
    pub projects: Option<Vec<ID>>,
    /// Global ids of the programmes the projects run under.
    pub programmes: Option<Vec<ID>>,
    /// First year of the value date, inclusive.
    pub year_from: Option<i32>,
    /// Last year of the value date, inclusive.
    pub year_to: Option<i32>,
    /// Funding statuses.
    pub statuses: Option<Vec<FundingStatus>>,
    /// Kinds of funding.
    pub kinds: Option<Vec<FundingKind>>,
    /// ISO 4217 codes of the original currencies.
    pub currencies: Option<Vec<String>>,
    /// Leave out fundings the seed invented, and those of projects it invented.
    pub exclude_illustrative: Option<bool>,
}

impl FundingFilter {
    /// The filter's values, checked: a bad code or id is BAD_USER_INPUT naming its field.
    pub(crate) fn narrowed(&self) -> ApiResult<Narrowed> {
        let some = |l: Option<&[ID]>, field: &str, kind: ids::Kind| -> ApiResult<Vec<Uuid>> {
            filters::ids(field, l.unwrap_or_default(), kind)
        };
        Ok(Narrowed {
            countries: filters::countries(
                "filter.countries",
                self.countries.as_deref().unwrap_or_default(),
            )?,
            funders: some(
                self.funders.as_deref(),
                "filter.funders",
                ids::Kind::Organisation,
            )?,
            projects: some(
                self.projects.as_deref(),
                "filter.projects",
                ids::Kind::Project,
            )?,
            programmes: some(
                self.programmes.as_deref(),
                "filter.programmes",
                ids::Kind::Programme,
            )?,
            dates: filters::years(funding::Column::ValueDate, self.year_from, self.year_to)?,
            years: (self.year_from, self.year_to),
            statuses: self
                .statuses
                .iter()
                .flatten()
                .map(|s| s.to_value())
                .collect(),
            kinds: self.kinds.iter().flatten().map(|k| k.to_value()).collect(),
            currencies: self
                .currencies
                .iter()
                .flatten()
                .map(|code| {
                    CurrencyCode::parse(code)
                        .map(|c| c.as_str().to_owned())
                        .map_err(|message| ApiError::bad_input("filter.currencies", message))
                })
                .collect::<ApiResult<_>>()?,
            invented_left_out: self.exclude_illustrative == Some(true),
        })
    }
}

/// A `FundingFilter` parsed: empty lists do not filter.
pub(crate) struct Narrowed {
    countries: Vec<String>,
    funders: Vec<Uuid>,
    pub projects: Vec<Uuid>,
    programmes: Vec<Uuid>,
    /// The years as a range of value dates, which an index serves.
    dates: Condition,
    years: (Option<i32>, Option<i32>),
    statuses: Vec<String>,
    kinds: Vec<String>,
    currencies: Vec<String>,
    pub invented_left_out: bool,
}

/// `column IN values`, or nothing when `values` is empty.
fn any_of<V: Into<sea_orm::Value> + Clone>(column: Expr, values: &[V]) -> Condition {
    let mut c = Condition::all();
    if !values.is_empty() {
        c = c.add(column.is_in(values.iter().cloned()));
    }
    c
}

impl Narrowed {
    /// The filter as a condition on `funding` joined with `project`.
    pub(crate) fn condition(&self) -> Condition {
        let mut c = Condition::all()
            .add(any_of(
                Expr::col((project::Entity, project::Column::CountryCode)),
                &self.countries,
            ))
            .add(any_of(
                Expr::col((funding::Entity, funding::Column::FunderId)),
                &self.funders,
            ))
            .add(any_of(
                Expr::col((funding::Entity, funding::Column::ProjectId)),
                &self.projects,
            ))
            .add(any_of(
                Expr::col((project::Entity, project::Column::ProgrammeId)),
                &self.programmes,
            ))
            .add(self.dates.clone())
            .add(any_of(
                Expr::col((funding::Entity, funding::Column::Status)),
                &self.statuses,
            ))
            .add(any_of(
                Expr::col((funding::Entity, funding::Column::Kind)),
                &self.kinds,
            ))
            .add(any_of(
                Expr::col((funding::Entity, funding::Column::Currency)),
                &self.currencies,
            ));
        if self.invented_left_out {
            c = c.add(funding_flow::without_invented());
        }
        c
    }

    /// Which draws from an allocation take money out of its remainder
    /// (`funding_flow::draws_counted`).
    pub(crate) fn drawn_condition(&self) -> Condition {
        funding_flow::draws_counted(self.invented_left_out)
    }

    /// The filter as a condition on the kept totals (`funding_totals::TOTAL`), which hold
    /// every field but the project; their variant says whether the invented are left out.
    pub(crate) fn kept_condition(&self) -> Condition {
        let kept =
            |column: &str| Expr::col((Alias::new(funding_totals::TOTAL), Alias::new(column)));
        let mut c = Condition::all()
            .add(any_of(kept("country_code"), &self.countries))
            .add(any_of(kept("funder_id"), &self.funders))
            .add(any_of(kept("programme_id"), &self.programmes))
            .add(any_of(kept("status"), &self.statuses))
            .add(any_of(kept("kind"), &self.kinds))
            .add(any_of(kept("currency"), &self.currencies));
        if let Some(from) = self.years.0 {
            c = c.add(kept("value_year").gte(from));
        }
        if let Some(to) = self.years.1 {
            c = c.add(kept("value_year").lte(to));
        }
        c
    }
}
