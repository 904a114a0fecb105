//! What `fundingSummary` and `participationSummary` share: group keys read from grouped SQL
//! rows, ordered the same way on every database.

use sea_orm::sea_query::{Alias, Expr, SelectStatement};
use sea_orm::{ActiveEnum, QueryResult};
use uuid::Uuid;

pub use crate::db::sql::{sum, year};
use crate::error::{ApiError, ApiResult};

/// The most dimensions a summary groups by (every dimension once).
pub const MAX_DIMENSIONS: usize = 11;

/// One dimension's value in a group key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Part {
    Int(i32),
    Text(String),
    Id(Uuid),
}

/// How a dimension's column is read back.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Int,
    Text,
    Id,
}

/// A group key: one optional part per requested dimension, in the order requested. `None`
/// (no region, say) sorts last.
pub type Key = Vec<Option<Part>>;

/// A dimension of a summary: the column alias it is read back from and what it holds.
pub trait Dimension: Copy + PartialEq {
    fn alias(self) -> &'static str;
    fn kind(self) -> Kind;
}

/// The group key of a grouped row, one part per dimension.
pub fn read_key<D: Dimension>(row: &QueryResult, dimensions: &[D]) -> ApiResult<Key> {
    dimensions
        .iter()
        .map(|d| read(row, d.alias(), d.kind()))
        .collect()
}

/// The part of `key` for `dimension`, if the summary was grouped by it.
pub fn part<'k, D: Dimension>(dimensions: &[D], key: &'k Key, dimension: D) -> Option<&'k Part> {
    dimensions
        .iter()
        .position(|d| *d == dimension)
        .and_then(|i| key[i].as_ref())
}

/// Selects `expr` as `alias` and groups by it.
pub fn dimension(select: &mut SelectStatement, expr: Expr, alias: &str) {
    select.expr_as(expr.clone(), Alias::new(alias));
    select.add_group_by([expr]);
}

pub fn read(row: &QueryResult, alias: &str, kind: Kind) -> ApiResult<Option<Part>> {
    Ok(match kind {
        Kind::Int => row.try_get::<Option<i32>>("", alias)?.map(Part::Int),
        Kind::Text => row.try_get::<Option<String>>("", alias)?.map(Part::Text),
        Kind::Id => row.try_get::<Option<Uuid>>("", alias)?.map(Part::Id),
    })
}

/// Sorts keys part by part, `None` last, identically on every database.
pub fn sort_key(key: &Key) -> Vec<(bool, Option<&Part>)> {
    key.iter().map(|p| (p.is_none(), p.as_ref())).collect()
}

pub fn text(part: Option<&Part>) -> Option<&str> {
    match part {
        Some(Part::Text(t)) => Some(t),
        _ => None,
    }
}

pub fn id(part: Option<&Part>) -> Option<Uuid> {
    match part {
        Some(Part::Id(id)) => Some(*id),
        _ => None,
    }
}

pub fn int(part: Option<&Part>) -> Option<i32> {
    match part {
        Some(Part::Int(n)) => Some(*n),
        _ => None,
    }
}

/// A stored vocabulary value read back from a grouped column.
pub fn vocabulary<E: ActiveEnum<Value = String>>(part: Option<&Part>) -> ApiResult<Option<E>> {
    text(part)
        .map(|value| E::try_from_value(&value.to_owned()).map_err(ApiError::internal))
        .transpose()
}

/// Deduplicates dimensions, keeping the order asked for.
pub fn distinct<D: PartialEq + Copy>(group_by: &[D]) -> Vec<D> {
    let mut out: Vec<D> = Vec::new();
    for d in group_by {
        if !out.contains(d) {
            out.push(*d);
        }
    }
    out
}

/// Loaders for the objects a group key names; each site batches on its own (see `Site`).
pub mod objects {
    use async_graphql::Context;
    use uuid::Uuid;

    use crate::error::ApiResult;
    use crate::graphql::context::load;
    use crate::graphql::country::Country;
    use crate::graphql::loaders::{CountryByCode, ProjectById, RegionById, Site, WorkshopById};
    use crate::graphql::organisation::Organisation;
    use crate::graphql::programme::{Programme, ProgrammeById};
    use crate::graphql::project::Project;
    use crate::graphql::region::Region;
    use crate::graphql::workshop::Workshop;

    pub async fn country(
        ctx: &Context<'_>,
        code: Option<&str>,
        site: Site,
    ) -> ApiResult<Option<Country>> {
        let Some(code) = code else { return Ok(None) };
        Ok(load(ctx, CountryByCode(code.to_owned(), site))
            .await?
            .map(Country))
    }

    pub async fn region(
        ctx: &Context<'_>,
        id: Option<Uuid>,
        site: Site,
    ) -> ApiResult<Option<Region>> {
        let Some(id) = id else { return Ok(None) };
        Ok(load(ctx, RegionById(id, site)).await?.map(Region))
    }

    pub async fn organisation(
        ctx: &Context<'_>,
        id: Option<Uuid>,
        site: Site,
    ) -> ApiResult<Option<Organisation>> {
        let Some(id) = id else { return Ok(None) };
        Organisation::by_id(ctx, id, site).await
    }

    pub async fn project(
        ctx: &Context<'_>,
        id: Option<Uuid>,
        site: Site,
    ) -> ApiResult<Option<Project>> {
        let Some(id) = id else { return Ok(None) };
        Ok(load(ctx, ProjectById(id, site)).await?.map(Project))
    }

    pub async fn programme(ctx: &Context<'_>, id: Option<Uuid>) -> ApiResult<Option<Programme>> {
        let Some(id) = id else { return Ok(None) };
        Ok(load(ctx, ProgrammeById(id)).await?.map(Programme))
    }

    pub async fn workshop(
        ctx: &Context<'_>,
        id: Option<Uuid>,
        site: Site,
    ) -> ApiResult<Option<Workshop>> {
        let Some(id) = id else { return Ok(None) };
        Ok(load(ctx, WorkshopById(id, site)).await?.map(Workshop))
    }
}
