//! A project's page of workshops (`Project.workshops`), for every project of a page in one
//! statement: `ROW_NUMBER()` over each project's rows in list order keeps `limit + 1` of each.
//! The statement fetches only the columns the page's selection reads (`reads`, through
//! `graphql::projection`): a page of 50 projects holds 300 workshop rows, and fetching and
//! decoding all of their columns was the largest part of its cost.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use entity::workshop::{self, Column};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IdenStatic, QueryFilter, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::access;
use crate::db::positioned::Columns;
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Loaders, group, hash_by_id};
use crate::graphql::ordering::{WorkshopOrderField, default_keyset};
use crate::graphql::pagination::{self, PageWindow};

/// One page of a project's workshops: projects sharing the same window and columns share one
/// statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkshopPageOfProject {
    pub project: Uuid,
    pub window: PageWindow,
    pub columns: Columns,
}
hash_by_id!(WorkshopPageOfProject, |key| key.project, key.columns.bits());

/// What each `Workshop` field reads of its row; `None` for a field that may read any of it
/// (the `viewerCan…` fields ask the whole row), which then loads whole rows.
/// `tests/api/workshop_pages.rs` compares every field read alone with the whole row's answer.
pub fn reads(field: &str) -> Option<&'static [Column]> {
    use Column::*;
    Some(match field {
        // What reads only the id and the project, which every row carries.
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

/// What every page's rows carry: their id and their project (to group them and to check
/// rights on it); the loader adds the columns of the list order, which cursors hold.
pub const KEPT: [Column; 2] = [Column::Id, Column::ProjectId];

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
            let carried = keyset.carried(columns);
            let mut inner = carried.of(ordered).into_query();
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
            let rows = self
                .db
                .query_all(&outer)
                .await?
                .iter()
                .map(|row| carried.read(row))
                .collect::<Result<Vec<workshop::Model>, DbErr>>()?;
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
