//! Funding summed ahead of time for `fundingSummary`: one row per group of fundings that share
//! everything the summary groups and filters by but the project and region, for each way a
//! caller's view and counting can differ (`Variant`). A summary over a million fundings then
//! reads a few thousand rows. `project_funding_total` holds what each project adds.
//!
//! Every share is counted by `funding_flow::counted`, the same statement `fundingSummary`
//! runs over the fundings themselves, so kept and counted figures cannot disagree. A project's
//! share depends on its fundings and on what other projects draw from its allocations, so a
//! write refreshes the projects on both ends of a draw (`refresh`), in its own transaction.

use entity::{funding, project};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, UnionType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect, QueryTrait,
};
use uuid::Uuid;

use crate::access::Audience;
use crate::db::rows::lock_rows;
use crate::db::sql::{sum, year};
use crate::derived::eur;
use crate::derived::funding_flow::{counted, draws_counted, without_invented};
use crate::derived::kept::{Cell, Kept};

/// Each project's share of the totals.
pub const PER_PROJECT: &str = "project_funding_total";
/// The totals summed over projects.
pub const TOTAL: &str = "funding_total";
/// The totals' tables: per (audience, once, without invented, country, programme, funder,
/// value year, currency, kind, status, level), how many fundings, their money in the original
/// currency and in euros, how many have no rate and how many were invented.
const TOTALS: Kept = Kept {
    per_project: PER_PROJECT,
    total: TOTAL,
    key: &[
        ("audience", Cell::Text),
        ("once", Cell::Flag),
        ("without_invented", Cell::Flag),
        ("country_code", Cell::Text),
        ("programme_id", Cell::Id),
        ("funder_id", Cell::Id),
        ("value_year", Cell::Int),
        ("currency", Cell::Text),
        ("kind", Cell::Text),
        ("status", Cell::Text),
        ("level", Cell::Text),
    ],
    tally: &[
        "fundings",
        "amount_minor",
        "eur_minor",
        "unconverted",
        "invented",
    ],
};

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

/// Each project's share of the fundings that meet `scope` (on `funding` joined with
/// `project`), one row per project, variant and group, in the columns of `PER_PROJECT`.
/// `draws` narrows the draws summed per allocation to those that can touch the fundings in
/// scope, so that refreshing one project does not sum every draw of the programme.
fn shares<C: ConnectionTrait>(db: &C, scope: &Condition, draws: &Condition) -> SelectStatement {
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
            draws_counted(v.without_invented).add(draws.clone()),
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

/// Counts the shares of `projects` again and moves the totals by the difference.
pub async fn refresh(
    txn: &DatabaseTransaction,
    projects: impl IntoIterator<Item = Uuid>,
) -> Result<(), DbErr> {
    let projects: Vec<Uuid> = projects.into_iter().collect();
    let scope = Condition::all().add(funding::Column::ProjectId.is_in(projects.iter().copied()));
    let theirs = funding::Entity::find()
        .select_only()
        .column(funding::Column::Id)
        .filter(scope.clone())
        .into_query();
    let draws = Condition::all().add(funding::Column::DrawnFromId.in_subquery(theirs));
    TOTALS
        .refresh(txn, projects, shares(txn, &scope, &draws))
        .await
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
    let mut scope = Condition::all();
    if let Some(currency) = currency {
        scope = scope.add(funding::Column::Currency.eq(currency));
    }
    if currency.is_some() {
        // Writes to those projects wait until the new totals are in: the rows are locked as
        // `Kept::refresh` locks them.
        let holding = funding::Entity::find()
            .select_only()
            .column(funding::Column::ProjectId)
            .filter(scope.clone())
            .into_query();
        lock_rows::<project::Entity, _>(
            db,
            project::Column::Id,
            project::Column::Id.in_subquery(holding),
        )
        .await?;
    }
    let slice = currency.map(|c| ("currency", c.into()));
    TOTALS
        .rebuild(db, shares(db, &scope, &Condition::all()), slice)
        .await
}

/// Counts the totals again when they do not hold every funding: a database migrated from
/// before they were kept, or one written by an older release. (Every level of everyone's view
/// counts each funding exactly once, so its count is the table's.)
pub async fn fill_if_stale(txn: &DatabaseTransaction) -> Result<(), DbErr> {
    let every = Variant {
        audience: Audience::Everyone,
        once: false,
        without_invented: false,
    };
    let mut kept = Query::select();
    kept.expr_as(
        Func::coalesce([sum(Expr::col(Alias::new("fundings"))), Expr::val(0i64)]),
        Alias::new("n"),
    )
    .from(Alias::new(TOTAL))
    .cond_where(every.condition());
    let kept: i64 = match txn.query_one(&kept).await? {
        Some(row) => row.try_get("", "n")?,
        None => 0,
    };
    let fundings = funding::Entity::find().count(txn).await?;
    if u64::try_from(kept).ok() != Some(fundings) {
        tracing::info!(kept, fundings, "funding totals counted again");
        rebuild(txn, None).await?;
    }
    Ok(())
}
