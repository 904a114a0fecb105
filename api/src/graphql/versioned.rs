//! When a record last changed and its version: flattened into each type that can be
//! written as its `updatedAt` and `version`, described here once.

use async_graphql::SimpleObject;

use crate::graphql::scalars::DateTime;

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
