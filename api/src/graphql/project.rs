//! A project and everything nested under it (the list and lookup: `project_list`).

use async_graphql::{Context, ID, Object};
use entity::enums::ClassificationVocabulary;
use entity::{organisation, project, project_participant, region};
use mosaic_macros::paged;

use crate::domain;
use crate::error::ApiResult;
use crate::graphql::budget::Budget;
use crate::graphql::connection::Total;
use crate::graphql::contact::{Contact, ContactConnection};
use crate::graphql::context::{load, load_all};
use crate::graphql::country::{CountriesOfProject, Country};
use crate::graphql::dates::ProjectDates;
use crate::graphql::document_link::{DocumentLink, Owner, documents_of};
use crate::graphql::enums::{ParticipantRole, ProjectStatus};
use crate::graphql::funding::{Funding, FundingConnection};
use crate::graphql::loaders::{
    ClassificationsOfProject, ContactsOfProject, CountryByCode, FundingsOfProject,
    FundingsWithFunders, LeadOfProject, MilestonesOfProject, ParticipantsOfProject, ProjectById,
    RegionsOfProject, ResourceCentreById, SubProjectsOf,
};
use crate::graphql::ordering::{WorkshopOrderField, cursor_values, default_keyset};
use crate::graphql::organisation::Organisation;
use crate::graphql::pagination::{Keyset, Page, PageArgs, PageWindow};
use crate::graphql::programme::{Programme, ProgrammeById};
use crate::graphql::project_list::ProjectConnection;
use crate::graphql::provenance::Provenance;
use crate::graphql::record::{Record, Recorded};
use crate::graphql::region::Region;
use crate::graphql::resource_centre::ResourceCentre;
use crate::graphql::result::{ProjectResult, results_of};
use crate::graphql::scalars::{Date, DateTime};
use crate::graphql::term::Term;
use crate::graphql::viewer_can;
use crate::graphql::workshop::{Workshop, WorkshopConnection};
use crate::graphql::workshop_pages::{self, WorkshopPageOfProject};
use crate::graphql::{global_id, projection, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Project(pub project::Model);

impl Project {
    /// What each `Project` field reads of its row, for a page of projects that fetches only the
    /// columns its selection reads (`graphql::projection`; the id always); `None` for a field that
    /// may read more of it, which then loads whole rows. A field added to `Project` is `None` until
    /// listed here; `tests/api/workshop_pages.rs` compares every field read alone with the whole
    /// row's answer.
    pub fn reads(field: &str) -> Option<&'static [project::Column]> {
        use project::Column::*;
        Some(match field {
            "__typename" | "id" | "regions" | "leadOrganisation" | "fundings" | "workshops" => &[],
            "milestones" | "documents" | "countries" | "participants" | "contacts" => &[],
            "subProjects" | "focusAreas" | "targetGroups" | "results" => &[],
            "code" => &[Code],
            "acronym" => &[Acronym],
            "title" | "titleTranslations" => &[Title, Language],
            "summary" | "summaryTranslations" => &[Summary, Language],
            "originalLanguage" => &[Language],
            "status" => &[Status, StartDate, EndDate],
            "startDate" => &[StartDate],
            "endDate" => &[EndDate],
            "country" => &[CountryCode],
            "genderMarker" => &[GenderMarker],
            "published" => &[Published],
            "version" => &[Version],
            "createdAt" => &[CreatedAt],
            "updatedAt" => &[UpdatedAt],
            "illustrative" => &[Illustrative],
            "illustrativeFields" => &[IllustrativeFields],
            _ => return None,
        })
    }
}

/// An organisation's part in a project.
pub struct Participant {
    link: project_participant::Model,
}

/// An organisation taking part in a project, and the role it plays there.
#[Object(serial)]
impl Participant {
    /// What the organisation does in the project: LEAD, PARTNER, FUNDER or ASSOCIATED.
    async fn role(&self) -> ParticipantRole {
        self.link.role
    }

    /// The organisation taking part.
    async fn organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        Organisation::by_id(ctx, self.link.organisation_id, "participant.organisation").await
    }
}

/// A dated step of a project.
#[derive(Clone)]
pub struct Milestone(pub entity::milestone::Model);

/// A dated step of a project, visible to whoever may see the project.
#[Object(serial)]
impl Milestone {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Milestone, self.0.id)
    }

    /// Title in `lang`, else the `Accept-Language` preference, else the original.
    async fn title(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Language code to prefer, e.g. `sv` (ISO 639).")] lang: Option<String>,
    ) -> ApiResult<Option<String>> {
        text::pick(ctx, &self.0.title, &self.0.language, lang)
    }

    /// The day it is due.
    async fn due_date(&self) -> Date {
        Date(self.0.due_date)
    }

    /// The day it was reached; null until it is.
    async fn achieved_on(&self) -> Option<Date> {
        self.0.achieved_on.map(Date)
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
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

/// A project of the programme: what it does and where, who takes part, its money, workshops
/// and results. Published projects are public; see `published` for who sees drafts.
#[paged]
#[Object]
impl Project {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Project, self.0.id)
    }

    /// The programme's unique project code.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Its short name (at most 32 characters); null when it has none.
    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }

    #[graphql(flatten)]
    async fn summary(&self) -> text::TranslatedSummary<'_> {
        text::TranslatedSummary::of(&self.0.summary, &self.0.language)
    }

    /// The language the project's texts were written in.
    async fn original_language(&self) -> &str {
        &self.0.language
    }

    /// SUSPENDED or CANCELLED when set so; otherwise what its dates give today: PLANNED
    /// before its start, COMPLETED after its end, ACTIVE between.
    async fn status(&self) -> ProjectStatus {
        domain::project::status_on(
            self.0.status,
            self.0.start_date,
            self.0.end_date,
            chrono::Utc::now().date_naive(),
        )
    }

    /// Planned and actual start and end, each as precisely as it is known.
    async fn dates(&self) -> ProjectDates {
        domain::project::ProjectDates::of(&self.0).into()
    }

    /// The first day of its actual, else planned, start: what `startDate` filters and orders
    /// by.
    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// The last day of its actual, else planned, end; null when no end is known.
    async fn end_date(&self) -> Option<Date> {
        (self.0.end_date != domain::project::open_end()).then_some(Date(self.0.end_date))
    }

    /// The country that owns the project: its coordinators manage it.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        Ok(load(
            ctx,
            CountryByCode(self.0.country_code.clone(), "project.country"),
        )
        .await?
        .map(Country))
    }

    /// Every country the project works in: the owner first, then those of its partner
    /// organisations and regions, by code.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn countries(&self, ctx: &Context<'_>) -> ApiResult<Vec<Country>> {
        load_all(ctx, CountriesOfProject(self.0.id), Country).await
    }

    /// The regions it works in, by NUTS code. Not paged: a project works in a few regions.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn regions(&self, ctx: &Context<'_>) -> ApiResult<Vec<Region>> {
        let columns =
            projection::object_columns(&ctx.field(), Region::reads, &[region::Column::Id]);
        load_all(ctx, RegionsOfProject(self.0.id, columns), Region).await
    }

    /// The resource centre it belongs to; null when none.
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

    /// Projects under this one (a network's city projects) that you may see, by code.
    async fn sub_projects(
        &self,
        ctx: &Context<'_>,
        page: PageArgs,
    ) -> ApiResult<ProjectConnection> {
        ProjectConnection::loaded(
            load_all(ctx, SubProjectsOf(self.0.id), Project).await?,
            &page,
            &Keyset::by("project:sub", project::Column::Id),
            |p| p.0.id,
        )
    }

    /// Organisations taking part, with their roles. Not paged: a project has a few partners.
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
        let lead = LeadOfProject(self.0.id, Organisation::selected(ctx));
        Ok(load(ctx, lead).await?.map(Organisation))
    }

    /// Its documents and links (action plans, reports, toolkits, websites), in order.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<DocumentLink>> {
        documents_of(ctx, Owner::Project, self.0.id).await
    }

    /// The programme it runs under.
    async fn programme(&self, ctx: &Context<'_>) -> ApiResult<Option<Programme>> {
        let Some(id) = self.0.programme_id else {
            return Ok(None);
        };
        Ok(load(ctx, ProgrammeById(id)).await?.map(Programme))
    }

    /// Its total and eligible cost and its lines by year; null when none is recorded.
    async fn budget(&self) -> Option<Budget> {
        Budget::of(&self.0)
    }

    /// Its fundings you may see, by value date.
    async fn fundings(&self, ctx: &Context<'_>, page: PageArgs) -> ApiResult<FundingConnection> {
        let nodes = projection::Nodes::of(&ctx.field());
        let columns = nodes.columns(Funding::reads, &Funding::KEPT);
        let funders =
            nodes.nested_columns("funder", Organisation::reads, &[organisation::Column::Id]);
        let fundings = match funders {
            // The funders come in the fundings' statement: one statement fewer per page.
            Some(funders) => {
                let key = FundingsWithFunders(self.0.id, columns, funders);
                load_all(ctx, key, |(row, funder)| Funding(row, Some(funder))).await?
            }
            None => load_all(ctx, FundingsOfProject(self.0.id, columns), Funding::from).await?,
        };
        FundingConnection::loaded(
            fundings,
            &page,
            &Keyset::by("funding:of-project", entity::funding::Column::Id),
            |f| f.0.id,
        )
    }

    /// The project's workshops, by start time.
    async fn workshops(&self, ctx: &Context<'_>, page: PageArgs) -> ApiResult<WorkshopConnection> {
        let keyset = default_keyset::<WorkshopOrderField>();
        let window = PageWindow::new(&page, &keyset)?;
        let rows = load(
            ctx,
            WorkshopPageOfProject {
                project: self.0.id,
                window: window.clone(),
                columns: projection::columns(
                    &ctx.field(),
                    workshop_pages::reads,
                    &workshop_pages::KEPT,
                ),
            },
        )
        .await?
        .unwrap_or_default();
        let page = Page::from_rows(rows, &window, &keyset.signature, |w| {
            cursor_values(&keyset.keys, w)
        });
        Ok(WorkshopConnection::new(
            page.map(Workshop),
            Total::WorkshopsOfProject(self.0.id),
        ))
    }

    /// People to contact. Needs a signed-in caller; see `Contact` for personal data.
    async fn contacts(&self, ctx: &Context<'_>, page: PageArgs) -> ApiResult<ContactConnection> {
        ContactConnection::loaded(
            load_all(ctx, ContactsOfProject(self.0.id), Contact).await?,
            &page,
            &Keyset::by("contact:of-project", entity::contact::Column::Id),
            |c| c.0.id,
        )
    }

    /// Its focus areas, as terms with labels in every language (`terms(vocabulary:
    /// FOCUS_AREA)`).
    async fn focus_areas(&self, ctx: &Context<'_>) -> ApiResult<Vec<Term>> {
        let codes = self
            .classifications(ctx, ClassificationVocabulary::FocusArea)
            .await?;
        Term::all(ctx, ClassificationVocabulary::FocusArea, codes).await
    }

    /// Its target groups, as terms.
    async fn target_groups(&self, ctx: &Context<'_>) -> ApiResult<Vec<Term>> {
        let codes = self
            .classifications(ctx, ClassificationVocabulary::TargetGroup)
            .await?;
        Term::all(ctx, ClassificationVocabulary::TargetGroup, codes).await
    }

    /// OECD DAC gender-equality policy marker: 0 not targeted, 1 significant, 2 principal,
    /// 3 (programme extension) transformative.
    async fn gender_marker(&self) -> i16 {
        self.0.gender_marker
    }

    /// What it aims at: outputs, outcomes and impacts, each with its indicators. Not paged: at
    /// most 30 per project.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn results(&self, ctx: &Context<'_>) -> ApiResult<Vec<ProjectResult>> {
        results_of(ctx, self.0.id).await
    }

    /// Its dated steps, in the order they were added. Not paged: at most 100 per project.
    #[graphql(complexity = "crate::graphql::complexity::LIST * child_complexity")]
    async fn milestones(&self, ctx: &Context<'_>) -> ApiResult<Vec<Milestone>> {
        load_all(ctx, MilestonesOfProject(self.0.id), Milestone).await
    }

    /// Whether the project is public. Drafts are visible to those who manage them, to its
    /// partners, and to coordinators of the countries it works in.
    async fn published(&self) -> bool {
        self.0.published
    }

    /// Rises by one with every change; send it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the project was created in Mosaic.
    async fn created_at(&self) -> DateTime {
        DateTime(self.0.created_at)
    }

    /// When the project's own fields, links or publication last changed (not its workshops,
    /// fundings, milestones or contacts).
    async fn updated_at(&self) -> DateTime {
        DateTime(self.0.updated_at)
    }

    #[graphql(flatten)]
    async fn provenance(&self) -> Provenance {
        Provenance::of(self.0.illustrative, &self.0.illustrative_fields)
    }

    #[graphql(flatten)]
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<viewer_can::ProjectActions> {
        viewer_can::project(ctx, &self.0).await
    }
}
