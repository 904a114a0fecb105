//! Entities for Mosaic's tables as `sea-orm-cli generate entity --seaography` writes them
//! (every column, relations from the foreign keys), for the tables page (a) reads. Enum
//! columns are the strings the tables hold.

pub mod funding;
pub mod organisation;
pub mod project;
pub mod project_participant;
pub mod project_region;
pub mod region;
pub mod workshop;

seaography::register_entity_modules!([
    funding,
    organisation,
    project,
    project_participant,
    project_region,
    region,
    workshop,
]);
