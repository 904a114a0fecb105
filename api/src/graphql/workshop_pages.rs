//! A project's page of workshops (`Project.workshops`), for every project of a page in one
//! statement: `ROW_NUMBER()` over each project's rows in list order keeps `limit + 1` of each.
//! The statement fetches only the columns the page's selection reads (`Columns`), decoded by
//! position: a page of 50 projects holds 300 workshop rows, and fetching and decoding all
//! of their columns, by name, was the largest part of its cost.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::SelectionField;
use async_graphql::dataloader::Loader;
use entity::enums::{ActivityKind, WorkshopFormat, WorkshopStatus};
use entity::workshop::{self, Column};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IdenStatic, Iterable, QueryFilter,
    QueryResult, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Loaders, group};
use crate::graphql::ordering::{WorkshopOrderField, default_keyset};
use crate::graphql::pagination::{self, PageWindow};

/// One page of a project's workshops: projects sharing the same window and columns share one
/// statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkshopPageOfProject {
    pub project: Uuid,
    pub window: PageWindow,
    pub columns: Columns,
}

/// Columns of `workshop` a page's rows carry, one bit each in `Column` order. A row's other
/// fields hold placeholders (`unread`) that no field of the selection reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Columns(u32);

/// What each `Workshop` field reads of its row; `None` for a field that may read any of it
/// (the `viewerCan…` fields ask the whole row), which then loads whole rows.
/// `tests/api/workshop_pages.rs` compares every field read alone with the whole row's answer.
fn reads(field: &str) -> Option<&'static [Column]> {
    use Column::*;
    Some(match field {
        "__typename" | "id" | "registrations" | "agenda" | "documents" => &[],
        "project" | "seatsTaken" | "waitlistCount" => &[],
        "title" | "titleTranslations" => &[Title, Language],
        "description" | "descriptionTranslations" => &[Description, Language],
        "startsAt" => &[StartsAt],
        "endsAt" => &[EndsAt],
        "localStartsAt" => &[StartsAt, TimeZone],
        "localEndsAt" => &[EndsAt, TimeZone],
        "timeZone" => &[TimeZone],
        "venue" => &[VenueName, VenueAddress, VenueTown, VenueRegionId],
        "format" => &[Format],
        "language" => &[SpokenLanguage],
        "capacity" => &[Capacity],
        "registrationDeadline" => &[RegistrationDeadline],
        "targetGroups" => &[TargetGroups],
        "kind" => &[Kind],
        "status" => &[Status, EndsAt],
        "openToPublic" => &[OpenToPublic],
        "updatedAt" => &[UpdatedAt],
        "version" => &[Version],
        "illustrative" => &[Illustrative],
        "illustrativeFields" => &[IllustrativeFields],
        _ => return None,
    })
}

impl Columns {
    /// Every row carries its id and its project (to group it and to check rights on it); the
    /// loader adds the columns of the list order, which cursors hold.
    const KEPT: [Column; 2] = [Column::Id, Column::ProjectId];

    const fn bit(column: Column) -> u32 {
        1 << column as u32
    }

    fn all() -> Self {
        Self(Column::iter().fold(0, |bits, c| bits | Self::bit(c)))
    }

    /// What the selection of a connection of workshops (`nodes` and `edges.node`) reads.
    pub fn of(connection: SelectionField<'_>) -> Self {
        let mut carried = Self::KEPT.iter().fold(Self(0), |c, column| c.with(*column));
        let mut nodes = Vec::new();
        for field in connection.selection_set() {
            match field.name() {
                "nodes" => nodes.extend(field.selection_set()),
                "edges" => {
                    for node in field.selection_set().filter(|f| f.name() == "node") {
                        nodes.extend(node.selection_set());
                    }
                }
                _ => {}
            }
        }
        for field in nodes {
            match reads(field.name()) {
                Some(columns) => {
                    carried = columns.iter().fold(carried, |c, column| c.with(*column))
                }
                None => return Self::all(),
            }
        }
        carried
    }

    fn with(self, column: Column) -> Self {
        Self(self.0 | Self::bit(column))
    }

    fn has(self, column: Column) -> bool {
        self.0 & Self::bit(column) != 0
    }

    /// The columns carried, in `Column` order: the order the statement selects them in.
    fn iter(self) -> impl Iterator<Item = Column> {
        Column::iter().filter(move |c| self.has(*c))
    }
}

/// A row with every column a placeholder, for `decoded` to fill.
fn unread() -> workshop::Model {
    let never = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
    let object = || serde_json::Value::Object(Default::default());
    let list = || serde_json::Value::Array(Vec::new());
    workshop::Model {
        id: Uuid::nil(),
        project_id: Uuid::nil(),
        title: object(),
        description: object(),
        language: String::new(),
        starts_at: never,
        ends_at: never,
        time_zone: String::new(),
        venue_name: None,
        venue_address: None,
        venue_town: None,
        venue_region_id: None,
        kind: ActivityKind::Workshop,
        format: WorkshopFormat::InPerson,
        spoken_language: String::new(),
        capacity: None,
        registration_deadline: None,
        target_groups: list(),
        status: WorkshopStatus::Scheduled,
        open_to_public: false,
        illustrative: false,
        illustrative_fields: list(),
        version: 0,
        updated_at: never,
    }
}

/// The row `decoded` from the columns `carried`, read by position.
fn decoded(row: &QueryResult, carried: Columns) -> Result<workshop::Model, DbErr> {
    let mut model = unread();
    for (i, column) in carried.iter().enumerate() {
        // Every column is named, so a column added to the table is a compile error here.
        match column {
            Column::Id => model.id = row.try_get_by_index(i)?,
            Column::ProjectId => model.project_id = row.try_get_by_index(i)?,
            Column::Title => model.title = row.try_get_by_index(i)?,
            Column::Description => model.description = row.try_get_by_index(i)?,
            Column::Language => model.language = row.try_get_by_index(i)?,
            Column::StartsAt => model.starts_at = row.try_get_by_index(i)?,
            Column::EndsAt => model.ends_at = row.try_get_by_index(i)?,
            Column::TimeZone => model.time_zone = row.try_get_by_index(i)?,
            Column::VenueName => model.venue_name = row.try_get_by_index(i)?,
            Column::VenueAddress => model.venue_address = row.try_get_by_index(i)?,
            Column::VenueTown => model.venue_town = row.try_get_by_index(i)?,
            Column::VenueRegionId => model.venue_region_id = row.try_get_by_index(i)?,
            Column::Kind => model.kind = row.try_get_by_index(i)?,
            Column::Format => model.format = row.try_get_by_index(i)?,
            Column::SpokenLanguage => model.spoken_language = row.try_get_by_index(i)?,
            Column::Capacity => model.capacity = row.try_get_by_index(i)?,
            Column::RegistrationDeadline => {
                model.registration_deadline = row.try_get_by_index(i)?
            }
            Column::TargetGroups => model.target_groups = row.try_get_by_index(i)?,
            Column::Status => model.status = row.try_get_by_index(i)?,
            Column::OpenToPublic => model.open_to_public = row.try_get_by_index(i)?,
            Column::Illustrative => model.illustrative = row.try_get_by_index(i)?,
            Column::IllustrativeFields => model.illustrative_fields = row.try_get_by_index(i)?,
            Column::Version => model.version = row.try_get_by_index(i)?,
            Column::UpdatedAt => model.updated_at = row.try_get_by_index(i)?,
        }
    }
    Ok(model)
}

impl Loader<WorkshopPageOfProject> for Loaders {
    type Value = Arc<Vec<workshop::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[WorkshopPageOfProject],
    ) -> ApiResult<HashMap<WorkshopPageOfProject, Self::Value>> {
        let keyset = default_keyset::<WorkshopOrderField>();
        let mut batches: HashMap<(&PageWindow, Columns), Vec<Uuid>> = HashMap::new();
        for key in keys {
            batches
                .entry((&key.window, key.columns))
                .or_default()
                .push(key.project);
        }
        let mut result = HashMap::new();
        for ((window, columns), projects) in batches {
            let ordered = pagination::window(
                workshop::Entity::find()
                    .filter(workshop::Column::ProjectId.is_in(projects.iter().copied()))
                    .filter(access::workshops(&self.caller)),
                &keyset,
                window,
            );
            let carried = keyset
                .keys
                .iter()
                .fold(columns, |c, key| c.with(key.column));
            let mut inner = ordered.into_query();
            inner.clear_order_by().reset_limit().clear_selects();
            for column in carried.iter() {
                inner.column((workshop::Entity, column));
            }
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
            let rows = self
                .db
                .query_all(&outer)
                .await?
                .iter()
                .map(|row| decoded(row, carried))
                .collect::<Result<Vec<_>, DbErr>>()?;
            let mut grouped = group(rows, |w| (w.project_id, w));
            for project in projects {
                let rows = Arc::new(grouped.remove(&project).unwrap_or_default());
                result.insert(
                    WorkshopPageOfProject {
                        project,
                        window: window.clone(),
                        columns,
                    },
                    rows,
                );
            }
        }
        Ok(result)
    }
}
