//! Trust fixes: a one-row table `/ready` writes to prove the database takes writes, and the
//! countries an API token is confined to (`NULL`: its organisation's full partner rights).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("readiness_probe")
                    .col(ColumnDef::new("id").integer().not_null().primary_key())
                    .col(ColumnDef::new("checked_at").big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table("readiness_probe")
                    .columns(["id", "checked_at"])
                    .values_panic([1.into(), 0.into()])
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("api_token")
                    .add_column(ColumnDef::new("country_scope").json().null())
                    .to_owned(),
            )
            .await?;
        // Tokens issued before scopes existed keep to the countries they were given; one
        // given none (an organisation without a country) stays unconfined rather than being
        // confined to nothing. Who issued them is not recorded, so this is the safe reading.
        manager
            .exec_stmt(
                Query::update()
                    .table("api_token")
                    .value("country_scope", Expr::col("countries"))
                    .and_where(Expr::cust("CAST(countries AS TEXT) <> '[]'"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("api_token")
                    .drop_column("country_scope")
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table("readiness_probe").to_owned())
            .await
    }
}
