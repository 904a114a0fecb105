//! Programmes and funds: what projects run under, who manages and funds them, which
//! countries they cover, their period and budget, and the programme they belong to. Public
//! reference data, like organisations.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, InputObject, Object};
use entity::{country, organisation, programme, programme_country, programme_funder};
use mosaic_macros::paged;
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect,
    QueryTrait, RelationDef,
};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::graphql::connection::{connection, fetch_ordered};
use crate::graphql::context::{load, load_all, request};
use crate::graphql::country::Country;
use crate::graphql::document_link::{DocumentLink, Owner, documents_of};
use crate::graphql::loaders::{Loaders, group, hash_by_id, shared};
use crate::graphql::money::Money;
use crate::graphql::ordering::{Order, ProgrammeOrderField};
use crate::graphql::organisation::Organisation;
use crate::graphql::pagination::PageArgs;
use crate::graphql::record::{Record, Recorded};
use crate::graphql::scalars::Date;
use crate::graphql::scalars::DateTime;
use crate::graphql::{filters, global_id, text};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Programme(pub programme::Model);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgrammeById(pub Uuid);
hash_by_id!(ProgrammeById, |key| key.0);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildrenOfProgramme(pub Uuid);
hash_by_id!(ChildrenOfProgramme, |key| key.0);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundersOfProgramme(pub Uuid);
hash_by_id!(FundersOfProgramme, |key| key.0);
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountriesOfProgramme(pub Uuid);
hash_by_id!(CountriesOfProgramme, |key| key.0);

impl Loader<ProgrammeById> for Loaders {
    type Value = Arc<programme::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[ProgrammeById]) -> ApiResult<HashMap<ProgrammeById, Self::Value>> {
        let rows = programme::Entity::find()
            .filter(programme::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (ProgrammeById(m.id), Arc::new(m)))
            .collect())
    }
}

impl Loader<ChildrenOfProgramme> for Loaders {
    type Value = Arc<Vec<programme::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ChildrenOfProgramme],
    ) -> ApiResult<HashMap<ChildrenOfProgramme, Self::Value>> {
        let rows = programme::Entity::find()
            .filter(programme::Column::ParentId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(programme::Column::Code)
            .all(&self.db)
            .await?;
        Ok(shared(group(rows, |r| {
            (ChildrenOfProgramme(r.parent_id.unwrap_or_default()), r)
        })))
    }
}

#[derive(FromQueryResult)]
struct Linked<M: FromQueryResult> {
    of_programme: Uuid,
    #[sea_orm(nested)]
    row: M,
}

/// Rows of `E` linked to the asked programmes through `link`, in one statement.
async fn linked<E, K>(
    loaders: &Loaders,
    programmes: impl Iterator<Item = Uuid>,
    link: RelationDef,
    programme_column: impl ColumnTrait,
    order: E::Column,
    key: impl Fn(Uuid) -> K,
) -> ApiResult<HashMap<K, Arc<Vec<E::Model>>>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Sync + Send,
    K: Eq + std::hash::Hash,
{
    let rows = E::find()
        .column_as(programme_column, "of_programme")
        .join_rev(JoinType::InnerJoin, link)
        .filter(programme_column.is_in(programmes))
        .order_by_asc(order)
        .into_model::<Linked<E::Model>>()
        .all(&loaders.db)
        .await?;
    Ok(shared(group(rows, |r| (key(r.of_programme), r.row))))
}

impl Loader<FundersOfProgramme> for Loaders {
    type Value = Arc<Vec<organisation::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FundersOfProgramme],
    ) -> ApiResult<HashMap<FundersOfProgramme, Self::Value>> {
        let link = programme_funder::Entity::belongs_to(organisation::Entity)
            .from(programme_funder::Column::OrganisationId)
            .to(organisation::Column::Id)
            .into();
        linked::<organisation::Entity, _>(
            self,
            keys.iter().map(|k| k.0),
            link,
            programme_funder::Column::ProgrammeId,
            organisation::Column::Id,
            FundersOfProgramme,
        )
        .await
    }
}

impl Loader<CountriesOfProgramme> for Loaders {
    type Value = Arc<Vec<country::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[CountriesOfProgramme],
    ) -> ApiResult<HashMap<CountriesOfProgramme, Self::Value>> {
        let link = programme_country::Entity::belongs_to(country::Entity)
            .from(programme_country::Column::CountryCode)
            .to(country::Column::Code)
            .into();
        linked::<country::Entity, _>(
            self,
            keys.iter().map(|k| k.0),
            link,
            programme_country::Column::ProgrammeId,
            country::Column::Code,
            CountriesOfProgramme,
        )
        .await
    }
}

/// A programme or fund that projects run under: who runs and funds it, the countries it
/// covers, its period and budget. Programmes are public.
#[Object]
impl Programme {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Programme, self.0.id)
    }

    /// Unique code, e.g. `URBACT-IV`.
    async fn code(&self) -> &str {
        &self.0.code
    }

    #[graphql(flatten)]
    async fn name(&self) -> text::TranslatedName<'_> {
        text::TranslatedName::of(&self.0.name, &self.0.language)
    }

    #[graphql(flatten)]
    async fn description(&self) -> text::TranslatedDescription<'_> {
        text::TranslatedDescription::of(&self.0.description, &self.0.language)
    }

    /// The body that runs it (a managing authority, an agency given an assignment).
    async fn managing_organisation(&self, ctx: &Context<'_>) -> ApiResult<Option<Organisation>> {
        let Some(id) = self.0.managing_organisation_id else {
            return Ok(None);
        };
        Organisation::by_id(ctx, id, "programme.managingOrganisation").await
    }

    /// Who puts money into it.
    async fn funders(&self, ctx: &Context<'_>) -> ApiResult<Vec<Organisation>> {
        load_all(ctx, FundersOfProgramme(self.0.id), Organisation).await
    }

    /// The countries it covers.
    async fn countries(&self, ctx: &Context<'_>) -> ApiResult<Vec<Country>> {
        load_all(ctx, CountriesOfProgramme(self.0.id), Country).await
    }

    /// The first day of its period; null when unknown.
    async fn period_start(&self) -> Option<Date> {
        self.0.period_start.map(Date)
    }

    /// The last day of its period; null when unknown.
    async fn period_end(&self) -> Option<Date> {
        self.0.period_end.map(Date)
    }

    /// What it has to allocate, in its own currency, with euros at the rate of the start of
    /// its period; null when unknown.
    async fn budget(&self) -> Option<Money> {
        Some(Money {
            minor: self.0.budget_minor?,
            currency: self.0.budget_currency.clone()?,
            rate: self.0.budget_rate_micros.zip(self.0.budget_rate_date),
        })
    }

    /// Its documents and links (action plans, reports, toolkits, websites), in order.
    async fn documents(&self, ctx: &Context<'_>) -> ApiResult<Vec<DocumentLink>> {
        documents_of(ctx, Owner::Programme, self.0.id).await
    }

    /// The programme this one is part of (URBACT IV for its action planning networks).
    async fn parent(&self, ctx: &Context<'_>) -> ApiResult<Option<Programme>> {
        let Some(id) = self.0.parent_id else {
            return Ok(None);
        };
        Ok(load(ctx, ProgrammeById(id)).await?.map(Programme))
    }

    /// Its parts, by code.
    async fn children(&self, ctx: &Context<'_>) -> ApiResult<Vec<Programme>> {
        load_all(ctx, ChildrenOfProgramme(self.0.id), Programme).await
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }
}

/// Which programmes to list. Every list is "any of"; an empty or absent list does not filter.
#[derive(InputObject, Default)]
pub struct ProgrammeFilter {
    /// ISO codes of countries the programme covers.
    pub countries: Option<Vec<String>>,
    /// Organisation ids of its funders.
    pub funders: Option<Vec<ID>>,
    /// Ids of the programmes these are part of.
    pub parents: Option<Vec<ID>>,
    /// Only programmes that are part of none (`true`), or only parts (`false`).
    pub top_level: Option<bool>,
    /// Those changed at or after this instant (`updatedAt >= updatedSince`): what a partner
    /// system polls for, with the latest `updatedAt` it holds.
    pub updated_since: Option<DateTime>,
}

connection!(ProgrammeConnection, ProgrammeEdge, Programme, "programmes");

#[derive(Default)]
pub struct ProgrammeQuery;

#[paged]
#[Object]
impl ProgrammeQuery {
    /// Programmes, by code.
    async fn programmes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which programmes; left out, all.")] filter: Option<ProgrammeFilter>,
        #[graphql(desc = "The order, most significant key first; by code when left out.")]
        order_by: Option<Vec<Order<ProgrammeOrderField>>>,
        args: PageArgs,
    ) -> ApiResult<ProgrammeConnection> {
        let filter = filter.unwrap_or_default();
        let mut select = programme::Entity::find();
        if let Some(codes) = filter.countries.as_deref().filter(|l| !l.is_empty()) {
            let codes = filters::countries("filter.countries", codes)?;
            select = select.filter(
                programme::Column::Id.in_subquery(
                    programme_country::Entity::find()
                        .select_only()
                        .column(programme_country::Column::ProgrammeId)
                        .filter(programme_country::Column::CountryCode.is_in(codes))
                        .into_query(),
                ),
            );
        }
        if let Some(ids) = filter.funders.as_deref().filter(|l| !l.is_empty()) {
            let ids = filters::ids("filter.funders", ids, Kind::Organisation)?;
            select = select.filter(
                programme::Column::Id.in_subquery(
                    programme_funder::Entity::find()
                        .select_only()
                        .column(programme_funder::Column::ProgrammeId)
                        .filter(programme_funder::Column::OrganisationId.is_in(ids))
                        .into_query(),
                ),
            );
        }
        if let Some(ids) = filter.parents.as_deref().filter(|l| !l.is_empty()) {
            let ids = filters::ids("filter.parents", ids, Kind::Programme)?;
            select = select.filter(programme::Column::ParentId.is_in(ids));
        }
        match filter.top_level {
            Some(true) => select = select.filter(programme::Column::ParentId.is_null()),
            Some(false) => select = select.filter(programme::Column::ParentId.is_not_null()),
            None => {}
        }
        let rc = request(ctx)?;
        let order = order_by.as_deref();
        let (page, total) =
            fetch_ordered(&rc.db, select, filter.updated_since, order, args).await?;
        Ok(ProgrammeConnection::new(page.map(Programme), total))
    }

    /// One programme by its code; `null` if there is none.
    async fn programme(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The programme code, e.g. `URBACT-IV`; case is ignored.")] code: String,
    ) -> ApiResult<Option<Programme>> {
        Ok(programme::Entity::find()
            .filter(programme::Column::Code.eq(code.trim().to_ascii_uppercase()))
            .one(&request(ctx)?.db)
            .await?
            .map(Programme))
    }
}
