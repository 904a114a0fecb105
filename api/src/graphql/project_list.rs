//! The projects list (`projects`, with its filter, orders and keyset cursors) and the lookup
//! by code (`project`).

use async_graphql::{Context, ID, InputObject, Object};
use entity::enums::ClassificationVocabulary;
use entity::{
    funding, project, project_classification, project_country, project_participant, project_region,
    region,
};
use mosaic_macros::paged;
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait, LikeExpr},
};

use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{connection, fetch_carrying};
use crate::graphql::context::request;
use crate::graphql::enums::ProjectStatus;
use crate::graphql::filters;
use crate::graphql::filters::Narrow;
use crate::graphql::ordering::{Order, ProjectOrderField};
use crate::graphql::pagination::PageArgs;
use crate::graphql::project::Project;
use crate::graphql::projection;
use crate::graphql::scalars::{Date, DateTime, Decimal};
use crate::ids::Kind;

/// Which projects to list: its fields combine with AND, the values of a list with OR; a
/// field left out does not filter.
#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// ISO codes of countries the project works in (as owner, or through a partner
    /// organisation or a region): any of them.
    pub countries: Option<Vec<String>>,
    /// ISO codes of the countries that own the project.
    pub owner_countries: Option<Vec<String>>,
    /// Statuses as `Project.status` gives them today.
    pub statuses: Option<Vec<ProjectStatus>>,
    /// Words in the code, acronym, title or summary, any language.
    pub search: Option<String>,
    /// Region ids the project works in.
    pub regions: Option<Vec<ID>>,
    /// NUTS code prefixes: `SE` matches every Swedish region, `SE31` every region under it.
    pub nuts_codes: Option<Vec<String>>,
    /// Organisation ids taking part in any role.
    pub organisations: Option<Vec<ID>>,
    /// Ids of the resource centres the project belongs to.
    pub resource_centres: Option<Vec<ID>>,
    /// Focus-area codes (as `terms(vocabulary: FOCUS_AREA)` lists them): projects with any.
    pub focus_areas: Option<Vec<String>>,
    /// Target-group codes (as `terms(vocabulary: TARGET_GROUP)` lists them): projects with
    /// any.
    pub target_groups: Option<Vec<String>>,
    /// Projects running on or after this date (end date >= it).
    pub active_from: Option<Date>,
    /// Projects running on or before this date (start date <= it).
    pub active_to: Option<Date>,
    /// Projects starting on or after this date.
    pub start_date_from: Option<Date>,
    /// Projects starting on or before this date.
    pub start_date_to: Option<Date>,
    /// Projects ending on or after this date ("ended in 2018": `endDateFrom: "2018-01-01"`,
    /// `endDateTo: "2018-12-31"`).
    pub end_date_from: Option<Date>,
    /// Projects ending on or before this date.
    pub end_date_to: Option<Date>,
    /// Only published projects (`true`) or only drafts (`false`), among those you may see.
    pub published: Option<bool>,
    /// Programme ids the project runs under.
    pub programmes: Option<Vec<ID>>,
    /// Organisation ids that fund the project (a funding from them).
    pub funders: Option<Vec<ID>>,
    /// Projects whose total budget is at least this many euros.
    pub budget_eur_from: Option<Decimal>,
    /// Projects whose total budget is at most this many euros.
    pub budget_eur_to: Option<Decimal>,
    /// Projects changed at or after this instant (`updatedAt >= updatedSince`): what a
    /// partner system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

/// One key of the projects list's order.
pub type ProjectOrder = Order<ProjectOrderField>;

connection!(ProjectConnection, ProjectEdge, Project, "projects");

fn in_subquery_of<E: EntityTrait>(
    select: Select<E>,
    column: E::Column,
) -> sea_orm::sea_query::SelectStatement {
    select.select_only().column(column).into_query()
}

pub(crate) fn apply_filter(
    mut select: Select<project::Entity>,
    filter: &ProjectFilter,
) -> ApiResult<Select<project::Entity>> {
    if let Some(countries) = &filter.countries {
        select = select.filter(
            project::Column::Id.in_subquery(in_subquery_of(
                project_country::Entity::find().filter(
                    project_country::Column::CountryCode
                        .is_in(filters::countries("filter.countries", countries)?),
                ),
                project_country::Column::ProjectId,
            )),
        );
    }
    select = select.in_countries(
        "filter.ownerCountries",
        project::Column::CountryCode,
        filter.owner_countries.as_deref(),
    )?;
    if let Some(status) = &filter.statuses {
        select = select.filter(crate::db::status::projects_in(
            status,
            chrono::Utc::now().date_naive(),
        ));
    }
    select = select.matching(filter.search.as_deref(), "project", project::Column::Id)?;
    if let Some(regions) = &filter.regions {
        let ids = filters::ids("filter.regions", regions, Kind::Region)?;
        select = select.filter(project::Column::Id.in_subquery(in_subquery_of(
            project_region::Entity::find().filter(project_region::Column::RegionId.is_in(ids)),
            project_region::Column::ProjectId,
        )));
    }
    if let Some(prefixes) = &filter.nuts_codes {
        let mut any = Condition::any();
        for prefix in prefixes {
            let code = crate::domain::codes::NutsCode::parse(prefix)
                .map_err(|message| ApiError::bad_input("filter.nutsCodes", message))?;
            any = any.add(
                Expr::col((region::Entity, region::Column::NutsCode))
                    .like(LikeExpr::new(format!("{}%", code.as_str()))),
            );
        }
        let regions = in_subquery_of(region::Entity::find().filter(any), region::Column::Id);
        select = select.filter(
            project::Column::Id.in_subquery(in_subquery_of(
                project_region::Entity::find()
                    .filter(project_region::Column::RegionId.in_subquery(regions)),
                project_region::Column::ProjectId,
            )),
        );
    }
    if let Some(organisations) = &filter.organisations {
        let ids = filters::ids("filter.organisations", organisations, Kind::Organisation)?;
        select = select.filter(
            project::Column::Id.in_subquery(in_subquery_of(
                project_participant::Entity::find()
                    .filter(project_participant::Column::OrganisationId.is_in(ids)),
                project_participant::Column::ProjectId,
            )),
        );
    }
    if let Some(centres) = &filter.resource_centres {
        let ids = filters::ids("filter.resourceCentres", centres, Kind::ResourceCentre)?;
        select = select.filter(project::Column::ResourceCentreId.is_in(ids));
    }
    for (codes, vocabulary) in [
        (&filter.focus_areas, ClassificationVocabulary::FocusArea),
        (&filter.target_groups, ClassificationVocabulary::TargetGroup),
    ] {
        if let Some(codes) = codes {
            select = select.filter(
                project::Column::Id.in_subquery(in_subquery_of(
                    project_classification::Entity::find()
                        .filter(project_classification::Column::Vocabulary.eq(vocabulary))
                        .filter(project_classification::Column::Code.is_in(codes.clone())),
                    project_classification::Column::ProjectId,
                )),
            );
        }
    }
    // Each range: the field named when it ends before it starts, the message, its bounds,
    // and the columns they bound (running in a period: ends after its start, starts before
    // its end).
    for (field, message, (from, to), (from_column, to_column)) in [
        (
            "filter.activeTo",
            "`activeTo` is before `activeFrom`",
            (filter.active_from, filter.active_to),
            (project::Column::EndDate, project::Column::StartDate),
        ),
        (
            "filter.startDateTo",
            "the range ends before it starts",
            (filter.start_date_from, filter.start_date_to),
            (project::Column::StartDate, project::Column::StartDate),
        ),
        (
            "filter.endDateTo",
            "the range ends before it starts",
            (filter.end_date_from, filter.end_date_to),
            (project::Column::EndDate, project::Column::EndDate),
        ),
    ] {
        if let (Some(from), Some(to)) = (from, to)
            && to < from
        {
            return Err(ApiError::bad_input(field, message));
        }
        if let Some(Date(from)) = from {
            select = select.filter(from_column.gte(from));
        }
        if let Some(Date(to)) = to {
            select = select.filter(to_column.lte(to));
        }
    }
    if let Some(published) = filter.published {
        select = select.filter(project::Column::Published.eq(published));
    }
    if let Some(programmes) = &filter.programmes {
        let ids = filters::ids("filter.programmes", programmes, Kind::Programme)?;
        select = select.filter(project::Column::ProgrammeId.is_in(ids));
    }
    if let Some(funders) = &filter.funders {
        let ids = filters::ids("filter.funders", funders, Kind::Organisation)?;
        select = select.filter(project::Column::Id.in_subquery(in_subquery_of(
            funding::Entity::find().filter(funding::Column::FunderId.is_in(ids)),
            funding::Column::ProjectId,
        )));
    }
    let euros = |field: &str, value: Option<Decimal>| {
        value
            .map(|v| crate::graphql::money::minor(field, v.0))
            .transpose()
    };
    let (from, to) = (
        euros("filter.budgetEurFrom", filter.budget_eur_from)?,
        euros("filter.budgetEurTo", filter.budget_eur_to)?,
    );
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        return Err(ApiError::bad_input(
            "filter.budgetEurTo",
            "the range ends before it starts",
        ));
    }
    // Without a budget the sort column is -1, below every bound.
    if let Some(from) = from {
        select = select.filter(project::Column::BudgetEurSort.gte(from));
    }
    if let Some(to) = to {
        select = select
            .filter(project::Column::BudgetEurSort.lte(to))
            .filter(project::Column::BudgetEurSort.gte(0));
    }
    if let Some(DateTime(since)) = filter.updated_since {
        select = select.filter(project::Column::UpdatedAt.gte(since));
    }
    Ok(select)
}

#[derive(Default)]
pub struct ProjectQuery;

#[paged]
#[Object]
impl ProjectQuery {
    /// Projects you may see: published ones, plus drafts of projects you manage or (as a
    /// coordinator) that work in your countries.
    async fn projects(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which projects; left out, all you may see.")] filter: Option<
            ProjectFilter,
        >,
        #[graphql(desc = "The order, most significant key first; by `CODE` when left out.")]
        order_by: Option<Vec<ProjectOrder>>,
        args: PageArgs,
    ) -> ApiResult<ProjectConnection> {
        let rc = request(ctx)?;
        let filter = filter.unwrap_or_default();
        let select = apply_filter(
            project::Entity::find().filter(access::projects(&rc.caller)),
            &filter,
        )?;
        // `updatedSince` is part of the filter `projectSummary` shares.
        let order = order_by.as_deref();
        let kept = [project::Column::Id];
        let carried = projection::columns(&ctx.field(), Project::reads, &kept);
        let (page, total) = fetch_carrying(&rc.db, select, order, args, carried).await?;
        Ok(ProjectConnection::new(page.map(Project), total))
    }

    /// One project by its code; `null` if there is none you may see.
    async fn project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project code, e.g. `SE-BLEKINGE-JRT`.")] code: String,
    ) -> ApiResult<Option<Project>> {
        let rc = request(ctx)?;
        let found = project::Entity::find()
            .filter(project::Column::Code.eq(code.trim()))
            .filter(access::projects(&rc.caller))
            .one(&rc.db)
            .await?;
        Ok(found.map(Project))
    }
}
