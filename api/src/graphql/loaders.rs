//! DataLoaders: every nested relation is fetched in one statement per level of the query, never
//! per row. Loaders fetch by key; visibility is applied by filtering with the `access` rules of
//! the request's caller, not decided here.
//!
//! Rows are handed out as `Arc`s: the DataLoader clones a batch's value for each caller, and
//! `context::load` unwraps it once the batch has let go, so a row is moved, not copied.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::enums::ParticipantRole;
use entity::{
    contact, country, funding, milestone, organisation, project, project_classification,
    project_participant, project_region, region, registration, resource_centre, workshop,
    workshop_agenda_item,
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, JoinType, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::access;
use crate::auth::Caller;
use crate::db::positioned::{self, Columns};
use crate::error::{ApiError, ApiResult};

pub struct Loaders {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

/// Rows into lists by key, each row split into its key and what the list holds.
pub(crate) fn group<K: Eq + Hash, R, V>(
    rows: Vec<R>,
    split: impl Fn(R) -> (K, V),
) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        let (key, value) = split(row);
        map.entry(key).or_default().push(value);
    }
    map
}

pub(crate) fn shared<K: Eq + Hash, V>(map: HashMap<K, V>) -> HashMap<K, Arc<V>> {
    map.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// A loader key's hash: the row's id as one 128-bit word, then the columns where the key
/// carries them. A key is hashed several times per load (the DataLoader's own sets and maps,
/// then ours) with std's SipHash, and the derived hash fed it the id's length and bytes, a
/// site's text and the columns in five writes. Equal keys still hash alike, and distinct ids
/// still differ in what SipHash is fed; keys that differ only in what is left out (a site, an
/// owner, a page window) are told apart by `Eq`.
macro_rules! hash_by_id {
    ($name:ident, |$key:ident| $id:expr) => {
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                let $key = self;
                state.write_u128($id.as_u128());
            }
        }
    };
    ($name:ident, |$key:ident| $id:expr, $columns:expr) => {
        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                let $key = self;
                state.write_u128($id.as_u128());
                state.write_u64($columns);
            }
        }
    };
}
pub(crate) use hash_by_id;

macro_rules! key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub Uuid);
        $crate::graphql::loaders::hash_by_id!($name, |key| key.0);
    };
}

/// Where in the schema a shared lookup is made. Keys from different sites are fetched in
/// separate statements, so what a query costs never depends on whether two sites' requests
/// happened to fall into the same batching window.
pub type Site = &'static str;

macro_rules! site_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name(pub Uuid, pub Site);
        $crate::graphql::loaders::hash_by_id!($name, |key| key.0);
    };
}

/// An organisation by id, with the columns its site's selection reads
/// (`Organisation::reads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrganisationById(pub Uuid, pub Site, pub Columns);
hash_by_id!(OrganisationById, |key| key.0, key.2.bits());
site_key!(RegionById);
site_key!(
    /// A project by id, if the caller may read it.
    ProjectById
);
site_key!(
    /// A workshop by id, if the caller may read it.
    WorkshopById
);
key!(ResourceCentreById);
/// A project's regions, with the columns the selection reads (`Region::reads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionsOfProject(pub Uuid, pub Columns);
hash_by_id!(RegionsOfProject, |key| key.0, key.1.bits());
key!(ParticipantsOfProject);
/// The organisation in a project's LEAD role, with the columns the selection reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadOfProject(pub Uuid, pub Columns);
hash_by_id!(LeadOfProject, |key| key.0, key.1.bits());
key!(ClassificationsOfProject);
key!(MilestonesOfProject);
/// How a project's fundings are listed, with their funders or without: by value date.
const FUNDINGS_ORDER: [funding::Column; 2] = [funding::Column::ValueDate, funding::Column::Id];

/// A project's fundings, with the columns the selection reads (`Funding::reads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingsOfProject(pub Uuid, pub Columns);
hash_by_id!(FundingsOfProject, |key| key.0, key.1.bits());
/// A project's fundings, each with the organisation it names as funder, in one statement: the
/// columns the fundings' selection reads and those its `funder` selection reads
/// (`Organisation::reads`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingsWithFunders(pub Uuid, pub Columns, pub Columns);
hash_by_id!(
    FundingsWithFunders,
    |key| key.0,
    key.1.bits() ^ key.2.bits().rotate_left(32)
);
key!(ContactsOfProject);
key!(SubProjectsOf);
key!(AgendaOfWorkshop);
key!(RegistrationsOfWorkshop);
key!(
    /// Whether the caller manages the project (and so may read its personal data).
    ManagedProject
);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryByCode(pub String, pub Site);

impl Loaders {
    /// Rows by a unique column, one statement per site that asked (see `Site`) and columns
    /// it reads (`Columns::ALL` for whole rows).
    async fn by_site<E, K>(
        &self,
        keys: &[K],
        column: E::Column,
        condition: Condition,
        split: impl Fn(&K) -> (sea_orm::Value, Site, Columns),
        key_of: impl Fn(&E::Model, Site, Columns) -> K,
    ) -> ApiResult<HashMap<K, Arc<E::Model>>>
    where
        E: EntityTrait,
        E::Model: entity::ByPosition,
        K: Clone + Eq + Hash,
    {
        let mut per_site: HashMap<(Site, Columns), Vec<sea_orm::Value>> = HashMap::new();
        for key in keys {
            let (value, site, columns) = split(key);
            per_site.entry((site, columns)).or_default().push(value);
        }
        let mut found = HashMap::new();
        for ((site, columns), values) in per_site {
            let select = E::find()
                .filter(column.is_in(values))
                .filter(condition.clone());
            let rows = positioned::carrying(&self.db, select, columns).await?;
            found.extend(
                rows.into_iter()
                    .map(|m| (key_of(&m, site, columns), Arc::new(m))),
            );
        }
        Ok(found)
    }

    /// Rows whose `parent` column is among `parents`, in `order`, grouped by their key, each
    /// with the columns `carried` (`Columns::ALL` for whole rows).
    pub(crate) async fn children<E, K>(
        &self,
        parents: impl Iterator<Item = Uuid>,
        parent: E::Column,
        condition: Condition,
        order: &[E::Column],
        carried: Columns,
        key_of: impl Fn(&E::Model) -> K,
    ) -> ApiResult<HashMap<K, Arc<Vec<E::Model>>>>
    where
        E: EntityTrait,
        E::Model: entity::ByPosition,
        K: Eq + Hash,
    {
        let mut select = E::find().filter(parent.is_in(parents)).filter(condition);
        for column in order {
            select = select.order_by_asc(*column);
        }
        Ok(shared(group(
            positioned::carrying(&self.db, select, carried).await?,
            |row| (key_of(&row), row),
        )))
    }
}

impl Loader<OrganisationById> for Loaders {
    type Value = Arc<organisation::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[OrganisationById],
    ) -> ApiResult<HashMap<OrganisationById, Self::Value>> {
        self.by_site::<organisation::Entity, _>(
            keys,
            organisation::Column::Id,
            Condition::all(),
            |k| (k.0.into(), k.1, k.2),
            |m, site, columns| OrganisationById(m.id, site, columns),
        )
        .await
    }
}

impl Loader<RegionById> for Loaders {
    type Value = Arc<region::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[RegionById]) -> ApiResult<HashMap<RegionById, Self::Value>> {
        self.by_site::<region::Entity, _>(
            keys,
            region::Column::Id,
            Condition::all(),
            |k| (k.0.into(), k.1, Columns::ALL),
            |m, site, _| RegionById(m.id, site),
        )
        .await
    }
}

impl Loader<ResourceCentreById> for Loaders {
    type Value = Arc<resource_centre::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ResourceCentreById],
    ) -> ApiResult<HashMap<ResourceCentreById, Self::Value>> {
        let rows = resource_centre::Entity::find()
            .filter(resource_centre::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|m| (ResourceCentreById(m.id), Arc::new(m)))
            .collect())
    }
}

impl Loader<CountryByCode> for Loaders {
    type Value = Arc<country::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[CountryByCode]) -> ApiResult<HashMap<CountryByCode, Self::Value>> {
        self.by_site::<country::Entity, _>(
            keys,
            country::Column::Code,
            Condition::all(),
            |k| (k.0.clone().into(), k.1, Columns::ALL),
            |m, site, _| CountryByCode(m.code.clone(), site),
        )
        .await
    }
}

impl Loader<ProjectById> for Loaders {
    type Value = Arc<project::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[ProjectById]) -> ApiResult<HashMap<ProjectById, Self::Value>> {
        let visible = access::projects(&self.caller);
        self.by_site::<project::Entity, _>(
            keys,
            project::Column::Id,
            visible,
            |k| (k.0.into(), k.1, Columns::ALL),
            |m, site, _| ProjectById(m.id, site),
        )
        .await
    }
}

impl Loader<WorkshopById> for Loaders {
    type Value = Arc<workshop::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[WorkshopById]) -> ApiResult<HashMap<WorkshopById, Self::Value>> {
        let visible = access::workshops(&self.caller);
        self.by_site::<workshop::Entity, _>(
            keys,
            workshop::Column::Id,
            visible,
            |k| (k.0.into(), k.1, Columns::ALL),
            |m, site, _| WorkshopById(m.id, site),
        )
        .await
    }
}

/// Regions joined to their links in one statement per set of columns, in list order (NUTS
/// code, then version).
impl Loader<RegionsOfProject> for Loaders {
    type Value = Arc<Vec<region::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RegionsOfProject],
    ) -> ApiResult<HashMap<RegionsOfProject, Self::Value>> {
        let mut found = HashMap::new();
        for (columns, projects) in group(keys.to_vec(), |k| (k.1, k.0)) {
            let link = project_region::Entity::belongs_to(region::Entity)
                .from(project_region::Column::RegionId)
                .to(region::Column::Id)
                .into();
            let select = region::Entity::find()
                .join_rev(JoinType::InnerJoin, link)
                .filter(project_region::Column::ProjectId.is_in(projects))
                .order_by_asc(region::Column::NutsCode)
                .order_by_asc(region::Column::NutsVersion);
            let rows = positioned::carrying_with::<_, Uuid>(
                &self.db,
                select,
                columns,
                project_region::Column::ProjectId,
            )
            .await?;
            found.extend(shared(group(rows, |(region, of_project)| {
                (RegionsOfProject(of_project, columns), region)
            })));
        }
        Ok(found)
    }
}

/// Each project's lead organisation, joined to the LEAD link in one statement per set of
/// columns; of several leads, the one `participants` lists first.
impl Loader<LeadOfProject> for Loaders {
    type Value = Arc<organisation::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[LeadOfProject]) -> ApiResult<HashMap<LeadOfProject, Self::Value>> {
        let mut leads = HashMap::new();
        for (columns, projects) in group(keys.to_vec(), |k| (k.1, k.0)) {
            let link = project_participant::Entity::belongs_to(organisation::Entity)
                .from(project_participant::Column::OrganisationId)
                .to(organisation::Column::Id)
                .into();
            let select = organisation::Entity::find()
                .join_rev(JoinType::InnerJoin, link)
                .filter(project_participant::Column::ProjectId.is_in(projects))
                .filter(project_participant::Column::Role.eq(ParticipantRole::Lead))
                .order_by_asc(project_participant::Column::OrganisationId);
            let rows = positioned::carrying_with::<_, Uuid>(
                &self.db,
                select,
                columns,
                project_participant::Column::ProjectId,
            )
            .await?;
            for (organisation, of_project) in rows {
                leads
                    .entry(LeadOfProject(of_project, columns))
                    .or_insert_with(|| Arc::new(organisation));
            }
        }
        Ok(leads)
    }
}

/// Fundings under their projects, one statement per set of columns, by value date.
impl Loader<FundingsOfProject> for Loaders {
    type Value = Arc<Vec<funding::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FundingsOfProject],
    ) -> ApiResult<HashMap<FundingsOfProject, Self::Value>> {
        let mut found = HashMap::new();
        for (columns, projects) in group(keys.to_vec(), |k| (k.1, k.0)) {
            let rows = self.children::<funding::Entity, _>(
                projects.into_iter(),
                funding::Column::ProjectId,
                access::fundings(&self.caller),
                &FUNDINGS_ORDER,
                columns,
                |row| FundingsOfProject(row.project_id, columns),
            );
            found.extend(rows.await?);
        }
        Ok(found)
    }
}

/// Fundings under their projects with their funders, one statement per pair of column sets,
/// by value date. Every funding names a funder (a foreign key), so the join is inner.
impl Loader<FundingsWithFunders> for Loaders {
    type Value = Arc<Vec<(funding::Model, organisation::Model)>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[FundingsWithFunders],
    ) -> ApiResult<HashMap<FundingsWithFunders, Self::Value>> {
        let mut found = HashMap::new();
        for ((columns, funders), projects) in group(keys.to_vec(), |k| ((k.1, k.2), k.0)) {
            let funder = funding::Entity::belongs_to(organisation::Entity)
                .from(funding::Column::FunderId)
                .to(organisation::Column::Id)
                .into();
            let select = FUNDINGS_ORDER.iter().fold(
                funding::Entity::find()
                    .join(JoinType::InnerJoin, funder)
                    .filter(funding::Column::ProjectId.is_in(projects))
                    .filter(access::fundings(&self.caller)),
                |select, column| select.order_by_asc(*column),
            );
            let rows = positioned::carrying_joined::<_, organisation::Entity>(
                &self.db, select, columns, funders,
            )
            .await?;
            found.extend(shared(group(rows, |(funding, funder)| {
                let key = FundingsWithFunders(funding.project_id, columns, funders);
                (key, (funding, funder))
            })));
        }
        Ok(found)
    }
}

/// A loader of the rows under a parent: one statement for all parents, rows grouped by parent
/// in `order`, filtered by the caller's visibility rule.
macro_rules! children_loader {
    ($key:ident => $entity:ident, parent: $parent:ident, order: [$($order:ident),+],
     key: |$row:ident| $key_of:expr, visible: |$caller:ident| $visible:expr) => {
        impl Loader<$key> for Loaders {
            type Value = Arc<Vec<$entity::Model>>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> ApiResult<HashMap<$key, Self::Value>> {
                let $caller = &self.caller;
                self.children::<$entity::Entity, _>(
                    keys.iter().map(|k| k.0),
                    $entity::Column::$parent,
                    $visible,
                    &[$($entity::Column::$order),+],
                    $crate::db::positioned::Columns::ALL,
                    |$row| $key($key_of),
                )
                .await
            }
        }
    };
}

pub(crate) use {children_loader, key};

children_loader!(ParticipantsOfProject => project_participant, parent: ProjectId, order: [Role, OrganisationId],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(ClassificationsOfProject => project_classification, parent: ProjectId, order: [Code],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(MilestonesOfProject => milestone, parent: ProjectId, order: [Position],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(ContactsOfProject => contact, parent: ProjectId, order: [Name],
    key: |r| r.project_id.unwrap_or_default(), visible: |caller| access::contacts(caller));

children_loader!(SubProjectsOf => project, parent: ParentId, order: [Code],
    key: |r| r.parent_id.unwrap_or_default(), visible: |caller| access::projects(caller));

children_loader!(RegistrationsOfWorkshop => registration, parent: WorkshopId, order: [RegisteredAt, Id],
    key: |r| r.workshop_id, visible: |caller| access::registrations(caller));
children_loader!(AgendaOfWorkshop => workshop_agenda_item, parent: WorkshopId, order: [Position],
    key: |r| r.workshop_id, visible: |_caller| Condition::all());

impl Loader<ManagedProject> for Loaders {
    type Value = bool;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ManagedProject],
    ) -> ApiResult<HashMap<ManagedProject, Self::Value>> {
        let managed: Vec<Uuid> = project::Entity::find()
            .select_only()
            .column(project::Column::Id)
            .filter(project::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .filter(access::managed_projects(&self.caller))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(keys.iter().map(|k| (*k, managed.contains(&k.0))).collect())
    }
}
