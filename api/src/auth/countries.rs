//! The countries Mosaic knows and which of them are programme members, so a token cannot act
//! for a country it does not know, nor coordinate one outside the programme. Kept in memory,
//! read again when a token names a code not in it, when older than `RELOAD_EVERY`, and
//! (`forget`) when this instance changes a country; so a country that leaves the programme
//! loses its coordinators at once here and within `RELOAD_EVERY` on other instances. Only a
//! verified token's codes are looked up, so unknown codes cannot be sent to force reads.

use std::collections::HashMap;
use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use entity::country;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::error::ApiError;

const RELOAD_EVERY: Duration = Duration::from_secs(10);

/// Code → programme member.
type Known = HashMap<String, bool>;

/// What is kept, and how many times it was forgotten: a read that began before a `forget`
/// must not put back what it read.
#[derive(Default)]
pub struct KnownCountries {
    kept: RwLock<Option<(Instant, Known)>>,
    forgotten: AtomicU64,
}

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
            .kept
            .read()
            .map(|guard| {
                guard.as_ref().is_some_and(|(at, known)| {
                    at.elapsed() <= RELOAD_EVERY && codes.iter().all(|c| known.contains_key(c))
                })
            })
            .unwrap_or(false);
        let admits = |known: &Known| {
            codes
                .iter()
                .all(|c| known.get(c).is_some_and(|member| *member || !members_only))
        };
        if fresh {
            return Ok(self
                .kept
                .read()
                .map(|guard| guard.as_ref().is_some_and(|(_, known)| admits(known)))
                .unwrap_or(false));
        }
        let generation = self.forgotten.load(Ordering::SeqCst);
        let loaded: Known = country::Entity::find()
            .select_only()
            .column(country::Column::Code)
            .column(country::Column::ProgrammeMember)
            .into_tuple::<(String, bool)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let answer = admits(&loaded);
        // A read that began before a `forget` answers this check but is not kept.
        if let Ok(mut guard) = self.kept.write()
            && self.forgotten.load(Ordering::SeqCst) == generation
        {
            *guard = Some((Instant::now(), loaded));
        }
        Ok(answer)
    }

    /// Drops what is kept, so the next check reads the countries again.
    pub fn forget(&self) {
        if let Ok(mut guard) = self.kept.write() {
            self.forgotten.fetch_add(1, Ordering::SeqCst);
            *guard = None;
        }
    }
}
