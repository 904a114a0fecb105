//! The schema's `ID`s: `crate::ids` global ids wrapped as GraphQL `ID` values.

use async_graphql::ID;
use uuid::Uuid;

use crate::ids::{self, Kind};

/// The global id of a row.
pub fn encode_uuid(kind: Kind, id: Uuid) -> ID {
    ID(ids::encode_uuid(kind, id))
}

/// The global id of a row keyed by text (countries, by ISO code).
pub fn encode(kind: Kind, key: &str) -> ID {
    ID(ids::encode(kind, key))
}
