//! `fundingSummary`: funding counted and summed per group, in each original currency and in
//! euros, by one grouped SQL statement over the fundings the caller may see.

use std::collections::HashMap;

use async_graphql::{Context, Enum, Object};
use entity::{funding_year, project_region};
use sea_orm::{
    ConnectionTrait, DbBackend, JoinType,
    sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement},
};

use crate::access;
use crate::auth::Caller;
use crate::derived::eur;
use crate::derived::funding_totals::{self, Variant};
use crate::domain::money;
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::country::Country;
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::funding_counting::{
    FundingCounting, FundingFilter, FundingLevel, Narrowed, counted,
};
use crate::graphql::organisation::Organisation;
use crate::graphql::programme::Programme;
use crate::graphql::project::Project;
use crate::graphql::region::Region;
use crate::graphql::scalars::Decimal;
use crate::graphql::summary::{self, Dimension as _, Key, Kind, objects};

/// What funding can be grouped by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingDimension {
    /// The country that owns the project.
    Country,
    /// Each region the project covers: a project in two regions counts in both, so region
    /// totals may add up to more than the whole.
    Region,
    /// The organisation that provides the money.
    Funder,
    /// The calendar year of the value date.
    Year,
    /// The original currency of the amount.
    Currency,
    /// The project the money is for.
    Project,
    /// The kind of funding (grant, co-financing, in kind, own contribution).
    Kind,
    /// The funding's status (planned, committed, disbursed).
    Status,
    /// Each calendar year of the funding's period, with the share of its money that falls
    /// in the year by days (exact: the years' shares add up to the whole). A funding without
    /// a period counts in the year of its value date.
    YearOfPeriod,
    /// The programme the project runs under.
    Programme,
    /// Which level of a flow the money is counted at (`FundingLevel`).
    Level,
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
            Self::YearOfPeriod => "d_year_of_period",
            Self::Programme => "d_programme",
            Self::Level => "d_level",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Region | Self::Funder | Self::Project | Self::Programme => Kind::Id,
            Self::Year | Self::YearOfPeriod => Kind::Int,
            _ => Kind::Text,
        }
    }
}

/// The total of one original currency within a group.
#[derive(Default)]
pub struct CurrencyTotal {
    currency: String,
    count: i64,
    amount_minor: i64,
    eur_minor: Option<i64>,
    unconverted: i64,
    illustrative: i64,
}

impl CurrencyTotal {
    /// Adds the sums of another level of the same currency.
    fn add(&mut self, other: CurrencyTotal) {
        self.count += other.count;
        self.amount_minor += other.amount_minor;
        self.eur_minor = match (self.eur_minor, other.eur_minor) {
            (None, None) => None,
            (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
        };
        self.unconverted += other.unconverted;
        self.illustrative += other.illustrative;
    }
}

/// The fundings of one original currency within a group: how many, and their sum in that
/// currency and in euros.
#[Object]
impl CurrencyTotal {
    /// ISO 4217 code.
    async fn currency(&self) -> &str {
        &self.currency
    }

    /// How many fundings in this currency the group holds, counted as the group's `count`.
    async fn count(&self) -> i64 {
        self.count
    }

    /// The sum in this currency, exact.
    async fn amount(&self) -> Decimal {
        Decimal(money::from_minor(self.amount_minor))
    }

    /// The sum of each funding's `amountEur`; null when one of them has no rate.
    async fn amount_eur(&self) -> Option<Decimal> {
        (self.unconverted == 0)
            .then_some(self.eur_minor.unwrap_or(0))
            .map(|eur| Decimal(money::from_minor(eur)))
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
    levels: Vec<FundingLevel>,
}

impl FundingGroup {
    fn part(&self, dimension: FundingDimension) -> Option<&summary::Part> {
        summary::part(&self.dimensions, &self.key, dimension)
    }
}

/// One group of funding: its key (the fields of the dimensions grouped by; the others are
/// null), how many fundings and how much money, in each original currency and in euros.
#[Object]
impl FundingGroup {
    /// The country that owns the projects, when grouped by COUNTRY; null otherwise.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        objects::country(
            ctx,
            summary::text(self.part(FundingDimension::Country)),
            "fundingGroup.country",
        )
        .await
    }

    /// A region the projects cover, when grouped by REGION; null otherwise, and for
    /// projects with no region.
    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        objects::region(
            ctx,
            summary::id(self.part(FundingDimension::Region)),
            "fundingGroup.region",
        )
        .await
    }

    /// The organisation that provides the money, when grouped by FUNDER; null otherwise.
    async fn funder(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        objects::organisation(
            ctx,
            summary::id(self.part(FundingDimension::Funder)),
            "fundingGroup.funder",
        )
        .await
    }

    /// The calendar year of the value date, when grouped by YEAR; null otherwise.
    async fn year(&self) -> Option<i32> {
        summary::int(self.part(FundingDimension::Year))
    }

    /// The original currency (ISO 4217 code), when grouped by CURRENCY; null otherwise.
    async fn currency(&self) -> Option<&str> {
        summary::text(self.part(FundingDimension::Currency))
    }

    /// The project the money is for, when grouped by PROJECT; null otherwise.
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        objects::project(
            ctx,
            summary::id(self.part(FundingDimension::Project)),
            "fundingGroup.project",
        )
        .await
    }

    /// The kind of funding, when grouped by KIND; null otherwise.
    async fn kind(&self) -> ApiResult<Option<FundingKind>> {
        summary::vocabulary(self.part(FundingDimension::Kind))
    }

    /// The funding status, when grouped by STATUS; null otherwise.
    async fn status(&self) -> ApiResult<Option<FundingStatus>> {
        summary::vocabulary(self.part(FundingDimension::Status))
    }

    /// A calendar year of the funding period (of the value date for fundings without a
    /// period), when grouped by YEAR_OF_PERIOD; null otherwise.
    async fn year_of_period(&self) -> Option<i32> {
        summary::int(self.part(FundingDimension::YearOfPeriod))
    }

    /// The programme the projects run under, when grouped by PROGRAMME; null otherwise, and
    /// for projects outside any programme.
    async fn programme(&self, ctx: &Context<'_>) -> ApiResult<Option<Programme>> {
        objects::programme(ctx, summary::id(self.part(FundingDimension::Programme))).await
    }

    /// The level of a flow the money is counted at, when grouped by LEVEL; null otherwise.
    async fn level(&self) -> ApiResult<Option<FundingLevel>> {
        summary::text(self.part(FundingDimension::Level))
            .map(FundingLevel::parse)
            .transpose()
    }

    /// The levels of a flow the group's sums hold: `[RECIPIENT]` when no money in it was
    /// drawn on; with `UNALLOCATED`, an allocation's remainder counts beside what its
    /// recipients got.
    async fn levels(&self) -> &[FundingLevel] {
        &self.levels
    }

    /// Fundings in the group (a funding counts once per region when grouped by REGION, and
    /// once per year of its period when grouped by YEAR_OF_PERIOD).
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
        Some(Decimal(money::from_minor(
            self.totals.iter().filter_map(|t| t.eur_minor).sum(),
        )))
    }

    /// Why `totalEur` is null, e.g. "no rate on or before the value date for: 2 CHF" (how
    /// many fundings of each currency have no rate); null when it is not.
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
    /// Funding you may see, grouped by any combination of dimensions (none: one group
    /// of everything), with totals per currency and in euros. Computed by the database. By
    /// default each euro counts once (`counting`): money drawn from an allocation counts at
    /// its recipient, and the allocation only with what stays in it.
    #[graphql(complexity = "crate::graphql::complexity::GROUPS * child_complexity")]
    async fn funding_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The dimensions to group by; groups come sorted by them in this \
                          order, null keys last. A dimension named twice counts once; an empty \
                          list gives one group of everything."
        )]
        group_by: Vec<FundingDimension>,
        #[graphql(desc = "Which fundings to count; left out, all you may see.")] filter: Option<
            FundingFilter,
        >,
        #[graphql(
            default,
            desc = "How money drawn from an allocation is counted: each euro once unless \
                    you ask for EVERY_LEVEL."
        )]
        counting: FundingCounting,
    ) -> ApiResult<Vec<FundingGroup>> {
        let rc = request(ctx)?;
        let dimensions = summary::distinct(&group_by);
        let narrowed = filter.unwrap_or_default().narrowed()?;
        let once = counting == FundingCounting::EachEuroOnce;
        let statement = match kept_variant(&rc.caller, &dimensions, &narrowed, once) {
            Some(variant) => from_kept(&dimensions, &narrowed, variant),
            None => from_fundings(
                rc.db.get_database_backend(),
                &rc.caller,
                &dimensions,
                &narrowed,
                once,
            ),
        };

        let mut groups: HashMap<Key, (Vec<CurrencyTotal>, Vec<FundingLevel>)> = HashMap::new();
        for row in rc.db.query_all(&statement).await? {
            let key = summary::read_key(&row, &dimensions)?;
            let level = FundingLevel::parse(&row.try_get::<String>("", "level_code")?)?;
            let total = CurrencyTotal {
                currency: row.try_get("", "currency")?,
                count: row.try_get("", "n")?,
                amount_minor: row.try_get::<Option<i64>>("", "amount_minor")?.unwrap_or(0),
                eur_minor: row.try_get("", "eur_minor")?,
                unconverted: row.try_get::<Option<i64>>("", "unconverted")?.unwrap_or(0),
                illustrative: row.try_get::<Option<i64>>("", "invented")?.unwrap_or(0),
            };
            let (totals, levels) = groups.entry(key).or_default();
            if !levels.contains(&level) {
                levels.push(level);
            }
            match totals.iter_mut().find(|t| t.currency == total.currency) {
                Some(same) => same.add(total),
                None => totals.push(total),
            }
        }
        let mut groups: Vec<FundingGroup> = groups
            .into_iter()
            .map(|(key, (mut totals, mut levels))| {
                totals.sort_by(|a, b| a.currency.cmp(&b.currency));
                levels.sort();
                FundingGroup {
                    dimensions: dimensions.clone(),
                    key,
                    totals,
                    levels,
                }
            })
            .collect();
        if dimensions.is_empty() && groups.is_empty() {
            // Grouped by nothing: one group of everything, even when that is nothing.
            groups.push(FundingGroup {
                dimensions: Vec::new(),
                key: Vec::new(),
                totals: Vec::new(),
                levels: Vec::new(),
            });
        }
        groups.sort_by(|a, b| summary::sort_key(&a.key).cmp(&summary::sort_key(&b.key)));
        Ok(groups)
    }
}

/// The kept totals' variant that answers the summary, when one does: for callers who see
/// what a whole class sees (`access::audience`), grouped and filtered by what the totals keep
/// (not the region, project or years of the period).
fn kept_variant(
    caller: &Caller,
    dimensions: &[FundingDimension],
    narrowed: &Narrowed,
    once: bool,
) -> Option<Variant> {
    let kept = |d: &FundingDimension| {
        !matches!(
            d,
            FundingDimension::Region | FundingDimension::Project | FundingDimension::YearOfPeriod
        )
    };
    (dimensions.iter().all(kept) && narrowed.projects.is_empty())
        .then_some(())
        .and(access::audience(caller))
        .map(|audience| Variant {
            audience,
            once,
            without_invented: narrowed.invented_left_out,
        })
}

/// The groups summed from the kept totals: a few thousand rows, however many fundings.
fn from_kept(
    dimensions: &[FundingDimension],
    narrowed: &Narrowed,
    variant: Variant,
) -> SelectStatement {
    let t = Alias::new(funding_totals::TOTAL);
    let col = |name: &str| Expr::col((t.clone(), Alias::new(name)));
    let mut select = Query::select();
    select
        .from(t.clone())
        .cond_where(variant.condition())
        .cond_where(narrowed.kept_condition());
    for d in dimensions {
        let column = match d {
            FundingDimension::Country => "country_code",
            FundingDimension::Funder => "funder_id",
            FundingDimension::Year => "value_year",
            FundingDimension::Currency => "currency",
            FundingDimension::Kind => "kind",
            FundingDimension::Status => "status",
            FundingDimension::Level => "level",
            FundingDimension::Programme => {
                // Kept under the nil UUID, read back as no programme.
                select.expr_as(
                    Func::cust("NULLIF")
                        .arg(col("programme_id"))
                        .arg(Expr::val(funding_totals::NO_PROGRAMME)),
                    Alias::new(d.alias()),
                );
                select.add_group_by([col("programme_id")]);
                continue;
            }
            FundingDimension::Region
            | FundingDimension::Project
            | FundingDimension::YearOfPeriod => continue,
        };
        summary::dimension(&mut select, col(column), d.alias());
    }
    summary::dimension(&mut select, col("currency"), "currency");
    summary::dimension(&mut select, col("level"), "level_code");
    for (tally, alias) in [
        ("fundings", "n"),
        ("amount_minor", "amount_minor"),
        ("eur_minor", "eur_minor"),
        ("unconverted", "unconverted"),
        ("invented", "invented"),
    ] {
        select.expr_as(summary::sum(col(tally)), Alias::new(alias));
    }
    select
}

/// The groups counted from the fundings the caller sees, one by one.
fn from_fundings(
    backend: DbBackend,
    caller: &Caller,
    dimensions: &[FundingDimension],
    narrowed: &Narrowed,
    once: bool,
) -> SelectStatement {
    let inner = counted(
        caller,
        once,
        narrowed.condition(),
        narrowed.drawn_condition(),
    );
    let fr = Alias::new("fr");
    let col = |name: &str| Expr::col((fr.clone(), Alias::new(name)));
    let fy = Alias::new("fy");
    let by_year = dimensions.contains(&FundingDimension::YearOfPeriod);
    // The money of a row: all of it, or its year's share when spread over years.
    let money = |x: Expr| -> Expr {
        if !by_year {
            return x;
        }
        let part = |c: &str| Expr::col((fy.clone(), Alias::new(c)));
        x.clone()
            .mul(part("days_before").add(part("days")))
            .div(part("days_total"))
            .sub(x.mul(part("days_before")).div(part("days_total")))
    };
    let mut outer = Query::select();
    outer.from_subquery(inner, fr.clone());
    for d in dimensions {
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
            FundingDimension::YearOfPeriod => Expr::col((fy.clone(), Alias::new("year"))),
            FundingDimension::Programme => col("programme_id"),
            FundingDimension::Level => col("level"),
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
    if by_year {
        outer.join_as(
            JoinType::InnerJoin,
            funding_year::Entity,
            fy.clone(),
            Expr::col((fy.clone(), Alias::new("funding_id")))
                .equals((fr.clone(), Alias::new("id"))),
        );
    }
    summary::dimension(&mut outer, col("currency"), "currency");
    summary::dimension(&mut outer, col("level"), "level_code");
    outer
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(
            summary::sum(money(col("amount_minor"))),
            Alias::new("amount_minor"),
        )
        .expr_as(
            // The euros spread like the money, so a funding's years add up to its
            // `amountEur` to the cent.
            summary::sum(money(eur::eur_minor_sql(
                col("amount_minor"),
                col("rate_micros"),
            ))),
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
    outer
}
