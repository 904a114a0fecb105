//! Organisations: funders, leads, partners.

use async_graphql::{Context, ID, InputObject, Object};
use entity::organisation;
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::db::positioned::Columns;
use crate::error::ApiResult;
use crate::graphql::connection::{connection, fetch_ordered};
use crate::graphql::context::{load, request};
use crate::graphql::country::Country;
use crate::graphql::enums::OrganisationKind;
use crate::graphql::filters::Narrow;
use crate::graphql::loaders::{CountryByCode, OrganisationById, RegionById, Site};
use crate::graphql::ordering::{Order, OrganisationOrderField};
use crate::graphql::pagination::PageArgs;
use crate::graphql::record::{Record, Recorded};
use crate::graphql::region::Region;
use crate::graphql::scalars::DateTime;
use crate::graphql::viewer_can;
use crate::graphql::{global_id, projection, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Organisation(pub organisation::Model);

impl Organisation {
    /// What each `Organisation` field reads of its row, for loads that fetch only the columns
    /// their selection reads (`graphql::projection`; the id always); `None` for a field that
    /// may read any of it (`viewerCan…`), which then loads whole rows.
    pub fn reads(field: &str) -> Option<&'static [organisation::Column]> {
        use organisation::Column::*;
        Some(match field {
            "__typename" | "id" => &[],
            "name" | "nameTranslations" => &[Name, Language],
            "acronym" => &[Acronym],
            "kind" => &[Kind],
            "country" => &[CountryCode],
            "region" => &[RegionId],
            "website" => &[Website],
            "updatedAt" => &[UpdatedAt],
            "version" => &[Version],
            "illustrative" => &[Illustrative],
            "illustrativeFields" => &[IllustrativeFields],
            _ => return None,
        })
    }

    /// The columns the field being resolved reads of the organisation it answers.
    pub fn selected(ctx: &Context<'_>) -> Columns {
        projection::object_columns(&ctx.field(), Self::reads, &[organisation::Column::Id])
    }

    /// Organisation `id`, for the field being resolved at `site` (with what it reads).
    pub async fn by_id(ctx: &Context<'_>, id: Uuid, site: Site) -> ApiResult<Option<Self>> {
        let key = OrganisationById(id, site, Self::selected(ctx));
        Ok(load(ctx, key).await?.map(Self))
    }
}

/// An organisation in the programme: a funder, a project's lead or partner, a resource
/// centre's host. Anyone may read organisations.
#[Object(serial)]
impl Organisation {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Organisation, self.0.id)
    }

    #[graphql(flatten)]
    async fn name(&self) -> text::TranslatedName<'_> {
        text::TranslatedName::of(&self.0.name, &self.0.language)
    }

    /// Its acronym or short name; null when it has none.
    async fn acronym(&self) -> Option<&str> {
        self.0.acronym.as_deref()
    }

    /// What sort of organisation it is.
    async fn kind(&self) -> OrganisationKind {
        self.0.kind
    }

    /// Where it is based; `null` for international bodies.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        let Some(code) = &self.0.country_code else {
            return Ok(None);
        };
        Ok(
            load(ctx, CountryByCode(code.clone(), "organisation.country"))
                .await?
                .map(Country),
        )
    }

    /// The NUTS region it is based in; null when none is recorded.
    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        let Some(id) = self.0.region_id else {
            return Ok(None);
        };
        Ok(load(ctx, RegionById(id, "organisation.region"))
            .await?
            .map(Region))
    }

    /// Its website, an http(s) address; null when none is recorded.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }

    #[graphql(flatten)]
    async fn viewer_can(&self, ctx: &Context<'_>) -> ApiResult<viewer_can::OrganisationActions> {
        viewer_can::organisation(ctx, &self.0)
    }
}

/// Which organisations to list; each field given narrows the list.
#[derive(InputObject, Default)]
pub struct OrganisationFilter {
    /// ISO 3166-1 alpha-2 codes of the countries they are based in, any of them.
    pub countries: Option<Vec<String>>,
    /// Kinds of organisation, any of them.
    pub kinds: Option<Vec<OrganisationKind>>,
    /// Words in the name or acronym, any language.
    pub search: Option<String>,
    /// Those changed at or after this instant (`updatedAt >= updatedSince`): what a partner
    /// system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

connection!(
    OrganisationConnection,
    OrganisationEdge,
    Organisation,
    "organisations"
);

#[derive(Default)]
pub struct OrganisationQuery;

#[paged]
#[Object]
impl OrganisationQuery {
    /// Organisations, oldest first.
    async fn organisations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which organisations to list; left out, all.")] filter: Option<
            OrganisationFilter,
        >,
        #[graphql(desc = "The order, most significant key first; oldest first when left out.")]
        order_by: Option<Vec<Order<OrganisationOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<OrganisationConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = organisation::Entity::find();
        select = select.in_countries(
            "filter.countries",
            organisation::Column::CountryCode,
            filter.countries.as_deref(),
        )?;
        if let Some(kinds) = &filter.kinds {
            select = select.filter(organisation::Column::Kind.is_in(kinds.iter().copied()));
        }
        select = select.matching(
            filter.search.as_deref(),
            "organisation",
            organisation::Column::Id,
        )?;
        let rc = request(ctx)?;
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(OrganisationConnection::new(page.map(Organisation), total))
    }
}
