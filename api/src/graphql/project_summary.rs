//! `projectSummary`: projects counted per group (owner country, status, start year, focus
//! area, programme), with their budgets and funding in euros, by one grouped SQL statement
//! over the projects the caller may see, narrowed by the projects list's own filter.

use async_graphql::{Context, Enum, Object};
use entity::enums::ClassificationVocabulary;
use entity::{project, project_classification};
use sea_orm::{
    Condition, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::access;
use crate::derived::eur;
use crate::domain::money;
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::country::Country;
use crate::graphql::enums::ProjectStatus;
use crate::graphql::funding_counting::counted;
use crate::graphql::programme::Programme;
use crate::graphql::project_list::{ProjectFilter, apply_filter};
use crate::graphql::scalars::Decimal;
use crate::graphql::summary::{self, Dimension as _, Key, Kind, objects};

/// What projects can be grouped by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectDimension {
    /// The country that owns the project.
    Country,
    /// The status as `Project.status` gives it today.
    Status,
    /// The calendar year the project starts.
    Year,
    /// Each focus area: a project with two counts in both, so focus-area counts may add up
    /// to more than the whole.
    FocusArea,
    /// The programme the project runs under.
    Programme,
}

impl summary::Dimension for ProjectDimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Country => "d_country",
            Self::Status => "d_status",
            Self::Year => "d_year",
            Self::FocusArea => "d_focus_area",
            Self::Programme => "d_programme",
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

/// One group of projects: its key (the fields of the dimensions grouped by; the others are
/// null) and how many projects.
pub struct ProjectGroup {
    dimensions: Vec<ProjectDimension>,
    key: Key,
    count: i64,
    illustrative: i64,
    budget_eur_minor: i64,
    with_budget: i64,
    funding_eur_minor: i64,
    funding_unconverted: i64,
}

impl ProjectGroup {
    fn part(&self, dimension: ProjectDimension) -> Option<&summary::Part> {
        summary::part(&self.dimensions, &self.key, dimension)
    }
}

/// One group of projects: the fields of the dimensions grouped by (the others are null),
/// how many projects it holds, and their budgets and funding in euros.
#[Object]
impl ProjectGroup {
    /// The country that owns its projects, when grouped by `COUNTRY`.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        objects::country(
            ctx,
            summary::text(self.part(ProjectDimension::Country)),
            "projectGroup.country",
        )
        .await
    }

    /// Its projects' status today, when grouped by `STATUS`.
    async fn status(&self) -> ApiResult<Option<ProjectStatus>> {
        summary::vocabulary(self.part(ProjectDimension::Status))
    }

    /// The year its projects start.
    async fn year(&self) -> Option<i32> {
        summary::int(self.part(ProjectDimension::Year))
    }

    /// A focus-area code (as in `Project.focusAreas`).
    async fn focus_area(&self) -> Option<&str> {
        summary::text(self.part(ProjectDimension::FocusArea))
    }

    /// The programme its projects run under, when grouped by `PROGRAMME`; null too for the
    /// group of projects in no programme.
    async fn programme(&self, ctx: &Context<'_>) -> ApiResult<Option<Programme>> {
        objects::programme(ctx, summary::id(self.part(ProjectDimension::Programme))).await
    }

    /// The sum of the group's total budgets in euros, over the projects that have a budget
    /// with a rate (`withBudgetCount`).
    async fn budget_total_eur(&self) -> Decimal {
        Decimal(money::from_minor(self.budget_eur_minor))
    }

    /// How many of the group's projects `budgetTotalEur` sums.
    async fn with_budget_count(&self) -> i64 {
        self.with_budget
    }

    /// The funding of the group's projects you may see, in euros, each euro counted once
    /// (as `fundingSummary` counts by default); null when some funding has no rate.
    async fn funding_total_eur(&self) -> Option<Decimal> {
        (self.funding_unconverted == 0).then(|| Decimal(money::from_minor(self.funding_eur_minor)))
    }

    /// Projects in the group.
    async fn count(&self) -> i64 {
        self.count
    }

    /// How many of them the seed invented.
    async fn illustrative_count(&self) -> i64 {
        self.illustrative
    }
}

#[derive(Default)]
pub struct ProjectSummaryQuery;

#[Object]
impl ProjectSummaryQuery {
    /// Projects you may see (as `projects` lists them, with the same `filter`), counted by
    /// any combination of dimensions (none: one group of everything). Computed by the
    /// database.
    #[graphql(complexity = "crate::graphql::complexity::GROUPS * child_complexity")]
    async fn project_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to group by, in order; `[]` gives one group of all.")] group_by: Vec<
            ProjectDimension,
        >,
        #[graphql(desc = "Which projects to count, as `projects` takes it.")] filter: Option<
            ProjectFilter,
        >,
    ) -> ApiResult<Vec<ProjectGroup>> {
        let rc = request(ctx)?;
        let dimensions = summary::distinct(&group_by);
        let filter = filter.unwrap_or_default();
        let visible = project::Entity::find().filter(access::projects(&rc.caller));
        let inner = apply_filter(visible, &filter)?
            .select_only()
            .columns([
                project::Column::Id,
                project::Column::CountryCode,
                project::Column::Status,
                project::Column::StartDate,
                project::Column::Illustrative,
                project::Column::ProgrammeId,
                project::Column::BudgetEurSort,
            ])
            // Computed here, not in the grouping: PostgreSQL matches a grouped expression
            // to its select only without bound values.
            .expr_as(
                crate::db::status::project_expr(
                    Expr::col((project::Entity, project::Column::Status)),
                    Expr::col((project::Entity, project::Column::StartDate)),
                    Expr::col((project::Entity, project::Column::EndDate)),
                    chrono::Utc::now().date_naive(),
                ),
                "effective_status",
            )
            .into_query();
        // Each project's funding in euros, each euro once.
        let cf = Alias::new("cf");
        let cf_col = |name: &str| Expr::col((cf.clone(), Alias::new(name)));
        let mut per_project = Query::select();
        per_project
            .from_subquery(
                counted(&rc.caller, true, Condition::all(), Condition::all()),
                cf.clone(),
            )
            .expr_as(cf_col("project_id"), Alias::new("project_id"))
            .expr_as(
                summary::sum(eur::eur_minor_sql(
                    cf_col("amount_minor"),
                    cf_col("rate_micros"),
                )),
                Alias::new("eur"),
            )
            .expr_as(
                summary::sum(
                    Expr::case(cf_col("rate_micros").is_null(), 1)
                        .finally(0)
                        .into(),
                ),
                Alias::new("unconverted"),
            )
            .add_group_by([cf_col("project_id")]);

        let p = Alias::new("p");
        let col = |name: &str| Expr::col((p.clone(), Alias::new(name)));
        let mut outer = Query::select();
        outer.from_subquery(inner, p.clone());
        for d in &dimensions {
            let expr = match d {
                ProjectDimension::Country => col("country_code"),
                ProjectDimension::Status => col("effective_status"),
                ProjectDimension::Year => {
                    summary::year(rc.db.get_database_backend(), "\"p\".\"start_date\"")
                }
                ProjectDimension::FocusArea => Expr::col((
                    project_classification::Entity,
                    project_classification::Column::Code,
                )),
                ProjectDimension::Programme => col("programme_id"),
            };
            summary::dimension(&mut outer, expr, d.alias());
        }
        if dimensions.contains(&ProjectDimension::FocusArea) {
            outer.left_join(
                project_classification::Entity,
                Expr::col((
                    project_classification::Entity,
                    project_classification::Column::ProjectId,
                ))
                .equals((p.clone(), Alias::new("id")))
                .and(
                    Expr::col((
                        project_classification::Entity,
                        project_classification::Column::Vocabulary,
                    ))
                    .eq(ClassificationVocabulary::FocusArea),
                ),
            );
        }
        let pf = Alias::new("pf");
        outer.join_subquery(
            JoinType::LeftJoin,
            per_project,
            pf.clone(),
            Expr::col((pf.clone(), Alias::new("project_id"))).equals((p.clone(), Alias::new("id"))),
        );
        let budget = col("budget_eur_sort");
        outer
            .expr_as(
                summary::sum(
                    Expr::case(budget.clone().gte(0), budget.clone())
                        .finally(0)
                        .into(),
                ),
                Alias::new("budget_eur"),
            )
            .expr_as(
                summary::sum(Expr::case(budget.gte(0), 1).finally(0).into()),
                Alias::new("with_budget"),
            )
            .expr_as(
                summary::sum(Expr::col((pf.clone(), Alias::new("eur")))),
                Alias::new("funding_eur"),
            )
            .expr_as(
                summary::sum(Expr::col((pf.clone(), Alias::new("unconverted")))),
                Alias::new("funding_unconverted"),
            )
            .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
            .expr_as(
                summary::sum(
                    Expr::case(col("illustrative").eq(true), 1)
                        .finally(0)
                        .into(),
                ),
                Alias::new("invented"),
            );

        let mut groups = Vec::new();
        for row in rc.db.query_all(&outer).await? {
            groups.push(ProjectGroup {
                key: summary::read_key(&row, &dimensions)?,
                dimensions: dimensions.clone(),
                count: row.try_get("", "n")?,
                illustrative: row.try_get::<Option<i64>>("", "invented")?.unwrap_or(0),
                budget_eur_minor: row.try_get::<Option<i64>>("", "budget_eur")?.unwrap_or(0),
                with_budget: row.try_get::<Option<i64>>("", "with_budget")?.unwrap_or(0),
                funding_eur_minor: row.try_get::<Option<i64>>("", "funding_eur")?.unwrap_or(0),
                funding_unconverted: row
                    .try_get::<Option<i64>>("", "funding_unconverted")?
                    .unwrap_or(0),
            });
        }
        if dimensions.is_empty() && groups.is_empty() {
            groups.push(ProjectGroup {
                dimensions: Vec::new(),
                key: Vec::new(),
                count: 0,
                illustrative: 0,
                budget_eur_minor: 0,
                with_budget: 0,
                funding_eur_minor: 0,
                funding_unconverted: 0,
            });
        }
        groups.sort_by(|a, b| summary::sort_key(&a.key).cmp(&summary::sort_key(&b.key)));
        Ok(groups)
    }
}
