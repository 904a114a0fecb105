//! Funding summed ahead of time for `fundingSummary`: one row per group of fundings that share
//! everything the summary groups and filters by but the project and region, for each way a
//! caller's view and counting can differ (`Variant`). A summary over a million fundings then
//! reads a few thousand rows. `project_funding_total` holds what each project adds.
//!
//! Every share is counted by `funding_flow::counted`, the same statement `fundingSummary`
//! runs over the fundings themselves, so kept and counted figures cannot disagree. A project's
//! share depends on its fundings and on what other projects draw from its allocations, so a
//! write refreshes the projects on both ends of a draw (`refresh`), in its own transaction.

use std::collections::BTreeMap;

use entity::{funding, project};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Func, LockType, OnConflict, Query, SelectStatement, UnionType,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbBackend, DbErr, EntityTrait,
    Order, QueryFilter, QueryResult, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use crate::access::Audience;
use crate::db::rows::lock_row;
use crate::db::sql::{sum, year};
use crate::derived::eur;
use crate::derived::funding_flow::{counted, draws_counted, without_invented};

/// Each project's share of the totals.
pub const PER_PROJECT: &str = "project_funding_total";
/// The totals summed over projects.
pub const TOTAL: &str = "funding_total";
/// The columns that make a group, in both tables.
pub const KEY: [&str; 11] = [
    "audience",
    "once",
    "without_invented",
    "country_code",
    "programme_id",
    "funder_id",
    "value_year",
    "currency",
    "kind",
    "status",
    "level",
];
/// The sums kept per group.
pub const TALLY: [&str; 5] = [
    "fundings",
    "amount_minor",
    "eur_minor",
    "unconverted",
    "invented",
];
/// Where a project outside any programme is kept: key columns are never null.
pub const NO_PROGRAMME: Uuid = Uuid::nil();

/// One way of counting: whose view, each euro once or every level, invented rows left out.
#[derive(Debug, Clone, Copy)]
pub struct Variant {
    pub audience: Audience,
    pub once: bool,
    pub without_invented: bool,
}

impl Variant {
    fn all() -> impl Iterator<Item = Self> {
        Audience::ALL.into_iter().flat_map(|audience| {
            [(true, false), (true, true), (false, false), (false, true)]
                .into_iter()
                .map(move |(once, without_invented)| Self {
                    audience,
                    once,
                    without_invented,
                })
        })
    }

    /// Rows of this variant in the totals.
    pub fn condition(self) -> Condition {
        let kept = |column: &str| Expr::col((Alias::new(TOTAL), Alias::new(column)));
        Condition::all()
            .add(kept("audience").eq(self.audience.code()))
            .add(kept("once").eq(self.once))
            .add(kept("without_invented").eq(self.without_invented))
    }
}

fn built(e: sea_orm::sea_query::error::Error) -> DbErr {
    DbErr::Custom(e.to_string())
}

/// (audience, once, without invented, country, programme, funder, year, currency, kind,
/// status, level)
type Group = (
    String,
    bool,
    bool,
    String,
    Uuid,
    Uuid,
    i32,
    String,
    String,
    String,
    String,
);

type Tally = [i64; 5];

fn group(row: &QueryResult) -> Result<(Group, Tally), DbErr> {
    let mut tally = [0; 5];
    for (i, column) in TALLY.into_iter().enumerate() {
        tally[i] = row.try_get("", column)?;
    }
    Ok((
        (
            row.try_get("", "audience")?,
            row.try_get("", "once")?,
            row.try_get("", "without_invented")?,
            row.try_get("", "country_code")?,
            row.try_get("", "programme_id")?,
            row.try_get("", "funder_id")?,
            row.try_get("", "value_year")?,
            row.try_get("", "currency")?,
            row.try_get("", "kind")?,
            row.try_get("", "status")?,
            row.try_get("", "level")?,
        ),
        tally,
    ))
}

fn cells(g: Group) -> [Expr; 11] {
    [
        g.0.into(),
        g.1.into(),
        g.2.into(),
        g.3.into(),
        g.4.into(),
        g.5.into(),
        g.6.into(),
        g.7.into(),
        g.8.into(),
        g.9.into(),
        g.10.into(),
    ]
}

/// Each project's share of the fundings that meet `scope` (on `funding` joined with
/// `project`), one row per project, variant and group, in the columns of `PER_PROJECT`.
fn shares<C: ConnectionTrait>(db: &C, scope: &Condition) -> SelectStatement {
    let backend = db.get_database_backend();
    let fr = Alias::new("fr");
    let col = |name: &str| Expr::col((fr.clone(), Alias::new(name)));
    let mut each = Variant::all().map(|v| {
        let mut condition = scope.clone();
        if v.without_invented {
            condition = condition.add(without_invented());
        }
        let rows = counted(
            &v.audience.member(),
            v.once,
            condition,
            draws_counted(v.without_invented),
        );
        let value_year = year(backend, "\"fr\".\"value_date\"");
        let grouped = [
            col("project_id"),
            col("country_code"),
            col("programme_id"),
            col("funder_id"),
            value_year.clone(),
            col("currency"),
            col("kind"),
            col("status"),
            col("level"),
        ];
        let mut select = Query::select();
        select
            .from_subquery(rows, fr.clone())
            .expr_as(col("project_id"), "project_id")
            .expr_as(Expr::val(v.audience.code()), "audience")
            .expr_as(Expr::val(v.once), "once")
            .expr_as(Expr::val(v.without_invented), "without_invented")
            .expr_as(col("country_code"), "country_code")
            // Grouped by the column, selected with its stand-in: a bound value in both
            // places would be two parameters to PostgreSQL, and not the same expression.
            .expr_as(
                Func::coalesce([col("programme_id"), Expr::val(NO_PROGRAMME)]),
                "programme_id",
            )
            .expr_as(col("funder_id"), "funder_id")
            .expr_as(value_year, "value_year")
            .expr_as(col("currency"), "currency")
            .expr_as(col("kind"), "kind")
            .expr_as(col("status"), "status")
            .expr_as(col("level"), "level")
            .expr_as(Expr::cust("COUNT(*)"), "fundings")
            .expr_as(sum(col("amount_minor")), "amount_minor")
            .expr_as(
                Func::coalesce([
                    sum(eur::eur_minor_sql(col("amount_minor"), col("rate_micros"))),
                    Expr::val(0i64),
                ]),
                "eur_minor",
            )
            .expr_as(
                sum(Expr::case(col("rate_micros").is_null(), 1)
                    .finally(0)
                    .into()),
                "unconverted",
            )
            .expr_as(sum(col("invented")), "invented")
            .add_group_by(grouped);
        select
    });
    let mut all = each.next().unwrap_or_else(Query::select);
    for other in each {
        all.union(UnionType::All, other);
    }
    all
}

/// Locks the projects in id order, so that two writes touching the same projects wait for
/// each other rather than deadlock, and each sees the other's share.
async fn lock(txn: &DatabaseTransaction, projects: &[Uuid]) -> Result<(), DbErr> {
    for id in projects {
        lock_row::<project::Entity>(txn, (project::Column::Id, project::Column::Version), *id)
            .await?;
    }
    Ok(())
}

/// Counts the shares of `projects` again and moves the totals by the difference.
pub async fn refresh(
    txn: &DatabaseTransaction,
    projects: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    let mut projects: Vec<Uuid> = projects.into_iter().collect();
    projects.sort_unstable();
    projects.dedup();
    if projects.is_empty() {
        return Ok(());
    }
    lock(txn, &projects).await?;

    let owned = |table: &str| Expr::col((Alias::new(table), Alias::new("project_id")));
    let mut previous = Query::select();
    previous
        .from(Alias::new(PER_PROJECT))
        .columns(KEY.into_iter().chain(TALLY).map(Alias::new))
        .and_where(owned(PER_PROJECT).is_in(projects.iter().copied()));
    let scope = Condition::all().add(funding::Column::ProjectId.is_in(projects.iter().copied()));
    let current = shares(txn, &scope);

    let mut change: BTreeMap<Group, Tally> = BTreeMap::new();
    for row in txn.query_all(&previous).await? {
        let (g, tally) = group(&row)?;
        let entry = change.entry(g).or_default();
        for (kept, by) in entry.iter_mut().zip(tally) {
            *kept -= by;
        }
    }
    let now = txn.query_all(&current).await?;
    for row in &now {
        let (g, tally) = group(row)?;
        let entry = change.entry(g).or_default();
        for (kept, by) in entry.iter_mut().zip(tally) {
            *kept += by;
        }
    }

    // Groups in key order, so that concurrent refreshes lock the total rows in one order.
    let mut emptied = false;
    for (g, by) in change.into_iter().filter(|(_, by)| *by != [0; 5]) {
        emptied |= by[0] < 0;
        let kept = |column: &str| Expr::col((Alias::new(TOTAL), Alias::new(column)));
        let mut on_conflict = OnConflict::columns(KEY.map(Alias::new));
        for (column, by) in TALLY.into_iter().zip(by) {
            on_conflict.value(Alias::new(column), kept(column).add(by));
        }
        let mut upsert = Query::insert();
        upsert
            .into_table(Alias::new(TOTAL))
            .columns(KEY.into_iter().chain(TALLY).map(Alias::new))
            .values(cells(g).into_iter().chain(by.map(Expr::from)))
            .map_err(built)?
            .on_conflict(on_conflict);
        txn.execute(&upsert).await?;
    }
    if emptied {
        let mut gone = Query::delete();
        gone.from_table(Alias::new(TOTAL))
            .and_where(Expr::col(Alias::new("fundings")).lte(0));
        txn.execute(&gone).await?;
    }

    let mut forget = Query::delete();
    forget
        .from_table(Alias::new(PER_PROJECT))
        .and_where(Expr::col(Alias::new("project_id")).is_in(projects.iter().copied()));
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
            let project: Uuid = row.try_get("", "project_id")?;
            let (g, tally) = group(row)?;
            share
                .values(
                    [project.into()]
                        .into_iter()
                        .chain(cells(g))
                        .chain(tally.map(Expr::from)),
                )
                .map_err(built)?;
        }
        txn.execute(&share).await?;
    }
    Ok(())
}

/// The projects whose shares a write to fundings of `projects` moves: those projects, and
/// those holding the allocations their fundings draw from.
pub async fn with_allocations(
    txn: &DatabaseTransaction,
    projects: impl IntoIterator<Item = Uuid>,
) -> Result<Vec<Uuid>, DbErr> {
    let mut all: Vec<Uuid> = projects.into_iter().collect();
    let drawn = funding::Entity::find()
        .select_only()
        .column(funding::Column::DrawnFromId)
        .filter(funding::Column::ProjectId.is_in(all.clone()))
        .filter(funding::Column::DrawnFromId.is_not_null())
        .into_query();
    let holders: Vec<Uuid> = funding::Entity::find()
        .select_only()
        .column(funding::Column::ProjectId)
        .filter(funding::Column::Id.in_subquery(drawn))
        .into_tuple()
        .all(txn)
        .await?;
    all.extend(holders);
    Ok(all)
}

/// The project a funding belongs to, for draws named by id.
pub async fn project_of(txn: &DatabaseTransaction, funding: Uuid) -> Result<Option<Uuid>, DbErr> {
    funding::Entity::find_by_id(funding)
        .select_only()
        .column(funding::Column::ProjectId)
        .into_tuple()
        .one(txn)
        .await
}

/// Counts the shares of fundings in `currency` (all of them: `None`) again, and their
/// totals: after a bulk load, or when a currency's rates change every conversion in it. An
/// allocation and what is drawn from it share a currency, so currencies count apart.
pub async fn rebuild<C: ConnectionTrait>(db: &C, currency: Option<&str>) -> Result<(), DbErr> {
    let in_currency = |table: &str| {
        let mut c = Condition::all();
        if let Some(currency) = currency {
            c = c.add(Expr::col((Alias::new(table), Alias::new("currency"))).eq(currency));
        }
        c
    };
    if currency.is_some() && db.get_database_backend() == DbBackend::Postgres {
        // Writes to those projects wait until the new totals are in; the rows are locked in
        // id order, as `refresh` locks them. (SQLite's writers are serial already.)
        let holding = funding::Entity::find()
            .select_only()
            .column(funding::Column::ProjectId)
            .filter(in_currency("funding"))
            .into_query();
        let mut lock = Query::select();
        lock.column(project::Column::Id)
            .from(project::Entity)
            .and_where(project::Column::Id.in_subquery(holding))
            .order_by(project::Column::Id, Order::Asc)
            .lock(LockType::Update);
        db.query_all(&lock).await?;
    }
    for table in [TOTAL, PER_PROJECT] {
        let mut gone = Query::delete();
        gone.from_table(Alias::new(table))
            .cond_where(in_currency(table));
        db.execute(&gone).await?;
    }
    let mut per_project = Query::insert();
    per_project
        .into_table(Alias::new(PER_PROJECT))
        .columns(
            ["project_id"]
                .into_iter()
                .chain(KEY)
                .chain(TALLY)
                .map(Alias::new),
        )
        .select_from(shares(db, &in_currency("funding")))
        .map_err(built)?;
    db.execute(&per_project).await?;

    let mut summed = Query::select();
    summed
        .from(Alias::new(PER_PROJECT))
        .cond_where(in_currency(PER_PROJECT));
    for column in KEY {
        summed
            .column(Alias::new(column))
            .add_group_by([Expr::col(Alias::new(column))]);
    }
    for column in TALLY {
        summed.expr(sum(Expr::col(Alias::new(column))));
    }
    let mut total = Query::insert();
    total
        .into_table(Alias::new(TOTAL))
        .columns(KEY.into_iter().chain(TALLY).map(Alias::new))
        .select_from(summed)
        .map_err(built)?;
    db.execute(&total).await?;
    Ok(())
}

/// Fills the totals of a database migrated from before they were kept.
pub async fn fill_if_empty(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    let mut any = Query::select();
    any.expr(Expr::cust("1"))
        .from(Alias::new(PER_PROJECT))
        .limit(1);
    let kept = txn.query_one(&any).await?;
    if kept.is_none() && funding::Entity::find().one(txn).await?.is_some() {
        rebuild(txn, None).await?;
    }
    Ok(())
}
