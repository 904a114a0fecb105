//! `fundingSummary`: funding counted and summed per group, in each original currency and in
//! euros, by one grouped SQL statement over the fundings the caller may see.

use std::collections::HashMap;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveDate;
use entity::{funding, project, project_region};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::access;
use crate::derived::eur;
use crate::domain::codes::CurrencyCode;
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::country::Country;
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::filters;
use crate::graphql::organisation::Organisation;
use crate::graphql::project::Project;
use crate::graphql::region::Region;
use crate::graphql::summary::{self, Dimension as _, Key, Kind, objects};
use crate::ids;

/// What funding can be grouped by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingDimension {
    /// The country that owns the project.
    Country,
    /// Each region the project covers: a project in two regions counts in both, so region
    /// totals may add up to more than the whole.
    Region,
    Funder,
    /// The calendar year of the value date.
    Year,
    Currency,
    Project,
    Kind,
    Status,
}

impl summary::Dimension for FundingDimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Country => "d_country",
            Self::Region => "d_region",
            Self::Funder => "d_funder",
            Self::Year => "d_year",
            Self::Currency => "d_currency",
            Self::Project => "d_project",
            Self::Kind => "d_kind",
            Self::Status => "d_status",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Region | Self::Funder | Self::Project => Kind::Id,
            Self::Year => Kind::Int,
            _ => Kind::Text,
        }
    }
}

/// Which funding to count. Every list is "any of"; an empty or absent list does not filter.
#[derive(InputObject, Default)]
pub struct FundingFilter {
    /// ISO codes of the countries owning the projects.
    pub countries: Option<Vec<String>>,
    /// Global ids of funder organisations.
    pub funder_ids: Option<Vec<ID>>,
    /// Global ids of projects.
    pub project_ids: Option<Vec<ID>>,
    /// First year of the value date, inclusive.
    pub year_from: Option<i32>,
    /// Last year of the value date, inclusive.
    pub year_to: Option<i32>,
    pub statuses: Option<Vec<FundingStatus>>,
    pub kinds: Option<Vec<FundingKind>>,
    /// ISO 4217 codes of the original currencies.
    pub currencies: Option<Vec<String>>,
    /// Leave out fundings the seed invented, and those of projects it invented.
    pub exclude_illustrative: Option<bool>,
}

const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

fn year_start(field: &str, year: i32) -> ApiResult<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .filter(|_| (FIRST_YEAR..=LAST_YEAR).contains(&year))
        .ok_or_else(|| {
            ApiError::bad_input(
                field,
                format!("a year is between {FIRST_YEAR} and {LAST_YEAR}"),
            )
        })
}

impl FundingFilter {
    /// The filter as a condition on `funding` joined with `project`.
    fn condition(&self) -> ApiResult<sea_orm::Condition> {
        let mut c = sea_orm::Condition::all();
        if let Some(codes) = self.countries.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                project::Column::CountryCode.is_in(filters::countries("filter.countries", codes)?),
            );
        }
        if let Some(ids) = self.funder_ids.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(funding::Column::FunderId.is_in(filters::ids(
                "filter.funderIds",
                ids,
                ids::Kind::Organisation,
            )?));
        }
        if let Some(ids) = self.project_ids.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(funding::Column::ProjectId.is_in(filters::ids(
                "filter.projectIds",
                ids,
                ids::Kind::Project,
            )?));
        }
        if let (Some(from), Some(to)) = (self.year_from, self.year_to)
            && from > to
        {
            return Err(ApiError::bad_input(
                "filter.yearTo",
                "`yearTo` is before `yearFrom`",
            ));
        }
        if let Some(from) = self.year_from {
            c = c.add(funding::Column::ValueDate.gte(year_start("filter.yearFrom", from)?));
        }
        if let Some(to) = self.year_to {
            let next = year_start("filter.yearTo", to)?
                .with_year(to + 1)
                .ok_or_else(|| ApiError::bad_input("filter.yearTo", "not a year"))?;
            c = c.add(funding::Column::ValueDate.lt(next));
        }
        if let Some(statuses) = self.statuses.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                funding::Column::Status.is_in(
                    statuses
                        .iter()
                        .map(|s| entity::enums::FundingStatus::from(*s)),
                ),
            );
        }
        if let Some(kinds) = self.kinds.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                funding::Column::Kind
                    .is_in(kinds.iter().map(|k| entity::enums::FundingKind::from(*k))),
            );
        }
        if let Some(codes) = self.currencies.as_deref().filter(|l| !l.is_empty()) {
            let codes = codes
                .iter()
                .map(|code| {
                    CurrencyCode::parse(code)
                        .map(|c| c.as_str().to_owned())
                        .map_err(|message| ApiError::bad_input("filter.currencies", message))
                })
                .collect::<ApiResult<Vec<_>>>()?;
            c = c.add(funding::Column::Currency.is_in(codes));
        }
        if self.exclude_illustrative == Some(true) {
            c = c
                .add(funding::Column::Illustrative.eq(false))
                .add(project::Column::Illustrative.eq(false));
        }
        Ok(c)
    }
}

use chrono::Datelike as _;

/// The total of one original currency within a group.
pub struct CurrencyTotal {
    currency: String,
    count: i64,
    amount_minor: i64,
    eur_minor: Option<i64>,
    unconverted: i64,
    illustrative: i64,
}

#[Object]
impl CurrencyTotal {
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.currency
    }

    async fn count(&self) -> i64 {
        self.count
    }

    /// The sum in this currency, exact.
    async fn amount(&self) -> Decimal {
        money::from_minor(self.amount_minor)
    }

    /// The sum of each funding's `amountEur`; null when one of them has no rate.
    async fn amount_eur(&self) -> Option<Decimal> {
        (self.unconverted == 0)
            .then_some(self.eur_minor.unwrap_or(0))
            .map(money::from_minor)
    }

    /// How many of these fundings have no rate on or before their value date.
    async fn unconverted_count(&self) -> i64 {
        self.unconverted
    }

    /// How many of these fundings the seed invented (or belong to a project it invented).
    async fn illustrative_count(&self) -> i64 {
        self.illustrative
    }
}

/// One group of funding: its key (the fields of the dimensions grouped by; the others are
/// null), how many fundings and how much money.
pub struct FundingGroup {
    dimensions: Vec<FundingDimension>,
    key: Key,
    totals: Vec<CurrencyTotal>,
}

impl FundingGroup {
    fn part(&self, dimension: FundingDimension) -> Option<&summary::Part> {
        summary::part(&self.dimensions, &self.key, dimension)
    }
}

#[Object]
impl FundingGroup {
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        objects::country(
            ctx,
            summary::text(self.part(FundingDimension::Country)),
            "fundingGroup.country",
        )
        .await
    }

    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        objects::region(
            ctx,
            summary::id(self.part(FundingDimension::Region)),
            "fundingGroup.region",
        )
        .await
    }

    async fn funder(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        objects::organisation(
            ctx,
            summary::id(self.part(FundingDimension::Funder)),
            "fundingGroup.funder",
        )
        .await
    }

    async fn year(&self) -> Option<i32> {
        summary::int(self.part(FundingDimension::Year))
    }

    async fn currency(&self) -> Option<&str> {
        summary::text(self.part(FundingDimension::Currency))
    }

    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        objects::project(
            ctx,
            summary::id(self.part(FundingDimension::Project)),
            "fundingGroup.project",
        )
        .await
    }

    async fn kind(&self) -> ApiResult<Option<FundingKind>> {
        Ok(
            summary::vocabulary::<entity::enums::FundingKind>(self.part(FundingDimension::Kind))?
                .map(Into::into),
        )
    }

    async fn status(&self) -> ApiResult<Option<FundingStatus>> {
        Ok(summary::vocabulary::<entity::enums::FundingStatus>(
            self.part(FundingDimension::Status),
        )?
        .map(Into::into))
    }

    /// Fundings in the group (a funding counts once per region when grouped by REGION).
    async fn count(&self) -> i64 {
        self.totals.iter().map(|t| t.count).sum()
    }

    /// How many of them the seed invented (or belong to a project it invented); none
    /// with `excludeIllustrative`.
    async fn illustrative_count(&self) -> i64 {
        self.totals.iter().map(|t| t.illustrative).sum()
    }

    /// The group's money in euros, each funding converted at its own rate; null when some
    /// funding has no rate (see `eurUnavailableReason`), never a partial sum.
    async fn total_eur(&self) -> Option<Decimal> {
        if self.totals.iter().any(|t| t.unconverted > 0) {
            return None;
        }
        Some(money::from_minor(
            self.totals.iter().filter_map(|t| t.eur_minor).sum(),
        ))
    }

    /// Why `totalEur` is null, e.g. "2 CHF amounts have no rate on or before their value date".
    async fn eur_unavailable_reason(&self) -> Option<String> {
        let missing: Vec<String> = self
            .totals
            .iter()
            .filter(|t| t.unconverted > 0)
            .map(|t| format!("{} {}", t.unconverted, t.currency))
            .collect();
        (!missing.is_empty()).then(|| {
            format!(
                "no rate on or before the value date for: {}",
                missing.join(", ")
            )
        })
    }

    /// Sums per original currency, by currency code.
    async fn totals(&self) -> &[CurrencyTotal] {
        &self.totals
    }
}

#[derive(Default)]
pub struct FundingSummaryQuery;

#[Object]
impl FundingSummaryQuery {
    /// Funding the caller may see, grouped by any combination of dimensions (none: one group
    /// of everything), with totals per currency and in euros. Computed by the database.
    #[graphql(complexity = "crate::graphql::complexity::GROUPS * child_complexity")]
    async fn funding_summary(
        &self,
        ctx: &Context<'_>,
        group_by: Vec<FundingDimension>,
        filter: Option<FundingFilter>,
    ) -> ApiResult<Vec<FundingGroup>> {
        let rc = request(ctx)?;
        let dimensions = summary::distinct(&group_by);
        let filter = filter.unwrap_or_default();
        let backend = rc.db.get_database_backend();

        let mut inner = funding::Entity::find()
            .select_only()
            .columns([
                funding::Column::ProjectId,
                funding::Column::FunderId,
                funding::Column::Kind,
                funding::Column::Status,
                funding::Column::AmountMinor,
                funding::Column::Currency,
                funding::Column::ValueDate,
                funding::Column::RateMicros,
            ])
            .column_as(project::Column::CountryCode, "country_code")
            .expr_as(
                Expr::case(
                    Expr::col((funding::Entity, funding::Column::Illustrative))
                        .eq(true)
                        .or(Expr::col((project::Entity, project::Column::Illustrative)).eq(true)),
                    1,
                )
                .finally(0),
                "invented",
            )
            .filter(access::fundings(&rc.caller))
            .filter(filter.condition()?)
            .into_query();
        inner.inner_join(
            project::Entity,
            Expr::col((project::Entity, project::Column::Id))
                .equals((funding::Entity, funding::Column::ProjectId)),
        );

        let fr = Alias::new("fr");
        let col = |name: &str| Expr::col((fr.clone(), Alias::new(name)));
        let mut outer = Query::select();
        outer.from_subquery(inner, fr.clone());
        for d in &dimensions {
            let expr = match d {
                FundingDimension::Country => col("country_code"),
                FundingDimension::Region => {
                    Expr::col((project_region::Entity, project_region::Column::RegionId))
                }
                FundingDimension::Funder => col("funder_id"),
                FundingDimension::Year => summary::year(backend, "\"fr\".\"value_date\""),
                FundingDimension::Currency => col("currency"),
                FundingDimension::Project => col("project_id"),
                FundingDimension::Kind => col("kind"),
                FundingDimension::Status => col("status"),
            };
            summary::dimension(&mut outer, expr, d.alias());
        }
        if dimensions.contains(&FundingDimension::Region) {
            outer.left_join(
                project_region::Entity,
                Expr::col((project_region::Entity, project_region::Column::ProjectId))
                    .equals((fr.clone(), Alias::new("project_id"))),
            );
        }
        summary::dimension(&mut outer, col("currency"), "currency");
        outer
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .expr_as(
                summary::sum(col("amount_minor")),
                Alias::new("amount_minor"),
            )
            .expr_as(
                summary::sum(eur::eur_minor_sql(col("amount_minor"), col("rate_micros"))),
                Alias::new("eur_minor"),
            )
            .expr_as(
                summary::sum(
                    Expr::case(col("rate_micros").is_null(), 1)
                        .finally(0)
                        .into(),
                ),
                Alias::new("unconverted"),
            )
            .expr_as(summary::sum(col("invented")), Alias::new("invented"));

        let mut groups: HashMap<Key, Vec<CurrencyTotal>> = HashMap::new();
        for row in rc.db.query_all(&outer).await? {
            let key = summary::read_key(&row, &dimensions)?;
            groups.entry(key).or_default().push(CurrencyTotal {
                currency: row.try_get("", "currency")?,
                count: row.try_get("", "n")?,
                amount_minor: row.try_get::<Option<i64>>("", "amount_minor")?.unwrap_or(0),
                eur_minor: row.try_get("", "eur_minor")?,
                unconverted: row.try_get::<Option<i64>>("", "unconverted")?.unwrap_or(0),
                illustrative: row.try_get::<Option<i64>>("", "invented")?.unwrap_or(0),
            });
        }
        let mut groups: Vec<FundingGroup> = groups
            .into_iter()
            .map(|(key, mut totals)| {
                totals.sort_by(|a, b| a.currency.cmp(&b.currency));
                FundingGroup {
                    dimensions: dimensions.clone(),
                    key,
                    totals,
                }
            })
            .collect();
        if dimensions.is_empty() && groups.is_empty() {
            // Grouped by nothing: one group of everything, even when that is nothing.
            groups.push(FundingGroup {
                dimensions: Vec::new(),
                key: Vec::new(),
                totals: Vec::new(),
            });
        }
        groups.sort_by(|a, b| summary::sort_key(&a.key).cmp(&summary::sort_key(&b.key)));
        Ok(groups)
    }
}
