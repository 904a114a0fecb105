//! Regional resource centres and the action areas they work in.

use async_graphql::{Context, ID, InputObject, Object};
use entity::{region, resource_centre};
use mosaic_macros::paged;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::domain::text::string_list;
use crate::error::ApiResult;
use crate::graphql::connection::{connection, fetch_ordered};
use crate::graphql::context::{load, request};
use crate::graphql::document_link::{DocumentLink, Owner, documents_of};
use crate::graphql::filters::Narrow;
use crate::graphql::loaders::RegionById;
use crate::graphql::ordering::{Order, ResourceCentreOrderField};
use crate::graphql::organisation::Organisation;
use crate::graphql::pagination::PageArgs;
use crate::graphql::region::Region;
use crate::graphql::scalars::DateTime;
use crate::graphql::term::Term;
use crate::graphql::versioned::Versioned;
use crate::graphql::{filters, global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct ResourceCentre(pub resource_centre::Model);

/// A regional resource centre for gender equality: hosted by an organisation in a region,
/// working in action areas. Anyone may read resource centres.
#[Object]
impl ResourceCentre {
    /// Opaque global id, for `node(id:)`.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::ResourceCentre, self.0.id)
    }

    #[graphql(flatten)]
    async fn name(&self) -> text::TranslatedName<'_> {
        text::TranslatedName::of(&self.0.name, &self.0.language)
    }

    /// The region it works in.
    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        Ok(
            load(ctx, RegionById(self.0.region_id, "resource_centre.region"))
                .await?
                .map(Region),
        )
    }

    /// The organisation that hosts it.
    async fn host_organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        Organisation::by_id(ctx, self.0.host_organisation_id, "resource_centre.host").await
    }

    /// The areas it works in, as terms (`terms(vocabulary: ACTION_AREA)`): the Swedish
    /// programme's five, or a country's own.
    async fn action_areas(&self, ctx: &Context<'_>) -> ApiResult<Vec<Term>> {
        Term::all(
            ctx,
            entity::enums::ClassificationVocabulary::ActionArea,
            string_list(&self.0.action_areas),
        )
        .await
    }

    /// Its documents and links, in order.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<DocumentLink>> {
        documents_of(ctx, Owner::ResourceCentre, self.0.id).await
    }

    /// Its website, an http(s) address; null when none is recorded.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    #[graphql(flatten)]
    async fn versioned(&self) -> Versioned {
        Versioned::of(self.0.updated_at, self.0.version)
    }
}

/// Which resource centres to list; each field given narrows the list.
#[derive(InputObject, Default)]
pub struct ResourceCentreFilter {
    /// ISO codes of the countries of their regions.
    pub countries: Option<Vec<String>>,
    /// Words in the name, any language.
    pub search: Option<String>,
    /// Those changed at or after this instant (`updatedAt >= updatedSince`): what a partner
    /// system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

connection!(
    ResourceCentreConnection,
    ResourceCentreEdge,
    ResourceCentre,
    "resource centres"
);

#[derive(Default)]
pub struct ResourceCentreQuery;

#[paged]
#[Object]
impl ResourceCentreQuery {
    /// Regional resource centres, oldest first.
    async fn resource_centres(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which resource centres to list; left out, all.")] filter: Option<
            ResourceCentreFilter,
        >,
        #[graphql(desc = "The order, most significant key first; oldest first when left out.")]
        order_by: Option<Vec<Order<ResourceCentreOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<ResourceCentreConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = resource_centre::Entity::find();
        if let Some(countries) = &filter.countries {
            let codes = filters::countries("filter.countries", countries)?;
            select = select.filter(
                resource_centre::Column::RegionId.in_subquery(
                    region::Entity::find()
                        .select_only()
                        .column(region::Column::Id)
                        .filter(region::Column::CountryCode.is_in(codes))
                        .into_query(),
                ),
            );
        }
        select = select.matching(
            filter.search.as_deref(),
            "resource_centre",
            resource_centre::Column::Id,
        )?;
        let rc = request(ctx)?;
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(ResourceCentreConnection::new(
            page.map(ResourceCentre),
            total,
        ))
    }
}
