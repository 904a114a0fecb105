//! The ECB reference rates in `api/seed/ecb-rates.csv` (made by `scripts/ecb-rates.py`), as
//! exchange-rate rows.

use anyhow::{Context, anyhow};
use chrono::NaiveDate;
use entity::enums::RateSource;
use entity::exchange_rate;
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;

use crate::domain::codes::CurrencyCode;
use crate::domain::money;

pub const ECB_RATES: &str = include_str!("../../seed/ecb-rates.csv");

/// One row per currency and business day; a currency column left empty that day is skipped.
pub fn rows(csv_text: &str) -> anyhow::Result<Vec<exchange_rate::ActiveModel>> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(csv_text.as_bytes());
    let headers = reader
        .headers()
        .context("ecb-rates.csv: no header")?
        .clone();
    let mut currencies = Vec::new();
    for (i, name) in headers.iter().enumerate().skip(1) {
        let code =
            CurrencyCode::parse(name).map_err(|e| anyhow!("ecb-rates.csv column {i}: {e}"))?;
        currencies.push(code.as_str().to_owned());
    }
    let mut out = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("ecb-rates.csv record {}", line + 1))?;
        let day = record.get(0).unwrap_or_default();
        let date = NaiveDate::parse_from_str(day, "%Y-%m-%d")
            .with_context(|| format!("ecb-rates.csv: `{day}` is not a date"))?;
        for (currency, value) in currencies.iter().zip(record.iter().skip(1)) {
            if value.is_empty() {
                continue;
            }
            out.push(exchange_rate::ActiveModel {
                currency: Set(currency.clone()),
                rate_date: Set(date),
                units_per_eur_micros: Set(
                    micros(value).with_context(|| format!("ecb-rates.csv {day} {currency}"))?
                ),
                source: Set(RateSource::EcbReference),
            });
        }
    }
    Ok(out)
}

/// A rate such as "9.5525" in millionths, refusing more precision than that or a non-positive
/// rate.
pub fn micros(value: &str) -> anyhow::Result<i64> {
    let rate: Decimal = value
        .parse()
        .with_context(|| format!("`{value}` is not a decimal"))?;
    money::rate_to_micros(rate)
        .ok_or_else(|| anyhow!("`{value}` is not a positive rate with at most six decimals"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_file_covers_2016_to_the_last_business_day() -> anyhow::Result<()> {
        let rows = rows(ECB_RATES)?;
        let first = rows.iter().filter_map(|r| r.rate_date.clone().take()).min();
        assert!(first <= NaiveDate::from_ymd_opt(2015, 12, 31));
        assert!(
            rows.len() > 3 * 2700,
            "three currencies, about 250 days a year"
        );
        Ok(())
    }

    #[test]
    fn rates_are_exact_millionths() -> anyhow::Result<()> {
        assert_eq!(micros("9.5525")?, 9_552_500);
        assert_eq!(micros("1.0541")?, 1_054_100);
        assert!(micros("1.0000001").is_err());
        assert!(micros("0").is_err());
        Ok(())
    }
}
