//! The countries Mosaic knows and which of them are programme members, so a token cannot act
//! for a country it does not know, nor coordinate one outside the programme. Kept in memory,
//! read again when a token names a code not in it, when older than `RELOAD_EVERY`, and
//! (`forget`) when this instance changes a country; so a country that leaves the programme
//! loses its coordinators at once here and within `RELOAD_EVERY` on other instances. Only a
//! verified token's codes are looked up, so unknown codes cannot be sent to force reads.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use entity::country;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::error::ApiError;

const RELOAD_EVERY: Duration = Duration::from_secs(10);

/// Code → programme member.
type Known = HashMap<String, bool>;

#[derive(Default)]
pub struct KnownCountries(RwLock<Option<(Instant, Known)>>);

impl KnownCountries {
    /// Whether every code in `codes` is a known country and, when `members_only`, a member
    /// of the programme.
    pub async fn admit(
        &self,
        db: &DatabaseConnection,
        codes: &[String],
        members_only: bool,
    ) -> Result<bool, ApiError> {
        if codes.is_empty() {
            return Ok(true);
        }
        let fresh = self
            .0
            .read()
            .map(|guard| {
                guard.as_ref().is_some_and(|(at, known)| {
                    at.elapsed() <= RELOAD_EVERY && codes.iter().all(|c| known.contains_key(c))
                })
            })
            .unwrap_or(false);
        if !fresh {
            let loaded: Known = country::Entity::find()
                .select_only()
                .column(country::Column::Code)
                .column(country::Column::ProgrammeMember)
                .into_tuple::<(String, bool)>()
                .all(db)
                .await?
                .into_iter()
                .collect();
            if let Ok(mut guard) = self.0.write() {
                *guard = Some((Instant::now(), loaded));
            }
        }
        Ok(self
            .0
            .read()
            .map(|guard| {
                guard.as_ref().is_some_and(|(_, known)| {
                    codes
                        .iter()
                        .all(|c| known.get(c).is_some_and(|member| *member || !members_only))
                })
            })
            .unwrap_or(false))
    }
}

impl KnownCountries {
    /// Drops what is kept, so the next check reads the countries again.
    pub fn forget(&self) {
        if let Ok(mut guard) = self.0.write() {
            *guard = None;
        }
    }
}
