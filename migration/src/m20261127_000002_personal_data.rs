//! Personal data the GDPR way: a registration records the consent it was given (notice
//! version, purposes, when; a guardian's for a minor) and its controller (the organisation
//! that runs the workshop); the registrant manages it with a secret whose digest alone is
//! kept; erasure leaves only what the counts need. One person holds one seat per workshop.
//!
//! Each registration also gets a random record key: published counts are perturbed by the
//! cell key method (`domain::cell_key`), keyed on the records in each cell, and the kept
//! counts carry the sum of those keys.

use sea_orm::DbBackend;
use sea_orm_migration::prelude::*;

use crate::columns::{instant_null, json_null, string_null, uuid_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Record keys are drawn from 0..KEY_RANGE (the API draws new ones the same way).
const KEY_RANGE: i64 = 256;

const KEPT: [&str; 2] = ["project_participation_count", "participation_count"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let columns = [
            string_null("consent_notice_version", 64),
            json_null("consent_purposes"),
            instant_null("consented_at"),
            ColumnDef::new("guardian_consent")
                .boolean()
                .not_null()
                .default(false)
                .take(),
            uuid_null("controller_id"),
            string_null("manage_token_sha256", 64),
            instant_null("erased_at"),
            ColumnDef::new("record_key")
                .integer()
                .not_null()
                .default(0)
                .take(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table("registration")
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for table in KEPT {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(
                            ColumnDef::new("key_sum")
                                .big_integer()
                                .not_null()
                                .default(0),
                        )
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        let random_key = match manager.get_database_backend() {
            DbBackend::Sqlite => format!("abs(random()) % {KEY_RANGE}"),
            _ => format!("floor(random() * {KEY_RANGE})::integer"),
        };
        for statement in [
            format!("UPDATE registration SET record_key = {random_key}"),
            // One person, one seat: emails compare as written in lower case.
            "UPDATE registration SET email = lower(email)".to_owned(),
            "UPDATE contact SET email = lower(email) WHERE email IS NOT NULL".to_owned(),
            // A person registered twice keeps the first registration; later ones are
            // cancelled (the kept counts are counted again below).
            "UPDATE registration SET status = 'CANCELLED' WHERE status <> 'CANCELLED' \
             AND EXISTS (SELECT 1 FROM registration first \
             WHERE first.workshop_id = registration.workshop_id \
             AND first.email = registration.email AND first.status <> 'CANCELLED' \
             AND (first.registered_at < registration.registered_at \
             OR (first.registered_at = registration.registered_at AND first.id < registration.id)))"
                .to_owned(),
            "CREATE UNIQUE INDEX ux_registration_workshop_email ON registration \
             (workshop_id, email) WHERE status <> 'CANCELLED' AND erased_at IS NULL"
                .to_owned(),
            "CREATE UNIQUE INDEX ux_registration_manage_token ON registration \
             (manage_token_sha256) WHERE manage_token_sha256 IS NOT NULL"
                .to_owned(),
            // The retention sweep: registrations not yet erased, by workshop.
            "CREATE INDEX ix_registration_unerased ON registration (workshop_id) \
             WHERE erased_at IS NULL"
                .to_owned(),
            // The kept counts again, now with their record keys summed.
            "DELETE FROM participation_count".to_owned(),
            "DELETE FROM project_participation_count".to_owned(),
            "INSERT INTO project_participation_count (project_id, country_code, published, \
             workshop_cancelled, status, gender, age_band, people, key_sum) \
             SELECT w.project_id, p.country_code, p.published, w.status = 'CANCELLED', \
             r.status, r.gender, r.age_band, COUNT(*), SUM(r.record_key) \
             FROM registration r JOIN workshop w ON w.id = r.workshop_id \
             JOIN project p ON p.id = w.project_id \
             GROUP BY w.project_id, p.country_code, p.published, w.status = 'CANCELLED', \
             r.status, r.gender, r.age_band"
                .to_owned(),
            "INSERT INTO participation_count (country_code, published, workshop_cancelled, \
             status, gender, age_band, people, key_sum) \
             SELECT country_code, published, workshop_cancelled, status, gender, age_band, \
             SUM(people), SUM(key_sum) FROM project_participation_count \
             GROUP BY country_code, published, workshop_cancelled, status, gender, age_band"
                .to_owned(),
        ] {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for index in [
            "ux_registration_workshop_email",
            "ux_registration_manage_token",
            "ix_registration_unerased",
        ] {
            db.execute_unprepared(&format!("DROP INDEX {index}"))
                .await?;
        }
        for column in [
            "consent_notice_version",
            "consent_purposes",
            "consented_at",
            "guardian_consent",
            "controller_id",
            "manage_token_sha256",
            "erased_at",
            "record_key",
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("registration")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in KEPT {
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .drop_column("key_sum")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
