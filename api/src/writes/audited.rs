//! How each written entity appears to the pipeline, defined once per entity: its name, the
//! country its audit rows are filed under, what the audit trail keeps of it (never personal
//! data), its searchable texts, the data derived from it, and (`Keyed`, `Versioned`) how it
//! is found and guarded against lost updates.

use entity::{
    api_token, contact, country, document_link, exchange_rate, funding, indicator,
    indicator_period, milestone, organisation, programme, project, region, registration,
    resource_centre, result, term, workshop,
};
use futures_util::future::{BoxFuture, FutureExt as _};
use sea_orm::{DatabaseTransaction, EntityTrait, PrimaryKeyTrait};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::derived::{eur, funding_totals, funding_years, participation_counts};
use crate::error::{ApiError, ApiResult};
use crate::ids::Kind;
use crate::search::Searchable;

type Country<'a> = BoxFuture<'a, ApiResult<Option<String>>>;

pub trait Audited: EntityTrait
where
    Self::Model: Sync + Send,
{
    /// The entity's name in the audit trail.
    const NAME: &'static str;
    /// How messages name a row: "resource centre".
    const NOUN: &'static str;
    /// The row's key in the audit trail.
    fn key(row: &Self::Model) -> String;
    /// The country whose coordinators see the row's audit events.
    fn country<'a>(txn: &'a DatabaseTransaction, row: &'a Self::Model) -> Country<'a>;
    /// What the audit trail keeps of the row.
    fn view(row: &Self::Model) -> Option<Json>;
    /// The search index's kind, id and texts, for rows that lists search.
    fn search(_row: &Self::Model) -> Option<(&'static str, Uuid, Vec<String>)> {
        None
    }
    /// The row's invented values (API names, `illustrativeFields`) and their column, for
    /// entities the seed may have invented values of: an update that sets a value clears it.
    fn invented(_row: &Self::Model) -> Option<(&Json, Self::Column)> {
        None
    }
    /// The row's `updated_at`, which every write sets; `None` for entities without one.
    fn updated_at() -> Option<Self::Column> {
        None
    }
    /// Brings data derived from the row in step (a funding's euro rate, a project's kept
    /// participation counts) once it is written over `before` (`None`: a new row), and
    /// returns the row as stored.
    fn refresh<'a>(
        txn: &'a DatabaseTransaction,
        before: Option<&'a Self::Model>,
        row: Self::Model,
    ) -> BoxFuture<'a, ApiResult<Self::Model>> {
        let _ = (txn, before);
        std::future::ready(Ok(row)).boxed()
    }
    /// Brings data derived from the row in step once it is deleted.
    fn removed<'a>(
        txn: &'a DatabaseTransaction,
        row: &'a Self::Model,
    ) -> BoxFuture<'a, ApiResult<()>> {
        let _ = (txn, row);
        std::future::ready(Ok(())).boxed()
    }
}

/// Rows found by a one-column primary key (a UUID; a country's ISO code).
pub trait Keyed: Audited
where
    Self::Model: Sync + Send,
{
    type Key: Into<sea_orm::Value> + Clone + Send + Sync;
    fn id_column() -> Self::Column;
    fn id(row: &Self::Model) -> Self::Key;
}

/// Rows with a version column: updates are optimistic, a stale one is CONFLICT.
pub trait Versioned: Keyed
where
    Self::Model: Sync + Send,
{
    fn version_column() -> Self::Column;
    fn version(row: &Self::Model) -> i32;
}

/// `Keyed` (and, for the entities marked `versioned`, `Versioned`) by their `id` and
/// `version` columns.
macro_rules! keyed {
    ($($entity:ident $($versioned:ident)?),* $(,)?) => {$(
        impl Keyed for $entity::Entity {
            type Key = Uuid;
            fn id_column() -> $entity::Column {
                $entity::Column::Id
            }
            fn id(row: &$entity::Model) -> Uuid {
                row.id
            }
        }
        $(keyed!(@$versioned $entity);)?
    )*};
    (@versioned $entity:ident) => {
        impl Versioned for $entity::Entity {
            fn version_column() -> $entity::Column {
                $entity::Column::Version
            }
            fn version(row: &$entity::Model) -> i32 {
                row.version
            }
        }
    };
}

keyed!(
    api_token,
    contact versioned,
    document_link versioned,
    funding versioned,
    indicator versioned,
    indicator_period versioned,
    milestone versioned,
    organisation versioned,
    programme versioned,
    project versioned,
    region versioned,
    registration,
    resource_centre versioned,
    result versioned,
    term versioned,
    workshop versioned,
);

/// The whole row: for rows that hold no personal data.
fn whole<T: serde::Serialize>(row: &T) -> Option<Json> {
    serde_json::to_value(row).ok()
}

/// A country the row itself names.
fn named(country: Option<String>) -> Country<'static> {
    std::future::ready(Ok(country)).boxed()
}

/// The country `pick` reads off the row of `E` with this id; none when the row has gone.
fn country_of<E>(
    txn: &DatabaseTransaction,
    id: Uuid,
    pick: fn(E::Model) -> Option<String>,
) -> Country<'_>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    async move { Ok(E::find_by_id(id).one(txn).await?.and_then(pick)) }.boxed()
}

/// The country of the project a row belongs to.
fn project_country(txn: &DatabaseTransaction, project_id: Uuid) -> Country<'_> {
    country_of::<project::Entity>(txn, project_id, |p| Some(p.country_code))
}

fn searched<R: Searchable>(row: &R) -> Option<(&'static str, Uuid, Vec<String>)> {
    Some((R::KIND, row.id(), row.texts()))
}

/// The common shape of `Audited`: a row keyed by its UUID `id`, named by its id `Kind`. One
/// line each: `invented` (it keeps `illustrativeFields`) and `searched` (it is in the search
/// index) first when they hold, then the entity and its kind, its audit view (which must leave
/// personal data out), the country it is filed under, and what refreshes or removes with it.
macro_rules! audited {
    (@impl [$($invented:ident)?] [$search:ident]
        $entity:ident: $kind:ident, $view:path, |$txn:tt, $row:tt| $country:expr
        $(, refresh $refresh:path)? $(, removed $removed:path)?
    ) => {
        impl Audited for $entity::Entity {
            const NAME: &'static str = Kind::$kind.name();
            const NOUN: &'static str = Kind::$kind.noun();
            fn key(row: &$entity::Model) -> String {
                row.id.to_string()
            }
            fn country<'a>($txn: &'a DatabaseTransaction, $row: &'a $entity::Model) -> Country<'a> {
                $country
            }
            fn view(row: &$entity::Model) -> Option<Json> {
                $view(row)
            }
            fn search(row: &$entity::Model) -> Option<(&'static str, Uuid, Vec<String>)> {
                $search(row)
            }
            fn updated_at() -> Option<$entity::Column> {
                Some($entity::Column::UpdatedAt)
            }
            $(fn invented(row: &$entity::Model) -> Option<(&Json, $entity::Column)> {
                Some((&row.illustrative_fields, $entity::Column::$invented))
            })?
            $(fn refresh<'a>(
                txn: &'a DatabaseTransaction,
                before: Option<&'a $entity::Model>,
                row: $entity::Model,
            ) -> BoxFuture<'a, ApiResult<$entity::Model>> {
                $refresh(txn, before, row).boxed()
            })?
            $(fn removed<'a>(
                txn: &'a DatabaseTransaction,
                row: &'a $entity::Model,
            ) -> BoxFuture<'a, ApiResult<()>> {
                $removed(txn, row).boxed()
            })?
        }
    };
    (@invented [$($invented:ident)?] searched $($rest:tt)*) => {
        audited!(@impl [$($invented)?] [searched] $($rest)*);
    };
    (@invented [$($invented:ident)?] $($rest:tt)*) => {
        audited!(@impl [$($invented)?] [unsearched] $($rest)*);
    };
    (invented $($rest:tt)*) => {
        audited!(@invented [IllustrativeFields] $($rest)*);
    };
    (searched $($rest:tt)*) => {
        audited!(@invented [] searched $($rest)*);
    };
    ($entity:ident: $($rest:tt)*) => {
        audited!(@invented [] $entity: $($rest)*);
    };
}

fn unsearched<R>(_: &R) -> Option<(&'static str, Uuid, Vec<String>)> {
    None
}

audited!(invented searched organisation: Organisation, whole, |_, r| named(r.country_code.clone()));
audited!(invented programme: Programme, whole, |_, _| named(None), refresh programme_rate);
audited!(searched region: Region, whole, |_, r| named(Some(r.country_code.clone())));
audited!(searched resource_centre: ResourceCentre, whole, |t, r| region_country(t, r.region_id));
audited!(invented searched project: Project, whole, |_, r| named(Some(r.country_code.clone())),
    refresh project_counts);
audited!(invented milestone: Milestone, whole, |t, r| project_country(t, r.project_id));
audited!(invented result: Result, whole, |t, r| project_country(t, r.project_id));
audited!(invented indicator: Indicator, whole, |t, r| project_country(t, r.project_id));
audited!(invented indicator_period: IndicatorPeriod, whole, |t, r| project_country(t, r.project_id));
audited!(invented funding: Funding, whole, |t, r| project_country(t, r.project_id),
    refresh funding_rate, removed funding_removed);
audited!(invented contact: Contact, contact_view, |t, r| contact_country(t, r));
audited!(invented searched workshop: Workshop, workshop_view, |t, r| project_country(t, r.project_id));
audited!(invented document_link: DocumentLink, whole, |t, r| document_country(t, r));
audited!(registration: Registration, registration_view, |t, r| workshop_country(t, r.workshop_id));
audited!(api_token: ApiToken, token_view, |t, r| organisation_country(t, r.organisation_id));

/// Its region's country; a resource centre always has its region.
fn region_country(txn: &DatabaseTransaction, region_id: Uuid) -> Country<'_> {
    async move {
        country_of::<region::Entity>(txn, region_id, |r| Some(r.country_code))
            .await?
            .ok_or_else(|| ApiError::internal("a resource centre without its region"))
            .map(Some)
    }
    .boxed()
}

fn organisation_country(txn: &DatabaseTransaction, organisation_id: Uuid) -> Country<'_> {
    country_of::<organisation::Entity>(txn, organisation_id, |o| o.country_code)
}

fn workshop_country(txn: &DatabaseTransaction, workshop_id: Uuid) -> Country<'_> {
    async move {
        match workshop::Entity::find_by_id(workshop_id).one(txn).await? {
            Some(w) => project_country(txn, w.project_id).await,
            None => Ok(None),
        }
    }
    .boxed()
}

/// The country of what the link belongs to (none for a programme's).
fn document_country<'a>(
    txn: &'a DatabaseTransaction,
    row: &'a document_link::Model,
) -> Country<'a> {
    match (row.project_id, row.workshop_id, row.resource_centre_id) {
        (Some(project), _, _) => project_country(txn, project),
        (None, Some(workshop), _) => workshop_country(txn, workshop),
        (None, None, Some(centre)) => async move {
            match resource_centre::Entity::find_by_id(centre).one(txn).await? {
                Some(c) => region_country(txn, c.region_id).await,
                None => Ok(None),
            }
        }
        .boxed(),
        _ => named(None),
    }
}

/// A project contact's project's country; an organisation contact's organisation's.
fn contact_country<'a>(txn: &'a DatabaseTransaction, row: &'a contact::Model) -> Country<'a> {
    match (row.project_id, row.organisation_id) {
        (Some(project), _) => project_country(txn, project),
        (None, Some(organisation)) => organisation_country(txn, organisation),
        (None, None) => named(None),
    }
}

/// Whether a project is published decides which counts include its workshops, so its share
/// is counted again when that changes (a new project has no workshops yet); its budget's euro
/// rate is looked up again when its amount, currency or start date changes.
async fn project_counts(
    txn: &DatabaseTransaction,
    before: Option<&project::Model>,
    row: project::Model,
) -> ApiResult<project::Model> {
    if before.is_some_and(|b| b.published != row.published) {
        participation_counts::refresh(txn, row.id).await?;
    }
    let counted_as = |p: &project::Model| {
        (
            p.published,
            p.country_code.clone(),
            p.programme_id,
            p.illustrative,
        )
    };
    if before.is_some_and(|b| counted_as(b) != counted_as(&row)) {
        funding_totals::refresh(txn, funding_totals::with_allocations(txn, [row.id]).await?)
            .await?;
    }
    let priced = |p: &project::Model| {
        (
            p.budget_currency.clone(),
            p.budget_total_minor,
            p.start_date,
        )
    };
    if before.is_none_or(|b| priced(b) != priced(&row)) {
        eur::store_budget_rate(txn, row.id).await?;
        return project::Entity::find_by_id(row.id)
            .one(txn)
            .await?
            .ok_or_else(|| ApiError::internal("a project vanished in its own transaction"));
    }
    Ok(row)
}

/// The euro rate of its currency on its value date, its days in each year, and the kept
/// totals of its project and of the allocations it was and is drawn from.
async fn funding_rate(
    txn: &DatabaseTransaction,
    before: Option<&funding::Model>,
    row: funding::Model,
) -> ApiResult<funding::Model> {
    funding_years::refresh(txn, &row).await?;
    let row = eur::store_rate(txn, row.id).await?;
    let ends = before.into_iter().chain([&row]).map(funding_ends).collect();
    funding_counted(txn, ends).await?;
    Ok(row)
}

/// Refreshes the kept totals a change to fundings moves: each (project, allocation drawn
/// from) as the fundings were and are.
async fn funding_counted(
    txn: &DatabaseTransaction,
    ends: Vec<(Uuid, Option<Uuid>)>,
) -> ApiResult<()> {
    let mut projects = Vec::new();
    for (project, allocation) in ends {
        projects.push(project);
        if let Some(allocation) = allocation {
            projects.extend(funding_totals::project_of(txn, allocation).await?);
        }
    }
    funding_totals::refresh(txn, projects).await?;
    Ok(())
}

fn funding_ends(row: &funding::Model) -> (Uuid, Option<Uuid>) {
    (row.project_id, row.drawn_from_id)
}

/// Once a funding is deleted: the kept totals of its project and of its allocation.
async fn funding_removed(txn: &DatabaseTransaction, row: &funding::Model) -> ApiResult<()> {
    funding_counted(txn, vec![funding_ends(row)]).await
}

/// The euro rate of its budget.
async fn programme_rate(
    txn: &DatabaseTransaction,
    _before: Option<&programme::Model>,
    row: programme::Model,
) -> ApiResult<programme::Model> {
    eur::store_programme_rate(txn, row.id).await?;
    programme::Entity::find_by_id(row.id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal("a programme vanished in its own transaction"))
}

/// A person: the audit trail keeps which contact changed, never their name, email or phone.
fn contact_view(row: &contact::Model) -> Option<Json> {
    Some(json!({
        "id": row.id, "projectId": row.project_id, "organisationId": row.organisation_id,
        "version": row.version,
    }))
}

/// What changes a workshop's meaning; venue details and texts other than the title are left
/// out.
fn workshop_view(w: &workshop::Model) -> Option<Json> {
    Some(json!({
        "id": w.id, "projectId": w.project_id, "title": w.title, "startsAt": w.starts_at,
        "endsAt": w.ends_at, "timeZone": w.time_zone, "capacity": w.capacity,
        "status": w.status, "openToPublic": w.open_to_public, "version": w.version
    }))
}

/// A person: the audit trail keeps the registration's state, never a name or email.
fn registration_view(r: &registration::Model) -> Option<Json> {
    Some(json!({
        "id": r.id, "workshopId": r.workshop_id, "status": r.status, "gender": r.gender,
        "ageBand": r.age_band
    }))
}

/// Everything but the secret's digest.
fn token_view(row: &api_token::Model) -> Option<Json> {
    let mut view = whole(row)?;
    view.as_object_mut()?.remove("secret_sha256");
    Some(view)
}

impl Audited for exchange_rate::Entity {
    const NAME: &'static str = "ExchangeRate";
    const NOUN: &'static str = "exchange rate";
    fn key(row: &exchange_rate::Model) -> String {
        format!("{}:{}", row.currency, row.rate_date)
    }
    /// Rates are the programme's, no country's.
    fn country<'a>(_: &'a DatabaseTransaction, _: &'a exchange_rate::Model) -> Country<'a> {
        named(None)
    }
    fn view(row: &exchange_rate::Model) -> Option<Json> {
        Some(json!({
            "currency": row.currency, "date": row.rate_date,
            "unitsPerEurMicros": row.units_per_eur_micros, "source": row.source
        }))
    }
    /// Every funding in the currency from the rate's date on is converted again.
    fn refresh<'a>(
        txn: &'a DatabaseTransaction,
        _before: Option<&'a exchange_rate::Model>,
        row: exchange_rate::Model,
    ) -> BoxFuture<'a, ApiResult<exchange_rate::Model>> {
        async move {
            crate::derived::rates_changed(txn, &row.currency, row.rate_date).await?;
            Ok(row)
        }
        .boxed()
    }
}

/// Vocabularies are the programme's, no country's.
impl Audited for term::Entity {
    const NAME: &'static str = "Term";
    const NOUN: &'static str = "term";
    fn key(row: &term::Model) -> String {
        row.id.to_string()
    }
    fn country<'a>(_: &'a DatabaseTransaction, _: &'a term::Model) -> Country<'a> {
        named(None)
    }
    fn updated_at() -> Option<term::Column> {
        Some(term::Column::UpdatedAt)
    }
    fn view(row: &term::Model) -> Option<Json> {
        whole(row)
    }
}

/// Countries are keyed by their ISO code and filed under themselves.
impl Audited for country::Entity {
    const NAME: &'static str = Kind::Country.name();
    const NOUN: &'static str = Kind::Country.noun();
    fn key(row: &country::Model) -> String {
        row.code.clone()
    }
    fn country<'a>(_: &'a DatabaseTransaction, row: &'a country::Model) -> Country<'a> {
        named(Some(row.code.clone()))
    }
    fn updated_at() -> Option<country::Column> {
        Some(country::Column::UpdatedAt)
    }
    fn view(row: &country::Model) -> Option<Json> {
        whole(row)
    }
}

impl Keyed for country::Entity {
    type Key = String;
    fn id_column() -> country::Column {
        country::Column::Code
    }
    fn id(row: &country::Model) -> String {
        row.code.clone()
    }
}

impl Versioned for country::Entity {
    fn version_column() -> country::Column {
        country::Column::Version
    }
    fn version(row: &country::Model) -> i32 {
        row.version
    }
}
