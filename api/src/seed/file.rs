//! The shape of `programme.toml`. Records refer to each other by `key` (regions default to
//! their NUTS code, projects to their code).

use std::collections::HashMap;

use entity::enums::{
    ActivityKind, AgeBand, DocumentCategory, FundingKind, FundingStatus, Gender, IndicatorMeasure,
    OrganisationKind, ParticipantRole, ProjectStatus, RegistrationStatus, ResultKind,
    WorkshopFormat, WorkshopStatus,
};
use serde::Deserialize;
use toml::value::Datetime;

type Text = HashMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Programme {
    pub countries: Vec<Country>,
    pub regions: Vec<Region>,
    pub organisations: Vec<Organisation>,
    pub resource_centres: Vec<ResourceCentre>,
    #[serde(default)]
    pub programmes: Vec<ProgrammeEntry>,
    pub projects: Vec<Project>,
}

/// An amount and its currency.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amount {
    /// A decimal string, e.g. "108000000.00".
    pub amount: String,
    pub currency: String,
}

/// A programme or fund; `parent` and projects' `programme` refer to it by code.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgrammeEntry {
    pub code: String,
    pub language: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
    pub managing_organisation: Option<String>,
    pub parent: Option<String>,
    pub period_start: Option<Datetime>,
    pub period_end: Option<Datetime>,
    pub budget: Option<Amount>,
    #[serde(default)]
    pub funders: Vec<String>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

/// A document or link the sources name.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub category: DocumentCategory,
    /// The language `title` is written in.
    pub language: String,
    pub title: Text,
    /// Absent when the sources give no address.
    pub url: Option<String>,
    pub document_language: Option<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

/// A year's budget.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetLine {
    pub year: i32,
    pub amount: String,
}

/// A project's budget, in one currency.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Budget {
    pub currency: String,
    pub total: String,
    pub eligible_cost: Option<String>,
    #[serde(default)]
    pub lines: Vec<BudgetLine>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Country {
    pub code: String,
    pub default_language: String,
    pub currency: String,
    pub time_zone: String,
    pub name: Text,
    /// The two letters of its NUTS codes, when they are not its ISO code (`EL` for `GR`).
    pub nuts_prefix: Option<String>,
    /// Members have coordinators; other countries only host partners and places.
    #[serde(default = "yes")]
    pub programme_member: bool,
}

fn yes() -> bool {
    true
}

/// What of a record was invented: `illustrative = true` (all of it: no document describes
/// it) or `illustrative = ["startsAt", …]` (those values, by their API names).
#[derive(Deserialize, Default, Debug, Clone, PartialEq, Eq)]
#[serde(untagged)]
pub enum Illustrative {
    #[default]
    Nothing,
    Record(bool),
    Fields(Vec<String>),
}

impl Illustrative {
    pub fn record(&self) -> bool {
        matches!(self, Self::Record(true))
    }

    pub fn fields(&self) -> &[String] {
        match self {
            Self::Fields(fields) => fields,
            _ => &[],
        }
    }
}

fn nuts_2024() -> i16 {
    2024
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub key: Option<String>,
    pub nuts_code: String,
    #[serde(default = "nuts_2024")]
    pub nuts_version: i16,
    pub parent: Option<String>,
    pub country: String,
    pub language: String,
    pub name: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub key: String,
    pub kind: OrganisationKind,
    pub acronym: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub language: String,
    pub name: Text,
    pub website: Option<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceCentre {
    pub key: String,
    pub region: String,
    pub host: String,
    pub language: String,
    pub name: Text,
    pub action_areas: Vec<String>,
    pub website: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Participant {
    pub organisation: String,
    pub role: ParticipantRole,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub code: String,
    pub acronym: Option<String>,
    pub parent: Option<String>,
    pub country: String,
    pub resource_centre: Option<String>,
    pub programme: Option<String>,
    pub budget: Option<Budget>,
    pub language: String,
    pub title: Text,
    pub summary: Text,
    /// Only when set: SUSPENDED or CANCELLED. Otherwise the dates give it.
    pub status: Option<ProjectStatus>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precisely as the source document gives it.
    pub planned_start: Option<String>,
    pub planned_end: Option<String>,
    pub actual_start: Option<String>,
    pub actual_end: Option<String>,
    pub gender_marker: i16,
    pub published: bool,
    #[serde(default)]
    pub regions: Vec<String>,
    #[serde(default)]
    pub participants: Vec<Participant>,
    #[serde(default)]
    pub focus_areas: Vec<String>,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
    #[serde(default)]
    pub milestones: Vec<Milestone>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    #[serde(default)]
    pub fundings: Vec<Funding>,
    #[serde(default)]
    pub workshops: Vec<Workshop>,
    #[serde(default)]
    pub documents: Vec<Document>,
    #[serde(default)]
    pub results: Vec<ResultEntry>,
}

/// A result the documents state, in the project's language.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResultEntry {
    pub kind: ResultKind,
    pub title: Text,
    pub description: Option<Text>,
    #[serde(default)]
    pub indicators: Vec<IndicatorEntry>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

fn ascending() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorEntry {
    pub title: Text,
    pub measure: IndicatorMeasure,
    #[serde(default = "ascending")]
    pub ascending: bool,
    #[serde(default)]
    pub by_gender: bool,
    pub baseline: Option<Baseline>,
    #[serde(default)]
    pub periods: Vec<Period>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub year: Option<i32>,
    /// A decimal string.
    pub value: Option<String>,
    pub comment: Option<String>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(deny_unknown_fields)]
pub struct Split {
    pub women: i32,
    pub men: i32,
    pub non_binary: i32,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub start: Datetime,
    pub end: Datetime,
    /// Decimal strings.
    pub target: Option<String>,
    pub target_comment: Option<String>,
    pub target_by_gender: Option<Split>,
    pub actual: Option<String>,
    pub actual_comment: Option<String>,
    pub actual_by_gender: Option<Split>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub title: Text,
    pub due_date: Datetime,
    pub achieved_on: Option<Datetime>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub title: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funding {
    /// How other fundings name it in `drawn_from`.
    pub key: Option<String>,
    /// The `key` of the allocation this money was drawn from.
    pub drawn_from: Option<String>,
    pub funder: String,
    pub kind: FundingKind,
    pub status: FundingStatus,
    /// A decimal string, e.g. "149500.00".
    pub amount: String,
    pub currency: String,
    pub period_start: Option<Datetime>,
    pub period_end: Option<Datetime>,
    pub value_date: Datetime,
    #[serde(default)]
    pub illustrative: Illustrative,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    pub starts_at: String,
    pub ends_at: Option<String>,
    pub title: Text,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workshop {
    pub language: String,
    pub title: Text,
    /// What kind of event it is, as its document calls it.
    pub kind: ActivityKind,
    pub description: Text,
    pub starts_at: Datetime,
    pub ends_at: Datetime,
    pub time_zone: String,
    pub venue_name: Option<String>,
    pub venue_address: Option<String>,
    pub venue_town: Option<String>,
    pub venue_region: Option<String>,
    pub format: WorkshopFormat,
    pub spoken_language: String,
    pub capacity: Option<i32>,
    /// Only when cancelled; otherwise its dates give it.
    pub status: Option<WorkshopStatus>,
    pub open_to_public: bool,
    #[serde(default)]
    pub target_groups: Vec<String>,
    #[serde(default)]
    pub illustrative: Illustrative,
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Illustrative participants, as counts per gender and age band.
    #[serde(default)]
    pub registrations: Vec<Registrations>,
}

/// `count` illustrative people of one gender and age band. Their status defaults to ATTENDED
/// for a completed workshop and REGISTERED otherwise.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registrations {
    pub gender: Gender,
    pub age_band: AgeBand,
    pub count: u32,
    pub status: Option<RegistrationStatus>,
}
