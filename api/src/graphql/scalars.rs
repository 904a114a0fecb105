//! The schema's own scalars, named and written for clients rather than after Rust types:
//! one precision for every timestamp, `Z` for UTC, and `@specifiedBy` where a specification
//! exists.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::{SecondsFormat, SubsecRound, Utc};

/// A moment in time, RFC 3339 in UTC with exactly three fraction digits:
/// `2026-05-04T07:00:00.000Z`. Inputs may carry any offset (`2026-05-04T09:00:00+02:00`)
/// and mean the same moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DateTime(pub chrono::DateTime<Utc>);

/// A moment in time, RFC 3339 in UTC with exactly three fraction digits:
/// `2026-05-04T07:00:00.000Z`. Inputs may carry any offset (`2026-05-04T09:00:00+02:00`)
/// and mean the same moment.
#[Scalar(
    name = "DateTime",
    specified_by_url = "https://scalars.graphql.org/andimarek/date-time.html"
)]
impl ScalarType for DateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
                // Milliseconds are the precision kept, as they are the precision shown.
                .map(|moment| DateTime(moment.with_timezone(&Utc).trunc_subsecs(3)))
                .map_err(|_| {
                    InputValueError::custom(
                        "a DateTime is RFC 3339 with an offset, e.g. 2026-05-04T09:00:00.000Z",
                    )
                }),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl From<chrono::DateTime<Utc>> for DateTime {
    fn from(moment: chrono::DateTime<Utc>) -> Self {
        Self(moment)
    }
}

/// A moment with the UTC offset of a place (a workshop's venue), RFC 3339 with three
/// fraction digits: `2026-05-04T09:00:00.000+02:00`. Output only.
pub struct OffsetDateTime(pub chrono::DateTime<chrono::FixedOffset>);

/// A moment with the UTC offset of a place (a workshop's venue), RFC 3339 with three
/// fraction digits: `2026-05-04T09:00:00.000+02:00`.
#[Scalar(
    name = "OffsetDateTime",
    specified_by_url = "https://scalars.graphql.org/andimarek/date-time.html"
)]
impl ScalarType for OffsetDateTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
                .map(OffsetDateTime)
                .map_err(|_| InputValueError::custom("an OffsetDateTime is RFC 3339")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_rfc3339_opts(SecondsFormat::Millis, false))
    }
}

/// A calendar day, `YYYY-MM-DD` (RFC 3339's full-date), with no time or zone: `2026-05-04`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date(pub chrono::NaiveDate);

/// A calendar day, `YYYY-MM-DD` (RFC 3339's full-date), with no time or zone: `2026-05-04`.
#[Scalar(
    name = "Date",
    specified_by_url = "https://scalars.graphql.org/andimarek/local-date.html"
)]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date)
                .map_err(|_| InputValueError::custom("a Date is YYYY-MM-DD, e.g. 2026-05-04")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}

impl From<chrono::NaiveDate> for Date {
    fn from(day: chrono::NaiveDate) -> Self {
        Self(day)
    }
}

/// A time of day on a local clock, `HH:MM:SS` (RFC 3339's partial-time without a
/// fraction), with no date or zone: `09:30:00`. Inputs may leave out the seconds (`09:30`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalTime(pub chrono::NaiveTime);

/// A time of day on a local clock, `HH:MM:SS` (RFC 3339's partial-time without a
/// fraction), with no date or zone: `09:30:00`. Inputs may leave out the seconds (`09:30`).
#[Scalar(
    name = "LocalTime",
    specified_by_url = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"
)]
impl ScalarType for LocalTime {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(text) => chrono::NaiveTime::parse_from_str(text, "%H:%M:%S")
                .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M"))
                .map(LocalTime)
                .map_err(|_| InputValueError::custom("a LocalTime is HH:MM:SS, e.g. 09:30:00")),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%H:%M:%S").to_string())
    }
}

impl From<chrono::NaiveTime> for LocalTime {
    fn from(time: chrono::NaiveTime) -> Self {
        Self(time)
    }
}

/// An exact decimal number, written as a string so that no digit is lost to floating point:
/// `"1250000.00"`. Inputs may also be JSON numbers (`1250000`), read digit for digit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Decimal(pub rust_decimal::Decimal);

/// An exact decimal number, written as a string so that no digit is lost to floating point:
/// `"1250000.00"`. Inputs may also be JSON numbers (`1250000`), read digit for digit.
#[Scalar(name = "Decimal")]
impl ScalarType for Decimal {
    fn parse(value: Value) -> InputValueResult<Self> {
        let text = match &value {
            Value::String(text) => text.clone(),
            // The number's own digits, not a binary float's approximation of them.
            Value::Number(number) => number.to_string(),
            _ => return Err(InputValueError::expected_type(value)),
        };
        std::str::FromStr::from_str(&text)
            .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
            .map(Decimal)
            .map_err(|_| InputValueError::custom("a Decimal is a number such as \"1250000.00\""))
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

impl From<rust_decimal::Decimal> for Decimal {
    fn from(value: rust_decimal::Decimal) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_with_milliseconds_whatever_offset_came_in() {
        let parsed = DateTime::parse(Value::String("2026-05-04T09:00:00+02:00".into()));
        let value = parsed
            .map(|d| d.to_value())
            .map_err(|e| e.into_server_error(Default::default()).message);
        assert_eq!(value, Ok(Value::String("2026-05-04T07:00:00.000Z".into())));
        let precise = DateTime(chrono::DateTime::<Utc>::from_timestamp_nanos(1_234_567_891));
        assert_eq!(
            precise.to_value(),
            Value::String("1970-01-01T00:00:01.234Z".into())
        );
        assert!(DateTime::parse(Value::String("2026-05-04 09:00".into())).is_err());
        let fine = DateTime::parse(Value::String("2026-05-04T09:00:00.1234567Z".into()));
        assert_eq!(
            fine.ok().map(|d| d.0.timestamp_subsec_nanos()),
            Some(123_000_000)
        );
    }

    #[test]
    fn days_and_local_times_have_one_spelling() {
        let day = Date::parse(Value::String("2026-05-04".into())).map(|d| d.to_value());
        assert_eq!(day.ok(), Some(Value::String("2026-05-04".into())));
        assert!(Date::parse(Value::String("4/5/2026".into())).is_err());
        let short = LocalTime::parse(Value::String("09:30".into())).map(|t| t.to_value());
        assert_eq!(short.ok(), Some(Value::String("09:30:00".into())));
        assert!(LocalTime::parse(Value::String("25:00".into())).is_err());
    }

    #[test]
    fn decimals_keep_every_digit() {
        let number = serde_json::from_str::<Value>("0.1").map(Decimal::parse);
        let kept = number.ok().and_then(Result::ok).map(|d| d.to_value());
        assert_eq!(kept, Some(Value::String("0.1".into())));
        let text = Decimal::parse(Value::String("1250000.00".into())).map(|d| d.to_value());
        assert_eq!(text.ok(), Some(Value::String("1250000.00".into())));
        assert!(Decimal::parse(Value::String("12,5".into())).is_err());
    }
}
