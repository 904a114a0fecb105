//! Optimistic concurrency in the schema, described once: a record's `updatedAt` and
//! `version` on the way out, and the `id` and `expectedVersion` of a change on the way in.

use async_graphql::{ID, InputObject, SimpleObject};
use uuid::Uuid;

use crate::error::ApiResult;
use crate::graphql::scalars::DateTime;
use crate::ids::{self, Kind};

#[derive(SimpleObject)]
pub struct Versioned {
    /// When it last changed, to the millisecond: every write sets it. Partner systems sync by
    /// asking their list for `updatedSince` the latest value they hold.
    pub updated_at: DateTime,
    /// Rises by one with every change; send it back as `expectedVersion` with a change you
    /// make to it (an update, a cancellation).
    pub version: i32,
}

impl Versioned {
    pub fn of(updated_at: chrono::DateTime<chrono::Utc>, version: i32) -> Self {
        Self {
            updated_at: DateTime(updated_at),
            version,
        }
    }
}

/// Which row a change is for and the `version` of it the change was made from: flattened
/// into each update's input as its `id` and `expectedVersion`, described here once.
#[derive(InputObject)]
pub struct Revision {
    /// Global id of the record to change.
    pub id: ID,
    /// The `version` you read; a newer one answers CONFLICT and changes nothing.
    #[graphql(name = "expectedVersion")]
    pub version: i32,
}

impl Revision {
    /// The row's id, which must be a global id of `kind` (BAD_USER_INPUT on `input.id`).
    pub fn row(&self, kind: Kind) -> ApiResult<Uuid> {
        ids::decode_uuid("input.id", &self.id, kind)
    }
}
