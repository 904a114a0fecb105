//! What the project writes take and give: their input and payload types, and each input
//! parsed into its command (`domain::project`).

use async_graphql::{ID, InputObject, MaybeUndefined, SimpleObject};

use crate::domain::Edit;
use crate::domain::codes::{CountryCode, Language};
use crate::domain::partial_date::PartialDate;
use crate::domain::project::{
    self, Budget, DatesEdit, NewProject, ProjectChanges, ProjectDates, ProjectLinks,
};
use crate::domain::text;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::{ParticipantRole, ProjectStatus};
use crate::graphql::money::minor;
use crate::graphql::project::Project;
use crate::graphql::scalars::Decimal;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::given;
use crate::ids::{self, Kind};

const TITLE: TextField = TextField::required("input.title", 300);
const SUMMARY: TextField = TextField::optional("input.summary", 5_000);

/// An organisation taking part in a project, with its role.
#[derive(InputObject, Clone)]
pub struct ParticipantInput {
    /// Organisation id.
    pub organisation: ID,
    /// What it does in the project; each organisation takes part once, in one role.
    pub role: ParticipantRole,
}

/// A year's budget.
#[derive(InputObject, Clone)]
pub struct BudgetLineInput {
    /// The calendar year, 1900 to 2200; each year has one line.
    pub year: i32,
    /// Exact decimal in the budget's currency.
    pub amount: Decimal,
}

/// A project's budget, all in one currency.
#[derive(InputObject, Clone)]
pub struct BudgetInput {
    /// ISO 4217 code.
    pub currency: String,
    /// The total cost, exact decimal.
    pub total: Decimal,
    /// The part of the total the funders accept; `coFinancingRate` is funding over it.
    pub eligible_cost: Option<Decimal>,
    /// The budget of each year; they add up to at most the total.
    pub lines: Option<Vec<BudgetLineInput>>,
}

impl BudgetInput {
    fn command(self) -> ApiResult<Budget> {
        let currency = crate::domain::codes::CurrencyCode::parse(&self.currency)
            .map(|c| c.as_str().to_owned())
            .map_err(|m| ApiError::bad_input("input.budget.currency", m))?;
        let lines = self
            .lines
            .unwrap_or_default()
            .into_iter()
            .map(|l| Ok((l.year, minor("input.budget.lines", l.amount.0)?)))
            .collect::<ApiResult<Vec<_>>>()?;
        Budget::new(
            currency,
            minor("input.budget.total", self.total.0)?,
            self.eligible_cost
                .map(|e| minor("input.budget.eligibleCost", e.0))
                .transpose()?,
            lines,
        )
    }
}

/// Planned and actual dates, each `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (known to the year, the
/// month or the day).
#[derive(InputObject, Clone, Default)]
pub struct ProjectDatesInput {
    /// When the project is planned to start; in an update, `null` clears it.
    pub planned_start: MaybeUndefined<String>,
    /// When it is planned to end, not before the planned start; in an update, `null`
    /// clears it.
    pub planned_end: MaybeUndefined<String>,
    /// When it actually started; in an update, `null` clears it.
    pub actual_start: MaybeUndefined<String>,
    /// When it actually ended, not before the actual start; in an update, `null` clears
    /// it.
    pub actual_end: MaybeUndefined<String>,
}

impl ProjectDatesInput {
    fn command(self) -> ApiResult<DatesEdit> {
        let one = |value: MaybeUndefined<String>, field: &str| {
            given(value, |v| {
                PartialDate::parse(&v).map_err(|m| ApiError::bad_input(field, m))
            })
        };
        Ok(DatesEdit {
            planned_start: one(self.planned_start, "input.dates.plannedStart")?,
            planned_end: one(self.planned_end, "input.dates.plannedEnd")?,
            actual_start: one(self.actual_start, "input.dates.actualStart")?,
            actual_end: one(self.actual_end, "input.dates.actualEnd")?,
        })
    }
}

fn programme_id(id: &ID) -> ApiResult<uuid::Uuid> {
    ids::decode_uuid("input.programme", id, Kind::Programme)
}

/// A new project; it starts as a draft (`published: false`).
#[derive(InputObject)]
pub struct CreateProjectInput {
    /// Unique code: capital letters, digits and dashes, e.g. `SE-BLEKINGE-JRT`.
    pub code: String,
    /// Its short name, at most 32 characters.
    pub acronym: Option<String>,
    /// The language the texts were written in; `title` must include it.
    pub original_language: String,
    /// The title in one or more languages, at most 300 characters each.
    pub title: Vec<TranslationInput>,
    /// The summary in one or more languages, at most 5000 characters each.
    pub summary: Option<Vec<TranslationInput>>,
    /// Left out: what the dates give. SUSPENDED and CANCELLED are set; PLANNED, ACTIVE and
    /// COMPLETED follow the dates and must agree with them.
    pub status: Option<ProjectStatus>,
    /// A planned or an actual start at least.
    pub dates: ProjectDatesInput,
    /// ISO code of the owning country.
    pub country: String,
    /// Ids of the regions the project works in.
    pub regions: Option<Vec<ID>>,
    /// The organisations taking part, each once, with their roles.
    pub participants: Option<Vec<ParticipantInput>>,
    /// Focus-area codes, as `terms(vocabulary: FOCUS_AREA)` lists them.
    pub focus_areas: Option<Vec<String>>,
    /// Target-group codes, as `terms(vocabulary: TARGET_GROUP)` lists them.
    pub target_groups: Option<Vec<String>>,
    /// OECD DAC gender-equality policy marker, 0 to 3 (see `Project.genderMarker`).
    pub gender_marker: Option<i32>,
    /// Id of the resource centre the project belongs to.
    pub resource_centre: Option<ID>,
    /// The network project this one belongs to.
    pub parent: Option<ID>,
    /// The programme it runs under.
    pub programme: Option<ID>,
    /// Its budget; left out, it has none.
    pub budget: Option<BudgetInput>,
}

/// What to change on a project; a field left out keeps its value. Partners taking part may
/// change only `title` and `summary`.
#[derive(InputObject)]
pub struct UpdateProjectInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Its short name, at most 32 characters; an empty string removes it.
    pub acronym: Option<String>,
    /// Replaces all language versions of the title.
    pub title: Option<Vec<TranslationInput>>,
    /// Replaces all language versions of the summary (at most 5000 characters each).
    pub summary: Option<Vec<TranslationInput>>,
    /// SUSPENDED and CANCELLED are set; PLANNED, ACTIVE and COMPLETED follow the dates
    /// (give one to resume a suspended project) and must agree with them.
    pub status: Option<ProjectStatus>,
    /// The dates it gives replace the stored ones; `null` clears one.
    pub dates: Option<ProjectDatesInput>,
    /// OECD DAC gender-equality policy marker, 0 to 3 (see `Project.genderMarker`).
    pub gender_marker: Option<i32>,
    /// Replaces the regions the project works in.
    pub regions: Option<Vec<ID>>,
    /// Replaces the participating organisations and their roles.
    pub participants: Option<Vec<ParticipantInput>>,
    /// Replaces its focus areas (codes of `terms(vocabulary: FOCUS_AREA)`).
    pub focus_areas: Option<Vec<String>>,
    /// Replaces its target groups (codes of `terms(vocabulary: TARGET_GROUP)`).
    pub target_groups: Option<Vec<String>>,
    /// The programme it runs under; `null` takes it out of its programme.
    pub programme: MaybeUndefined<ID>,
    /// Replaces the budget and its lines; `null` removes it.
    pub budget: MaybeUndefined<BudgetInput>,
}

/// Which project to publish or withdraw.
#[derive(InputObject)]
pub struct PublishProjectInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// `false` withdraws a published project to draft.
    #[graphql(default = true)]
    pub published: bool,
}

/// What `createProject`, `updateProject` and `publishProject` answer.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ProjectPayload {
    /// The project as saved, with its `version` (1 when new).
    pub project: Project,
}

impl CreateProjectInput {
    /// The command this input asks for, or BAD_USER_INPUT on the first malformed field.
    pub(crate) fn command(self) -> ApiResult<NewProject> {
        let Self {
            code,
            acronym,
            original_language,
            title,
            summary,
            status,
            dates,
            country,
            regions,
            participants,
            focus_areas,
            target_groups,
            gender_marker,
            resource_centre,
            parent,
            programme,
            budget,
        } = self;
        let country =
            CountryCode::parse(&country).map_err(|m| ApiError::bad_input("input.country", m))?;
        let original_language = Language::parse(&original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let dates = dates.command()?.apply(ProjectDates::default());
        dates.check()?;
        let links = links(
            Some(regions.unwrap_or_default()),
            Some(participants.unwrap_or_default()),
            Some(focus_areas.unwrap_or_default()),
            Some(target_groups.unwrap_or_default()),
        )?;
        Ok(NewProject {
            code: project::code(&code)?,
            acronym: text::optional("input.acronym", acronym.as_deref(), 32)?,
            title: TITLE.written(&title)?,
            summary: SUMMARY.written(summary.as_deref().unwrap_or_default())?,
            original_language,
            status,
            dates,
            country,
            links,
            gender_marker: project::gender_marker(gender_marker)?.unwrap_or(0),
            resource_centre: resource_centre
                .map(|id| ids::decode_uuid("input.resourceCentre", &id, Kind::ResourceCentre))
                .transpose()?,
            parent: parent
                .map(|id| ids::decode_uuid("input.parent", &id, Kind::Project))
                .transpose()?,
            programme: programme.as_ref().map(programme_id).transpose()?,
            budget: budget.map(BudgetInput::command).transpose()?,
        })
    }
}

impl UpdateProjectInput {
    /// The project, the version read, and the changes this input asks for.
    pub(crate) fn command(self) -> ApiResult<Edit<ProjectChanges>> {
        let changes = ProjectChanges {
            acronym: self
                .acronym
                .map(|a| text::optional("input.acronym", Some(&a), 32))
                .transpose()?,
            title: self.title.map(|t| TITLE.written(&t)).transpose()?,
            summary: self.summary.map(|t| SUMMARY.written(&t)).transpose()?,
            status: self.status,
            dates: self.dates.map(ProjectDatesInput::command).transpose()?,
            gender_marker: project::gender_marker(self.gender_marker)?,
            links: links(
                self.regions,
                self.participants,
                self.focus_areas,
                self.target_groups,
            )?,
            programme: given(self.programme, |id| programme_id(&id))?,
            budget: given(self.budget, BudgetInput::command)?,
        };
        Ok(Edit {
            id: self.revision.row(Kind::Project)?,
            expected: self.revision.version,
            changes,
        })
    }
}

fn links(
    regions: Option<Vec<ID>>,
    participants: Option<Vec<ParticipantInput>>,
    focus_areas: Option<Vec<String>>,
    target_groups: Option<Vec<String>>,
) -> ApiResult<ProjectLinks> {
    Ok(ProjectLinks {
        regions: regions
            .map(|list| {
                let mut ids = crate::graphql::filters::ids("input.regions", &list, Kind::Region)?;
                ids.sort();
                ids.dedup();
                Ok::<_, ApiError>(ids)
            })
            .transpose()?,
        participants: participants
            .map(|list| {
                project::participants(
                    list.iter()
                        .map(|p| {
                            Ok((
                                ids::decode_uuid(
                                    "input.participants",
                                    &p.organisation,
                                    Kind::Organisation,
                                )?,
                                p.role,
                            ))
                        })
                        .collect::<ApiResult<Vec<_>>>()?,
                )
            })
            .transpose()?,
        focus_areas: focus_areas
            .map(|codes| project::classification_codes("input.focusAreas", &codes))
            .transpose()?,
        target_groups: target_groups
            .map(|codes| project::classification_codes("input.targetGroups", &codes))
            .transpose()?,
    })
}

crate::graphql::connection::payload_edge!(
    ProjectPayload,
    project,
    crate::graphql::project_list::ProjectEdge,
    crate::graphql::ordering::ProjectOrderField
);
