//! Pieces shared by the list filters: code and id lists. (Text search: `crate::search`.)

use async_graphql::ID;
use uuid::Uuid;

use crate::domain::codes::CountryCode;
use crate::error::{ApiError, ApiResult};
use crate::ids::Kind;

/// Parses a list of ISO country codes, naming `field` in the error.
pub fn countries(field: &str, codes: &[String]) -> ApiResult<Vec<String>> {
    codes
        .iter()
        .map(|c| {
            CountryCode::parse(c)
                .map(CountryCode::into_inner)
                .map_err(|message| ApiError::bad_input(field, message))
        })
        .collect()
}

/// Decodes a list of global ids of one kind.
pub fn ids(field: &str, ids: &[ID], kind: Kind) -> ApiResult<Vec<Uuid>> {
    ids.iter()
        .map(|id| crate::ids::decode_uuid(field, id, kind))
        .collect()
}
