//! SeaORM entities: one module per table, data only. No business rules live here.

/// A model read from a row by column position (`#[derive(ByPosition)]` on every model): field
/// `i` from column `i`, which is where `Entity::find()` selects it. Reading by name costs a
/// formatted name and a hash lookup per column.
pub trait ByPosition: Sized {
    fn by_position(row: &sea_orm::QueryResult) -> Result<Self, sea_orm::DbErr>;
}

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
pub mod indicator;
pub mod indicator_period;
pub mod milestone;
pub mod organisation;
pub mod persisted_document;
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
pub mod result;
pub mod search_word;
pub mod term;
pub mod workshop;
pub mod workshop_agenda_item;
