//! DataLoaders: every nested relation is fetched in one statement per level of the query, never
//! per row. Loaders fetch by key; visibility is applied by filtering with the `access` rules of
//! the request's caller, not decided here.

use std::collections::HashMap;
use std::hash::Hash;

use async_graphql::dataloader::Loader;
use entity::enums::RegistrationStatus;
use entity::{
    contact, country, funding, milestone, organisation, project, project_classification,
    project_participant, project_region, region, registration, resource_centre, workshop,
    workshop_agenda_item,
};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, IdenStatic,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::access;
use crate::auth::Caller;
use crate::graphql::errors::{ApiError, ApiResult};
use crate::graphql::pagination::{self, PageWindow};

pub struct Loaders {
    pub db: DatabaseConnection,
    pub caller: Caller,
}

fn group<K: Eq + Hash, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        map.entry(key(&row)).or_default().push(row);
    }
    map
}

macro_rules! key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub Uuid);
    };
}

/// Where in the schema a shared lookup is made. Keys from different sites are fetched in
/// separate statements, so what a query costs never depends on whether two sites' requests
/// happened to fall into the same batching window.
pub type Site = &'static str;

macro_rules! site_key {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name(pub Uuid, pub Site);
    };
}

site_key!(OrganisationById);
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
key!(RegionsOfProject);
key!(ParticipantsOfProject);
key!(ClassificationsOfProject);
key!(MilestonesOfProject);
key!(FundingsOfProject);
key!(ContactsOfProject);
key!(SubProjectsOf);
key!(AgendaOfWorkshop);
key!(
    /// People holding a seat (registered or attended) at a workshop.
    SeatsTaken
);
key!(
    /// People on a workshop's waiting list.
    WaitlistCount
);
key!(RegistrationsOfWorkshop);
key!(WorkshopCountOfProject);
key!(
    /// Whether the caller manages the project (and so may read its personal data).
    ManagedProject
);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryByCode(pub String, pub Site);

/// One page of a project's workshops: projects sharing the same window share one statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkshopPageOfProject {
    pub project: Uuid,
    pub window: PageWindow,
}

impl Loaders {
    /// Rows by a unique column, one statement per site that asked (see `Site`).
    async fn by_site<E, K>(
        &self,
        keys: &[K],
        column: E::Column,
        condition: Condition,
        split: impl Fn(&K) -> (sea_orm::Value, Site),
        key_of: impl Fn(&E::Model, Site) -> K,
    ) -> ApiResult<HashMap<K, E::Model>>
    where
        E: EntityTrait,
        K: Clone + Eq + Hash,
    {
        let mut per_site: HashMap<Site, Vec<sea_orm::Value>> = HashMap::new();
        for key in keys {
            let (value, site) = split(key);
            per_site.entry(site).or_default().push(value);
        }
        let mut found = HashMap::new();
        for (site, values) in per_site {
            let rows = E::find()
                .filter(column.is_in(values))
                .filter(condition.clone())
                .all(&self.db)
                .await?;
            found.extend(rows.into_iter().map(|m| (key_of(&m, site), m)));
        }
        Ok(found)
    }

    /// Rows whose `parent` column is among `parents`, in `order`, grouped by their key.
    async fn children<E, K>(
        &self,
        parents: impl Iterator<Item = Uuid>,
        parent: E::Column,
        condition: Condition,
        order: &[E::Column],
        key_of: impl Fn(&E::Model) -> K,
    ) -> ApiResult<HashMap<K, Vec<E::Model>>>
    where
        E: EntityTrait,
        K: Eq + Hash,
    {
        let mut select = E::find().filter(parent.is_in(parents)).filter(condition);
        for column in order {
            select = select.order_by_asc(*column);
        }
        Ok(group(select.all(&self.db).await?, key_of))
    }
}

impl Loader<OrganisationById> for Loaders {
    type Value = organisation::Model;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[OrganisationById],
    ) -> ApiResult<HashMap<OrganisationById, Self::Value>> {
        self.by_site::<organisation::Entity, _>(
            keys,
            organisation::Column::Id,
            Condition::all(),
            |k| (k.0.into(), k.1),
            |m, site| OrganisationById(m.id, site),
        )
        .await
    }
}

impl Loader<RegionById> for Loaders {
    type Value = region::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[RegionById]) -> ApiResult<HashMap<RegionById, Self::Value>> {
        self.by_site::<region::Entity, _>(
            keys,
            region::Column::Id,
            Condition::all(),
            |k| (k.0.into(), k.1),
            |m, site| RegionById(m.id, site),
        )
        .await
    }
}

impl Loader<ResourceCentreById> for Loaders {
    type Value = resource_centre::Model;
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
            .map(|m| (ResourceCentreById(m.id), m))
            .collect())
    }
}

impl Loader<CountryByCode> for Loaders {
    type Value = country::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[CountryByCode]) -> ApiResult<HashMap<CountryByCode, Self::Value>> {
        self.by_site::<country::Entity, _>(
            keys,
            country::Column::Code,
            Condition::all(),
            |k| (k.0.clone().into(), k.1),
            |m, site| CountryByCode(m.code.clone(), site),
        )
        .await
    }
}

impl Loader<ProjectById> for Loaders {
    type Value = project::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[ProjectById]) -> ApiResult<HashMap<ProjectById, Self::Value>> {
        let visible = access::projects(&self.caller);
        self.by_site::<project::Entity, _>(
            keys,
            project::Column::Id,
            visible,
            |k| (k.0.into(), k.1),
            |m, site| ProjectById(m.id, site),
        )
        .await
    }
}

impl Loader<WorkshopById> for Loaders {
    type Value = workshop::Model;
    type Error = ApiError;

    async fn load(&self, keys: &[WorkshopById]) -> ApiResult<HashMap<WorkshopById, Self::Value>> {
        let visible = access::workshops(&self.caller);
        self.by_site::<workshop::Entity, _>(
            keys,
            workshop::Column::Id,
            visible,
            |k| (k.0.into(), k.1),
            |m, site| WorkshopById(m.id, site),
        )
        .await
    }
}

impl Loader<RegionsOfProject> for Loaders {
    type Value = Vec<region::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[RegionsOfProject],
    ) -> ApiResult<HashMap<RegionsOfProject, Self::Value>> {
        let links = project_region::Entity::find()
            .filter(project_region::Column::ProjectId.is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        let regions: HashMap<Uuid, region::Model> = region::Entity::find()
            .filter(region::Column::Id.is_in(links.iter().map(|l| l.region_id)))
            .order_by_asc(region::Column::NutsCode)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut map: HashMap<RegionsOfProject, Vec<region::Model>> = HashMap::new();
        for link in links {
            if let Some(region) = regions.get(&link.region_id) {
                map.entry(RegionsOfProject(link.project_id))
                    .or_default()
                    .push(region.clone());
            }
        }
        for list in map.values_mut() {
            list.sort_by(|a, b| {
                (&a.nuts_code, a.nuts_version).cmp(&(&b.nuts_code, b.nuts_version))
            });
        }
        Ok(map)
    }
}

/// A loader of the rows under a parent: one statement for all parents, rows grouped by parent
/// in `order`, filtered by the caller's visibility rule.
macro_rules! children_loader {
    ($key:ident => $entity:ident, parent: $parent:ident, order: [$($order:ident),+],
     key: |$row:ident| $key_of:expr, visible: |$caller:ident| $visible:expr) => {
        impl Loader<$key> for Loaders {
            type Value = Vec<$entity::Model>;
            type Error = ApiError;

            async fn load(&self, keys: &[$key]) -> ApiResult<HashMap<$key, Self::Value>> {
                let $caller = &self.caller;
                self.children::<$entity::Entity, _>(
                    keys.iter().map(|k| k.0),
                    $entity::Column::$parent,
                    $visible,
                    &[$($entity::Column::$order),+],
                    |$row| $key($key_of),
                )
                .await
            }
        }
    };
}

children_loader!(ParticipantsOfProject => project_participant, parent: ProjectId, order: [Role, OrganisationId],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(ClassificationsOfProject => project_classification, parent: ProjectId, order: [Code],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(MilestonesOfProject => milestone, parent: ProjectId, order: [Position],
    key: |r| r.project_id, visible: |_caller| Condition::all());

children_loader!(FundingsOfProject => funding, parent: ProjectId, order: [ValueDate, Id],
    key: |r| r.project_id, visible: |caller| access::fundings(caller));

children_loader!(ContactsOfProject => contact, parent: ProjectId, order: [Name],
    key: |r| r.project_id.unwrap_or_default(), visible: |caller| access::contacts(caller));

children_loader!(SubProjectsOf => project, parent: ParentId, order: [Code],
    key: |r| r.parent_id.unwrap_or_default(), visible: |caller| access::projects(caller));

children_loader!(RegistrationsOfWorkshop => registration, parent: WorkshopId, order: [RegisteredAt, Id],
    key: |r| r.workshop_id, visible: |caller| access::registrations(caller));
children_loader!(AgendaOfWorkshop => workshop_agenda_item, parent: WorkshopId, order: [Position],
    key: |r| r.workshop_id, visible: |_caller| Condition::all());

#[derive(FromQueryResult)]
struct CountRow {
    key: Uuid,
    n: i64,
}

impl Loaders {
    /// Registrations per workshop in the given statuses, in one grouped statement.
    async fn registrations_counted(
        &self,
        workshops: impl Iterator<Item = Uuid>,
        statuses: &[RegistrationStatus],
    ) -> ApiResult<HashMap<Uuid, i64>> {
        let rows = registration::Entity::find()
            .select_only()
            .column_as(registration::Column::WorkshopId, "key")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(registration::Column::WorkshopId.is_in(workshops))
            .filter(registration::Column::Status.is_in(statuses.iter().copied()))
            .group_by(registration::Column::WorkshopId)
            .into_model::<CountRow>()
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.key, r.n)).collect())
    }
}

impl Loader<SeatsTaken> for Loaders {
    type Value = i64;
    type Error = ApiError;

    async fn load(&self, keys: &[SeatsTaken]) -> ApiResult<HashMap<SeatsTaken, Self::Value>> {
        let held = [RegistrationStatus::Registered, RegistrationStatus::Attended];
        let counts = self
            .registrations_counted(keys.iter().map(|k| k.0), &held)
            .await?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}

impl Loader<WaitlistCount> for Loaders {
    type Value = i64;
    type Error = ApiError;

    async fn load(&self, keys: &[WaitlistCount]) -> ApiResult<HashMap<WaitlistCount, Self::Value>> {
        let waiting = [RegistrationStatus::Waitlisted];
        let counts = self
            .registrations_counted(keys.iter().map(|k| k.0), &waiting)
            .await?;
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}

impl Loader<WorkshopCountOfProject> for Loaders {
    type Value = i64;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[WorkshopCountOfProject],
    ) -> ApiResult<HashMap<WorkshopCountOfProject, Self::Value>> {
        let rows = workshop::Entity::find()
            .select_only()
            .column_as(workshop::Column::ProjectId, "key")
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(workshop::Column::ProjectId.is_in(keys.iter().map(|k| k.0)))
            .filter(access::workshops(&self.caller))
            .group_by(workshop::Column::ProjectId)
            .into_model::<CountRow>()
            .all(&self.db)
            .await?;
        let counts: HashMap<Uuid, i64> = rows.into_iter().map(|r| (r.key, r.n)).collect();
        Ok(keys
            .iter()
            .map(|k| (*k, counts.get(&k.0).copied().unwrap_or(0)))
            .collect())
    }
}

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

/// Workshops are paged per project inside one statement: `ROW_NUMBER()` over each project's
/// rows in list order keeps `limit + 1` of each.
impl Loader<WorkshopPageOfProject> for Loaders {
    type Value = Vec<workshop::Model>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[WorkshopPageOfProject],
    ) -> ApiResult<HashMap<WorkshopPageOfProject, Self::Value>> {
        let keyset = crate::graphql::workshop::default_keyset();
        let mut by_window: HashMap<&PageWindow, Vec<Uuid>> = HashMap::new();
        for key in keys {
            by_window.entry(&key.window).or_default().push(key.project);
        }
        let mut result = HashMap::new();
        for (window, projects) in by_window {
            let ordered = pagination::window(
                workshop::Entity::find()
                    .filter(workshop::Column::ProjectId.is_in(projects.iter().copied()))
                    .filter(access::workshops(&self.caller)),
                &keyset,
                window,
            );
            let mut inner = ordered.into_query();
            inner.clear_order_by().reset_limit();
            let direction = |descending: bool| {
                if descending != window.backward {
                    "DESC"
                } else {
                    "ASC"
                }
            };
            let order_sql = keyset
                .keys
                .iter()
                .map(|key| format!("\"{}\" {}", key.column.as_str(), direction(key.descending)))
                .collect::<Vec<_>>()
                .join(", ");
            inner.expr_as(
                Expr::cust(format!(
                    "ROW_NUMBER() OVER (PARTITION BY \"project_id\" ORDER BY {order_sql})"
                )),
                "row_number",
            );
            let mut outer = Query::select();
            outer
                .column(sea_orm::sea_query::Asterisk)
                .from_subquery(inner, Alias::new("ranked"))
                .and_where(Expr::col("row_number").lte((window.limit + 1) as i64))
                .order_by("row_number", sea_orm::Order::Asc);
            let rows =
                workshop::Model::find_by_statement(self.db.get_database_backend().build(&outer))
                    .all(&self.db)
                    .await?;
            let grouped = group(rows, |w| w.project_id);
            for project in projects {
                let rows = grouped.get(&project).cloned().unwrap_or_default();
                result.insert(
                    WorkshopPageOfProject {
                        project,
                        window: window.clone(),
                    },
                    rows,
                );
            }
        }
        Ok(result)
    }
}
