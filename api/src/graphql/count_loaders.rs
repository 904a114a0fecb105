//! Counts the DataLoaders answer per key, each from one grouped statement: the seats taken and
//! the waiting list of each workshop (with the sum of the people's record keys, for
//! `participationSummary`'s perturbation), and the workshops of each project.

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use entity::enums::RegistrationStatus;
use entity::{registration, workshop};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, sea_query::Expr,
};
use uuid::Uuid;

use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Loaders, key};

key!(
    /// People holding a seat (registered or attended) at a workshop.
    SeatsTaken
);
key!(
    /// People on a workshop's waiting list.
    WaitlistCount
);
key!(WorkshopCountOfProject);

/// People counted, and the sum of their record keys.
pub type People = (i64, i64);

#[derive(FromQueryResult)]
struct CountRow {
    key: Uuid,
    n: i64,
}

#[derive(FromQueryResult)]
struct PeopleRow {
    key: Uuid,
    n: i64,
    key_sum: Option<i64>,
}

impl Loaders {
    /// Registrations at each key's workshop in the given statuses, with the sum of their
    /// record keys (`domain::cell_key`), in one grouped statement; (0, 0) for a workshop with
    /// none.
    async fn people_at<K: Copy + Eq + Hash>(
        &self,
        keys: &[K],
        workshop: fn(&K) -> Uuid,
        statuses: &[RegistrationStatus],
    ) -> ApiResult<HashMap<K, People>> {
        let rows = registration::Entity::find()
            .select_only()
            .column_as(registration::Column::WorkshopId, "key")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .column_as(
                crate::graphql::summary::sum(Expr::col((
                    registration::Entity,
                    registration::Column::RecordKey,
                ))),
                "key_sum",
            )
            .filter(registration::Column::WorkshopId.is_in(keys.iter().map(workshop)))
            .filter(registration::Column::Status.is_in(statuses.iter().copied()))
            .group_by(registration::Column::WorkshopId)
            .into_model::<PeopleRow>()
            .all(&self.db)
            .await?;
        let counts: HashMap<Uuid, People> = rows
            .into_iter()
            .map(|r| (r.key, (r.n, r.key_sum.unwrap_or(0))))
            .collect();
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&workshop(k)).copied().unwrap_or((0, 0))))
            .collect())
    }
}

impl Loader<SeatsTaken> for Loaders {
    type Value = People;
    type Error = ApiError;

    async fn load(&self, keys: &[SeatsTaken]) -> ApiResult<HashMap<SeatsTaken, Self::Value>> {
        let held = [RegistrationStatus::Registered, RegistrationStatus::Attended];
        self.people_at(keys, |k| k.0, &held).await
    }
}

impl Loader<WaitlistCount> for Loaders {
    type Value = People;
    type Error = ApiError;

    async fn load(&self, keys: &[WaitlistCount]) -> ApiResult<HashMap<WaitlistCount, Self::Value>> {
        self.people_at(keys, |k| k.0, &[RegistrationStatus::Waitlisted])
            .await
    }
}

impl Loader<WorkshopCountOfProject> for Loaders {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[WorkshopCountOfProject],
    ) -> ApiResult<HashMap<WorkshopCountOfProject, Self::Value>> {
        let rows = workshop::Entity::find()
            .select_only()
            .column_as(workshop::Column::ProjectId, "key")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(workshop::Column::ProjectId.is_in(keys.iter().map(|k| k.0)))
            .filter(access::workshops(&self.caller))
            .group_by(workshop::Column::ProjectId)
            .into_model::<CountRow>()
            .all(&self.db)
            .await?;
        let counts: HashMap<Uuid, i64> = rows.into_iter().map(|r| (r.key, r.n)).collect();
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}
