//! The programme's whole first schema: reference data, projects, money, workshops, access, audit.

use sea_orm_migration::prelude::*;

use crate::columns::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables in creation order; dropped in reverse.
const TABLES: &[&str] = &[
    "country",
    "region",
    "organisation",
    "resource_centre",
    "project",
    "project_region",
    "project_participant",
    "project_classification",
    "milestone",
    "contact",
    "funding",
    "exchange_rate",
    "workshop",
    "workshop_agenda_item",
    "registration",
    "api_token",
    "audit_event",
];

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table("country")
            .col(
                ColumnDef::new("code")
                    .string_len(2)
                    .not_null()
                    .primary_key(),
            )
            .col(json("name"))
            .col(string("default_language", 8))
            .col(string("currency", 3))
            .col(string("time_zone", 64))
            .take(),
        Table::create()
            .table("region")
            .col(uuid_pk("id"))
            .col(string("nuts_code", 5))
            .col(small_int("nuts_version"))
            .col(small_int("level").check(Expr::col("level").between(0, 3)))
            .col(uuid_null("parent_id"))
            .col(string("country_code", 2))
            .col(json("name"))
            .col(string("language", 8))
            .foreign_key(&mut fk("region", "parent_id", "region", "id"))
            .foreign_key(&mut fk("region", "country_code", "country", "code"))
            .take(),
        Table::create()
            .table("organisation")
            .col(uuid_pk("id"))
            .col(json("name"))
            .col(string("language", 8))
            .col(string_null("acronym", 32))
            .col(string("kind", 24))
            .col(string_null("country_code", 2))
            .col(uuid_null("region_id"))
            .col(string_null("website", 512))
            .foreign_key(&mut fk("organisation", "country_code", "country", "code"))
            .foreign_key(&mut fk("organisation", "region_id", "region", "id"))
            .take(),
        Table::create()
            .table("resource_centre")
            .col(uuid_pk("id"))
            .col(uuid("region_id"))
            .col(uuid("host_organisation_id"))
            .col(json("name"))
            .col(string("language", 8))
            .col(json("action_areas"))
            .col(string_null("website", 512))
            .foreign_key(&mut fk("resource_centre", "region_id", "region", "id"))
            .foreign_key(&mut fk(
                "resource_centre",
                "host_organisation_id",
                "organisation",
                "id",
            ))
            .take(),
        Table::create()
            .table("project")
            .col(uuid_pk("id"))
            .col(
                ColumnDef::new("code")
                    .string_len(32)
                    .not_null()
                    .unique_key(),
            )
            .col(string_null("acronym", 32))
            .col(json("title"))
            .col(json("summary"))
            .col(string("language", 8))
            .col(string("status", 24))
            .col(date("start_date"))
            .col(date("end_date"))
            .col(string("country_code", 2))
            .col(uuid_null("resource_centre_id"))
            .col(uuid_null("parent_id"))
            .col(small_int("gender_marker").check(Expr::col("gender_marker").between(0, 3)))
            .col(boolean("published"))
            .col(json("illustrative"))
            .col(int("version"))
            .col(instant("created_at"))
            .col(instant("updated_at"))
            .check(Expr::col("end_date").gte(Expr::col("start_date")))
            .foreign_key(&mut fk("project", "country_code", "country", "code"))
            .foreign_key(&mut fk(
                "project",
                "resource_centre_id",
                "resource_centre",
                "id",
            ))
            .foreign_key(&mut fk("project", "parent_id", "project", "id"))
            .take(),
        Table::create()
            .table("project_region")
            .col(uuid("project_id"))
            .col(uuid("region_id"))
            .primary_key(Index::create().col("project_id").col("region_id"))
            .foreign_key(&mut fk_owned(
                "project_region",
                "project_id",
                "project",
                "id",
            ))
            .foreign_key(&mut fk("project_region", "region_id", "region", "id"))
            .take(),
        Table::create()
            .table("project_participant")
            .col(uuid("project_id"))
            .col(uuid("organisation_id"))
            .col(string("role", 24))
            .primary_key(Index::create().col("project_id").col("organisation_id"))
            .foreign_key(&mut fk_owned(
                "project_participant",
                "project_id",
                "project",
                "id",
            ))
            .foreign_key(&mut fk(
                "project_participant",
                "organisation_id",
                "organisation",
                "id",
            ))
            .take(),
        Table::create()
            .table("project_classification")
            .col(uuid("project_id"))
            .col(string("vocabulary", 24))
            .col(string("code", 64))
            .primary_key(
                Index::create()
                    .col("project_id")
                    .col("vocabulary")
                    .col("code"),
            )
            .foreign_key(&mut fk_owned(
                "project_classification",
                "project_id",
                "project",
                "id",
            ))
            .take(),
        Table::create()
            .table("milestone")
            .col(uuid_pk("id"))
            .col(uuid("project_id"))
            .col(json("title"))
            .col(string("language", 8))
            .col(date("due_date"))
            .col(date_null("achieved_on"))
            .col(int("position"))
            .col(boolean("illustrative"))
            .foreign_key(&mut fk_owned("milestone", "project_id", "project", "id"))
            .take(),
        Table::create()
            .table("contact")
            .col(uuid_pk("id"))
            .col(uuid_null("project_id"))
            .col(uuid_null("organisation_id"))
            .col(string("name", 200))
            .col(string_null("title", 200))
            .col(string_null("email", 254))
            .col(string_null("phone", 40))
            .check(
                Expr::col("project_id")
                    .is_not_null()
                    .or(Expr::col("organisation_id").is_not_null()),
            )
            .foreign_key(&mut fk_owned("contact", "project_id", "project", "id"))
            .foreign_key(&mut fk_owned(
                "contact",
                "organisation_id",
                "organisation",
                "id",
            ))
            .take(),
        Table::create()
            .table("funding")
            .col(uuid_pk("id"))
            .col(uuid("project_id"))
            .col(uuid("funder_id"))
            .col(string("kind", 24))
            .col(string("status", 24))
            .col(
                ColumnDef::new("amount_minor")
                    .big_integer()
                    .not_null()
                    .check(Expr::col("amount_minor").gte(0)),
            )
            .col(string("currency", 3))
            .col(date_null("period_start"))
            .col(date_null("period_end"))
            .col(date("value_date"))
            .col(json("illustrative"))
            .col(int("version"))
            .foreign_key(&mut fk("funding", "project_id", "project", "id"))
            .foreign_key(&mut fk("funding", "funder_id", "organisation", "id"))
            .take(),
        Table::create()
            .table("exchange_rate")
            .col(string("currency", 3))
            .col(date("rate_date"))
            .col(
                ColumnDef::new("units_per_eur_micros")
                    .big_integer()
                    .not_null()
                    .check(Expr::col("units_per_eur_micros").gt(0)),
            )
            .col(string("source", 24))
            .primary_key(Index::create().col("currency").col("rate_date"))
            .take(),
        Table::create()
            .table("workshop")
            .col(uuid_pk("id"))
            .col(uuid("project_id"))
            .col(json("title"))
            .col(json("description"))
            .col(string("language", 8))
            .col(instant("starts_at"))
            .col(instant("ends_at"))
            .col(string("time_zone", 64))
            .col(string_null("venue_name", 200))
            .col(string_null("venue_address", 300))
            .col(string_null("venue_town", 120))
            .col(uuid_null("venue_region_id"))
            .col(string("format", 24))
            .col(string("spoken_language", 8))
            .col(
                ColumnDef::new("capacity")
                    .integer()
                    .null()
                    .check(Expr::col("capacity").gte(0)),
            )
            .col(instant_null("registration_deadline"))
            .col(json("target_groups"))
            .col(string("status", 24))
            .col(boolean("open_to_public"))
            .col(json("illustrative"))
            .col(int("version"))
            .check(Expr::col("ends_at").gt(Expr::col("starts_at")))
            .foreign_key(&mut fk("workshop", "project_id", "project", "id"))
            .foreign_key(&mut fk("workshop", "venue_region_id", "region", "id"))
            .take(),
        Table::create()
            .table("workshop_agenda_item")
            .col(uuid_pk("id"))
            .col(uuid("workshop_id"))
            .col(int("position"))
            .col(ColumnDef::new("starts_at").time().not_null())
            .col(ColumnDef::new("ends_at").time().null())
            .col(json("title"))
            .col(string("language", 8))
            .foreign_key(&mut fk_owned(
                "workshop_agenda_item",
                "workshop_id",
                "workshop",
                "id",
            ))
            .take(),
        Table::create()
            .table("registration")
            .col(uuid_pk("id"))
            .col(uuid("workshop_id"))
            .col(string("participant_name", 200))
            .col(string("email", 254))
            .col(string_null("organisation_name", 200))
            .col(string("gender", 24))
            .col(string("age_band", 24))
            .col(string("status", 24))
            .col(instant("registered_at"))
            .col(boolean("illustrative"))
            .foreign_key(&mut fk("registration", "workshop_id", "workshop", "id"))
            .take(),
        Table::create()
            .table("api_token")
            .col(uuid_pk("id"))
            .col(uuid("organisation_id"))
            .col(string("name", 200))
            .col(
                ColumnDef::new("secret_sha256")
                    .string_len(64)
                    .not_null()
                    .unique_key(),
            )
            .col(string("role", 24))
            .col(json("countries"))
            .col(json("scopes"))
            .col(instant_null("expires_at"))
            .col(instant_null("revoked_at"))
            .col(instant_null("last_used_at"))
            .col(instant("created_at"))
            .foreign_key(&mut fk(
                "api_token",
                "organisation_id",
                "organisation",
                "id",
            ))
            .take(),
        Table::create()
            .table("audit_event")
            .col(uuid_pk("id"))
            .col(instant("at"))
            .col(string("actor_subject", 200))
            .col(string("actor_kind", 24))
            .col(string("action", 64))
            .col(string("entity", 64))
            .col(string("entity_id", 64))
            .col(string_null("country_code", 2))
            .col(json_null("before"))
            .col(json_null("after"))
            .take(),
    ]
}

/// One index for every column a list filters, orders or joins on.
fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        unique("region", &["nuts_code", "nuts_version"]),
        index("region", &["country_code"]),
        index("region", &["parent_id"]),
        index("region", &["level"]),
        index("organisation", &["country_code"]),
        index("organisation", &["kind"]),
        index("organisation", &["region_id"]),
        index("resource_centre", &["region_id"]),
        index("resource_centre", &["host_organisation_id"]),
        index("project", &["country_code"]),
        index("project", &["status"]),
        index("project", &["published"]),
        index("project", &["start_date", "id"]),
        index("project", &["end_date", "id"]),
        index("project", &["resource_centre_id"]),
        index("project", &["parent_id"]),
        index("project_region", &["region_id"]),
        index("project_participant", &["organisation_id"]),
        index("project_classification", &["vocabulary", "code"]),
        index("milestone", &["project_id"]),
        index("contact", &["project_id"]),
        index("contact", &["organisation_id"]),
        index("funding", &["project_id"]),
        index("funding", &["funder_id"]),
        index("funding", &["value_date"]),
        index("funding", &["currency"]),
        index("workshop", &["project_id", "starts_at", "id"]),
        index("workshop", &["starts_at", "id"]),
        index("workshop", &["status"]),
        index("workshop", &["venue_region_id"]),
        index("workshop_agenda_item", &["workshop_id", "position"]),
        index("registration", &["workshop_id", "status"]),
        index("api_token", &["organisation_id"]),
        index("audit_event", &["entity", "entity_id"]),
        index("audit_event", &["at"]),
        index("audit_event", &["actor_subject"]),
        index("audit_event", &["country_code"]),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES.iter().rev() {
            manager
                .drop_table(Table::drop().table(*table).to_owned())
                .await?;
        }
        Ok(())
    }
}
