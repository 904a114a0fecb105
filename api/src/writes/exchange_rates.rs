//! Euro reference rates (admins): one set by hand, or a file of them at once. Fundings in a
//! currency convert again from the first date that changed.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::exchange_rate;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};
use serde_json::json;

use crate::access;
use crate::domain::exchange_rates::Rate;
use crate::error::ApiResult;
use crate::writes::Write;

/// Rows per INSERT: four parameters each stays far below SQLite's and PostgreSQL's limits.
const CHUNK: usize = 1_000;

/// What an import did.
pub struct Imported {
    pub rates: usize,
    /// Per currency, the first and last date it brought.
    pub currencies: BTreeMap<String, (NaiveDate, NaiveDate)>,
}

/// Rates are set by admins only: checked before anything of the input is read.
pub fn only_admins(write: &Write<'_>) -> ApiResult<()> {
    access::require_programme_manager(write.caller(), "set exchange rates")
}

fn row(rate: Rate) -> exchange_rate::ActiveModel {
    exchange_rate::ActiveModel {
        currency: Set(rate.currency),
        rate_date: Set(rate.date),
        units_per_eur_micros: Set(rate.micros),
        source: Set(rate.source),
    }
}

/// Sets one rate, replacing the one of that currency and day.
pub async fn set(write: &Write<'_>, rate: Rate) -> ApiResult<exchange_rate::Model> {
    only_admins(write)?;
    let existing = exchange_rate::Entity::find_by_id((rate.currency.clone(), rate.date))
        .one(write.txn())
        .await?;
    write.put("setExchangeRate", existing, row(rate)).await
}

/// Sets every rate of a file, replacing those of the same currency and day, in one
/// transaction and with one audit row that says what the file held.
pub async fn import(write: &Write<'_>, rates: Vec<Rate>) -> ApiResult<Imported> {
    only_admins(write)?;
    let count = rates.len();
    let mut currencies: BTreeMap<String, (NaiveDate, NaiveDate)> = BTreeMap::new();
    for rate in &rates {
        let span = currencies
            .entry(rate.currency.clone())
            .or_insert((rate.date, rate.date));
        span.0 = span.0.min(rate.date);
        span.1 = span.1.max(rate.date);
    }
    let mut rows = rates.into_iter().map(row).peekable();
    while rows.peek().is_some() {
        exchange_rate::Entity::insert_many(rows.by_ref().take(CHUNK).collect::<Vec<_>>())
            .on_conflict(
                OnConflict::columns([
                    exchange_rate::Column::Currency,
                    exchange_rate::Column::RateDate,
                ])
                .update_columns([
                    exchange_rate::Column::UnitsPerEurMicros,
                    exchange_rate::Column::Source,
                ])
                .to_owned(),
            )
            .exec_without_returning(write.txn())
            .await?;
    }
    for (currency, (from, _)) in &currencies {
        crate::derived::rates_changed(write.txn(), currency, *from).await?;
    }
    let summary = json!({
        "rates": count,
        "currencies": currencies
            .iter()
            .map(|(c, (from, to))| json!({ "currency": c, "from": from, "to": to }))
            .collect::<Vec<_>>(),
    });
    write
        .record_many::<exchange_rate::Entity>("importExchangeRates", summary)
        .await?;
    Ok(Imported {
        rates: count,
        currencies,
    })
}
