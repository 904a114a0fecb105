//! What workshop and registration writes ask for, parsed from their input.

use chrono::{DateTime, Utc};
use entity::enums::{AgeBand, Gender, WorkshopFormat};
use uuid::Uuid;

use crate::domain::codes::{Email, Language, TimeZone};
use crate::domain::text::Written;
use crate::error::{ApiError, ApiResult};

pub const MAX_CAPACITY: i32 = 100_000;

/// A new workshop of a project.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkshop {
    pub project: Uuid,
    pub original_language: Language,
    pub title: Written,
    pub description: Written,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub time_zone: String,
    pub venue: Venue,
    pub kind: entity::enums::ActivityKind,
    pub format: WorkshopFormat,
    pub spoken_language: Language,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub target_groups: Vec<String>,
    pub open_to_public: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Venue {
    pub name: Option<String>,
    pub address: Option<String>,
    pub town: Option<String>,
    pub region: Option<Uuid>,
}

/// The changes of one `updateWorkshop`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkshopChanges {
    pub title: Option<Written>,
    pub description: Option<Written>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub time_zone: Option<String>,
    pub capacity: Option<i32>,
    pub registration_deadline: Option<DateTime<Utc>>,
    pub open_to_public: Option<bool>,
    pub kind: Option<entity::enums::ActivityKind>,
}

/// A person registering for a workshop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRegistration {
    pub workshop: Uuid,
    pub participant_name: String,
    pub email: Email,
    pub organisation_name: Option<String>,
    pub gender: Gender,
    pub age_band: AgeBand,
    pub consent: Consent,
}

/// What a registrant agreed to (GDPR art. 6 and 7; art. 8 for a child).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consent {
    /// The version of the privacy notice shown.
    pub notice_version: String,
    /// What the data may be used for, as API names; running the workshop among them.
    pub purposes: Vec<String>,
    /// A guardian agreed (required under 18).
    pub guardian: bool,
}

/// The purpose every registration needs: its data is what running the workshop takes.
pub const NEEDED_PURPOSE: &str = "WORKSHOP_ADMINISTRATION";

impl Consent {
    /// Consent as given, checked against the registrant's age band; errors name
    /// `input.consent.*` or `input.guardianConsent`.
    pub fn parse(
        notice_version: &str,
        purposes: Vec<String>,
        guardian: bool,
        age_band: AgeBand,
    ) -> ApiResult<Self> {
        let notice_version = notice_version.trim();
        if notice_version.is_empty() || notice_version.chars().count() > 64 {
            return Err(ApiError::bad_input(
                "input.consent.noticeVersion",
                "name the privacy notice version agreed to (1 to 64 characters)",
            ));
        }
        if !purposes.iter().any(|p| p == NEEDED_PURPOSE) {
            return Err(ApiError::bad_input(
                "input.consent.purposes",
                "registering needs WORKSHOP_ADMINISTRATION: the data is what running the workshop takes",
            ));
        }
        if age_band == AgeBand::Under18 && !guardian {
            return Err(ApiError::bad_input(
                "input.guardianConsent",
                "a registrant under 18 needs a guardian's consent",
            ));
        }
        let mut purposes = purposes;
        purposes.sort();
        purposes.dedup();
        Ok(Self {
            notice_version: notice_version.to_owned(),
            purposes,
            guardian,
        })
    }
}

pub fn capacity(value: Option<i32>) -> ApiResult<Option<i32>> {
    match value {
        Some(c) if !(0..=MAX_CAPACITY).contains(&c) => Err(ApiError::bad_input(
            "input.capacity",
            format!("capacity is 0 to {MAX_CAPACITY}"),
        )),
        other => Ok(other),
    }
}

/// A workshop ends after it starts, and registration closes before it starts.
pub fn check_times(
    starts: DateTime<Utc>,
    ends: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
) -> ApiResult<()> {
    if ends <= starts {
        return Err(ApiError::bad_input(
            "input.endsAt",
            "a workshop ends after it starts",
        ));
    }
    if deadline.is_some_and(|d| d > starts) {
        return Err(ApiError::bad_input(
            "input.registrationDeadline",
            "registration closes before the workshop starts",
        ));
    }
    Ok(())
}

/// An IANA time zone, by its canonical name.
pub fn time_zone(value: &str) -> ApiResult<String> {
    TimeZone::parse(value)
        .map(|z| z.0.name().to_owned())
        .map_err(|m| ApiError::bad_input("input.timeZone", m))
}

/// A workshop's status at `now`: CANCELLED as set; otherwise SCHEDULED until it ends, then
/// COMPLETED.
pub fn status_at(
    stored: entity::enums::WorkshopStatus,
    ends_at: chrono::DateTime<chrono::Utc>,
    now: chrono::DateTime<chrono::Utc>,
) -> entity::enums::WorkshopStatus {
    use entity::enums::WorkshopStatus::{Cancelled, Completed, Scheduled};
    match stored {
        Cancelled => Cancelled,
        _ if ends_at < now => Completed,
        _ => Scheduled,
    }
}

/// Why a workshop takes no registration at `now`, if it takes none: cancelled or over, or
/// past its deadline or start.
pub fn registration_closed(
    row: &entity::workshop::Model,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<&'static str> {
    if status_at(row.status, row.ends_at, now) != entity::enums::WorkshopStatus::Scheduled {
        return Some("the workshop is not open for registration (cancelled or over)");
    }
    if row.registration_deadline.is_some_and(|d| d <= now) || row.starts_at <= now {
        return Some("registration for this workshop has closed");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_capacity_and_zones_parse_or_name_their_field() {
        let at = |h: i64| DateTime::<Utc>::from_timestamp(h * 3600, 0).unwrap_or_default();
        assert!(check_times(at(10), at(12), Some(at(9))).is_ok());
        let field = |r: ApiResult<()>| match r {
            Err(ApiError::BadUserInput { field, .. }) => field,
            _ => String::new(),
        };
        assert_eq!(field(check_times(at(10), at(10), None)), "input.endsAt");
        assert_eq!(
            field(check_times(at(10), at(12), Some(at(11)))),
            "input.registrationDeadline"
        );
        assert_eq!(capacity(Some(0)).ok(), Some(Some(0)));
        assert!(capacity(Some(-1)).is_err());
        assert!(capacity(Some(MAX_CAPACITY + 1)).is_err());
        assert_eq!(
            time_zone("Europe/Helsinki").ok().as_deref(),
            Some("Europe/Helsinki")
        );
        assert!(time_zone("Mars/Olympus").is_err());
    }
}
