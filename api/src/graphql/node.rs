//! `node(id:)`: any object by its global id, under the caller's visibility.

use async_graphql::{Context, ID, Interface, Object};
use sea_orm::{EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::access;
use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::{
    country::Country,
    document_link::DocumentLink,
    funding::Funding,
    organisation::Organisation,
    programme::Programme,
    project::Project,
    region::Region,
    resource_centre::ResourceCentre,
    result::{Indicator, IndicatorPeriod, ProjectResult},
    workshop::Workshop,
};
use crate::ids::{self, Kind};

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id, stable over time."))]
pub enum Node {
    Country(Country),
    Region(Region),
    Organisation(Organisation),
    Programme(Programme),
    ResourceCentre(ResourceCentre),
    Project(Project),
    Funding(Funding),
    DocumentLink(DocumentLink),
    Result(ProjectResult),
    Indicator(Indicator),
    IndicatorPeriod(IndicatorPeriod),
    Workshop(Workshop),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; `null` if it does not exist or is hidden from you.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The global id, as the object's `id` field gives it; a malformed one \
                    answers null."
        )]
        id: ID,
    ) -> ApiResult<Option<Node>> {
        let Some((kind, key)) = ids::decode(&id) else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let db = &rc.db;
        let caller = &rc.caller;
        if kind == Kind::Country {
            return Ok(entity::country::Entity::find_by_id(key)
                .one(db)
                .await?
                .map(|m| Node::Country(Country(m))));
        }
        let Ok(uuid) = Uuid::parse_str(&key) else {
            return Ok(None);
        };
        let node = match kind {
            Kind::Region => entity::region::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::Region(Region(m))),
            Kind::Organisation => entity::organisation::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::Organisation(Organisation(m))),
            Kind::Programme => entity::programme::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::Programme(Programme(m))),
            Kind::ResourceCentre => entity::resource_centre::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::ResourceCentre(ResourceCentre(m))),
            Kind::Project => entity::project::Entity::find_by_id(uuid)
                .filter(access::projects(caller))
                .one(db)
                .await?
                .map(|m| Node::Project(Project(m))),
            Kind::Funding => entity::funding::Entity::find_by_id(uuid)
                .filter(access::fundings(caller))
                .one(db)
                .await?
                .map(|m| Node::Funding(Funding(m))),
            Kind::DocumentLink => entity::document_link::Entity::find_by_id(uuid)
                .filter(access::document_links(caller))
                .one(db)
                .await?
                .map(|m| Node::DocumentLink(DocumentLink(m))),
            Kind::Workshop => entity::workshop::Entity::find_by_id(uuid)
                .filter(access::workshops(caller))
                .one(db)
                .await?
                .map(|m| Node::Workshop(Workshop(m))),
            Kind::Result => entity::result::Entity::find_by_id(uuid)
                .filter(access::project_parts(
                    caller,
                    entity::result::Column::ProjectId,
                ))
                .one(db)
                .await?
                .map(|m| Node::Result(ProjectResult(m))),
            Kind::Indicator => entity::indicator::Entity::find_by_id(uuid)
                .filter(access::project_parts(
                    caller,
                    entity::indicator::Column::ProjectId,
                ))
                .one(db)
                .await?
                .map(|m| Node::Indicator(Indicator(m))),
            Kind::IndicatorPeriod => {
                use entity::{indicator, indicator_period};
                indicator_period::Entity::find_by_id(uuid)
                    .filter(access::project_parts(
                        caller,
                        indicator_period::Column::ProjectId,
                    ))
                    .find_also_related(indicator::Entity)
                    .one(db)
                    .await?
                    .and_then(|(row, parent)| {
                        parent.map(|p| {
                            Node::IndicatorPeriod(IndicatorPeriod {
                                row,
                                ascending: p.ascending,
                            })
                        })
                    })
            }
            // Not yet Nodes (the contract issue makes them so).
            Kind::Country
            | Kind::ApiToken
            | Kind::AuditEvent
            | Kind::Contact
            | Kind::Milestone
            | Kind::Registration => None,
        };
        Ok(node)
    }
}
