//! Results and indicators, modelled on IATI's `result` element: a project's outputs,
//! outcomes and impacts, each measured by indicators with a baseline and periods of target
//! against actual, optionally split by gender for people-counting indicators (ESF+).
//!
//! Indicators and periods carry their project's id too: who may see them is decided by it,
//! and the summary groups them by its country and programme without walking the chain.

use sea_orm_migration::prelude::*;

use crate::columns::{boolean, date, fk_owned, index, int, json, json_null, string, uuid, uuid_pk};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn big_int_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

fn int_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().null().take()
}

fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}

/// The columns every part of a result shares: provenance and the optimistic version.
fn tail(table: &mut TableCreateStatement) {
    table
        .col(boolean("illustrative"))
        .col(json("illustrative_fields"))
        .col(int("version"));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut result = Table::create();
        result
            .table("result")
            .col(uuid_pk("id"))
            .col(uuid("project_id"))
            .col(string("kind", 24))
            .col(json("title"))
            .col(json_null("description"))
            .col(string("language", 8))
            .col(int("position"))
            .foreign_key(&mut fk_owned("result", "project_id", "project", "id"));
        tail(&mut result);
        manager.create_table(result.to_owned()).await?;

        let mut indicator = Table::create();
        indicator
            .table("indicator")
            .col(uuid_pk("id"))
            .col(uuid("result_id"))
            .col(uuid("project_id"))
            .col(json("title"))
            .col(string("language", 8))
            .col(string("measure", 24))
            .col(boolean("ascending"))
            .col(boolean("by_gender"))
            .col(int_null("baseline_year"))
            .col(big_int_null("baseline_centi"))
            .col(text_null("baseline_comment"))
            .col(int("position"))
            .foreign_key(&mut fk_owned("indicator", "result_id", "result", "id"))
            .foreign_key(&mut fk_owned("indicator", "project_id", "project", "id"));
        tail(&mut indicator);
        manager.create_table(indicator.to_owned()).await?;

        let mut period = Table::create();
        period
            .table("indicator_period")
            .col(uuid_pk("id"))
            .col(uuid("indicator_id"))
            .col(uuid("project_id"))
            .col(date("starts_on"))
            .col(date("ends_on"))
            .col(big_int_null("target_centi"))
            .col(int_null("target_women"))
            .col(int_null("target_men"))
            .col(int_null("target_non_binary"))
            .col(text_null("target_comment"))
            .col(big_int_null("actual_centi"))
            .col(int_null("actual_women"))
            .col(int_null("actual_men"))
            .col(int_null("actual_non_binary"))
            .col(text_null("actual_comment"))
            .foreign_key(&mut fk_owned(
                "indicator_period",
                "indicator_id",
                "indicator",
                "id",
            ))
            .foreign_key(&mut fk_owned(
                "indicator_period",
                "project_id",
                "project",
                "id",
            ));
        tail(&mut period);
        manager.create_table(period.to_owned()).await?;

        // Each parent's parts in order (one statement for a page of parents), and the
        // summary's walk from visible projects to their periods.
        for statement in [
            index("result", &["project_id", "position"]),
            index("indicator", &["result_id", "position"]),
            index("indicator", &["project_id"]),
            index("indicator_period", &["indicator_id", "starts_on"]),
            index("indicator_period", &["project_id", "ends_on"]),
        ] {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["indicator_period", "indicator", "result"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
