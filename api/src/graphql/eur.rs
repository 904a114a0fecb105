//! Funding in euros. A funding's rate is the latest rate of its currency on or before its value
//! date, looked up by one SQL statement (`migration::funding_rates::store_rates`) whenever the
//! funding or its currency's rates are written and stored with the funding; the conversion is
//! integer arithmetic on hundredths and millionths, so a row and a total agree to the cent on
//! every database.

use chrono::NaiveDate;
use entity::funding;
use migration::funding_rates::store_rates;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::domain::money::RATE_SCALE as MICROS;
use crate::graphql::errors::{ApiError, ApiResult};

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
