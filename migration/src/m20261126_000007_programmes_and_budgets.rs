//! Programmes (URBACT IV and its action planning networks, the Swedish national assignment),
//! money drawn from a parent allocation, project budgets with their lines by year, and each
//! funding's share of the years of its period.

use sea_orm_migration::prelude::*;

use crate::columns::{
    boolean, date_null, fk, fk_owned, index, instant, int, json, string, string_null, unique, uuid,
    uuid_null, uuid_pk,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn big(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}

fn big_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("programme")
                    .col(uuid_pk("id"))
                    .col(string("code", 32))
                    .col(json("name"))
                    .col(json("description"))
                    .col(string("language", 8))
                    .col(uuid_null("managing_organisation_id"))
                    .col(uuid_null("parent_id"))
                    .col(date_null("period_start"))
                    .col(date_null("period_end"))
                    .col(big_null("budget_minor"))
                    .col(string_null("budget_currency", 3))
                    .col(big_null("budget_rate_micros"))
                    .col(date_null("budget_rate_date"))
                    .col(boolean("illustrative"))
                    .col(json("illustrative_fields"))
                    .col(int("version"))
                    .col(instant("created_at"))
                    .col(instant("updated_at"))
                    .foreign_key(&mut fk(
                        "programme",
                        "managing_organisation_id",
                        "organisation",
                        "id",
                    ))
                    .foreign_key(&mut fk("programme", "parent_id", "programme", "id"))
                    .to_owned(),
            )
            .await?;
        manager.create_index(unique("programme", &["code"])).await?;
        manager
            .create_index(index("programme", &["parent_id"]))
            .await?;
        for (table, column, target, key, len) in [
            (
                "programme_funder",
                "organisation_id",
                "organisation",
                "id",
                None,
            ),
            (
                "programme_country",
                "country_code",
                "country",
                "code",
                Some(2),
            ),
        ] {
            let other = match len {
                Some(len) => string(column, len),
                None => uuid(column),
            };
            manager
                .create_table(
                    Table::create()
                        .table(table)
                        .col(uuid("programme_id"))
                        .col(other)
                        .primary_key(Index::create().col("programme_id").col(column))
                        .foreign_key(&mut fk_owned(table, "programme_id", "programme", "id"))
                        .foreign_key(&mut fk(table, column, target, key))
                        .to_owned(),
                )
                .await?;
            // Programmes by funder or by country: the `programmes` filter.
            manager
                .create_index(index(table, &[column, "programme_id"]))
                .await?;
        }

        // SQLite adds columns one statement at a time.
        for column in [
            uuid_null("programme_id"),
            string_null("budget_currency", 3),
            big_null("budget_total_minor"),
            big_null("budget_eligible_minor"),
            big_null("budget_rate_micros"),
            date_null("budget_rate_date"),
            // The total cost in euro cents, -1 without a budget or a rate: the budget
            // order's keyset column, so it is never NULL.
            ColumnDef::new("budget_eur_sort")
                .big_integer()
                .not_null()
                .default(-1)
                .take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("project")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(index("project", &["programme_id", "id"]))
            .await?;
        manager
            .create_index(index("project", &["budget_eur_sort", "id"]))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("funding")
                    .add_column(uuid_null("drawn_from_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("funding", &["drawn_from_id"]))
            .await?;
        // SQLite cannot add a foreign key to a table; there writes are serial, and each
        // checks that what it names exists. PostgreSQL holds them as constraints too.
        if manager.get_database_backend() == sea_orm::DbBackend::Postgres {
            manager
                .get_connection()
                .execute_unprepared(
                    "ALTER TABLE funding ADD CONSTRAINT fk_funding_drawn_from_id \
                       FOREIGN KEY (drawn_from_id) REFERENCES funding (id); \
                     ALTER TABLE project ADD CONSTRAINT fk_project_programme_id \
                       FOREIGN KEY (programme_id) REFERENCES programme (id)",
                )
                .await?;
        }
        // Projects by funder: the projects list's `funders` filter.
        manager
            .create_index(index("funding", &["funder_id", "project_id"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("budget_line")
                    .col(uuid("project_id"))
                    .col(int("year"))
                    .col(big("amount_minor"))
                    .primary_key(Index::create().col("project_id").col("year"))
                    .foreign_key(&mut fk_owned("budget_line", "project_id", "project", "id"))
                    .to_owned(),
            )
            .await?;
        // A funding's days in each year of its period, and the days before that year: its
        // share of an amount X in the year is X*(before+days)/total - X*before/total, in
        // integer division, so the shares of every year add up to X exactly.
        manager
            .create_table(
                Table::create()
                    .table("funding_year")
                    .col(uuid("funding_id"))
                    .col(int("year"))
                    .col(int("days_before"))
                    .col(int("days"))
                    .col(int("days_total"))
                    .primary_key(Index::create().col("funding_id").col("year"))
                    .foreign_key(&mut fk_owned("funding_year", "funding_id", "funding", "id"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "funding_year",
            "budget_line",
            "programme_country",
            "programme_funder",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for (table, ix) in [
            ("funding", "ix_funding_funder_id_project_id"),
            ("funding", "ix_funding_drawn_from_id"),
            ("project", "ix_project_budget_eur_sort_id"),
            ("project", "ix_project_programme_id_id"),
        ] {
            manager
                .drop_index(Index::drop().name(ix).table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("funding")
                    .drop_column("drawn_from_id")
                    .to_owned(),
            )
            .await?;
        for column in [
            "programme_id",
            "budget_currency",
            "budget_total_minor",
            "budget_eligible_minor",
            "budget_rate_micros",
            "budget_rate_date",
            "budget_eur_sort",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("project")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("programme").to_owned())
            .await
    }
}
