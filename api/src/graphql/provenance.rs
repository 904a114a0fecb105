//! What the seed invented of a record, on every kind it seeds: flattened into each type as
//! its `illustrative` and `illustrativeFields`, described here once.

use async_graphql::SimpleObject;
use serde_json::Value as Json;

use crate::domain::illustrative;

#[derive(SimpleObject)]
pub struct Provenance {
    /// Whether the seed invented this record as a whole: no source document describes it
    /// (a workshop standing for activities a document names only in general, a person).
    pub illustrative: bool,
    /// The values of this record no source document states, by their API names
    /// (`startDate`, `venue.town`, `valueDate`); a value changed since is real and no
    /// longer listed.
    pub illustrative_fields: Vec<String>,
}

impl Provenance {
    pub fn of(invented: bool, fields: &Json) -> Self {
        Self {
            illustrative: invented,
            illustrative_fields: illustrative::names(fields),
        }
    }
}
