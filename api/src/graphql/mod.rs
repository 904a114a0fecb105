//! The GraphQL schema: one module per entity (types, filters, queries), plus the shared
//! machinery (errors, paging, loaders, translations, global ids).
//!
//! Objects whose fields are mostly columns of their row are `serial`: their fields run one
//! after another instead of as one task each, which took about 9 % off the CPU of a page of 50
//! projects (bench/RESULTS.md). Items of a list still run side by side, so a level's loader
//! keys still meet in one batch. `Project`, `ResourceCentre` and the roots stay concurrent:
//! several of their fields each wait for a batch.

pub mod api_token;
pub mod audit_event;
pub mod batches;
pub mod budget;
pub mod complexity;
pub mod connection;
pub mod contact;
pub mod context;
pub mod count_loaders;
pub mod country;
pub mod country_write;
pub mod dates;
pub mod document_link;
pub mod document_link_write;
pub mod enums;
pub mod exchange_rate_write;
pub mod filters;
pub mod funding;
pub mod funding_counting;
pub mod funding_summary;
pub mod funding_write;
pub mod global_id;
pub mod indicator_period_write;
pub mod loaders;
pub mod money;
pub mod node;
pub mod ordering;
pub mod organisation;
pub mod pagination;
pub mod participation_summary;
pub mod personal_data;
pub mod programme;
pub mod programme_write;
pub mod project;
pub mod project_input;
pub mod project_list;
pub mod project_parts_write;
pub mod project_summary;
pub mod project_write;
pub mod projection;
pub mod provenance;
pub mod record;
pub mod reference_write;
pub mod region;
pub mod registration;
pub mod registration_write;
pub mod resource_centre;
pub mod resource_centre_write;
pub mod result;
pub mod result_summary;
pub mod result_write;
pub mod scalars;
pub mod summary;
pub mod term;
pub mod term_write;
pub mod text;
pub mod text_input;
pub mod versioned;
pub mod viewer;
pub mod viewer_can;
pub mod workshop;
pub mod workshop_events;
pub mod workshop_pages;
pub mod workshop_write;
pub mod writing;

use async_graphql::{MergedObject, Schema, SchemaBuilder};

use workshop_events::Subscription;

/// Everything Mosaic lets you read. Anonymous callers see published data; a token adds
/// what its role and countries may see (see `viewer`).
#[derive(MergedObject, Default)]
pub struct Query(
    node::NodeQuery,
    viewer::ViewerQuery,
    country::CountryQuery,
    region::RegionQuery,
    organisation::OrganisationQuery,
    resource_centre::ResourceCentreQuery,
    programme::ProgrammeQuery,
    term::TermQuery,
    project_list::ProjectQuery,
    workshop::WorkshopQuery,
    registration::MyRegistrationQuery,
    personal_data::PersonalDataQuery,
    api_token::ApiTokenQuery,
    audit_event::AuditEventQuery,
    funding_summary::FundingSummaryQuery,
    participation_summary::ParticipationSummaryQuery,
    project_summary::ProjectSummaryQuery,
    result_summary::ResultSummaryQuery,
);

/// Every change Mosaic accepts. Each runs in one transaction: it is either made whole and
/// audited, or refused with an error code naming the input field, changing nothing.
#[derive(MergedObject, Default)]
pub struct Mutation(
    project_write::ProjectMutation,
    workshop_write::WorkshopMutation,
    registration_write::RegistrationMutation,
    reference_write::ReferenceMutation,
    resource_centre_write::ResourceCentreMutation,
    project_parts_write::ProjectPartsMutation,
    funding_write::FundingMutation,
    exchange_rate_write::ExchangeRateMutation,
    country_write::CountryMutation,
    programme_write::ProgrammeMutation,
    document_link_write::DocumentLinkMutation,
    result_write::ResultMutation,
    indicator_period_write::IndicatorPeriodMutation,
    term_write::TermMutation,
    api_token::ApiTokenMutation,
);

pub type MosaicSchema = Schema<Query, Mutation, Subscription>;

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// The executable schema. Per-request data (caller, loaders) is attached by the HTTP layer;
/// `events` is where writes announce workshop changes and subscriptions hear them;
/// `countries` is what credentials are checked against, forgotten when a country changes.
/// In production, unknown names get no "Did you mean" suggestions.
pub fn build(
    config: &crate::config::Config,
    events: crate::events::Events,
    countries: std::sync::Arc<crate::auth::countries::KnownCountries>,
) -> MosaicSchema {
    let builder = builder()
        .data(events)
        .data(countries)
        .data(crate::writes::registration::RegistrationLimits::new(
            &config.limits,
        ))
        .limit_complexity(config.limits.max_complexity as usize);
    if config.is_production() {
        builder.disable_suggestions().finish()
    } else {
        builder.finish()
    }
}

/// The schema as SDL, exactly as served at `/schema.graphql`.
pub fn sdl() -> String {
    builder()
        .finish()
        .sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}
