//! Each funding keeps the rate it converts to euros at (the latest rate of its currency on or
//! before its value date; 1 for the euro) and that rate's date, looked up when the funding or
//! its currency's rates are written, instead of once per row on every read and total.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ColumnDef::new("rate_micros").big_integer().null().take(),
            ColumnDef::new("rate_date").date().null().take(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table("funding")
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager.get_connection().execute(&store_rates()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["rate_date", "rate_micros"] {
            manager
                .alter_table(
                    Table::alter()
                        .table("funding")
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

/// Millionths of a currency unit per euro: the euro's own rate.
const EURO_MICROS: i64 = 1_000_000;

/// Looks up and stores the rate of every funding; narrow it with `and_where` to the fundings
/// a write concerns.
pub fn store_rates() -> UpdateStatement {
    let euro = || Expr::col(("funding", "currency")).eq("EUR");
    Query::update()
        .table("funding")
        .value(
            "rate_micros",
            Expr::case(euro(), EURO_MICROS).finally(latest("units_per_eur_micros")),
        )
        .value(
            "rate_date",
            Expr::case(euro(), Expr::col(("funding", "value_date"))).finally(latest("rate_date")),
        )
        .to_owned()
}

/// `column` of the latest rate of the funding's currency on or before its value date.
fn latest(column: &'static str) -> SelectStatement {
    Query::select()
        .column(("exchange_rate", column))
        .from("exchange_rate")
        .and_where(Expr::col(("exchange_rate", "currency")).equals(("funding", "currency")))
        .and_where(
            Expr::col(("exchange_rate", "rate_date")).lte(Expr::col(("funding", "value_date"))),
        )
        .order_by(("exchange_rate", "rate_date"), Order::Desc)
        .limit(1)
        .to_owned()
}
