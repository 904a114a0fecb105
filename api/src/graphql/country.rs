//! Countries of the programme.

use async_graphql::{Context, ID, Object};
use entity::country;
use sea_orm::{EntityTrait, QueryOrder};

use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::{global_id, text};
use crate::ids::Kind;

pub struct Country(pub country::Model);

#[Object(serial)]
impl Country {
    pub async fn id(&self) -> ID {
        global_id::encode(Kind::Country, &self.0.code)
    }

    /// ISO 3166-1 alpha-2 code, e.g. `SE`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// Name in `lang`, else the `Accept-Language` preference, else the original.
    async fn name(&self, ctx: &Context<'_>, lang: Option<String>) -> ApiResult<Option<String>> {
        text::pick(ctx, &self.0.name, &self.0.default_language, lang)
    }

    async fn name_translations(&self) -> Vec<text::Translation> {
        text::all(&self.0.name, &self.0.default_language)
    }

    async fn default_language(&self) -> &str {
        &self.0.default_language
    }

    /// ISO 4217 code of the national currency.
    async fn currency(&self) -> &str {
        &self.0.currency
    }

    /// IANA time zone, e.g. `Europe/Stockholm`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }
}

#[derive(Default)]
pub struct CountryQuery;

#[Object]
impl CountryQuery {
    /// The programme's countries, by code.
    async fn countries(&self, ctx: &Context<'_>) -> ApiResult<Vec<Country>> {
        let rows = country::Entity::find()
            .order_by_asc(country::Column::Code)
            .all(&request(ctx)?.db)
            .await?;
        Ok(rows.into_iter().map(Country).collect())
    }
}
