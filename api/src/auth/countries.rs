//! The programme's country codes, so a token cannot act for a country Mosaic does not know.
//! Kept in memory: read on the first check, and again (at most every `RELOAD_EVERY`) when a
//! token names a code not yet known, so a country added since is found without a restart.

use std::collections::HashSet;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use entity::country;
use sea_orm::{DatabaseConnection, EntityTrait, QuerySelect};

use crate::error::ApiError;

const RELOAD_EVERY: Duration = Duration::from_secs(10);

#[derive(Default)]
pub struct KnownCountries(RwLock<Option<(Instant, HashSet<String>)>>);

impl KnownCountries {
    /// Whether every code in `codes` is a country of the programme.
    pub async fn all_known(
        &self,
        db: &DatabaseConnection,
        codes: &[String],
    ) -> Result<bool, ApiError> {
        if codes.is_empty() || self.contains_all(codes) {
            return Ok(true);
        }
        let stale = self
            .0
            .read()
            .map(|guard| {
                guard
                    .as_ref()
                    .is_none_or(|(at, _)| at.elapsed() > RELOAD_EVERY)
            })
            .unwrap_or(true);
        if !stale {
            return Ok(false);
        }
        let loaded: HashSet<String> = country::Entity::find()
            .select_only()
            .column(country::Column::Code)
            .into_tuple::<String>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        if let Ok(mut guard) = self.0.write() {
            *guard = Some((Instant::now(), loaded));
        }
        Ok(self.contains_all(codes))
    }

    fn contains_all(&self, codes: &[String]) -> bool {
        self.0
            .read()
            .map(|guard| {
                guard
                    .as_ref()
                    .is_some_and(|(_, known)| codes.iter().all(|c| known.contains(c)))
            })
            .unwrap_or(false)
    }
}
