//! Upkeep of the counts `participationSummary` reads (see the migration that made them): every
//! write that changes who is counted where refreshes its project's share in the same
//! transaction, so the counts commit or roll back with the change.

use std::collections::BTreeMap;

use entity::{project, workshop};
use migration::participation_counts::{KEY, PER_PROJECT, TOTAL, count_per_project};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr, QueryResult};
use uuid::Uuid;

use crate::graphql::writes::lock_row;

fn built(e: sea_orm::sea_query::error::Error) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// (country, published, workshop cancelled, status, gender, age band)
type Group = (String, bool, bool, String, String, String);

fn group(row: &QueryResult) -> Result<(Group, i64), DbErr> {
    Ok((
        (
            row.try_get("", "country_code")?,
            row.try_get("", "published")?,
            row.try_get("", "workshop_cancelled")?,
            row.try_get("", "status")?,
            row.try_get("", "gender")?,
            row.try_get("", "age_band")?,
        ),
        row.try_get("", "people")?,
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
        .columns(KEY.into_iter().chain(["people"]).map(Alias::new))
        .and_where(Expr::col(Alias::new("project_id")).eq(project));
    let mut current = count_per_project();
    current.and_where(Expr::col((workshop::Entity, workshop::Column::ProjectId)).eq(project));

    let mut change: BTreeMap<Group, i64> = BTreeMap::new();
    for row in txn.query_all(&previous).await? {
        let (g, people) = group(&row)?;
        *change.entry(g).or_default() -= people;
    }
    let now = txn.query_all(&current).await?;
    for row in &now {
        let (g, people) = group(row)?;
        *change.entry(g).or_default() += people;
    }

    // Groups in key order, so that concurrent refreshes of different projects lock the shared
    // total rows in one order and cannot deadlock.
    for (g, by) in change.into_iter().filter(|(_, by)| *by != 0) {
        let mut upsert = Query::insert();
        upsert
            .into_table(Alias::new(TOTAL))
            .columns(KEY.into_iter().chain(["people"]).map(Alias::new))
            .values(cells(g).into_iter().chain([by.into()]))
            .map_err(built)?
            .on_conflict(
                OnConflict::columns(KEY.map(Alias::new))
                    .value(
                        Alias::new("people"),
                        Expr::col((Alias::new(TOTAL), Alias::new("people"))).add(by),
                    )
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
                .chain(["people"])
                .map(Alias::new),
        );
        for row in &now {
            let (g, people) = group(row)?;
            share
                .values(
                    [project.into()]
                        .into_iter()
                        .chain(cells(g))
                        .chain([people.into()]),
                )
                .map_err(built)?;
        }
        txn.execute(&share).await?;
    }
    Ok(())
}
