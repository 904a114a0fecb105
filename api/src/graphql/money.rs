//! An amount with its currency and its euro equivalent (budgets), and the input it is
//! written with.

use async_graphql::{InputObject, Object};
use chrono::NaiveDate;

use crate::derived::eur;
use crate::domain::codes::CurrencyCode;
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::scalars::{Date, Decimal};

/// An exact amount in its currency, with the euro equivalent at a stored rate.
pub struct Money {
    pub minor: i64,
    pub currency: String,
    /// Units per euro in millionths, and the rate's date.
    pub rate: Option<(i64, NaiveDate)>,
}

/// An exact amount in its currency, with its euro equivalent at a stored rate.
#[Object]
impl Money {
    /// Exact decimal, e.g. "108000000.00".
    async fn amount(&self) -> Decimal {
        Decimal(money::from_minor(self.minor))
    }

    /// ISO 4217 code of `amount`.
    async fn currency(&self) -> &str {
        &self.currency
    }

    /// `amount` in euros, rounded half up to the cent; null when no rate is known.
    async fn amount_eur(&self) -> Option<Decimal> {
        self.rate
            .and_then(|(micros, _)| eur::eur_minor(self.minor, micros))
            .map(|eur| Decimal(money::from_minor(eur)))
    }

    /// Units of `currency` per euro used for `amountEur`.
    async fn eur_rate(&self) -> Option<Decimal> {
        self.rate
            .map(|(micros, _)| Decimal(rust_decimal::Decimal::new(micros, 6).normalize()))
    }

    /// The date of `eurRate`.
    async fn rate_date(&self) -> Option<Date> {
        self.rate.map(|(_, date)| Date(date))
    }
}

/// An amount and its currency.
#[derive(InputObject, Clone)]
pub struct MoneyInput {
    /// Exact decimal, at most two decimals, e.g. "5200000.00".
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
}

impl MoneyInput {
    /// (hundredths, currency code), or BAD_USER_INPUT on `field.amount` / `field.currency`.
    pub fn parse(&self, field: &str) -> ApiResult<(i64, String)> {
        Ok((
            minor(&format!("{field}.amount"), self.amount.0)?,
            CurrencyCode::parse(&self.currency)
                .map(|c| c.as_str().to_owned())
                .map_err(|m| ApiError::bad_input(format!("{field}.currency"), m))?,
        ))
    }
}

/// An amount in hundredths, or BAD_USER_INPUT on `field`.
pub fn minor(field: &str, value: rust_decimal::Decimal) -> ApiResult<i64> {
    money::to_minor(value).ok_or_else(|| {
        ApiError::bad_input(
            field,
            format!(
                "an amount is between 0 and {}, with at most two decimals",
                money::from_minor(money::MAX_MINOR)
            ),
        )
    })
}
