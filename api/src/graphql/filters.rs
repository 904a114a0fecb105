//! Pieces shared by the list filters: code lists and text search.

use async_graphql::ID;
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr, SimpleExpr};
use uuid::Uuid;

use crate::domain::codes::CountryCode;
use crate::graphql::errors::{ApiError, ApiResult};
use crate::graphql::node;

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
pub fn ids(field: &str, ids: &[ID], kind: &str) -> ApiResult<Vec<Uuid>> {
    ids.iter()
        .map(|id| node::decode_uuid(field, id, kind))
        .collect()
}

pub const MAX_SEARCH_LENGTH: usize = 200;

/// A case-insensitive substring match over stored text (translations included). `columns` are
/// static `table.column` names, never user input; the term is bound as a parameter.
pub fn search(field: &str, term: &str, columns: &[(&str, &str)]) -> ApiResult<Option<SimpleExpr>> {
    let term = term.trim();
    if term.chars().count() > MAX_SEARCH_LENGTH {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` must be at most {MAX_SEARCH_LENGTH} characters"),
        ));
    }
    if term.is_empty() {
        return Ok(None);
    }
    let escaped = term
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let mut any: Option<SimpleExpr> = None;
    for (table, column) in columns {
        let matches = Expr::cust(format!("LOWER(CAST(\"{table}\".\"{column}\" AS TEXT))"))
            .like(LikeExpr::new(pattern.clone()).escape('\\'));
        any = Some(match any {
            Some(previous) => previous.or(matches),
            None => matches,
        });
    }
    Ok(any)
}
