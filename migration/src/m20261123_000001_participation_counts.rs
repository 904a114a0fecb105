//! People counted ahead of time for `participationSummary`: one row per group of registrations
//! that share everything the coarse summaries group, filter and decide visibility by (country,
//! whether the project is published, whether the workshop is cancelled, registration status,
//! gender, age band). A summary over a million registrations then reads a few hundred rows.
//!
//! `project_participation_count` holds what each project adds to those groups, so that a write
//! to one project can replace that project's share without counting anyone else again.

use sea_orm_migration::prelude::*;

use crate::columns::{string, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(table(PER_PROJECT, true).to_owned())
            .await?;
        manager.create_table(table(TOTAL, false).to_owned()).await?;
        rebuild(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [TOTAL, PER_PROJECT] {
            manager
                .drop_table(Table::drop().table(name).to_owned())
                .await?;
        }
        Ok(())
    }
}

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

fn table(name: &'static str, per_project: bool) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name);
    let mut primary = Index::create();
    if per_project {
        t.col(uuid("project_id"));
        primary.col("project_id");
    }
    t.col(string("country_code", 2))
        .col(ColumnDef::new("published").boolean().not_null())
        .col(ColumnDef::new("workshop_cancelled").boolean().not_null())
        .col(string("status", 24))
        .col(string("gender", 24))
        .col(string("age_band", 24))
        .col(ColumnDef::new("people").big_integer().not_null());
    for column in KEY {
        primary.col(column);
    }
    t.primary_key(&mut primary);
    t.take()
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
        .columns(["project_id"].into_iter().chain(KEY).chain(["people"]))
        .select_from(count_per_project())
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&per_project).await?;

    let mut summed = Query::select();
    summed.from(PER_PROJECT);
    for column in KEY {
        summed.column(column).add_group_by([Expr::col(column)]);
    }
    summed.expr(Expr::cust("SUM(people)"));
    let mut total = Query::insert();
    total
        .into_table(TOTAL)
        .columns(KEY.into_iter().chain(["people"]))
        .select_from(summed)
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    db.execute(&total).await?;
    Ok(())
}
