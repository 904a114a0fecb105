//! Pieces shared by the list filters: code and id lists. (Text search: `crate::search`.)

use async_graphql::ID;
use chrono::{Datelike, NaiveDate};
use sea_orm::{ColumnTrait, Condition, QueryFilter};
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

/// The narrowings most lists share, each applied only when its filter field is given.
pub trait Narrow: QueryFilter + Sized {
    /// Rows whose `column` holds one of the ISO country codes `codes` (named `field`).
    fn in_countries(
        self,
        field: &str,
        column: impl ColumnTrait,
        codes: Option<&[String]>,
    ) -> ApiResult<Self> {
        Ok(match codes {
            Some(codes) => self.filter(column.is_in(countries(field, codes)?)),
            None => self,
        })
    }

    /// Rows that match every word of `filter.search` (`crate::search`).
    fn matching(
        self,
        term: Option<&str>,
        kind: &'static str,
        id: impl ColumnTrait,
    ) -> ApiResult<Self> {
        let condition = crate::search::condition("filter.search", term.unwrap_or(""), kind, id)?;
        Ok(match condition {
            Some(condition) => self.filter(condition),
            None => self,
        })
    }
}

impl<Q: QueryFilter> Narrow for Q {}

/// Decodes a list of global ids of one kind.
pub fn ids(field: &str, ids: &[ID], kind: Kind) -> ApiResult<Vec<Uuid>> {
    ids.iter()
        .map(|id| crate::ids::decode_uuid(field, id, kind))
        .collect()
}

const FIRST_YEAR: i32 = 1900;
const LAST_YEAR: i32 = 2200;

fn year_start(field: &str, year: i32) -> ApiResult<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .filter(|_| (FIRST_YEAR..=LAST_YEAR).contains(&year))
        .ok_or_else(|| {
            ApiError::bad_input(
                field,
                format!("a year is between {FIRST_YEAR} and {LAST_YEAR}"),
            )
        })
}

/// `filter.yearFrom`..=`filter.yearTo` (either may be left out) as a range of `date`, which
/// an index on it serves.
pub fn years(date: impl ColumnTrait, from: Option<i32>, to: Option<i32>) -> ApiResult<Condition> {
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ApiError::bad_input(
            "filter.yearTo",
            "`yearTo` is before `yearFrom`",
        ));
    }
    let mut c = Condition::all();
    if let Some(from) = from {
        c = c.add(date.gte(year_start("filter.yearFrom", from)?));
    }
    if let Some(to) = to {
        let next = year_start("filter.yearTo", to)?
            .with_year(to + 1)
            .ok_or_else(|| ApiError::bad_input("filter.yearTo", "not a year"))?;
        c = c.add(date.lt(next));
    }
    Ok(c)
}
