//! What project writes ask for, parsed from their input: well formed by construction, so the
//! use case checks only what needs the database (what exists, who may).

use chrono::NaiveDate;
use entity::enums::{ParticipantRole, ProjectStatus};

use crate::domain::partial_date::PartialDate;
use uuid::Uuid;

use crate::domain::codes::{CountryCode, Language};
use crate::domain::text::Written;
use crate::error::{ApiError, ApiResult};

/// A new draft project.
#[derive(Debug, Clone, PartialEq)]
pub struct NewProject {
    pub code: String,
    pub acronym: Option<String>,
    pub original_language: Language,
    pub title: Written,
    pub summary: Written,
    /// As given: SUSPENDED and CANCELLED are set; the others must agree with the dates.
    pub status: Option<ProjectStatus>,
    pub dates: ProjectDates,
    pub country: CountryCode,
    pub links: ProjectLinks,
    pub gender_marker: i16,
    pub resource_centre: Option<Uuid>,
    pub parent: Option<Uuid>,
    pub programme: Option<Uuid>,
    pub budget: Option<Budget>,
}

/// A project's budget (IATI `budget`): its total and eligible cost and its lines by year,
/// all in one currency, in hundredths. Eligible cost is at most the total, and the lines
/// add up to at most the total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Budget {
    pub currency: String,
    pub total_minor: i64,
    pub eligible_minor: Option<i64>,
    /// (year, amount), each year once, in order.
    pub lines: Vec<(i32, i64)>,
}

impl Budget {
    pub fn new(
        currency: String,
        total_minor: i64,
        eligible_minor: Option<i64>,
        mut lines: Vec<(i32, i64)>,
    ) -> ApiResult<Self> {
        if eligible_minor.is_some_and(|e| e > total_minor) {
            return Err(ApiError::bad_input(
                "input.budget.eligibleCost",
                "the eligible cost is more than the total",
            ));
        }
        lines.sort();
        if let Some((year, _)) = lines.iter().find(|(y, _)| !(1900..=2200).contains(y)) {
            return Err(ApiError::bad_input(
                "input.budget.lines",
                format!("{year} is not a year between 1900 and 2200"),
            ));
        }
        if lines.windows(2).any(|w| w[0].0 == w[1].0) {
            return Err(ApiError::bad_input(
                "input.budget.lines",
                "each year has one budget line",
            ));
        }
        if lines.iter().map(|(_, a)| i128::from(*a)).sum::<i128>() > i128::from(total_minor) {
            return Err(ApiError::bad_input(
                "input.budget.lines",
                "the lines add up to more than the total",
            ));
        }
        Ok(Self {
            currency,
            total_minor,
            eligible_minor,
            lines,
        })
    }
}

/// What a project is linked to; each list replaces the stored one when given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectLinks {
    pub regions: Option<Vec<Uuid>>,
    /// Distinct organisations, each in one role.
    pub participants: Option<Vec<(Uuid, ParticipantRole)>>,
    pub focus_areas: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
}

/// The changes of one `updateProject`; `None` leaves a field as it is. Which role may change
/// which field is `access::project_fields`, which destructures this struct in full: a field
/// added here does not compile until it is classified there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProjectChanges {
    /// `Some(None)` clears the acronym.
    pub acronym: Option<Option<String>>,
    pub title: Option<Written>,
    pub summary: Option<Written>,
    pub status: Option<ProjectStatus>,
    pub dates: Option<DatesEdit>,
    pub gender_marker: Option<i16>,
    pub links: ProjectLinks,
    /// `Some(None)` takes the project out of its programme.
    pub programme: Option<Option<Uuid>>,
    /// `Some(None)` removes the budget.
    pub budget: Option<Option<Budget>>,
}

/// A project code: 2 to 32 capital letters, digits and dashes.
pub fn code(code: &str) -> ApiResult<String> {
    let code = code.trim().to_ascii_uppercase();
    let valid = (2..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(code)
    } else {
        Err(ApiError::bad_input(
            "input.code",
            "a code is 2 to 32 capital letters, digits and dashes",
        ))
    }
}

/// Classification codes, upper-cased and without repeats.
pub fn classification_codes(field: &str, codes: &[String]) -> ApiResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let code = code.trim().to_ascii_uppercase();
        let valid = (1..=64).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(ApiError::bad_input(
                field,
                format!("`{code}` is not a code (capital letters, digits, underscores)"),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

/// The OECD gender equality policy marker, 0 to 3.
pub fn gender_marker(value: Option<i32>) -> ApiResult<Option<i16>> {
    match value {
        None => Ok(None),
        Some(v @ 0..=3) => Ok(Some(v as i16)),
        Some(_) => Err(ApiError::bad_input(
            "input.genderMarker",
            "the gender marker is 0 to 3",
        )),
    }
}

/// The day lists use for "no end known": after every real date.
pub fn open_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A project's planned and actual dates (IATI activity dates), each optional and known to a
/// year, a month or a day. A project has a start, planned or actual, at least its year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProjectDates {
    pub planned_start: Option<PartialDate>,
    pub planned_end: Option<PartialDate>,
    pub actual_start: Option<PartialDate>,
    pub actual_end: Option<PartialDate>,
}

/// Which dates an update changes: `Some(None)` clears one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DatesEdit {
    pub planned_start: Option<Option<PartialDate>>,
    pub planned_end: Option<Option<PartialDate>>,
    pub actual_start: Option<Option<PartialDate>>,
    pub actual_end: Option<Option<PartialDate>>,
}

impl DatesEdit {
    pub fn apply(self, to: ProjectDates) -> ProjectDates {
        ProjectDates {
            planned_start: self.planned_start.unwrap_or(to.planned_start),
            planned_end: self.planned_end.unwrap_or(to.planned_end),
            actual_start: self.actual_start.unwrap_or(to.actual_start),
            actual_end: self.actual_end.unwrap_or(to.actual_end),
        }
    }
}

impl ProjectDates {
    /// The dates stored on `row` (a stored value that no longer parses counts as unknown).
    pub fn of(row: &entity::project::Model) -> Self {
        let read = |v: &Option<String>| v.as_deref().and_then(|v| PartialDate::parse(v).ok());
        Self {
            planned_start: read(&row.planned_start),
            planned_end: read(&row.planned_end),
            actual_start: read(&row.actual_start),
            actual_end: read(&row.actual_end),
        }
    }

    /// BAD_USER_INPUT unless a start is known and no end comes before its start.
    pub fn check(&self) -> ApiResult<()> {
        if self.planned_start.is_none() && self.actual_start.is_none() {
            return Err(ApiError::bad_input(
                "input.dates.plannedStart",
                "a project has a planned or an actual start, its year at least",
            ));
        }
        for (start, end, field) in [
            (
                self.planned_start,
                self.planned_end,
                "input.dates.plannedEnd",
            ),
            (self.actual_start, self.actual_end, "input.dates.actualEnd"),
        ] {
            if let (Some(start), Some(end)) = (start, end)
                && end.last() < start.first()
            {
                return Err(ApiError::bad_input(field, "the end is before the start"));
            }
        }
        if self.end() < self.start() {
            return Err(ApiError::bad_input(
                "input.dates",
                "the project would end before it starts: give its actual end too",
            ));
        }
        Ok(())
    }

    /// The first day of the actual, else the planned, start.
    pub fn start(&self) -> NaiveDate {
        self.actual_start
            .or(self.planned_start)
            .map_or(open_end(), PartialDate::first)
    }

    /// The last day of the actual, else the planned, end; `open_end` when none is known.
    pub fn end(&self) -> NaiveDate {
        self.actual_end
            .or(self.planned_end)
            .map_or(open_end(), PartialDate::last)
    }
}

/// A project's status on `today`: SUSPENDED and CANCELLED as set; otherwise from its dates:
/// PLANNED before its start, COMPLETED after its end, ACTIVE between.
pub fn status_on(
    stored: ProjectStatus,
    start: NaiveDate,
    end: NaiveDate,
    today: NaiveDate,
) -> ProjectStatus {
    match stored {
        ProjectStatus::Suspended | ProjectStatus::Cancelled => stored,
        _ if end < today => ProjectStatus::Completed,
        _ if start > today => ProjectStatus::Planned,
        _ => ProjectStatus::Active,
    }
}

/// The status to store for `given` over `dates`: a set SUSPENDED or CANCELLED, or (for
/// PLANNED, ACTIVE, COMPLETED or none) what the dates give today, which `given` must match.
pub fn stored_status(
    given: Option<ProjectStatus>,
    dates: &ProjectDates,
    today: NaiveDate,
) -> ApiResult<ProjectStatus> {
    let by_dates = status_on(ProjectStatus::Planned, dates.start(), dates.end(), today);
    match given {
        Some(s @ (ProjectStatus::Suspended | ProjectStatus::Cancelled)) => Ok(s),
        Some(s) if s != by_dates => Err(ApiError::bad_input(
            "input.status",
            format!(
                "PLANNED, ACTIVE and COMPLETED follow the dates, which make this project {} \
                 today: give its actual start or end instead",
                sea_orm::ActiveEnum::to_value(&by_dates)
            ),
        )),
        _ => Ok(by_dates),
    }
}

/// Participants as a write takes them: each organisation once, in one role.
pub fn participants(list: Vec<(Uuid, ParticipantRole)>) -> ApiResult<Vec<(Uuid, ParticipantRole)>> {
    let mut organisations: Vec<Uuid> = list.iter().map(|(o, _)| *o).collect();
    organisations.sort();
    organisations.dedup();
    if organisations.len() != list.len() {
        return Err(ApiError::bad_input(
            "input.participants",
            "an organisation takes part once, in one role",
        ));
    }
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_markers_parse_or_name_their_field() {
        assert_eq!(
            code(" se-blekinge-jrt ").ok().as_deref(),
            Some("SE-BLEKINGE-JRT")
        );
        assert!(code("x").is_err());
        assert!(code("SE BLEKINGE").is_err());
        assert_eq!(
            classification_codes("input.focusAreas", &["stem".into(), "STEM".into()]).ok(),
            Some(vec!["STEM".to_owned()])
        );
        assert!(classification_codes("input.focusAreas", &["not a code".into()]).is_err());
        assert_eq!(gender_marker(Some(3)).ok(), Some(Some(3)));
        assert!(gender_marker(Some(4)).is_err());
        let year = |y: &str| PartialDate::parse(y).ok();
        let dates = ProjectDates {
            planned_start: year("2024"),
            planned_end: year("2023"),
            ..Default::default()
        };
        assert!(dates.check().is_err());
        assert!(ProjectDates::default().check().is_err());
        let dates = ProjectDates {
            planned_start: year("2024"),
            planned_end: year("2024"),
            ..Default::default()
        };
        assert!(dates.check().is_ok());
        assert_eq!(dates.end().to_string(), "2024-12-31");
        let org = Uuid::now_v7();
        assert!(
            participants(vec![
                (org, ParticipantRole::Lead),
                (org, ParticipantRole::Partner)
            ])
            .is_err()
        );
    }
}
