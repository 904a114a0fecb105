//! Countries (admins), through the write pipeline: a new partner country is onboarded over
//! the API, and whether a country is a programme member (with coordinators) is data.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use entity::country;
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, Condition, EntityTrait, QueryFilter,
};

use crate::access;
use crate::auth::countries::KnownCountries;
use crate::domain::codes::{CountryCode, Language, input_currency, nuts_prefix};
use crate::domain::workshop::time_zone;
use crate::error::{ApiError, ApiResult};
use crate::graphql::country::Country;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::writing::committed;
use crate::writes::{Write, changed};

const NAME: TextField = TextField::required("input.name", 100);

/// A new country.
#[derive(InputObject)]
pub struct CreateCountryInput {
    /// ISO 3166-1 alpha-2 code, e.g. NO.
    pub code: String,
    /// Its default language, in which its name is written first, e.g. `nb`.
    pub default_language: String,
    /// Its name, in the default language at least.
    pub name: Vec<TranslationInput>,
    /// ISO 4217 code of its currency, e.g. NOK.
    pub currency: String,
    /// IANA time zone, e.g. Europe/Oslo.
    pub time_zone: String,
    /// Members have coordinators and own projects; other countries host partners and places.
    pub programme_member: bool,
    /// The two letters its NUTS codes start with when they are not its code (EL for GR);
    /// blank for a country outside NUTS. Left out: its code.
    pub nuts_prefix: Option<String>,
}

/// What to change on a country; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateCountryInput {
    /// The country's ISO code.
    pub code: String,
    /// The `version` you read; a newer one answers CONFLICT and changes nothing.
    pub expected_version: i32,
    /// Its default language; the name (given here or kept) must have a text in it.
    pub default_language: Option<String>,
    /// Replaces all language versions of the name.
    pub name: Option<Vec<TranslationInput>>,
    /// ISO 4217 code of its currency, e.g. NOK.
    pub currency: Option<String>,
    /// IANA time zone, e.g. Europe/Oslo.
    pub time_zone: Option<String>,
    /// Whether it takes part: leaving the programme ends its coordinators' access (within
    /// ten seconds on every instance); its projects are then the admins' to manage.
    pub programme_member: Option<bool>,
}

/// What `createCountry` and `updateCountry` answer.
#[derive(SimpleObject)]
pub struct CountryPayload {
    /// The country as stored, with its new `version`.
    pub country: Country,
}

fn only_admins(write: &Write<'_>) -> ApiResult<()> {
    access::require_programme_manager(write.caller(), "manage countries")
}

fn language(field: &str, value: &str) -> ApiResult<String> {
    Language::parse(value)
        .map(|l| l.as_str().to_owned())
        .map_err(|m| ApiError::bad_input(field, m))
}

#[derive(Default)]
pub struct CountryMutation;

#[Object]
impl CountryMutation {
    /// Adds a country (admins): a programme member, whose coordinators can then be given
    /// tokens, or a country that hosts partners and places.
    async fn create_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country to add.")] input: CreateCountryInput,
    ) -> ApiResult<CountryPayload> {
        let created = committed(ctx, async |write| {
            only_admins(write)?;
            let code = CountryCode::assigned(&input.code)
                .map_err(|m| ApiError::bad_input("input.code", m))?
                .into_inner();
            let default_language = language("input.defaultLanguage", &input.default_language)?;
            let name = NAME.stored(&input.name, &default_language)?;
            let prefix = match input.nuts_prefix.as_deref().map(str::trim) {
                None => Some(code.clone()),
                Some("") => None,
                Some(value) => Some(
                    nuts_prefix(value).map_err(|m| ApiError::bad_input("input.nutsPrefix", m))?,
                ),
            };
            let clash = country::Entity::find()
                .filter(
                    Condition::any()
                        .add(country::Column::Code.eq(&code))
                        .add(country::Column::NutsPrefix.is_in(prefix.clone())),
                )
                .one(write.txn())
                .await?;
            if let Some(existing) = clash {
                let (field, what) = if existing.code == code {
                    ("input.code", format!("{code} is a country already"))
                } else {
                    (
                        "input.nutsPrefix",
                        format!("{} starts the NUTS codes of {}", existing.code, code),
                    )
                };
                return Err(ApiError::bad_input(field, what));
            }
            let row = country::ActiveModel {
                updated_at: NotSet,
                code: Set(code),
                name: Set(name),
                default_language: Set(default_language),
                currency: Set(input_currency(&input.currency)?),
                time_zone: Set(time_zone(&input.time_zone)?),
                programme_member: Set(input.programme_member),
                nuts_prefix: Set(prefix),
                version: Set(1),
            };
            write.insert("createCountry", row).await
        })
        .await?;
        Ok(CountryPayload {
            country: Country(created),
        })
    }

    /// Changes a country (admins).
    async fn update_country(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country and what to change on it.")] input: UpdateCountryInput,
    ) -> ApiResult<CountryPayload> {
        let updated = committed(ctx, async |write| {
            only_admins(write)?;
            let code = CountryCode::parse(&input.code)
                .map_err(|m| ApiError::bad_input("input.code", m))?
                .into_inner();
            let current = write
                .find::<country::Entity>(code, Condition::all())
                .await?;
            let default_language = match input.default_language.as_deref() {
                Some(value) => language("input.defaultLanguage", value)?,
                None => current.default_language.clone(),
            };
            let name = match input.name.as_deref() {
                Some(list) => Some(NAME.stored(list, &default_language)?),
                None if current.name.get(&default_language).is_none() => {
                    return Err(ApiError::bad_input(
                        "input.defaultLanguage",
                        format!("the name has no text in `{default_language}`: give one"),
                    ));
                }
                None => None,
            };
            let changes = country::ActiveModel {
                default_language: Set(default_language),
                name: changed(name),
                currency: changed(input.currency.as_deref().map(input_currency).transpose()?),
                time_zone: changed(input.time_zone.as_deref().map(time_zone).transpose()?),
                programme_member: changed(input.programme_member),
                ..Default::default()
            };
            write
                .update("updateCountry", &current, input.expected_version, changes)
                .await
        })
        .await?;
        // Its coordinators' credentials are checked against the new membership from now on.
        if let Ok(known) = ctx.data::<Arc<KnownCountries>>() {
            known.forget();
        }
        Ok(CountryPayload {
            country: Country(updated),
        })
    }
}
