//! Money in euros. A funding's rate is the latest rate of its currency on or before its value
//! date; a project budget's, on the project's start date; a programme budget's, on the start
//! of its period (the latest known without one). Each is looked up by one SQL statement
//! (`store_rates`) whenever the row or its currency's rates are written, and stored with the
//! row; the conversion is integer arithmetic on hundredths and millionths, so a row and a
//! total agree to the cent on every database.

use chrono::{NaiveDate, SubsecRound};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait, Order,
    sea_query::{
        Alias, Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr, UpdateStatement,
    },
};
use uuid::Uuid;

use crate::domain::money::RATE_SCALE as MICROS;
use crate::error::{ApiError, ApiResult};

/// Millionths of a currency unit per euro: the euro's own rate.
const EURO_MICROS: i64 = MICROS;

/// Where a table keeps an amount's currency, the date its rate is taken on, and the rate.
pub struct Priced {
    table: &'static str,
    currency: &'static str,
    date: &'static str,
    rate: &'static str,
    rate_date: &'static str,
}

pub const FUNDING: Priced = Priced {
    table: "funding",
    currency: "currency",
    date: "value_date",
    rate: "rate_micros",
    rate_date: "rate_date",
};

pub const PROJECT_BUDGET: Priced = Priced {
    table: "project",
    currency: "budget_currency",
    date: "start_date",
    rate: "budget_rate_micros",
    rate_date: "budget_rate_date",
};

pub const PROGRAMME_BUDGET: Priced = Priced {
    table: "programme",
    currency: "budget_currency",
    date: "period_start",
    rate: "budget_rate_micros",
    rate_date: "budget_rate_date",
};

impl Priced {
    fn col(&self, column: &'static str) -> Expr {
        Expr::col((Alias::new(self.table), Alias::new(column)))
    }

    /// The date a rate must be on or before: the row's, or (with none) any.
    fn date(&self) -> SimpleExpr {
        Func::coalesce([
            self.col(self.date),
            Expr::val(NaiveDate::from_ymd_opt(9999, 12, 31)),
        ])
        .into()
    }

    /// Looks up and stores the rate of every row; narrow it with `and_where` to the rows a
    /// write concerns. (Seeds run it whole.)
    pub fn store_rates(&self) -> UpdateStatement {
        let euro = || self.col(self.currency).eq("EUR");
        Query::update()
            .table(Alias::new(self.table))
            .value(
                Alias::new(self.rate),
                Expr::case(euro(), EURO_MICROS).finally(self.latest("units_per_eur_micros")),
            )
            .value(
                Alias::new(self.rate_date),
                Expr::case(
                    euro(),
                    Func::coalesce([self.col(self.date), Expr::cust("CURRENT_DATE")]),
                )
                .finally(self.latest("rate_date")),
            )
            .to_owned()
    }

    /// `column` of the latest rate of the row's currency on or before its date.
    fn latest(&self, column: &'static str) -> SelectStatement {
        Query::select()
            .column(("exchange_rate", column))
            .from("exchange_rate")
            .and_where(Expr::col(("exchange_rate", "currency")).eq(self.col(self.currency)))
            .and_where(Expr::col(("exchange_rate", "rate_date")).lte(self.date()))
            .order_by(("exchange_rate", "rate_date"), Order::Desc)
            .limit(1)
            .to_owned()
    }

    /// Stores the rates again of the `currency` rows that a rate of `date` may now apply to.
    /// Their euro figures may change, so they count as changed for partners that sync
    /// (`updatedAt`).
    async fn store_from(
        &self,
        db: &impl ConnectionTrait,
        currency: &str,
        date: NaiveDate,
    ) -> Result<(), DbErr> {
        let mut update = self.store_rates();
        update
            .value(
                Alias::new("updated_at"),
                chrono::Utc::now().trunc_subsecs(3),
            )
            .and_where(self.col(self.currency).eq(currency))
            .and_where(Expr::expr(self.date()).gte(date));
        db.execute(&update).await?;
        Ok(())
    }
}

/// Every rate of every priced row, and the budget order's euro totals: after a seed.
pub async fn store_all(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for priced in [FUNDING, PROJECT_BUDGET, PROGRAMME_BUDGET] {
        db.execute(&priced.store_rates()).await?;
    }
    db.execute(&budget_sort()).await?;
    Ok(())
}

/// Each project's total budget in euro cents, or -1, from its stored rate.
fn budget_sort() -> UpdateStatement {
    let col = |c: &'static str| PROJECT_BUDGET.col(c);
    Query::update()
        .table(Alias::new("project"))
        .value(
            Alias::new("budget_eur_sort"),
            Func::coalesce([
                eur_minor_sql(col("budget_total_minor"), col("budget_rate_micros")),
                Expr::val(-1),
            ]),
        )
        .to_owned()
}

/// Looks up and stores the rate of project `id`'s budget, and its euro total.
pub async fn store_budget_rate(txn: &DatabaseTransaction, id: Uuid) -> Result<(), DbErr> {
    let mut rate = PROJECT_BUDGET.store_rates();
    rate.and_where(PROJECT_BUDGET.col("id").eq(id));
    txn.execute(&rate).await?;
    let mut sort = budget_sort();
    sort.and_where(PROJECT_BUDGET.col("id").eq(id));
    txn.execute(&sort).await?;
    Ok(())
}

/// Looks up and stores the rate of programme `id`'s budget.
pub async fn store_programme_rate(txn: &DatabaseTransaction, id: Uuid) -> Result<(), DbErr> {
    let mut rate = PROGRAMME_BUDGET.store_rates();
    rate.and_where(PROGRAMME_BUDGET.col("id").eq(id));
    txn.execute(&rate).await?;
    Ok(())
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
pub async fn store_rate(txn: &DatabaseTransaction, id: Uuid) -> ApiResult<entity::funding::Model> {
    let mut update = FUNDING.store_rates();
    update.and_where(FUNDING.col("id").eq(id));
    txn.execute(&update).await?;
    entity::funding::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::internal("a funding vanished in its own transaction"))
}

/// Stores the rates again of everything in `currency` that a rate of `date` may now apply to.
pub async fn store_rates_from(
    txn: &DatabaseTransaction,
    currency: &str,
    date: NaiveDate,
) -> ApiResult<()> {
    for priced in [FUNDING, PROJECT_BUDGET, PROGRAMME_BUDGET] {
        priced.store_from(txn, currency, date).await?;
    }
    let mut sort = budget_sort();
    sort.and_where(PROJECT_BUDGET.col("budget_currency").eq(currency));
    txn.execute(&sort).await?;
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
