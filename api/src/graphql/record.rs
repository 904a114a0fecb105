//! What a record that is both written and seeded shows about itself, flattened into its
//! type: `updatedAt` and `version` (`Versioned`), `illustrative` and `illustrativeFields`
//! (`Provenance`).
//!
//! async-graphql tries a type's flattened objects in order for every field it does not
//! declare itself, building each one it passes; so `record` stands after the translated
//! texts, and `viewer_can` (which loads) stays last.

use async_graphql::SimpleObject;

use crate::graphql::provenance::Provenance;
use crate::graphql::versioned::Versioned;

#[derive(SimpleObject)]
pub struct Record {
    #[graphql(flatten)]
    versioned: Versioned,
    #[graphql(flatten)]
    provenance: Provenance,
}

/// A stored row with a version and the seed's marks.
pub trait Recorded {
    fn record(&self) -> Record;
}

macro_rules! recorded {
    ($($model:ident),* $(,)?) => {$(
        impl Recorded for entity::$model::Model {
            fn record(&self) -> Record {
                Record {
                    versioned: Versioned::of(self.updated_at, self.version),
                    provenance: Provenance::of(self.illustrative, &self.illustrative_fields),
                }
            }
        }
    )*};
}

recorded!(
    contact,
    document_link,
    funding,
    indicator,
    indicator_period,
    milestone,
    organisation,
    programme,
    result,
    workshop,
);
