//! SeaORM entities: one module per table, data only. No business rules live here.

pub mod api_token;
pub mod audit_event;
pub mod budget_line;
pub mod contact;
pub mod country;
pub mod document_link;
pub mod enums;
pub mod exchange_rate;
pub mod funding;
pub mod funding_year;
pub mod milestone;
pub mod organisation;
pub mod programme;
pub mod programme_country;
pub mod programme_funder;
pub mod project;
pub mod project_classification;
pub mod project_country;
pub mod project_participant;
pub mod project_region;
pub mod region;
pub mod registration;
pub mod resource_centre;
pub mod search_word;
pub mod workshop;
pub mod workshop_agenda_item;
