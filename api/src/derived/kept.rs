//! Figures kept ahead of time as two tables: each project's share per group, and the shares
//! summed per group. A write replaces the shares of the projects it moves and moves the sums
//! by the difference, in its own transaction, so the figures commit or roll back with it; a
//! bulk load counts everything again. `participation_counts` and `funding_totals` keep theirs
//! this way.

use std::collections::BTreeMap;

use entity::project;
use sea_orm::ColumnTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query, SelectStatement};
use sea_orm::{Condition, ConnectionTrait, DatabaseTransaction, DbErr, QueryResult, Value};
use uuid::Uuid;

use crate::db::rows::lock_rows;
use crate::db::sql::sum;

/// How a key column is read back.
#[derive(Debug, Clone, Copy)]
pub enum Cell {
    Text,
    Flag,
    Id,
    Int,
}

/// One key column's value; keys sort part by part, which orders the writes to the sums.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Text(String),
    Flag(bool),
    Id(Uuid),
    Int(i32),
}

impl From<Part> for Expr {
    fn from(part: Part) -> Self {
        match part {
            Part::Text(v) => v.into(),
            Part::Flag(v) => v.into(),
            Part::Id(v) => v.into(),
            Part::Int(v) => v.into(),
        }
    }
}

/// Share rows per INSERT.
const CHUNK: usize = 500;

type Group = Vec<Part>;
type Tally = Vec<i64>;

fn built(e: sea_orm::sea_query::error::Error) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// The two tables of one kind of kept figure and their columns.
pub struct Kept {
    /// Each project's share: `project_id`, then the key, then the tally.
    pub per_project: &'static str,
    /// The shares summed: the key, then the tally.
    pub total: &'static str,
    /// The columns that make a group, in both tables.
    pub key: &'static [(&'static str, Cell)],
    /// The sums kept per group; the first counts rows, and a group whose count falls to
    /// nothing is dropped.
    pub tally: &'static [&'static str],
}

impl Kept {
    fn key_names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.key.iter().map(|(name, _)| *name)
    }

    fn columns(&self) -> impl Iterator<Item = Alias> + '_ {
        self.key_names()
            .chain(self.tally.iter().copied())
            .map(Alias::new)
    }

    fn read(&self, row: &QueryResult) -> Result<(Group, Tally), DbErr> {
        let group = self
            .key
            .iter()
            .map(|(name, cell)| {
                Ok(match cell {
                    Cell::Text => Part::Text(row.try_get("", name)?),
                    Cell::Flag => Part::Flag(row.try_get("", name)?),
                    Cell::Id => Part::Id(row.try_get("", name)?),
                    Cell::Int => Part::Int(row.try_get("", name)?),
                })
            })
            .collect::<Result<_, DbErr>>()?;
        let tally = self
            .tally
            .iter()
            .map(|name| row.try_get::<i64>("", name))
            .collect::<Result<_, _>>()?;
        Ok((group, tally))
    }

    /// Replaces the shares of `projects` with `current` (rows of `project_id`, key and tally,
    /// for those projects alone) and moves the sums by the difference. The projects' rows are
    /// locked first, in id order, so two writes moving the same projects take turns and each
    /// sees the other's share, and the sums are written in key order. A write that already
    /// holds one of the projects (a project's own update) can still meet another in the
    /// opposite order; PostgreSQL then ends one of them, which answers CONFLICT and changes
    /// nothing (`db::failure`).
    pub async fn refresh(
        &self,
        txn: &DatabaseTransaction,
        projects: impl IntoIterator<Item = Uuid>,
        current: SelectStatement,
    ) -> Result<(), DbErr> {
        let mut projects: Vec<Uuid> = projects.into_iter().collect();
        projects.sort_unstable();
        projects.dedup();
        if projects.is_empty() {
            return Ok(());
        }
        lock_rows::<project::Entity, _>(
            txn,
            project::Column::Id,
            project::Column::Id.is_in(projects.iter().copied()),
        )
        .await?;
        let mine = || Expr::col(Alias::new("project_id")).is_in(projects.iter().copied());
        let mut previous = Query::select();
        previous
            .from(Alias::new(self.per_project))
            .columns(self.columns())
            .and_where(mine());

        let mut change: BTreeMap<Group, Tally> = BTreeMap::new();
        let mut add = |(group, tally): (Group, Tally), sign: i64| {
            let entry = change
                .entry(group)
                .or_insert_with(|| vec![0; self.tally.len()]);
            for (kept, by) in entry.iter_mut().zip(tally) {
                *kept += sign * by;
            }
        };
        for row in txn.query_all(&previous).await? {
            add(self.read(&row)?, -1);
        }
        let now = txn
            .query_all(&current)
            .await?
            .iter()
            .map(|row| Ok((row.try_get::<Uuid>("", "project_id")?, self.read(row)?)))
            .collect::<Result<Vec<_>, DbErr>>()?;
        for (_, share) in &now {
            add(share.clone(), 1);
        }

        let mut emptied = false;
        for (group, by) in change
            .into_iter()
            .filter(|(_, by)| by.iter().any(|n| *n != 0))
        {
            emptied |= by[0] < 0;
            let kept = |column: &str| Expr::col((Alias::new(self.total), Alias::new(column)));
            let mut on_conflict = OnConflict::columns(self.key_names().map(Alias::new));
            for (column, by) in self.tally.iter().zip(&by) {
                on_conflict.value(Alias::new(*column), kept(column).add(*by));
            }
            let mut upsert = Query::insert();
            upsert
                .into_table(Alias::new(self.total))
                .columns(self.columns())
                .values(
                    group
                        .into_iter()
                        .map(Expr::from)
                        .chain(by.into_iter().map(Expr::from)),
                )
                .map_err(built)?
                .on_conflict(on_conflict);
            txn.execute(&upsert).await?;
        }
        if emptied {
            let mut gone = Query::delete();
            gone.from_table(Alias::new(self.total))
                .and_where(Expr::col(Alias::new(self.tally[0])).lte(0));
            txn.execute(&gone).await?;
        }

        let mut forget = Query::delete();
        forget
            .from_table(Alias::new(self.per_project))
            .and_where(mine());
        txn.execute(&forget).await?;
        // In chunks: a project may hold many groups, and each row binds a parameter per
        // column, far below SQLite's and PostgreSQL's limits per statement.
        for rows in now.chunks(CHUNK) {
            let mut share = Query::insert();
            share
                .into_table(Alias::new(self.per_project))
                .columns([Alias::new("project_id")].into_iter().chain(self.columns()));
            for (project, (group, tally)) in rows {
                share
                    .values(
                        [Expr::from(*project)]
                            .into_iter()
                            .chain(group.iter().cloned().map(Expr::from))
                            .chain(tally.iter().map(|n| Expr::from(*n))),
                    )
                    .map_err(built)?;
            }
            txn.execute(&share).await?;
        }
        Ok(())
    }

    /// Counts again from `current` (rows of `project_id`, key and tally): everything, or the
    /// groups whose `slice` column holds the given value.
    pub async fn rebuild<C: ConnectionTrait>(
        &self,
        db: &C,
        current: SelectStatement,
        slice: Option<(&str, Value)>,
    ) -> Result<(), DbErr> {
        let mut in_slice = Condition::all();
        if let Some((column, value)) = slice {
            in_slice = in_slice.add(Expr::col(Alias::new(column)).eq(value));
        }
        for table in [self.total, self.per_project] {
            let mut gone = Query::delete();
            gone.from_table(Alias::new(table))
                .cond_where(in_slice.clone());
            db.execute(&gone).await?;
        }
        let mut per_project = Query::insert();
        per_project
            .into_table(Alias::new(self.per_project))
            .columns([Alias::new("project_id")].into_iter().chain(self.columns()))
            .select_from(current)
            .map_err(built)?;
        db.execute(&per_project).await?;

        let mut summed = Query::select();
        summed
            .from(Alias::new(self.per_project))
            .cond_where(in_slice);
        for column in self.key_names() {
            summed
                .column(Alias::new(column))
                .add_group_by([Expr::col(Alias::new(column))]);
        }
        for column in self.tally {
            summed.expr(sum(Expr::col(Alias::new(*column))));
        }
        let mut total = Query::insert();
        total
            .into_table(Alias::new(self.total))
            .columns(self.columns())
            .select_from(summed)
            .map_err(built)?;
        db.execute(&total).await?;
        Ok(())
    }
}
