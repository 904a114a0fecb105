//! People counted ahead of time for `participationSummary`: one row per group of registrations
//! that share everything the coarse summaries group, filter and decide visibility by (country,
//! whether the project is published, whether the workshop is cancelled, registration status,
//! gender, age band), so a summary over a million registrations reads a few hundred rows.
//! `project_participation_count` holds what each project adds to those groups.
//!
//! Every write that changes who is counted where refreshes its project's share in the same
//! transaction, so the counts commit or roll back with the change; bulk loads `rebuild`.

use entity::workshop;
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};
use uuid::Uuid;

use crate::derived::kept::{Cell, Kept};

/// Each project's share of the counts.
pub const PER_PROJECT: &str = "project_participation_count";
/// The counts summed over projects.
pub const TOTAL: &str = "participation_count";

/// The counts' tables: per (country, published, workshop cancelled, status, gender, age
/// band), the people and the sum of their record keys (`domain::cell_key`).
const COUNTS: Kept = Kept {
    per_project: PER_PROJECT,
    total: TOTAL,
    key: &[
        ("country_code", Cell::Text),
        ("published", Cell::Flag),
        ("workshop_cancelled", Cell::Flag),
        ("status", Cell::Text),
        ("gender", Cell::Text),
        ("age_band", Cell::Text),
    ],
    tally: &["people", "key_sum"],
};

/// Replaces `project`'s share of the counts with a fresh count of its registrations and moves
/// the totals by the difference, under the project's row lock.
pub async fn refresh(txn: &DatabaseTransaction, project: Uuid) -> Result<(), DbErr> {
    let mut current = count_per_project();
    current.and_where(Expr::col((workshop::Entity, workshop::Column::ProjectId)).eq(project));
    COUNTS.refresh(txn, [project], current).await
}

/// Registrations counted per project and group: the whole programme, or (with a condition on
/// `workshop.project_id` added by the caller) one project.
pub fn count_per_project() -> SelectStatement {
    // Written out rather than bound, so that PostgreSQL sees the grouped and the selected
    // expression as one.
    let cancelled = Expr::cust("workshop.status = 'CANCELLED'");
    let mut select = Query::select();
    select
        .from("registration")
        .inner_join(
            "workshop",
            Expr::col(("workshop", "id")).equals(("registration", "workshop_id")),
        )
        .inner_join(
            "project",
            Expr::col(("project", "id")).equals(("workshop", "project_id")),
        )
        .expr_as(Expr::col(("workshop", "project_id")), "project_id")
        .expr_as(Expr::col(("project", "country_code")), "country_code")
        .expr_as(Expr::col(("project", "published")), "published")
        .expr_as(cancelled.clone(), "workshop_cancelled")
        .expr_as(Expr::col(("registration", "status")), "status")
        .expr_as(Expr::col(("registration", "gender")), "gender")
        .expr_as(Expr::col(("registration", "age_band")), "age_band")
        .expr_as(Expr::cust("COUNT(*)"), "people")
        .expr_as(
            Expr::cust("CAST(SUM(registration.record_key) AS BIGINT)"),
            "key_sum",
        )
        .add_group_by([
            Expr::col(("workshop", "project_id")),
            Expr::col(("project", "country_code")),
            Expr::col(("project", "published")),
            cancelled,
            Expr::col(("registration", "status")),
            Expr::col(("registration", "gender")),
            Expr::col(("registration", "age_band")),
        ]);
    select.take()
}

/// Counts everything again from the registrations: after a migration or a bulk seed, whose
/// inserts bypass the per-write upkeep.
pub async fn rebuild<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    COUNTS.rebuild(db, count_per_project(), None).await
}
