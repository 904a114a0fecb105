//! Dates known to a year, a month or a day (ISO 8601 reduced precision: `2024`, `2024-03`,
//! `2024-03-15`), as the programme's documents give them: "2016–2018", "from July 2023".

use chrono::{Datelike, NaiveDate};

/// How precisely a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to `precision`; `first` and `last` are the days it may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartialDate {
    first: NaiveDate,
    precision: Precision,
}

impl PartialDate {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, a year between 1900 and 2200.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        let wrong = || format!("`{value}` is not a date as YYYY, YYYY-MM or YYYY-MM-DD");
        let parts: Vec<&str> = value.split('-').collect();
        let number = |s: &str, len: usize| {
            (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
                .ok_or_else(wrong)
        };
        let year = number(parts.first().copied().unwrap_or_default(), 4)?;
        if !(1900..=2200).contains(&year) {
            return Err(format!("{year} is not a year between 1900 and 2200"));
        }
        let (month, day, precision) = match parts.len() {
            1 => (1, 1, Precision::Year),
            2 => (number(parts[1], 2)?, 1, Precision::Month),
            3 => (number(parts[1], 2)?, number(parts[2], 2)?, Precision::Day),
            _ => return Err(wrong()),
        };
        let first = NaiveDate::from_ymd_opt(year as i32, month, day).ok_or_else(wrong)?;
        Ok(Self { first, precision })
    }

    /// A date known to the day.
    pub fn day(date: NaiveDate) -> Self {
        Self {
            first: date,
            precision: Precision::Day,
        }
    }

    pub fn precision(self) -> Precision {
        self.precision
    }

    /// The first day it may be.
    pub fn first(self) -> NaiveDate {
        self.first
    }

    /// The last day it may be.
    pub fn last(self) -> NaiveDate {
        let (y, m) = (self.first.year(), self.first.month());
        let next = match self.precision {
            Precision::Day => return self.first,
            Precision::Month if m == 12 => NaiveDate::from_ymd_opt(y + 1, 1, 1),
            Precision::Month => NaiveDate::from_ymd_opt(y, m + 1, 1),
            Precision::Year => NaiveDate::from_ymd_opt(y + 1, 1, 1),
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(self.first)
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.precision {
            Precision::Year => write!(f, "{}", self.first.format("%Y")),
            Precision::Month => write!(f, "{}", self.first.format("%Y-%m")),
            Precision::Day => write!(f, "{}", self.first.format("%Y-%m-%d")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_to_their_precision_and_span() {
        let d = |s: &str| PartialDate::parse(s).map_err(|e| e.to_string());
        let year = d("2016").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(year.precision(), Precision::Year);
        assert_eq!(year.first().to_string(), "2016-01-01");
        assert_eq!(year.last().to_string(), "2016-12-31");
        let month = d(" 2024-02 ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((month.first().day(), month.last().day()), (1, 29));
        assert_eq!(month.to_string(), "2024-02");
        assert_eq!(
            d("2025-12").map(|m| m.last().to_string()),
            Ok("2025-12-31".into())
        );
        assert_eq!(
            d("2024-03-15").map(|x| x.to_string()),
            Ok("2024-03-15".into())
        );
        for bad in [
            "",
            "24",
            "2024-3",
            "2024-13",
            "2024-02-30",
            "1899",
            "2024-01-01-01",
            "２０２４",
        ] {
            assert!(d(bad).is_err(), "{bad}");
        }
    }
}
