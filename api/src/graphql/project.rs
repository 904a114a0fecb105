//! Projects: the list, the lookup by code and everything nested under a project.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::ClassificationVocabulary;
use entity::{project, project_classification, project_participant, project_region, region};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait, LikeExpr},
};

use crate::access;
use crate::domain::text::string_list;
use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{Total, connection};
use crate::graphql::contact::Contact;
use crate::graphql::context::{load, request};
use crate::graphql::country::Country;
use crate::graphql::enums::{ParticipantRole, ProjectStatus, SortDirection};
use crate::graphql::funding::Funding;
use crate::graphql::loaders::{
    ClassificationsOfProject, ContactsOfProject, CountryByCode, FundingsOfProject, LeadOfProject,
    MilestonesOfProject, OrganisationById, ParticipantsOfProject, ProjectById, RegionsOfProject,
    ResourceCentreById, SubProjectsOf, WorkshopPageOfProject,
};
use crate::graphql::organisation::Organisation;
use crate::graphql::pagination::{
    CursorValue, Keyset, Page, PageArgs, PageWindow, SortKey, count_statement, fetch_page,
};
use crate::graphql::region::Region;
use crate::graphql::resource_centre::ResourceCentre;
use crate::graphql::workshop::{self, Workshop, WorkshopConnection};
use crate::graphql::{filters, global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Project(pub project::Model);

/// An organisation's part in a project.
pub struct Participant {
    link: project_participant::Model,
}

#[Object(serial)]
impl Participant {
    async fn role(&self) -> ParticipantRole {
        self.link.role.into()
    }

    async fn organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        Ok(load(
            ctx,
            OrganisationById(self.link.organisation_id, "participant.organisation"),
        )
        .await?
        .map(Organisation))
    }
}

/// A dated step of a project.
pub struct Milestone(pub entity::milestone::Model);

#[Object(serial)]
impl Milestone {
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Milestone, self.0.id)
    }

    async fn title(&self, ctx: &Context<'_>, lang: Option<String>) -> ApiResult<Option<String>> {
        text::pick(ctx, &self.0.title, &self.0.language, lang)
    }

    async fn due_date(&self) -> NaiveDate {
        self.0.due_date
    }

    async fn achieved_on(&self) -> Option<NaiveDate> {
        self.0.achieved_on
    }

    /// Whether no source states these dates and the seed chose them for illustration.
    async fn illustrative(&self) -> bool {
        self.0.illustrative
    }

    /// Rises by one with every change; send it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

impl Project {
    async fn classifications(
        &self,
        ctx: &Context<'_>,
        vocabulary: ClassificationVocabulary,
    ) -> ApiResult<Vec<String>> {
        let rows = load(ctx, ClassificationsOfProject(self.0.id))
            .await?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .filter(|c| c.vocabulary == vocabulary)
            .map(|c| c.code)
            .collect())
    }

    async fn participant_links(
        &self,
        ctx: &Context<'_>,
    ) -> ApiResult<Vec<project_participant::Model>> {
        Ok(load(ctx, ParticipantsOfProject(self.0.id))
            .await?
            .unwrap_or_default())
    }
}

#[Object]
impl Project {
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Project, self.0.id)
    }

    /// The programme's unique project code.
    async fn code(&self) -> &str {
        &self.0.code
    }

    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }

    /// Title in `lang`, else the `Accept-Language` preference, else the original.
    async fn title(&self, ctx: &Context<'_>, lang: Option<String>) -> ApiResult<Option<String>> {
        text::pick(ctx, &self.0.title, &self.0.language, lang)
    }

    async fn title_translations(&self) -> Vec<text::Translation> {
        text::all(&self.0.title, &self.0.language)
    }

    async fn summary(&self, ctx: &Context<'_>, lang: Option<String>) -> ApiResult<Option<String>> {
        text::pick(ctx, &self.0.summary, &self.0.language, lang)
    }

    async fn summary_translations(&self) -> Vec<text::Translation> {
        text::all(&self.0.summary, &self.0.language)
    }

    /// The language the project's texts were written in.
    async fn original_language(&self) -> &str {
        &self.0.language
    }

    async fn status(&self) -> ProjectStatus {
        self.0.status.into()
    }

    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }

    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }

    /// The country that owns the project.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        Ok(load(
            ctx,
            CountryByCode(self.0.country_code.clone(), "project.country"),
        )
        .await?
        .map(Country))
    }

    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn regions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Region>> {
        Ok(load(ctx, RegionsOfProject(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Region)
            .collect())
    }

    async fn resource_centre(&self, ctx: &Context<'_>) -> ApiResult<Option<ResourceCentre>> {
        let Some(id) = self.0.resource_centre_id else {
            return Ok(None);
        };
        Ok(load(ctx, ResourceCentreById(id)).await?.map(ResourceCentre))
    }

    /// The network this project belongs to, if you may see it.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        let Some(id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, ProjectById(id, "project.parent"))
            .await?
            .map(Project))
    }

    /// Projects under this one (a network's city projects) that you may see.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn sub_projects(&self, ctx: &Context<'_>) -> ApiResult<Vec<Project>> {
        Ok(load(ctx, SubProjectsOf(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Project)
            .collect())
    }

    /// Organisations taking part, with their roles.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn participants(&self, ctx: &Context<'_>) -> ApiResult<Vec<Participant>> {
        Ok(self
            .participant_links(ctx)
            .await?
            .into_iter()
            .map(|link| Participant { link })
            .collect())
    }

    /// The organisation in the LEAD role.
    async fn lead_organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        Ok(load(ctx, LeadOfProject(self.0.id)).await?.map(Organisation))
    }

    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn fundings(&self, ctx: &Context<'_>) -> ApiResult<Vec<Funding>> {
        Ok(load(ctx, FundingsOfProject(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Funding)
            .collect())
    }

    /// The project's workshops, by start time.
    #[graphql(complexity = "crate::graphql::complexity::page(first, None) * child_complexity")]
    async fn workshops(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> ApiResult<WorkshopConnection> {
        let keyset = workshop::default_keyset();
        let window = PageWindow::new(&PageArgs::forward(first, after), &keyset)?;
        let rows = load(
            ctx,
            WorkshopPageOfProject {
                project: self.0.id,
                window: window.clone(),
            },
        )
        .await?
        .unwrap_or_default();
        let page = Page::from_rows(rows, &window, &keyset.signature, workshop::cursor_values);
        Ok(WorkshopConnection::new(
            page.map(Workshop),
            Total::WorkshopsOfProject(self.0.id),
        ))
    }

    /// People to contact. Needs a signed-in caller; see `Contact` for personal data.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn contacts(&self, ctx: &Context<'_>) -> ApiResult<Vec<Contact>> {
        Ok(load(ctx, ContactsOfProject(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Contact)
            .collect())
    }

    /// Focus-area codes.
    async fn focus_areas(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        self.classifications(ctx, ClassificationVocabulary::FocusArea)
            .await
    }

    /// Target-group codes.
    async fn target_groups(&self, ctx: &Context<'_>) -> ApiResult<Vec<String>> {
        self.classifications(ctx, ClassificationVocabulary::TargetGroup)
            .await
    }

    /// OECD DAC gender-equality policy marker: 0 not targeted, 1 significant, 2 principal,
    /// 3 (programme extension) transformative.
    async fn gender_marker(&self) -> i16 {
        self.0.gender_marker
    }

    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn milestones(&self, ctx: &Context<'_>) -> ApiResult<Vec<Milestone>> {
        Ok(load(ctx, MilestonesOfProject(self.0.id))
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(Milestone)
            .collect())
    }

    /// Whether the project is public. Drafts are visible only to those who manage them.
    async fn published(&self) -> bool {
        self.0.published
    }

    /// Fields whose values no source document states; the seed chose them for illustration.
    async fn illustrative_fields(&self) -> Vec<String> {
        string_list(&self.0.illustrative)
    }

    /// Rises by one with every change; send it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

#[derive(InputObject, Default)]
pub struct ProjectFilter {
    /// ISO codes of the owning countries.
    pub countries: Option<Vec<String>>,
    pub status: Option<Vec<ProjectStatus>>,
    /// Words in the code, acronym, title or summary, any language.
    pub search: Option<String>,
    /// Region ids the project works in.
    pub regions: Option<Vec<ID>>,
    /// NUTS code prefixes: `SE` matches every Swedish region, `SE31` every region under it.
    pub nuts_codes: Option<Vec<String>>,
    /// Organisation ids taking part in any role.
    pub organisations: Option<Vec<ID>>,
    pub resource_centres: Option<Vec<ID>>,
    pub focus_areas: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
    /// Projects running on or after this date (end date >= it).
    pub active_from: Option<NaiveDate>,
    /// Projects running on or before this date (start date <= it).
    pub active_to: Option<NaiveDate>,
    pub published: Option<bool>,
}

#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectOrderField {
    Code,
    StartDate,
    EndDate,
    CreatedAt,
}

#[derive(InputObject, Debug, Clone, Copy)]
pub struct ProjectOrder {
    pub field: ProjectOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

connection!(ProjectConnection, ProjectEdge, Project, "projects");

fn in_subquery_of<E: EntityTrait>(
    select: Select<E>,
    column: E::Column,
) -> sea_orm::sea_query::SelectStatement {
    select.select_only().column(column).into_query()
}

fn apply_filter(
    mut select: Select<project::Entity>,
    filter: &ProjectFilter,
) -> ApiResult<Select<project::Entity>> {
    if let Some(countries) = &filter.countries {
        select = select.filter(
            project::Column::CountryCode.is_in(filters::countries("filter.countries", countries)?),
        );
    }
    if let Some(status) = &filter.status {
        select = select.filter(
            project::Column::Status.is_in(
                status
                    .iter()
                    .map(|s| entity::enums::ProjectStatus::from(*s)),
            ),
        );
    }
    if let Some(expr) = crate::search::condition(
        "filter.search",
        filter.search.as_deref().unwrap_or(""),
        "project",
        project::Column::Id,
    )? {
        select = select.filter(expr);
    }
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
    if let (Some(from), Some(to)) = (filter.active_from, filter.active_to)
        && to < from
    {
        return Err(ApiError::bad_input(
            "filter.activeTo",
            "`activeTo` is before `activeFrom`",
        ));
    }
    if let Some(from) = filter.active_from {
        select = select.filter(project::Column::EndDate.gte(from));
    }
    if let Some(to) = filter.active_to {
        select = select.filter(project::Column::StartDate.lte(to));
    }
    if let Some(published) = filter.published {
        select = select.filter(project::Column::Published.eq(published));
    }
    Ok(select)
}

fn keyset(order: &[ProjectOrder]) -> ApiResult<Keyset<project::Column>> {
    let order = if order.is_empty() {
        vec![ProjectOrder {
            field: ProjectOrderField::Code,
            direction: SortDirection::Asc,
        }]
    } else {
        order.to_vec()
    };
    let mut keys = Vec::new();
    let mut signature = String::from("project");
    for (i, item) in order.iter().enumerate() {
        if order[..i].iter().any(|o| o.field == item.field) {
            return Err(ApiError::bad_input(
                "orderBy",
                "each field may appear once in `orderBy`",
            ));
        }
        let column = match item.field {
            ProjectOrderField::Code => project::Column::Code,
            ProjectOrderField::StartDate => project::Column::StartDate,
            ProjectOrderField::EndDate => project::Column::EndDate,
            ProjectOrderField::CreatedAt => project::Column::CreatedAt,
        };
        let descending = item.direction == SortDirection::Desc;
        keys.push(SortKey { column, descending });
        signature.push_str(&format!(
            ":{:?}.{}",
            item.field,
            if descending { "d" } else { "a" }
        ));
    }
    keys.push(SortKey {
        column: project::Column::Id,
        descending: false,
    });
    Ok(Keyset { signature, keys })
}

fn cursor_values(order: &[SortKey<project::Column>], p: &project::Model) -> Vec<CursorValue> {
    order
        .iter()
        .map(|key| match key.column {
            project::Column::Code => CursorValue::Text(p.code.clone()),
            project::Column::StartDate => CursorValue::Date(p.start_date),
            project::Column::EndDate => CursorValue::Date(p.end_date),
            project::Column::CreatedAt => CursorValue::Instant(p.created_at),
            _ => CursorValue::Id(p.id),
        })
        .collect()
}

#[derive(Default)]
pub struct ProjectQuery;

#[Object]
impl ProjectQuery {
    /// Projects you may see: published ones, plus drafts of projects you manage.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::complexity::page(first, last) * child_complexity")]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        filter: Option<ProjectFilter>,
        order_by: Option<Vec<ProjectOrder>>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> ApiResult<ProjectConnection> {
        let rc = request(ctx)?;
        let filter = filter.unwrap_or_default();
        let select = apply_filter(
            project::Entity::find().filter(access::projects(&rc.caller)),
            &filter,
        )?;
        let keyset = keyset(order_by.as_deref().unwrap_or_default())?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let keys = keyset.keys.clone();
        let page = fetch_page(&rc.db, select.clone(), &keyset, &args, |p| {
            cursor_values(&keys, p)
        })
        .await?;
        Ok(ProjectConnection::new(
            page.map(Project),
            Total::Query(Box::new(count_statement(select))),
        ))
    }

    /// One project by its code; `null` if there is none you may see.
    async fn project(&self, ctx: &Context<'_>, code: String) -> ApiResult<Option<Project>> {
        let rc = request(ctx)?;
        let found = project::Entity::find()
            .filter(project::Column::Code.eq(code.trim()))
            .filter(access::projects(&rc.caller))
            .one(&rc.db)
            .await?;
        Ok(found.map(Project))
    }
}
