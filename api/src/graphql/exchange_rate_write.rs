//! Euro reference rates (admins), through `writes::exchange_rates`: one at a time, or a
//! whole file (the ECB's `eurofxref-hist.csv` layout, or `currency,date,unitsPerEur`).

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::domain::exchange_rates::{self, Rate};
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::RateSource;
use crate::graphql::writing::committed;
use crate::writes;

#[derive(InputObject)]
pub struct SetExchangeRateInput {
    /// ISO 4217 code, e.g. SEK.
    pub currency: String,
    pub date: NaiveDate,
    /// Units of `currency` one euro buys, e.g. "11.4825" (at most six decimals).
    pub units_per_eur: Decimal,
    /// Where the figure comes from.
    pub source: RateSource,
}

#[derive(InputObject)]
pub struct ImportExchangeRatesInput {
    /// The file's text (at most 1 MiB with the rest of the request; larger files:
    /// `mosaic rates import FILE`). Either the ECB's layout, a header `Date,<currency>,…`
    /// and a row per day (an empty or `N/A` cell is a day without a rate), or a header
    /// `currency,date,unitsPerEur[,source]` and a row per rate. Lines starting `#` are
    /// comments.
    pub csv: String,
    /// The source of every rate whose row does not name one.
    #[graphql(default_with = "RateSource::EcbReference")]
    pub source: RateSource,
}

/// A euro reference rate.
#[derive(SimpleObject)]
pub struct ExchangeRate {
    pub currency: String,
    pub date: NaiveDate,
    pub units_per_eur: Decimal,
    pub source: RateSource,
}

#[derive(SimpleObject)]
pub struct ExchangeRatePayload {
    pub exchange_rate: ExchangeRate,
}

/// The dates an import brought for one currency.
#[derive(SimpleObject)]
pub struct ImportedCurrency {
    pub currency: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(SimpleObject)]
pub struct ImportExchangeRatesPayload {
    /// How many rates were set (new or replaced).
    pub rates: usize,
    pub currencies: Vec<ImportedCurrency>,
    /// Columns of an ECB file left out: currencies ISO 4217 no longer lists (CYP, EEK, …).
    pub withdrawn_currencies: Vec<String>,
}

#[derive(Default)]
pub struct ExchangeRateMutation;

#[Object]
impl ExchangeRateMutation {
    /// Sets the euro rate of a currency on a date (admins); replaces an existing one.
    async fn set_exchange_rate(
        &self,
        ctx: &Context<'_>,
        input: SetExchangeRateInput,
    ) -> ApiResult<ExchangeRatePayload> {
        let stored = committed(ctx, async |write| {
            writes::exchange_rates::only_admins(write)?;
            let rate = Rate {
                currency: exchange_rates::currency(&input.currency)
                    .map_err(|m| ApiError::bad_input("input.currency", m))?,
                date: input.date,
                micros: money::rate_to_micros(input.units_per_eur).ok_or_else(|| {
                    ApiError::bad_input(
                        "input.unitsPerEur",
                        format!(
                            "a rate is above zero and at most {}, with at most six decimals",
                            money::MAX_RATE_UNITS
                        ),
                    )
                })?,
                source: input.source.into(),
            };
            writes::exchange_rates::set(write, rate).await
        })
        .await?;
        Ok(ExchangeRatePayload {
            exchange_rate: ExchangeRate {
                currency: stored.currency,
                date: stored.rate_date,
                units_per_eur: Decimal::new(stored.units_per_eur_micros, 6).normalize(),
                source: stored.source.into(),
            },
        })
    }

    /// Sets every rate of a file at once (admins), replacing those of the same currency
    /// and day; fundings convert again. A file with any fault changes nothing: the error
    /// names its line.
    async fn import_exchange_rates(
        &self,
        ctx: &Context<'_>,
        input: ImportExchangeRatesInput,
    ) -> ApiResult<ImportExchangeRatesPayload> {
        let imported = committed(ctx, async |write| {
            writes::exchange_rates::only_admins(write)?;
            let parsed = exchange_rates::parse(&input.csv, input.source.into())
                .map_err(|m| ApiError::bad_input("input.csv", m))?;
            let imported = writes::exchange_rates::import(write, parsed.rates).await?;
            Ok((imported, parsed.withdrawn))
        })
        .await?;
        let (imported, withdrawn) = imported;
        Ok(ImportExchangeRatesPayload {
            withdrawn_currencies: withdrawn,
            rates: imported.rates,
            currencies: imported
                .currencies
                .into_iter()
                .map(|(currency, (from, to))| ImportedCurrency { currency, from, to })
                .collect(),
        })
    }
}
