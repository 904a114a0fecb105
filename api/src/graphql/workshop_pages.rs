//! A project's page of workshops (`Project.workshops`), for every project of a page in one
//! statement: `ROW_NUMBER()` over each project's rows in list order keeps `limit + 1` of each.
//! A page whose selection reads none of a workshop's long columns (`Detail`) loads the rows
//! without them: a page of 50 projects holds 300 workshop rows, and decoding their texts and
//! lists was the largest part of its cost.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::Lookahead;
use async_graphql::dataloader::Loader;
use entity::workshop;
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, FromQueryResult, IdenStatic, Iterable, QueryFilter,
    QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use crate::access;
use crate::error::{ApiError, ApiResult};
use crate::graphql::loaders::{Loaders, group};
use crate::graphql::ordering::{WorkshopOrderField, default_keyset};
use crate::graphql::pagination::{self, PageWindow};

/// One page of a project's workshops: projects sharing the same window and detail share one
/// statement.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct WorkshopPageOfProject {
    pub project: Uuid,
    pub window: PageWindow,
    pub detail: Detail,
}

/// Whether the rows carry the long columns: `Slim` rows hold an empty description, target
/// groups and invented fields, and reach only selections that read none of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detail {
    Full,
    Slim,
}

/// The columns a slim row leaves out, with the empty JSON it holds instead.
const LONG: [(workshop::Column, &str); 3] = [
    (workshop::Column::Description, "{}"),
    (workshop::Column::TargetGroups, "[]"),
    (workshop::Column::IllustrativeFields, "[]"),
];

/// The `Workshop` fields that read a long column. A field added to `Workshop` that reads one
/// belongs here; `tests/api/workshop_pages.rs` compares every field of slim and full rows.
const READS_LONG: [&str; 5] = [
    "description",
    "descriptionTranslations",
    "targetGroups",
    "illustrative",
    "illustrativeFields",
];

impl Detail {
    /// What a connection's selection (`nodes` or `edges.node`) needs.
    pub fn of(connection: &Lookahead<'_>) -> Self {
        let nodes = [
            connection.field("nodes"),
            connection.field("edges").field("node"),
        ];
        let long = nodes
            .iter()
            .any(|node| READS_LONG.iter().any(|f| node.field(f).exists()));
        if long { Self::Full } else { Self::Slim }
    }
}

/// `inner`'s selection with the long columns replaced by empty JSON.
fn slimmed(inner: &mut SelectStatement, backend: DbBackend) {
    inner.clear_selects();
    for column in workshop::Column::iter() {
        match LONG
            .iter()
            .find(|(long, _)| long.as_str() == column.as_str())
        {
            Some((_, empty)) => {
                let literal = match backend {
                    DbBackend::Postgres => format!("CAST('{empty}' AS json)"),
                    _ => format!("'{empty}'"),
                };
                inner.expr_as(Expr::cust(literal), Alias::new(column.as_str()));
            }
            None => {
                inner.column((workshop::Entity, column));
            }
        }
    }
}

impl Loader<WorkshopPageOfProject> for Loaders {
    type Value = Arc<Vec<workshop::Model>>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[WorkshopPageOfProject],
    ) -> ApiResult<HashMap<WorkshopPageOfProject, Self::Value>> {
        let keyset = default_keyset::<WorkshopOrderField>();
        let backend = self.db.get_database_backend();
        let mut batches: HashMap<(&PageWindow, Detail), Vec<Uuid>> = HashMap::new();
        for key in keys {
            batches
                .entry((&key.window, key.detail))
                .or_default()
                .push(key.project);
        }
        let mut result = HashMap::new();
        for ((window, detail), projects) in batches {
            let ordered = pagination::window(
                workshop::Entity::find()
                    .filter(workshop::Column::ProjectId.is_in(projects.iter().copied()))
                    .filter(access::workshops(&self.caller)),
                &keyset,
                window,
            );
            let mut inner = ordered.into_query();
            inner.clear_order_by().reset_limit();
            if detail == Detail::Slim {
                slimmed(&mut inner, backend);
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
            let rows = workshop::Model::find_by_statement(backend.build(&outer))
                .all(&self.db)
                .await?;
            let mut grouped = group(rows, |w| (w.project_id, w));
            for project in projects {
                let rows = Arc::new(grouped.remove(&project).unwrap_or_default());
                result.insert(
                    WorkshopPageOfProject {
                        project,
                        window: window.clone(),
                        detail,
                    },
                    rows,
                );
            }
        }
        Ok(result)
    }
}
