//! Domain values that parse rather than validate: once built, they are known to be well formed.

pub mod cell_key;
pub mod codes;
pub mod exchange_rates;
pub mod illustrative;
pub mod indicator;
pub mod money;
pub mod partial_date;
pub mod project;
pub mod text;
pub mod workshop;

/// A change to one versioned row: which row, the version the caller read (a newer one is
/// CONFLICT), and what to change.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit<C> {
    pub id: uuid::Uuid,
    pub expected: i32,
    pub changes: C,
}
