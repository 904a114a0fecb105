//! Funding in euros. A funding's rate is the latest rate of its currency on or before its value
//! date; the lookup is one SQL expression shared by the `Funding` fields and `fundingSummary`,
//! and the conversion is integer arithmetic on hundredths and millionths, so a row and a total
//! agree to the cent on every database.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use chrono::NaiveDate;
use entity::{exchange_rate, funding};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, Order, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use crate::domain::money::RATE_SCALE as MICROS;
use crate::graphql::errors::{ApiError, ApiResult};
use crate::graphql::loaders::Loaders;

/// Units of the funding's currency per euro, in millionths; NULL when no rate precedes the
/// value date. The euro is 1.
pub fn rate_micros_sql() -> Expr {
    Expr::case(is_euro(), MICROS)
        .finally(latest_rate(exchange_rate::Column::UnitsPerEurMicros))
        .into()
}

/// The date of that rate; for the euro, the value date itself.
pub fn rate_date_sql() -> Expr {
    Expr::case(
        is_euro(),
        Expr::col((funding::Entity, funding::Column::ValueDate)),
    )
    .finally(latest_rate(exchange_rate::Column::RateDate))
    .into()
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

/// `(currency, value_date, rate_micros)` for every distinct currency and value date among the
/// fundings: totals join this instead of looking the rate up once per funding row (thousands of
/// fundings share a few thousand dates). The pairs are named `funding` so `rate_micros_sql`
/// applies to them unchanged.
pub fn rates_of_value_dates() -> SelectStatement {
    let pairs = Query::select()
        .distinct()
        .columns([funding::Column::Currency, funding::Column::ValueDate])
        .from(funding::Entity)
        .to_owned();
    Query::select()
        .column((funding::Entity, funding::Column::Currency))
        .column((funding::Entity, funding::Column::ValueDate))
        .expr_as(
            rate_micros_sql(),
            sea_orm::sea_query::Alias::new("rate_micros"),
        )
        .from_subquery(pairs, funding::Entity)
        .to_owned()
}

fn is_euro() -> Expr {
    Expr::col((funding::Entity, funding::Column::Currency)).eq("EUR")
}

fn latest_rate(column: exchange_rate::Column) -> SelectStatement {
    Query::select()
        .column((exchange_rate::Entity, column))
        .from(exchange_rate::Entity)
        .and_where(
            Expr::col((exchange_rate::Entity, exchange_rate::Column::Currency))
                .equals((funding::Entity, funding::Column::Currency)),
        )
        .and_where(
            Expr::col((exchange_rate::Entity, exchange_rate::Column::RateDate))
                .lte(Expr::col((funding::Entity, funding::Column::ValueDate))),
        )
        .order_by(
            (exchange_rate::Entity, exchange_rate::Column::RateDate),
            Order::Desc,
        )
        .limit(1)
        .to_owned()
}

/// The rate a funding is converted at, if there is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RateOfFunding(pub Uuid);

#[derive(Debug, Clone, Copy)]
pub struct FundingRate {
    pub micros: i64,
    pub date: NaiveDate,
}

#[derive(FromQueryResult)]
struct RateRow {
    id: Uuid,
    rate_micros: Option<i64>,
    rate_date: Option<NaiveDate>,
}

impl Loader<RateOfFunding> for Loaders {
    type Value = FundingRate;
    type Error = ApiError;

    async fn load(&self, keys: &[RateOfFunding]) -> ApiResult<HashMap<RateOfFunding, FundingRate>> {
        let rows = funding::Entity::find()
            .select_only()
            .column(funding::Column::Id)
            .expr_as(rate_micros_sql(), "rate_micros")
            .expr_as(rate_date_sql(), "rate_date")
            .filter(funding::Column::Id.is_in(keys.iter().map(|k| k.0)))
            .into_model::<RateRow>()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|r| match (r.rate_micros, r.rate_date) {
                (Some(micros), Some(date)) => {
                    Some((RateOfFunding(r.id), FundingRate { micros, date }))
                }
                _ => None,
            })
            .collect())
    }
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
