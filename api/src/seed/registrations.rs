//! The seed's illustrative people: counts per gender and age band in the seed file become
//! registrations, all flagged invented.

use anyhow::bail;
use chrono::{DateTime, Utc};
use entity::enums::{AgeBand, RegistrationStatus, WorkshopStatus};
use entity::registration;
use sea_orm::ActiveValue::Set;
use serde_json::json;
use uuid::Uuid;

use super::file;
use crate::domain::cell_key;

/// Illustrative people for workshop `w` (held from `starts` to `ends`), registered two weeks
/// before it one minute apart and numbered from `first`: ATTENDED once it is over, else
/// REGISTERED, unless the file says otherwise.
pub fn people(
    w: &file::Workshop,
    workshop_id: Uuid,
    (starts, ends): (DateTime<Utc>, DateTime<Utc>),
    first: usize,
    what: &str,
) -> anyhow::Result<Vec<registration::ActiveModel>> {
    let held = crate::domain::workshop::status_at(
        w.status.unwrap_or(WorkshopStatus::Scheduled),
        ends,
        Utc::now(),
    );
    let default_status = if held == WorkshopStatus::Completed {
        RegistrationStatus::Attended
    } else {
        RegistrationStatus::Registered
    };
    let mut rows = Vec::new();
    let mut seats = 0_i64;
    for group in &w.registrations {
        let status = group.status.unwrap_or(default_status);
        for _ in 0..group.count {
            let n = first + rows.len();
            if matches!(
                status,
                RegistrationStatus::Registered | RegistrationStatus::Attended
            ) {
                seats += 1;
            }
            rows.push(registration::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(Uuid::now_v7()),
                workshop_id: Set(workshop_id),
                participant_name: Set(format!("Illustrative participant {n}")),
                email: Set(format!("participant-{n}@example.org")),
                organisation_name: Set(None),
                gender: Set(group.gender),
                age_band: Set(group.age_band),
                status: Set(status),
                registered_at: Set(
                    starts - chrono::Duration::days(14) + chrono::Duration::minutes(n as i64)
                ),
                illustrative: Set(true),
                illustrative_fields: Set(json!([])),
                // Invented people agreed to nothing; a minor's guardian is invented with them.
                consent_notice_version: Set(None),
                consent_purposes: Set(None),
                consented_at: Set(None),
                guardian_consent: Set(group.age_band == AgeBand::Under18),
                controller_id: Set(None),
                manage_token_sha256: Set(None),
                erased_at: Set(None),
                record_key: Set(cell_key::record_key()),
            });
        }
    }
    if w.capacity.is_some_and(|c| seats > i64::from(c)) {
        bail!("{what}: more registrations than the workshop's capacity");
    }
    Ok(rows)
}
