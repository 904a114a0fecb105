//! Files of euro reference rates, in either of the layouts they come in: the ECB's wide one
//! (`Date,USD,SEK,…`, a row per day, as in `eurofxref-hist.csv`; an empty or `N/A` cell is a
//! day without a rate, an unnamed column (the ECB ends each line with a comma) is no currency,
//! and a column of a currency ISO 4217 no longer lists, such as CYP, is left out and named)
//! or a long one (`currency,date,unitsPerEur[,source]`, a row per rate). A file is taken
//! whole or refused with the line at fault.

use std::collections::HashSet;

use chrono::NaiveDate;
use entity::enums::RateSource;
use rust_decimal::Decimal;

use crate::domain::codes::CurrencyCode;
use crate::domain::money;

/// The most rates one file may hold: the ECB's whole history since 1999 is about 250 000.
pub const MAX_RATES: usize = 1_000_000;

/// One currency's rate on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    pub currency: String,
    pub date: NaiveDate,
    /// Units of `currency` per euro, in millionths.
    pub micros: i64,
    pub source: RateSource,
}

/// What a file holds.
#[derive(Debug, Default)]
pub struct Parsed {
    pub rates: Vec<Rate>,
    /// Columns of the wide layout left out: currencies ISO 4217 no longer lists.
    pub withdrawn: Vec<String>,
}

/// The rates in `text`; `source` is theirs unless a long file names one in a row.
pub fn parse(text: &str, source: RateSource) -> Result<Parsed, String> {
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| format!("the header cannot be read: {e}"))?
        .clone();
    let names: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let layout = match names.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["date", ..] if names.len() > 1 => Layout::Wide(columns(&headers)?),
        ["currency", "date", "unitspereur" | "units_per_eur"]
        | [
            "currency",
            "date",
            "unitspereur" | "units_per_eur",
            "source",
        ] => Layout::Long,
        _ => {
            return Err("the header is `Date,<currency>,…` (the ECB's layout) or \
                 `currency,date,unitsPerEur[,source]`"
                .into());
        }
    };
    let mut rates = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{e}"))?;
        let line = record.position().map_or(0, csv::Position::line);
        let at = |message: String| format!("line {line}: {message}");
        let mut push = |rate: Rate| {
            if !seen.insert((rate.currency.clone(), rate.date)) {
                return Err(at(format!(
                    "{} on {} is given twice",
                    rate.currency, rate.date
                )));
            }
            if rates.len() == MAX_RATES {
                return Err(format!("a file holds at most {MAX_RATES} rates"));
            }
            rates.push(rate);
            Ok(())
        };
        match &layout {
            Layout::Wide(columns) => {
                let date = date(record.get(0).unwrap_or_default()).map_err(at)?;
                for (column, cell) in columns.iter().zip(record.iter().skip(1)) {
                    let Column::Currency(currency) = column else {
                        continue;
                    };
                    if cell.is_empty() || cell.eq_ignore_ascii_case("N/A") {
                        continue;
                    }
                    let micros = micros(cell).map_err(|m| at(format!("{currency}: {m}")))?;
                    push(Rate {
                        currency: currency.clone(),
                        date,
                        micros,
                        source,
                    })?;
                }
            }
            Layout::Long => {
                let cell = |i: usize| record.get(i).unwrap_or_default();
                push(Rate {
                    currency: currency(cell(0)).map_err(at)?,
                    date: date(cell(1)).map_err(at)?,
                    micros: micros(cell(2)).map_err(at)?,
                    source: match record.get(3).filter(|s| !s.is_empty()) {
                        Some(named) => rate_source(named).ok_or_else(|| {
                            at(format!(
                                "`{named}` is not a source (ECB_REFERENCE, INFOREURO, MANUAL)"
                            ))
                        })?,
                        None => source,
                    },
                })?;
            }
        }
    }
    if rates.is_empty() {
        return Err("the file holds no rates".into());
    }
    let withdrawn = match layout {
        Layout::Wide(columns) => columns
            .into_iter()
            .filter_map(|c| match c {
                Column::Withdrawn(code) => Some(code),
                _ => None,
            })
            .collect(),
        Layout::Long => Vec::new(),
    };
    Ok(Parsed { rates, withdrawn })
}

enum Layout {
    Wide(Vec<Column>),
    Long,
}

/// A column of the wide layout.
enum Column {
    Currency(String),
    /// Three letters ISO 4217 no longer lists.
    Withdrawn(String),
    Unnamed,
}

fn columns(headers: &csv::StringRecord) -> Result<Vec<Column>, String> {
    headers
        .iter()
        .skip(1)
        .map(|name| match currency(name) {
            _ if name.is_empty() => Ok(Column::Unnamed),
            Ok(code) => Ok(Column::Currency(code)),
            Err(m) if name.eq_ignore_ascii_case("EUR") => Err(format!("header: {m}")),
            Err(_) if name.len() == 3 && name.bytes().all(|b| b.is_ascii_uppercase()) => {
                Ok(Column::Withdrawn(name.to_owned()))
            }
            Err(m) => Err(format!("header: {m}")),
        })
        .collect()
}

/// A currency other than the euro, which has no rate against itself.
pub fn currency(value: &str) -> Result<String, String> {
    let code = CurrencyCode::parse(value)?.as_str().to_owned();
    if code == "EUR" {
        return Err("the euro has no rate against itself".into());
    }
    Ok(code)
}

fn date(value: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("`{value}` is not a date (YYYY-MM-DD)"))
}

/// A rate such as "9.5525" in millionths, refusing more precision than that, a non-positive
/// rate, or one beyond `money::MAX_RATE_UNITS`.
pub fn micros(value: &str) -> Result<i64, String> {
    value
        .parse::<Decimal>()
        .ok()
        .and_then(money::rate_to_micros)
        .ok_or_else(|| {
            format!(
                "`{value}` is not a rate above zero and at most {} with at most six decimals",
                money::MAX_RATE_UNITS
            )
        })
}

/// A source by its name in the API and in files.
pub fn rate_source(value: &str) -> Option<RateSource> {
    match value.trim().to_ascii_uppercase().as_str() {
        "ECB_REFERENCE" => Some(RateSource::EcbReference),
        "INFOREURO" => Some(RateSource::Inforeuro),
        "MANUAL" => Some(RateSource::Manual),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ecb_layout_skips_days_without_a_rate() -> Result<(), String> {
        let Parsed { rates, withdrawn } = parse(
            "Date,SEK,CYP,PLN,\n2024-01-02,11.2345,N/A,N/A,\n2024-01-03,,0.58,4.3,\n",
            RateSource::EcbReference,
        )?;
        assert_eq!(withdrawn, ["CYP"]);
        assert_eq!(
            rates
                .iter()
                .map(|r| (r.currency.as_str(), r.micros))
                .collect::<Vec<_>>(),
            [("SEK", 11_234_500), ("PLN", 4_300_000)]
        );
        Ok(())
    }

    #[test]
    fn the_long_layout_names_a_source_per_row() -> Result<(), String> {
        let rates = parse(
            "currency,date,unitsPerEur,source\nNOK,2025-01-02,11.795,inforeuro\nnok,2025-01-03,11.8,\n",
            RateSource::Manual,
        )?
        .rates;
        // An empty source cell leaves the file's.
        assert_eq!(
            rates.iter().map(|r| r.source).collect::<Vec<_>>(),
            [RateSource::Inforeuro, RateSource::Manual]
        );
        assert!(
            parse(
                "currency,date,unitsPerEur,source\nNOK,2025-01-02,1,ECB\n",
                RateSource::Manual
            )
            .is_err_and(|e| e.starts_with("line 2:"))
        );
        let rates = parse(
            "currency,date,unitsPerEur\nNOK,2025-01-02,11.795\n",
            RateSource::Manual,
        )?
        .rates;
        assert_eq!(rates[0].source, RateSource::Manual);
        assert_eq!(rates[0].micros, 11_795_000);
        Ok(())
    }

    #[test]
    fn a_file_is_refused_with_the_line_at_fault() {
        let refused = |text: &str| parse(text, RateSource::Manual).err().unwrap_or_default();
        assert!(refused("Date,EUR\n2024-01-02,1\n").contains("euro"));
        assert!(refused("Date,SEK\n2024-01-02,1\n2024-01-02,2\n").starts_with("line 3:"));
        assert!(refused("Date,SEK\n2024-13-02,1\n").starts_with("line 2:"));
        assert!(refused("Date,SEK\n2024-01-02,-1\n").starts_with("line 2: SEK"));
        assert!(refused("Date,SEK\n2024-01-02,1.0000001\n").contains("six decimals"));
        assert!(refused("when,what\n").contains("header"));
        assert!(refused("Date,SEK\n").contains("no rates"));
    }
}
