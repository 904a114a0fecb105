//! The GraphQL schema: one module per entity (types, filters, queries), plus the shared
//! machinery (errors, paging, loaders, translations, global ids).

pub mod batches;
pub mod connection;
pub mod contact;
pub mod context;
pub mod country;
pub mod enums;
pub mod errors;
pub mod filters;
pub mod funding;
pub mod loaders;
pub mod node;
pub mod organisation;
pub mod pagination;
pub mod project;
pub mod region;
pub mod resource_centre;
pub mod text;
pub mod viewer;
pub mod workshop;

use async_graphql::{EmptyMutation, EmptySubscription, MergedObject, Schema, SchemaBuilder};

#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    viewer::ViewerQuery,
    country::CountryQuery,
    region::RegionQuery,
    organisation::OrganisationQuery,
    resource_centre::ResourceCentreQuery,
    project::ProjectQuery,
    workshop::WorkshopQuery,
);

pub type MosaicSchema = Schema<Query, EmptyMutation, EmptySubscription>;

fn builder() -> SchemaBuilder<Query, EmptyMutation, EmptySubscription> {
    Schema::build(Query::default(), EmptyMutation, EmptySubscription)
}

/// The executable schema. Per-request data (caller, loaders) is attached by the HTTP layer.
pub fn build() -> MosaicSchema {
    builder().finish()
}

/// The schema as SDL, exactly as served at `/schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}
