//! Countries: the programme's members, and the countries that host its partners and places.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object};
use entity::{country, project_country};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::loaders::{Loaders, group, hash_by_id, shared};
use crate::graphql::versioned::Versioned;
use crate::graphql::{global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Country(pub country::Model);

/// The countries a project works in, owner first (`project_country`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountriesOfProject(pub Uuid);
hash_by_id!(CountriesOfProject, |key| key.0);

#[derive(FromQueryResult)]
struct CountryOfProject {
    of_project: Uuid,
    #[sea_orm(nested)]
    country: country::Model,
}

/// Every asked project's countries joined in one statement.
impl Loader<CountriesOfProject> for Loaders {
    type Value = Arc<Vec<country::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CountriesOfProject],
    ) -> ApiResult<HashMap<CountriesOfProject, Self::Value>> {
        let link = project_country::Entity::belongs_to(country::Entity)
            .from(project_country::Column::CountryCode)
            .to(country::Column::Code)
            .into();
        let rows = country::Entity::find()
            .column_as(project_country::Column::ProjectId, "of_project")
            .join_rev(JoinType::InnerJoin, link)
            .filter(project_country::Column::ProjectId.is_in(keys.iter().map(|k| k.0)))
            .order_by_desc(project_country::Column::Owner)
            .order_by_asc(country::Column::Code)
            .into_model::<CountryOfProject>()
            .all(&self.db)
            .await?;
        Ok(shared(group(rows, |r| {
            (CountriesOfProject(r.of_project), r.country)
        })))
    }
}

/// A country Mosaic knows: a programme member, which has coordinators and owns projects, or
/// a country that hosts partner organisations and places. Anyone may read countries.
#[Object(serial)]
impl Country {
    /// Opaque global id, for `node(id:)`; `code` is the ISO code.
    pub async fn id(&self) -> ID {
        global_id::encode(Kind::Country, &self.0.code)
    }

    /// ISO 3166-1 alpha-2 code, e.g. `SE`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    #[graphql(flatten)]
    async fn name(&self) -> text::TranslatedName<'_> {
        text::TranslatedName::of(&self.0.name, &self.0.default_language)
    }

    /// Language code of its default language, e.g. `sv`: the original language of its name.
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

    /// Whether it takes part in the programme: members have coordinators and own projects;
    /// other countries host partner organisations and places.
    async fn programme_member(&self) -> bool {
        self.0.programme_member
    }

    /// The two letters its NUTS region codes start with: its code, but `EL` for Greece;
    /// `null` outside NUTS.
    async fn nuts_prefix(&self) -> Option<&str> {
        self.0.nuts_prefix.as_deref()
    }

    #[graphql(flatten)]
    async fn versioned(&self) -> Versioned {
        Versioned::of(self.0.updated_at, self.0.version)
    }
}

#[derive(Default)]
pub struct CountryQuery;

#[Object]
impl CountryQuery {
    /// The countries Mosaic knows, by code; `programmeMember` keeps members (`true`) or the
    /// others (`false`). A bounded list: a few dozen at most.
    async fn countries(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "`true`: only programme members; `false`: only the other countries; \
                          left out: all."
        )]
        programme_member: Option<bool>,
    ) -> ApiResult<Vec<Country>> {
        let mut select = country::Entity::find();
        if let Some(member) = programme_member {
            select = select.filter(country::Column::ProgrammeMember.eq(member));
        }
        let rows = select
            .order_by_asc(country::Column::Code)
            .all(&request(ctx)?.db)
            .await?;
        Ok(rows.into_iter().map(Country).collect())
    }
}
