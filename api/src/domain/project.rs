//! What project writes ask for, parsed from their input: well formed by construction, so the
//! use case checks only what needs the database (what exists, who may).

use chrono::NaiveDate;
use entity::enums::{ParticipantRole, ProjectStatus};
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
    pub status: ProjectStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
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
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
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

pub fn check_dates(start: NaiveDate, end: NaiveDate) -> ApiResult<()> {
    if end < start {
        return Err(ApiError::bad_input(
            "input.endDate",
            "the end date is before the start date",
        ));
    }
    Ok(())
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
        let day = |d| NaiveDate::from_ymd_opt(2026, 1, d).unwrap_or_default();
        assert!(check_dates(day(2), day(1)).is_err());
        assert!(check_dates(day(1), day(1)).is_ok());
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
