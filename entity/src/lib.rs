//! SeaORM entities: one module per table, data only. No business rules live here.

/// A model read from a row by column position (`#[derive(ByPosition)]` on every model): field
/// `i` from column `i`, which is where `Entity::find()` selects it. Reading by name costs a
/// formatted name and a hash lookup per column.
pub trait ByPosition: Sized {
    fn by_position(row: &sea_orm::QueryResult) -> Result<Self, sea_orm::DbErr>;

    /// The model from a row that holds only the columns whose bits are set in `carried` (bit
    /// `i` for field `i`), in field order. Every other field holds its `Placeholder`: for
    /// reads that show none of those fields.
    fn carrying(row: &sea_orm::QueryResult, carried: u64) -> Result<Self, sea_orm::DbErr> {
        Self::carrying_from(row, carried, 0)
    }

    /// `carrying` from a row whose columns of this model start at position `start`: a row
    /// joined after another's in one statement.
    fn carrying_from(
        row: &sea_orm::QueryResult,
        carried: u64,
        start: usize,
    ) -> Result<Self, sea_orm::DbErr>;
}

/// What a field of a model holds when its column was not fetched (`ByPosition::carrying`).
pub trait Placeholder {
    fn placeholder() -> Self;
}

macro_rules! placeholder {
    ($($type:ty => $value:expr),+ $(,)?) => {$(
        impl Placeholder for $type {
            fn placeholder() -> Self {
                $value
            }
        }
    )+};
}

placeholder!(
    bool => false,
    i16 => 0,
    i32 => 0,
    i64 => 0,
    String => String::new(),
    sea_orm::prelude::Uuid => sea_orm::prelude::Uuid::nil(),
    sea_orm::prelude::Json => sea_orm::prelude::Json::Null,
    sea_orm::prelude::DateTimeUtc => sea_orm::prelude::DateTimeUtc::UNIX_EPOCH,
    sea_orm::prelude::Date => sea_orm::prelude::Date::default(),
    sea_orm::prelude::Time => sea_orm::prelude::Time::MIN,
);

impl<T> Placeholder for Option<T> {
    fn placeholder() -> Self {
        None
    }
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
