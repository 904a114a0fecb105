//! `resultSummary`: indicator periods' targets against what was achieved, per group (owner
//! country, programme, year the period ends, kind of result, measure), by one grouped SQL
//! statement over the projects the caller may see.
//!
//! Values of different indicators are not summed (eight action plans and 40 % are not 48);
//! a group says how many periods have a target, were reported and met it. People are summed,
//! by gender, over the indicators that count them.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use entity::{indicator, indicator_period, project, result};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};

use crate::access;
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::country::Country;
use crate::graphql::enums::{IndicatorMeasure, ResultKind};
use crate::graphql::filters;
use crate::graphql::programme::Programme;
use crate::graphql::summary::{self, Dimension as _, Key, Kind, objects};
use crate::ids;

/// What indicator periods can be grouped by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultDimension {
    /// The country that owns the project.
    Country,
    /// The programme the project runs under.
    Programme,
    /// The calendar year the period ends.
    Year,
    /// OUTPUT, OUTCOME or IMPACT.
    Kind,
    /// How the indicator is measured: UNIT, PERCENTAGE or QUALITATIVE.
    Measure,
}

impl summary::Dimension for ResultDimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Country => "d_country",
            Self::Programme => "d_programme",
            Self::Year => "d_year",
            Self::Kind => "d_kind",
            Self::Measure => "d_measure",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Year => Kind::Int,
            Self::Programme => Kind::Id,
            _ => Kind::Text,
        }
    }
}

/// Which periods to count.
#[derive(InputObject, Default)]
pub struct ResultFilter {
    /// ISO codes of the countries owning the projects.
    pub countries: Option<Vec<String>>,
    /// Global ids of the programmes the projects run under.
    pub programmes: Option<Vec<ID>>,
    /// Global ids of projects.
    pub projects: Option<Vec<ID>>,
    /// First year a period ends in, inclusive.
    pub year_from: Option<i32>,
    /// Last year a period ends in, inclusive.
    pub year_to: Option<i32>,
    /// Only results of these kinds.
    pub kinds: Option<Vec<ResultKind>>,
    /// Leave out what the seed invented: periods, indicators and results it made up as a
    /// whole, and those of projects it invented.
    pub exclude_illustrative: Option<bool>,
}

impl ResultFilter {
    fn condition(&self) -> ApiResult<Condition> {
        let mut c = Condition::all();
        if let Some(codes) = self.countries.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                project::Column::CountryCode.is_in(filters::countries("filter.countries", codes)?),
            );
        }
        if let Some(list) = self.programmes.as_deref().filter(|l| !l.is_empty()) {
            let ids = filters::ids("filter.programmes", list, ids::Kind::Programme)?;
            c = c.add(project::Column::ProgrammeId.is_in(ids));
        }
        if let Some(list) = self.projects.as_deref().filter(|l| !l.is_empty()) {
            let ids = filters::ids("filter.projects", list, ids::Kind::Project)?;
            c = c.add(indicator_period::Column::ProjectId.is_in(ids));
        }
        c = c.add(filters::years(
            indicator_period::Column::EndsOn,
            self.year_from,
            self.year_to,
        )?);
        if let Some(kinds) = self.kinds.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(result::Column::Kind.is_in(kinds.iter().copied()));
        }
        if self.exclude_illustrative == Some(true) {
            c = c
                .add(indicator_period::Column::Illustrative.eq(false))
                .add(indicator::Column::Illustrative.eq(false))
                .add(result::Column::Illustrative.eq(false))
                .add(project::Column::Illustrative.eq(false));
        }
        Ok(c)
    }
}

/// People an indicator counts, in total and by gender (`undisclosed`: not split).
#[derive(SimpleObject, Default)]
pub struct PeopleCount {
    /// People in all: the sum of the periods' values.
    pub total: i64,
    /// Women, over the figures split by gender.
    pub women: i64,
    /// Men, over the figures split by gender.
    pub men: i64,
    /// Non-binary people, over the figures split by gender.
    pub non_binary: i64,
    /// People no split names: `total` less women, men and non-binary.
    pub undisclosed: i64,
}

/// The sums read back for one of target and actual.
fn people(row: &sea_orm::QueryResult, prefix: &str) -> ApiResult<PeopleCount> {
    let get = |name: &str| -> ApiResult<i64> {
        Ok(row
            .try_get::<Option<i64>>("", &format!("{prefix}_{name}"))?
            .unwrap_or(0))
    };
    let (total, women, men, non_binary) = (
        get("total")? / 100,
        get("women")?,
        get("men")?,
        get("non_binary")?,
    );
    Ok(PeopleCount {
        total,
        women,
        men,
        non_binary,
        undisclosed: Ord::max(total - women - men - non_binary, 0),
    })
}

/// One group of indicator periods: its key (the fields of the dimensions grouped by; the
/// others are null) and how the periods stand.
pub struct ResultGroup {
    dimensions: Vec<ResultDimension>,
    key: Key,
    indicators: i64,
    periods: i64,
    targeted: i64,
    reported: i64,
    met: i64,
    people_target: PeopleCount,
    people_actual: PeopleCount,
}

impl ResultGroup {
    fn part(&self, dimension: ResultDimension) -> Option<&summary::Part> {
        summary::part(&self.dimensions, &self.key, dimension)
    }
}

/// One group of indicator periods: the fields of the dimensions grouped by (the others are
/// null) and how its periods stand against their targets.
#[Object]
impl ResultGroup {
    /// The country owning the projects, when grouped by COUNTRY.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        objects::country(
            ctx,
            summary::text(self.part(ResultDimension::Country)),
            "resultGroup.country",
        )
        .await
    }

    /// The programme the projects run under, when grouped by PROGRAMME (null for the group
    /// of projects under none).
    async fn programme(&self, ctx: &Context<'_>) -> ApiResult<Option<Programme>> {
        objects::programme(ctx, summary::id(self.part(ResultDimension::Programme))).await
    }

    /// The year its periods end.
    async fn year(&self) -> Option<i32> {
        summary::int(self.part(ResultDimension::Year))
    }

    /// The kind of result, when grouped by KIND.
    async fn kind(&self) -> ApiResult<Option<ResultKind>> {
        summary::vocabulary(self.part(ResultDimension::Kind))
    }

    /// How the indicators are measured, when grouped by MEASURE.
    async fn measure(&self) -> ApiResult<Option<IndicatorMeasure>> {
        summary::vocabulary(self.part(ResultDimension::Measure))
    }

    /// Indicators with periods in the group.
    async fn indicator_count(&self) -> i64 {
        self.indicators
    }

    /// Indicator periods in the group.
    async fn period_count(&self) -> i64 {
        self.periods
    }

    /// Periods with a target value.
    async fn targeted_count(&self) -> i64 {
        self.targeted
    }

    /// Periods whose actual value is recorded.
    async fn reported_count(&self) -> i64 {
        self.reported
    }

    /// Periods whose actual value meets the target in the indicator's direction.
    async fn met_count(&self) -> i64 {
        self.met
    }

    /// People targeted, over the indicators that count people (`byGender`).
    async fn people_target(&self) -> &PeopleCount {
        &self.people_target
    }

    /// People reached, over the same indicators' reported periods.
    async fn people_actual(&self) -> &PeopleCount {
        &self.people_actual
    }
}

fn period(column: indicator_period::Column) -> Expr {
    Expr::col((indicator_period::Entity, column))
}

/// `SUM(CASE WHEN when THEN then ELSE 0 END)`.
fn sum_when(when: Condition, then: Expr) -> Expr {
    summary::sum(Expr::case(when, then).finally(0).into())
}

/// What one group reads back: counts, then people targeted and reached.
fn aggregates(select: &mut SelectStatement) {
    let has = |c| Condition::all().add(period(c).is_not_null());
    let ascending = Expr::col((indicator::Entity, indicator::Column::Ascending));
    let (target, actual) = (
        period(indicator_period::Column::TargetCenti),
        period(indicator_period::Column::ActualCenti),
    );
    let met = has(indicator_period::Column::TargetCenti)
        .add(has(indicator_period::Column::ActualCenti))
        .add(
            Condition::any()
                .add(
                    ascending
                        .clone()
                        .eq(true)
                        .and(actual.clone().gte(target.clone())),
                )
                .add(ascending.eq(false).and(actual.lte(target))),
        );
    select
        .expr_as(
            Expr::cust(r#"COUNT(DISTINCT "indicator_period"."indicator_id")"#),
            Alias::new("indicators"),
        )
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("periods"))
        .expr_as(
            sum_when(has(indicator_period::Column::TargetCenti), Expr::val(1)),
            Alias::new("targeted"),
        )
        .expr_as(
            sum_when(has(indicator_period::Column::ActualCenti), Expr::val(1)),
            Alias::new("reported"),
        )
        .expr_as(sum_when(met, Expr::val(1)), Alias::new("met"));
    let people =
        Condition::all().add(Expr::col((indicator::Entity, indicator::Column::ByGender)).eq(true));
    use indicator_period::Column as C;
    for (alias, column) in [
        ("target_total", C::TargetCenti),
        ("target_women", C::TargetWomen),
        ("target_men", C::TargetMen),
        ("target_non_binary", C::TargetNonBinary),
        ("actual_total", C::ActualCenti),
        ("actual_women", C::ActualWomen),
        ("actual_men", C::ActualMen),
        ("actual_non_binary", C::ActualNonBinary),
    ] {
        select.expr_as(
            sum_when(
                people.clone().add(period(column).is_not_null()),
                period(column),
            ),
            Alias::new(alias),
        );
    }
}

#[derive(Default)]
pub struct ResultSummaryQuery;

#[Object]
impl ResultSummaryQuery {
    /// Indicator periods of the results you may see (as their projects are seen), target
    /// against actual, grouped by any combination of dimensions (none: one group of
    /// everything). Computed by the database.
    #[graphql(complexity = "crate::graphql::complexity::GROUPS * child_complexity")]
    async fn result_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to group by, in any combination; `[]`: one group of everything.")]
        group_by: Vec<ResultDimension>,
        #[graphql(desc = "Which periods to count; left out, all you may see.")] filter: Option<
            ResultFilter,
        >,
    ) -> ApiResult<Vec<ResultGroup>> {
        let rc = request(ctx)?;
        let dimensions = summary::distinct(&group_by);
        let filter = filter.unwrap_or_default();
        let mut select = Query::select();
        select
            .from(indicator_period::Entity)
            .inner_join(
                indicator::Entity,
                Expr::col((indicator::Entity, indicator::Column::Id)).equals((
                    indicator_period::Entity,
                    indicator_period::Column::IndicatorId,
                )),
            )
            .inner_join(
                result::Entity,
                Expr::col((result::Entity, result::Column::Id))
                    .equals((indicator::Entity, indicator::Column::ResultId)),
            )
            .inner_join(
                project::Entity,
                Expr::col((project::Entity, project::Column::Id)).equals((
                    indicator_period::Entity,
                    indicator_period::Column::ProjectId,
                )),
            )
            .cond_where(access::project_parts(
                &rc.caller,
                indicator_period::Column::ProjectId,
            ))
            .cond_where(filter.condition()?);
        for d in &dimensions {
            let expr = match d {
                ResultDimension::Country => {
                    Expr::col((project::Entity, project::Column::CountryCode))
                }
                ResultDimension::Programme => {
                    Expr::col((project::Entity, project::Column::ProgrammeId))
                }
                ResultDimension::Year => summary::year(
                    rc.db.get_database_backend(),
                    r#""indicator_period"."ends_on""#,
                ),
                ResultDimension::Kind => Expr::col((result::Entity, result::Column::Kind)),
                ResultDimension::Measure => {
                    Expr::col((indicator::Entity, indicator::Column::Measure))
                }
            };
            summary::dimension(&mut select, expr, d.alias());
        }
        aggregates(&mut select);

        let mut groups = Vec::new();
        for row in rc.db.query_all(&select).await? {
            let count = |name: &str| -> ApiResult<i64> {
                Ok(row.try_get::<Option<i64>>("", name)?.unwrap_or(0))
            };
            groups.push(ResultGroup {
                key: summary::read_key(&row, &dimensions)?,
                dimensions: dimensions.clone(),
                indicators: count("indicators")?,
                periods: count("periods")?,
                targeted: count("targeted")?,
                reported: count("reported")?,
                met: count("met")?,
                people_target: people(&row, "target")?,
                people_actual: people(&row, "actual")?,
            });
        }
        if dimensions.is_empty() && groups.is_empty() {
            groups.push(ResultGroup {
                dimensions: Vec::new(),
                key: Vec::new(),
                indicators: 0,
                periods: 0,
                targeted: 0,
                reported: 0,
                met: 0,
                people_target: PeopleCount::default(),
                people_actual: PeopleCount::default(),
            });
        }
        groups.sort_by(|a, b| summary::sort_key(&a.key).cmp(&summary::sort_key(&b.key)));
        Ok(groups)
    }
}
