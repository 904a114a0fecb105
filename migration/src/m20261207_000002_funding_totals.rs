//! Funding summed ahead of time for `fundingSummary`: one row per group of fundings that share
//! everything the summary groups and filters by, but the project and region (country,
//! programme, funder, year, currency, kind, status, level of the flow), in each of the ways
//! a caller's view and counting can differ (who sees: everyone's or the published projects;
//! each euro once or every level; invented rows left out or not). A summary over a million
//! fundings then reads a few thousand rows.
//!
//! `project_funding_total` holds what each project adds, so that a write to one project
//! replaces its share without counting any other. The application fills both tables
//! (`derived::funding_totals`); this migration only makes them.

use sea_orm_migration::prelude::*;

use crate::columns::{boolean, int, string, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PER_PROJECT: &str = "project_funding_total";
const TOTAL: &str = "funding_total";

/// The columns that make a group, in both tables (after `project_id` in the first).
const KEY: [&str; 11] = [
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

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(table(PER_PROJECT, true)).await?;
        manager.create_table(table(TOTAL, false)).await
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

fn table(name: &'static str, per_project: bool) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(name);
    let mut primary = Index::create();
    if per_project {
        t.col(uuid("project_id"));
        primary.col("project_id");
    }
    // A project outside any programme is kept under the nil UUID: key columns are never null.
    t.col(string("audience", 16))
        .col(boolean("once"))
        .col(boolean("without_invented"))
        .col(string("country_code", 2))
        .col(uuid("programme_id"))
        .col(uuid("funder_id"))
        .col(int("value_year"))
        .col(string("currency", 3))
        .col(string("kind", 24))
        .col(string("status", 24))
        .col(string("level", 16));
    for tally in [
        "fundings",
        "amount_minor",
        "eur_minor",
        "unconverted",
        "invented",
    ] {
        t.col(ColumnDef::new(tally).big_integer().not_null());
    }
    for column in KEY {
        primary.col(column);
    }
    t.primary_key(&mut primary);
    t.take()
}
