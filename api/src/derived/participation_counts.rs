//! People counted ahead of time for `participationSummary`: one row per group of registrations
//! that share everything the coarse summaries group, filter and decide visibility by (country,
//! whether the project is published, whether the workshop is cancelled, registration status,
//! gender, age band), so a summary over a million registrations reads a few hundred rows.
//! `project_participation_count` holds what each project adds to those groups.
//!
//! Every write that changes who is counted where refreshes its project's share in the same
//! transaction, so the counts commit or roll back with the change; bulk loads `rebuild`.

use std::collections::BTreeMap;

use entity::{project, workshop};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, QueryResult};
use uuid::Uuid;

use crate::db::rows::lock_row;

/// Each project's share of the counts.
pub const PER_PROJECT: &str = "project_participation_count";
/// The counts summed over projects.
pub const TOTAL: &str = "participation_count";
/// The columns that make a group, in both tables.
pub const KEY: [&str; 6] = [
    "country_code",
    "published",
    "workshop_cancelled",
    "status",
    "gender",
    "age_band",
];

fn built(e: sea_orm::sea_query::error::Error) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// (country, published, workshop cancelled, status, gender, age band)
type Group = (String, bool, bool, String, String, String);

/// People in a group and the sum of their record keys (`domain::cell_key`).
type Tally = (i64, i64);

/// The columns a tally is kept in.
const TALLY: [&str; 2] = ["people", "key_sum"];

fn group(row: &QueryResult) -> Result<(Group, Tally), DbErr> {
    Ok((
        (
            row.try_get("", "country_code")?,
            row.try_get("", "published")?,
            row.try_get("", "workshop_cancelled")?,
            row.try_get("", "status")?,
            row.try_get("", "gender")?,
            row.try_get("", "age_band")?,
        ),
        (row.try_get("", "people")?, row.try_get("", "key_sum")?),
    ))
}

/// A group's key as the values of the `KEY` columns, in order.
fn cells((country, published, cancelled, status, gender, age_band): Group) -> [Expr; 6] {
    [
        country.into(),
        published.into(),
        cancelled.into(),
        status.into(),
        gender.into(),
        age_band.into(),
    ]
}

/// Replaces `project`'s share of the counts with a fresh count of its registrations and moves
/// the totals by the difference. Takes the project's row lock first, so two writes to one
/// project refresh one after the other and each sees the other's share.
pub async fn refresh(txn: &DatabaseTransaction, project: Uuid) -> Result<(), DbErr> {
    lock_row::<project::Entity>(
        txn,
        (project::Column::Id, project::Column::Version),
        project,
    )
    .await?;

    let mut previous = Query::select();
    previous
        .from(Alias::new(PER_PROJECT))
        .columns(KEY.into_iter().chain(TALLY).map(Alias::new))
        .and_where(Expr::col(Alias::new("project_id")).eq(project));
    let mut current = count_per_project();
    current.and_where(Expr::col((workshop::Entity, workshop::Column::ProjectId)).eq(project));

    let mut change: BTreeMap<Group, Tally> = BTreeMap::new();
    for row in txn.query_all(&previous).await? {
        let (g, (people, keys)) = group(&row)?;
        let entry = change.entry(g).or_default();
        entry.0 -= people;
        entry.1 -= keys;
    }
    let now = txn.query_all(&current).await?;
    for row in &now {
        let (g, (people, keys)) = group(row)?;
        let entry = change.entry(g).or_default();
        entry.0 += people;
        entry.1 += keys;
    }

    // Groups in key order, so that concurrent refreshes of different projects lock the shared
    // total rows in one order and cannot deadlock.
    for (g, (by, keys_by)) in change.into_iter().filter(|(_, by)| *by != (0, 0)) {
        let kept = |column: &str| Expr::col((Alias::new(TOTAL), Alias::new(column)));
        let mut upsert = Query::insert();
        upsert
            .into_table(Alias::new(TOTAL))
            .columns(KEY.into_iter().chain(TALLY).map(Alias::new))
            .values(cells(g).into_iter().chain([by.into(), keys_by.into()]))
            .map_err(built)?
            .on_conflict(
                OnConflict::columns(KEY.map(Alias::new))
                    .value(Alias::new("people"), kept("people").add(by))
                    .value(Alias::new("key_sum"), kept("key_sum").add(keys_by))
                    .to_owned(),
            );
        txn.execute(&upsert).await?;
    }

    let mut forget = Query::delete();
    forget
        .from_table(Alias::new(PER_PROJECT))
        .and_where(Expr::col(Alias::new("project_id")).eq(project));
    txn.execute(&forget).await?;
    if !now.is_empty() {
        let mut share = Query::insert();
        share.into_table(Alias::new(PER_PROJECT)).columns(
            ["project_id"]
                .into_iter()
                .chain(KEY)
                .chain(TALLY)
                .map(Alias::new),
        );
        for row in &now {
            let (g, (people, keys)) = group(row)?;
            share
                .values(
                    [project.into()]
                        .into_iter()
                        .chain(cells(g))
                        .chain([people.into(), keys.into()]),
                )
                .map_err(built)?;
        }
        txn.execute(&share).await?;
    }
    Ok(())
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
    for name in [TOTAL, PER_PROJECT] {
        db.execute(&Query::delete().from_table(name).to_owned())
            .await?;
    }
    let mut per_project = Query::insert();
    per_project
        .into_table(PER_PROJECT)
        .columns(["project_id"].into_iter().chain(KEY).chain(TALLY))
        .select_from(count_per_project())
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&per_project).await?;

    let mut summed = Query::select();
    summed.from(PER_PROJECT);
    for column in KEY {
        summed.column(column).add_group_by([Expr::col(column)]);
    }
    summed.expr(Expr::cust("SUM(people)"));
    summed.expr(Expr::cust("CAST(SUM(key_sum) AS BIGINT)"));
    let mut total = Query::insert();
    total
        .into_table(TOTAL)
        .columns(KEY.into_iter().chain(TALLY))
        .select_from(summed)
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&total).await?;
    Ok(())
}
