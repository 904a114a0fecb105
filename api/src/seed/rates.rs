//! The ECB reference rates in `api/seed/ecb-rates.csv` (made by `scripts/ecb-rates.py`), as
//! exchange-rate rows.

use entity::enums::RateSource;
use entity::exchange_rate;
use sea_orm::ActiveValue::Set;

use crate::domain::exchange_rates;

pub const ECB_RATES: &str = include_str!("../../seed/ecb-rates.csv");

/// One row per currency and business day.
pub fn rows(csv_text: &str) -> anyhow::Result<Vec<exchange_rate::ActiveModel>> {
    let rates = exchange_rates::parse(csv_text, RateSource::EcbReference)
        .map_err(|e| anyhow::anyhow!("ecb-rates.csv: {e}"))?
        .rates;
    Ok(rates
        .into_iter()
        .map(|rate| exchange_rate::ActiveModel {
            currency: Set(rate.currency),
            rate_date: Set(rate.date),
            units_per_eur_micros: Set(rate.micros),
            source: Set(rate.source),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

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
}
