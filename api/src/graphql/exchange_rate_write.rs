//! Euro reference rates (admins), through `writes::exchange_rates`: one at a time, or a
//! whole file (the ECB's `eurofxref-hist.csv` layout, or `currency,date,unitsPerEur`).

use async_graphql::{Context, InputObject, Object, SimpleObject};

use crate::domain::exchange_rates::{self, Rate};
use crate::domain::money;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::RateSource;
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::writing::committed;
use crate::writes;

/// One euro reference rate: a currency's units per euro on a day.
#[derive(InputObject)]
pub struct SetExchangeRateInput {
    /// ISO 4217 code, e.g. SEK.
    pub currency: String,
    /// The day the rate is for; fundings valued on it, or later until the currency's next
    /// rate, convert at it.
    pub date: Date,
    /// Units of `currency` one euro buys, e.g. "11.4825" (at most six decimals).
    pub units_per_eur: Decimal,
    /// Where the figure comes from.
    pub source: RateSource,
}

/// A file of euro reference rates to set at once.
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
    /// ISO 4217 code of the currency.
    pub currency: String,
    /// The day the rate is for.
    pub date: Date,
    /// Units of `currency` one euro buys, e.g. "11.4825".
    pub units_per_eur: Decimal,
    /// Where the figure comes from.
    pub source: RateSource,
}

/// What `setExchangeRate` answers.
#[derive(SimpleObject)]
pub struct ExchangeRatePayload {
    /// The rate as stored.
    pub exchange_rate: ExchangeRate,
}

/// The dates an import brought for one currency.
#[derive(SimpleObject)]
pub struct ImportedCurrency {
    /// ISO 4217 code of the currency.
    pub currency: String,
    /// The earliest day the file held a rate of it for.
    pub from: Date,
    /// The latest day the file held a rate of it for.
    pub to: Date,
}

/// What `importExchangeRates` answers: what the file set.
#[derive(SimpleObject)]
pub struct ImportExchangeRatesPayload {
    /// How many rates were set (new or replaced).
    pub rates: usize,
    /// Each currency the file set rates of, with the days they span, by code.
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
        #[graphql(desc = "The currency, day and rate to set.")] input: SetExchangeRateInput,
    ) -> ApiResult<ExchangeRatePayload> {
        let stored = committed(ctx, async |write| {
            writes::exchange_rates::only_admins(write)?;
            let rate = Rate {
                currency: exchange_rates::currency(&input.currency)
                    .map_err(|m| ApiError::bad_input("input.currency", m))?,
                date: input.date.0,
                micros: money::rate_to_micros(input.units_per_eur.0).ok_or_else(|| {
                    ApiError::bad_input(
                        "input.unitsPerEur",
                        format!(
                            "a rate is above zero and at most {}, with at most six decimals",
                            money::MAX_RATE_UNITS
                        ),
                    )
                })?,
                source: input.source,
            };
            writes::exchange_rates::set(write, rate).await
        })
        .await?;
        Ok(ExchangeRatePayload {
            exchange_rate: ExchangeRate {
                currency: stored.currency,
                date: Date(stored.rate_date),
                units_per_eur: Decimal(
                    rust_decimal::Decimal::new(stored.units_per_eur_micros, 6).normalize(),
                ),
                source: stored.source,
            },
        })
    }

    /// Sets every rate of a file at once (admins), replacing those of the same currency
    /// and day; fundings convert again. A file with any fault changes nothing: the error
    /// names its line.
    async fn import_exchange_rates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The file and the source of its rates.")] input: ImportExchangeRatesInput,
    ) -> ApiResult<ImportExchangeRatesPayload> {
        let imported = committed(ctx, async |write| {
            writes::exchange_rates::only_admins(write)?;
            let parsed = exchange_rates::parse(&input.csv, input.source)
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
                .map(|(currency, (from, to))| ImportedCurrency {
                    currency,
                    from: Date(from),
                    to: Date(to),
                })
                .collect(),
        })
    }
}
