//! Relay global ids (`base64url("Project:<uuid>")`) and `node(id:)`.

use async_graphql::{Context, ID, Interface, Object};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sea_orm::{EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::access;
use crate::graphql::context::request;
use crate::graphql::errors::{ApiError, ApiResult};
use crate::graphql::{
    country::Country, funding::Funding, organisation::Organisation, project::Project,
    region::Region, resource_centre::ResourceCentre, workshop::Workshop,
};

pub fn encode(kind: &str, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{kind}:{key}")))
}

pub fn encode_uuid(kind: &str, id: Uuid) -> ID {
    encode(kind, &id.to_string())
}

/// Splits a global id into its kind and key; `None` for anything we did not issue.
pub fn decode(id: &str) -> Option<(String, String)> {
    let bytes = URL_SAFE_NO_PAD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (kind, key) = text.split_once(':')?;
    Some((kind.to_owned(), key.to_owned()))
}

/// Decodes a global id that must name a `kind` row; `field` is named in the error otherwise.
pub fn decode_uuid(field: &str, id: &ID, kind: &str) -> ApiResult<Uuid> {
    let invalid = || ApiError::bad_input(field, format!("`{field}` is not a {kind} id"));
    let (found, key) = decode(id).ok_or_else(invalid)?;
    if found != kind {
        return Err(invalid());
    }
    Uuid::parse_str(&key).map_err(|_| invalid())
}

/// Anything with a global id.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id, stable over time."))]
pub enum Node {
    Country(Country),
    Region(Region),
    Organisation(Organisation),
    ResourceCentre(ResourceCentre),
    Project(Project),
    Funding(Funding),
    Workshop(Workshop),
}

#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches any object by its global id; `null` if it does not exist or is hidden from you.
    async fn node(&self, ctx: &Context<'_>, id: ID) -> ApiResult<Option<Node>> {
        let Some((kind, key)) = decode(&id) else {
            return Ok(None);
        };
        let rc = request(ctx)?;
        let db = &rc.db;
        let caller = &rc.caller;
        if kind == "Country" {
            return Ok(entity::country::Entity::find_by_id(key)
                .one(db)
                .await?
                .map(|m| Node::Country(Country(m))));
        }
        let Ok(uuid) = Uuid::parse_str(&key) else {
            return Ok(None);
        };
        let node = match kind.as_str() {
            "Region" => entity::region::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::Region(Region(m))),
            "Organisation" => entity::organisation::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::Organisation(Organisation(m))),
            "ResourceCentre" => entity::resource_centre::Entity::find_by_id(uuid)
                .one(db)
                .await?
                .map(|m| Node::ResourceCentre(ResourceCentre(m))),
            "Project" => entity::project::Entity::find_by_id(uuid)
                .filter(access::projects(caller))
                .one(db)
                .await?
                .map(|m| Node::Project(Project(m))),
            "Funding" => entity::funding::Entity::find_by_id(uuid)
                .filter(access::fundings(caller))
                .one(db)
                .await?
                .map(|m| Node::Funding(Funding(m))),
            "Workshop" => entity::workshop::Entity::find_by_id(uuid)
                .filter(access::workshops(caller))
                .one(db)
                .await?
                .map(|m| Node::Workshop(Workshop(m))),
            _ => None,
        };
        Ok(node)
    }
}
