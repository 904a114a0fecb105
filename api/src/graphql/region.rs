//! NUTS regions.

use async_graphql::{Context, ID, InputObject, Object};
use entity::region;
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{connection, fetch_ordered};
use crate::graphql::context::{load, request};
use crate::graphql::country::Country;
use crate::graphql::filters::Narrow;
use crate::graphql::loaders::{CountryByCode, RegionById};
use crate::graphql::ordering::{Order, RegionOrderField};
use crate::graphql::pagination::PageArgs;
use crate::graphql::scalars::DateTime;
use crate::graphql::versioned::Versioned;
use crate::graphql::{global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Region(pub region::Model);

impl Region {
    /// What each `Region` field reads of its row, for lists that fetch only the columns their
    /// selection reads (`graphql::projection`; the id always); `None` for a field that may
    /// read any of it, which then loads whole rows.
    pub fn reads(field: &str) -> Option<&'static [region::Column]> {
        use region::Column::*;
        Some(match field {
            "__typename" | "id" => &[],
            "nutsCode" => &[NutsCode],
            "nutsVersion" => &[NutsVersion],
            "level" => &[Level],
            "name" | "nameTranslations" => &[Name, Language],
            "country" => &[CountryCode],
            "parent" => &[ParentId],
            "updatedAt" => &[UpdatedAt],
            "version" => &[Version],
            _ => return None,
        })
    }
}

/// A NUTS region (EU statistical region) in one version of the classification, where
/// projects, organisations, resource centres and workshop venues are. Anyone may read regions.
#[Object(serial)]
impl Region {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Region, self.0.id)
    }

    /// NUTS code, e.g. `SE311`.
    async fn nuts_code(&self) -> &str {
        &self.0.nuts_code
    }

    /// The NUTS classification the code belongs to (2021, 2024): codes change between versions.
    async fn nuts_version(&self) -> i16 {
        self.0.nuts_version
    }

    /// NUTS level, 0 (country) to 3.
    async fn level(&self) -> i16 {
        self.0.level
    }

    #[graphql(flatten)]
    async fn name(&self) -> text::TranslatedName<'_> {
        text::TranslatedName::of(&self.0.name, &self.0.language)
    }

    /// The country the region lies in.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        let found = load(
            ctx,
            CountryByCode(self.0.country_code.clone(), "region.country"),
        )
        .await?;
        Ok(found.map(Country))
    }

    /// The region one NUTS level up.
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        let Some(parent) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, RegionById(parent, "region.parent"))
            .await?
            .map(Region))
    }

    #[graphql(flatten)]
    async fn versioned(&self) -> Versioned {
        Versioned::of(self.0.updated_at, self.0.version)
    }
}

/// Which regions to list; each field given narrows the list.
#[derive(InputObject, Default)]
pub struct RegionFilter {
    /// ISO country codes.
    pub countries: Option<Vec<String>>,
    /// NUTS levels (0 to 3).
    pub levels: Option<Vec<i32>>,
    /// NUTS classification year, e.g. 2024.
    pub nuts_version: Option<i32>,
    /// NUTS codes, exact.
    pub nuts_codes: Option<Vec<String>>,
    /// Words in the name (any language) or the NUTS code.
    pub search: Option<String>,
    /// Those changed at or after this instant (`updatedAt >= updatedSince`): what a partner
    /// system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

connection!(RegionConnection, RegionEdge, Region, "regions");

#[derive(Default)]
pub struct RegionQuery;

#[paged]
#[Object]
impl RegionQuery {
    /// NUTS regions, ordered by code.
    async fn regions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which regions to list; left out, all.")] filter: Option<RegionFilter>,
        #[graphql(desc = "The order, most significant key first; by NUTS code when left out.")]
        order_by: Option<Vec<Order<RegionOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<RegionConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = region::Entity::find();
        select = select.in_countries(
            "filter.countries",
            region::Column::CountryCode,
            filter.countries.as_deref(),
        )?;
        if let Some(levels) = &filter.levels {
            if levels.iter().any(|l| !(0..=3).contains(l)) {
                return Err(ApiError::bad_input(
                    "filter.levels",
                    "NUTS levels are 0 to 3",
                ));
            }
            select = select.filter(region::Column::Level.is_in(levels.iter().copied()));
        }
        if let Some(version) = filter.nuts_version {
            let version = i16::try_from(version).map_err(|_| {
                ApiError::bad_input(
                    "filter.nutsVersion",
                    "a NUTS version is a year such as 2024",
                )
            })?;
            select = select.filter(region::Column::NutsVersion.eq(version));
        }
        if let Some(codes) = &filter.nuts_codes {
            select = select.filter(
                region::Column::NutsCode.is_in(codes.iter().map(|c| c.trim().to_ascii_uppercase())),
            );
        }
        select = select.matching(filter.search.as_deref(), "region", region::Column::Id)?;
        let rc = request(ctx)?;
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(RegionConnection::new(page.map(Region), total))
    }
}
