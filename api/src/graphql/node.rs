//! `node(id:)` and `nodes(ids:)`: any object by its global id, under the caller's visibility,
//! one query per kind however many ids are asked for.

use std::collections::HashMap;

use async_graphql::{Context, ID, Interface, Object};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::access;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::{
    api_token::ApiToken,
    audit_event::AuditEvent,
    contact::Contact,
    country::Country,
    document_link::DocumentLink,
    funding::Funding,
    organisation::Organisation,
    programme::Programme,
    project::{Milestone, Project},
    region::Region,
    registration::Registration,
    resource_centre::ResourceCentre,
    result::{Indicator, IndicatorPeriod, ProjectResult},
    workshop::Workshop,
};
use crate::ids::{self, Kind};

/// Most ids one `nodes` call takes, as for a page of a list.
const MAX_IDS: usize = 100;

/// Anything with a global id.
#[derive(Interface, Clone)]
#[graphql(field(name = "id", ty = "ID", desc = "Opaque global id, stable over time."))]
pub enum Node {
    Country(Country),
    Region(Region),
    Organisation(Organisation),
    Programme(Programme),
    ResourceCentre(ResourceCentre),
    Project(Project),
    Milestone(Milestone),
    Contact(Contact),
    Funding(Funding),
    DocumentLink(DocumentLink),
    Result(ProjectResult),
    Indicator(Indicator),
    IndicatorPeriod(IndicatorPeriod),
    Workshop(Workshop),
    Registration(Registration),
    ApiToken(ApiToken),
    AuditEvent(AuditEvent),
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
        let rc = request(ctx)?;
        Ok(fetch(&rc.db, &rc.caller, std::slice::from_ref(&id))
            .await?
            .pop()
            .flatten())
    }

    /// Fetches up to 100 objects of any kinds by their global ids, in the order asked; each
    /// is `null` where `node` would answer null.
    #[graphql(complexity = "ids.len().min(100) * child_complexity + 1")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100; repeats are answered again.")] ids: Vec<ID>,
    ) -> ApiResult<Vec<Option<Node>>> {
        if ids.len() > MAX_IDS {
            return Err(ApiError::bad_input(
                "ids",
                format!("at most {MAX_IDS} ids at once"),
            ));
        }
        let rc = request(ctx)?;
        fetch(&rc.db, &rc.caller, &ids).await
    }
}

/// Visible rows of one entity by id, wrapped as nodes, keyed by id.
macro_rules! visible {
    ($db:expr, $keys:expr, $entity:ident, $condition:expr, $wrap:expr) => {
        entity::$entity::Entity::find()
            .filter(entity::$entity::Column::Id.is_in($keys.iter().copied()))
            .filter($condition)
            .all($db)
            .await?
            .into_iter()
            .map(|m| (m.id.to_string(), $wrap(m)))
            .collect::<Vec<(String, Node)>>()
    };
}

/// The nodes `ids` name, in their order: one query per kind asked for.
async fn fetch(
    db: &DatabaseConnection,
    caller: &Caller,
    ids: &[ID],
) -> ApiResult<Vec<Option<Node>>> {
    // Keys as the rows spell them (a UUID in lower case with hyphens), however the id did.
    let decoded: Vec<Option<(Kind, String)>> = ids
        .iter()
        .map(|id| {
            ids::decode(id).map(|(kind, key)| match Uuid::parse_str(&key) {
                Ok(uuid) if kind != Kind::Country => (kind, uuid.to_string()),
                _ => (kind, key),
            })
        })
        .collect();
    let mut wanted: HashMap<Kind, Vec<String>> = HashMap::new();
    for (kind, key) in decoded.iter().flatten() {
        wanted.entry(*kind).or_default().push(key.clone());
    }
    let mut found: HashMap<(Kind, String), Node> = HashMap::new();
    for (kind, keys) in wanted {
        for (key, node) in of_kind(db, caller, kind, &keys).await? {
            found.insert((kind, key), node);
        }
    }
    // A node answered twice is cloned: repeats of an id are answered each time.
    Ok(decoded
        .into_iter()
        .map(|d| d.and_then(|(kind, key)| found.get(&(kind, key)).cloned()))
        .collect())
}

async fn of_kind(
    db: &DatabaseConnection,
    caller: &Caller,
    kind: Kind,
    keys: &[String],
) -> ApiResult<Vec<(String, Node)>> {
    let uuids: Vec<Uuid> = keys
        .iter()
        .filter_map(|k| Uuid::parse_str(k).ok())
        .collect();
    Ok(match kind {
        // Countries are keyed by ISO code, not UUID.
        Kind::Country => entity::country::Entity::find()
            .filter(entity::country::Column::Code.is_in(keys.iter().cloned()))
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.code.clone(), Node::Country(Country(m))))
            .collect(),
        Kind::Region => visible!(db, uuids, region, Condition::all(), |m| Node::Region(
            Region(m)
        )),
        Kind::Organisation => visible!(db, uuids, organisation, Condition::all(), |m| {
            Node::Organisation(Organisation(m))
        }),
        Kind::Programme => visible!(db, uuids, programme, Condition::all(), |m| {
            Node::Programme(Programme(m))
        }),
        Kind::ResourceCentre => visible!(db, uuids, resource_centre, Condition::all(), |m| {
            Node::ResourceCentre(ResourceCentre(m))
        }),
        Kind::Project => visible!(db, uuids, project, access::projects(caller), |m| {
            Node::Project(Project(m))
        }),
        Kind::Milestone => visible!(
            db,
            uuids,
            milestone,
            access::project_parts(caller, entity::milestone::Column::ProjectId),
            |m| Node::Milestone(Milestone(m))
        ),
        Kind::Contact => visible!(db, uuids, contact, access::project_contacts(caller), |m| {
            Node::Contact(Contact(m))
        }),
        Kind::Funding => visible!(db, uuids, funding, access::fundings(caller), |m| {
            Node::Funding(Funding::from(m))
        }),
        Kind::DocumentLink => visible!(
            db,
            uuids,
            document_link,
            access::document_links(caller),
            |m| { Node::DocumentLink(DocumentLink(m)) }
        ),
        Kind::Workshop => visible!(db, uuids, workshop, access::workshops(caller), |m| {
            Node::Workshop(Workshop(m))
        }),
        Kind::Registration => visible!(
            db,
            uuids,
            registration,
            access::registrations(caller),
            |m| { Node::Registration(Registration(m)) }
        ),
        Kind::ApiToken => visible!(
            db,
            uuids,
            api_token,
            access::managed_api_tokens(caller),
            |m| Node::ApiToken(ApiToken(m))
        ),
        Kind::AuditEvent => visible!(
            db,
            uuids,
            audit_event,
            access::readable_audit_events(caller),
            |m| Node::AuditEvent(AuditEvent(m))
        ),
        Kind::Result => visible!(
            db,
            uuids,
            result,
            access::project_parts(caller, entity::result::Column::ProjectId),
            |m| { Node::Result(ProjectResult(m)) }
        ),
        Kind::Indicator => visible!(
            db,
            uuids,
            indicator,
            access::project_parts(caller, entity::indicator::Column::ProjectId),
            |m| Node::Indicator(Indicator(m))
        ),
        Kind::IndicatorPeriod => {
            use entity::{indicator, indicator_period};
            indicator_period::Entity::find()
                .filter(indicator_period::Column::Id.is_in(uuids))
                .filter(access::project_parts(
                    caller,
                    indicator_period::Column::ProjectId,
                ))
                .find_also_related(indicator::Entity)
                .all(db)
                .await?
                .into_iter()
                .filter_map(|(row, parent)| {
                    let ascending = parent?.ascending;
                    let key = row.id.to_string();
                    Some((
                        key,
                        Node::IndicatorPeriod(IndicatorPeriod { row, ascending }),
                    ))
                })
                .collect()
        }
    })
}
