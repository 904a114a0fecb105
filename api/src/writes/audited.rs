//! How each written entity appears to the pipeline, defined once per entity: its kind, the
//! country its audit rows are filed under, what the audit trail keeps of it (never personal
//! data), its version columns and its searchable texts.

use entity::{contact, funding, milestone, organisation, project, region, resource_centre};
use futures_util::future::{BoxFuture, FutureExt as _};
use sea_orm::{DatabaseTransaction, EntityTrait};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::ids::Kind;
use crate::search::Searchable;

pub trait Audited: EntityTrait {
    const KIND: Kind;
    fn id(row: &Self::Model) -> Uuid;
    /// The country whose coordinators see the row's audit events.
    fn country<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a Self::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>>;
    /// What the audit trail keeps of the row.
    fn view(row: &Self::Model) -> Option<Json>;
    /// `(id, version)`: the columns of optimistic concurrency.
    fn versioned() -> (Self::Column, Self::Column);
    /// The search index's kind and texts, for rows that lists search.
    fn search(row: &Self::Model) -> Option<(&'static str, Vec<String>)>;
    /// Brings data derived from the row in step (a funding's euro rate) once it is written,
    /// and returns the row as stored.
    fn refresh(
        _txn: &DatabaseTransaction,
        row: Self::Model,
    ) -> BoxFuture<'_, ApiResult<Self::Model>>
    where
        Self::Model: Send,
    {
        std::future::ready(Ok(row)).boxed()
    }
}

/// The whole row: reference data holds no personal data.
fn whole<T: serde::Serialize>(row: &T) -> Option<Json> {
    serde_json::to_value(row).ok()
}

/// A country the row itself names.
fn named(country: Option<String>) -> BoxFuture<'static, ApiResult<Option<String>>> {
    std::future::ready(Ok(country)).boxed()
}

/// The country of the project a row belongs to.
async fn project_country(txn: &DatabaseTransaction, project_id: Uuid) -> ApiResult<Option<String>> {
    Ok(project::Entity::find_by_id(project_id)
        .one(txn)
        .await?
        .map(|p| p.country_code))
}

fn searched<R: Searchable>(row: &R) -> Option<(&'static str, Vec<String>)> {
    Some((R::KIND, row.texts()))
}

impl Audited for organisation::Entity {
    const KIND: Kind = Kind::Organisation;
    fn id(row: &organisation::Model) -> Uuid {
        row.id
    }
    fn country<'a>(
        _: &'a DatabaseTransaction,
        row: &'a organisation::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        named(row.country_code.clone())
    }
    fn view(row: &organisation::Model) -> Option<Json> {
        whole(row)
    }
    fn versioned() -> (organisation::Column, organisation::Column) {
        (organisation::Column::Id, organisation::Column::Version)
    }
    fn search(row: &organisation::Model) -> Option<(&'static str, Vec<String>)> {
        searched(row)
    }
}

impl Audited for region::Entity {
    const KIND: Kind = Kind::Region;
    fn id(row: &region::Model) -> Uuid {
        row.id
    }
    fn country<'a>(
        _: &'a DatabaseTransaction,
        row: &'a region::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        named(Some(row.country_code.clone()))
    }
    fn view(row: &region::Model) -> Option<Json> {
        whole(row)
    }
    fn versioned() -> (region::Column, region::Column) {
        (region::Column::Id, region::Column::Version)
    }
    fn search(row: &region::Model) -> Option<(&'static str, Vec<String>)> {
        searched(row)
    }
}

impl Audited for resource_centre::Entity {
    const KIND: Kind = Kind::ResourceCentre;
    fn id(row: &resource_centre::Model) -> Uuid {
        row.id
    }
    /// Its region's country.
    fn country<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a resource_centre::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        async move {
            let region = region::Entity::find_by_id(row.region_id)
                .one(txn)
                .await?
                .ok_or_else(|| ApiError::internal("a resource centre without its region"))?;
            Ok(Some(region.country_code))
        }
        .boxed()
    }
    fn view(row: &resource_centre::Model) -> Option<Json> {
        whole(row)
    }
    fn versioned() -> (resource_centre::Column, resource_centre::Column) {
        (
            resource_centre::Column::Id,
            resource_centre::Column::Version,
        )
    }
    fn search(row: &resource_centre::Model) -> Option<(&'static str, Vec<String>)> {
        searched(row)
    }
}

impl Audited for milestone::Entity {
    const KIND: Kind = Kind::Milestone;
    fn id(row: &milestone::Model) -> Uuid {
        row.id
    }
    fn country<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a milestone::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        project_country(txn, row.project_id).boxed()
    }
    fn view(row: &milestone::Model) -> Option<Json> {
        whole(row)
    }
    fn versioned() -> (milestone::Column, milestone::Column) {
        (milestone::Column::Id, milestone::Column::Version)
    }
    fn search(_: &milestone::Model) -> Option<(&'static str, Vec<String>)> {
        None
    }
}

impl Audited for contact::Entity {
    const KIND: Kind = Kind::Contact;
    fn id(row: &contact::Model) -> Uuid {
        row.id
    }
    fn country<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a contact::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        async move {
            match (row.project_id, row.organisation_id) {
                (Some(project), _) => project_country(txn, project).await,
                (None, Some(organisation)) => Ok(organisation::Entity::find_by_id(organisation)
                    .one(txn)
                    .await?
                    .and_then(|o| o.country_code)),
                (None, None) => Ok(None),
            }
        }
        .boxed()
    }
    /// A person: the audit trail keeps which contact changed, never their name, email or
    /// phone.
    fn view(row: &contact::Model) -> Option<Json> {
        Some(serde_json::json!({
            "id": row.id,
            "projectId": row.project_id,
            "organisationId": row.organisation_id,
            "version": row.version,
        }))
    }
    fn versioned() -> (contact::Column, contact::Column) {
        (contact::Column::Id, contact::Column::Version)
    }
    fn search(_: &contact::Model) -> Option<(&'static str, Vec<String>)> {
        None
    }
}

impl Audited for funding::Entity {
    const KIND: Kind = Kind::Funding;
    fn id(row: &funding::Model) -> Uuid {
        row.id
    }
    fn country<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a funding::Model,
    ) -> BoxFuture<'a, ApiResult<Option<String>>> {
        project_country(txn, row.project_id).boxed()
    }
    fn view(row: &funding::Model) -> Option<Json> {
        whole(row)
    }
    fn versioned() -> (funding::Column, funding::Column) {
        (funding::Column::Id, funding::Column::Version)
    }
    fn search(_: &funding::Model) -> Option<(&'static str, Vec<String>)> {
        None
    }
    /// The euro rate of its currency on its value date.
    fn refresh(
        txn: &DatabaseTransaction,
        row: funding::Model,
    ) -> BoxFuture<'_, ApiResult<funding::Model>> {
        async move { crate::derived::eur::store_rate(txn, row.id).await }.boxed()
    }
}
