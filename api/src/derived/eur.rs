//! Funding in euros. A funding's rate is the latest rate of its currency on or before its value
//! date, looked up by one SQL statement (`store_rates`) whenever the funding or its currency's
//! rates are written and stored with the funding; the conversion is
//! integer arithmetic on hundredths and millionths, so a row and a total agree to the cent on
//! every database.

use chrono::NaiveDate;
use entity::funding;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, Order,
    sea_query::{Expr, ExprTrait, Query, SelectStatement, UpdateStatement},
};
use uuid::Uuid;

use crate::domain::money::RATE_SCALE as MICROS;
use crate::error::{ApiError, ApiResult};

/// Millionths of a currency unit per euro: the euro's own rate.
const EURO_MICROS: i64 = MICROS;

/// Looks up and stores the rate of every funding; narrow it with `and_where` to the fundings
/// a write concerns. (Seeds run it whole.)
pub fn store_rates() -> UpdateStatement {
    let euro = || Expr::col((funding::Entity, funding::Column::Currency)).eq("EUR");
    Query::update()
        .table(funding::Entity)
        .value(
            funding::Column::RateMicros,
            Expr::case(euro(), EURO_MICROS).finally(latest("units_per_eur_micros")),
        )
        .value(
            funding::Column::RateDate,
            Expr::case(
                euro(),
                Expr::col((funding::Entity, funding::Column::ValueDate)),
            )
            .finally(latest("rate_date")),
        )
        .to_owned()
}

/// `column` of the latest rate of the funding's currency on or before its value date.
fn latest(column: &'static str) -> SelectStatement {
    Query::select()
        .column(("exchange_rate", column))
        .from("exchange_rate")
        .and_where(
            Expr::col(("exchange_rate", "currency"))
                .equals((funding::Entity, funding::Column::Currency)),
        )
        .and_where(
            Expr::col(("exchange_rate", "rate_date"))
                .lte(Expr::col((funding::Entity, funding::Column::ValueDate))),
        )
        .order_by(("exchange_rate", "rate_date"), Order::Desc)
        .limit(1)
        .to_owned()
}

/// `amount` (hundredths of a currency) in hundredths of a euro at `micros`, rounded half up:
/// `(amount * 2e6 + micros) / (2 * micros)` in integer division. NULL when the rate is NULL.
pub fn eur_minor_sql(amount: Expr, micros: Expr) -> Expr {
    amount
        .mul(2 * MICROS)
        .add(micros.clone())
        .div(micros.mul(2))
}

/// The same conversion in Rust, for one funding.
pub fn eur_minor(amount_minor: i64, micros: i64) -> Option<i64> {
    let (amount, micros) = (i128::from(amount_minor), i128::from(micros));
    if micros <= 0 {
        return None;
    }
    i64::try_from((amount * 2 * i128::from(MICROS) + micros) / (2 * micros)).ok()
}

/// Looks up and stores the rate of funding `id` after its currency or value date was written,
/// and returns the row as stored.
pub async fn store_rate(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<funding::Model> {
    let mut update = store_rates();
    update.and_where(funding::Column::Id.eq(id));
    txn.execute(&update).await?;
    funding::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal("a funding vanished in its own transaction"))
}

/// Stores the rates again of the `currency` fundings that a rate of `date` may now apply to.
pub async fn store_rates_from(
    txn: &DatabaseTransaction,
    currency: &str,
    date: NaiveDate,
) -> ApiResult<()> {
    let mut update = store_rates();
    update
        .and_where(funding::Column::Currency.eq(currency))
        .and_where(funding::Column::ValueDate.gte(date));
    txn.execute(&update).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversion_rounds_half_up_to_the_cent() {
        // 5 200 000.00 SEK at 9.5525 SEK per EUR is 544 360.115… EUR.
        assert_eq!(eur_minor(520_000_000, 9_552_500), Some(54_436_012));
        // 1.00 at 2.00 per euro is exactly 0.50; 0.01 at 2.00 is 0.005, rounded up to 0.01.
        assert_eq!(eur_minor(100, 2_000_000), Some(50));
        assert_eq!(eur_minor(1, 2_000_000), Some(1));
        assert_eq!(eur_minor(14_950_000, MICROS), Some(14_950_000));
        assert_eq!(eur_minor(1, 0), None);
    }
}
