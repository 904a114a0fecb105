//! Money is kept as integer hundredths in the database, so sums are exact on every backend.

use rust_decimal::Decimal;

/// Decimal places stored for every currency Mosaic handles (EUR, SEK, PLN, USD).
pub const MINOR_UNIT_SCALE: u32 = 2;

/// The largest amount accepted, 10 000 000 000.00 in hundredths. It keeps the EUR conversion
/// (amount × 2 × 10⁶) and sums of a million such amounts inside 64-bit integers.
pub const MAX_MINOR: i64 = 1_000_000_000_000;

pub fn from_minor(minor: i64) -> Decimal {
    Decimal::new(minor, MINOR_UNIT_SCALE)
}

/// The amount in hundredths, or `None` if it has more decimals than the currency has or lies
/// outside `0..=MAX_MINOR`.
pub fn to_minor(amount: Decimal) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::from(10_i64.pow(MINOR_UNIT_SCALE)))?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(scaled)
        .ok()
        .filter(|minor| (0..=MAX_MINOR).contains(minor))
}

/// Millionths in one unit: exchange rates are stored as units per euro times this.
pub const RATE_SCALE: i64 = 1_000_000;

/// The largest rate accepted, in units per euro; with `MAX_MINOR` it keeps the conversion
/// inside 64-bit integers.
pub const MAX_RATE_UNITS: i64 = 1_000_000;

/// A rate (units per euro) in millionths, or `None` unless it is above zero, at most
/// `MAX_RATE_UNITS` and has at most six decimals.
pub fn rate_to_micros(rate: Decimal) -> Option<i64> {
    rate.checked_mul(Decimal::from(RATE_SCALE))
        .filter(|m| m.fract().is_zero() && *m > Decimal::ZERO)
        .and_then(|m| i64::try_from(m).ok())
        .filter(|m| *m <= MAX_RATE_UNITS * RATE_SCALE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minor_units_round_trip_exactly() {
        let amount = Decimal::new(14_950_000, 2);
        assert_eq!(to_minor(amount), Some(14_950_000));
        assert_eq!(from_minor(14_950_000).to_string(), "149500.00");
        assert_eq!(to_minor(Decimal::new(1_005, 3)), None);
        assert_eq!(to_minor(Decimal::new(-1, 2)), None);
        assert_eq!(to_minor(from_minor(MAX_MINOR)), Some(MAX_MINOR));
        assert_eq!(to_minor(from_minor(MAX_MINOR + 1)), None);
    }

    #[test]
    fn rates_are_positive_bounded_millionths() {
        assert_eq!(rate_to_micros(Decimal::new(95_525, 4)), Some(9_552_500));
        assert_eq!(rate_to_micros(Decimal::new(1, 7)), None);
        assert_eq!(rate_to_micros(Decimal::ZERO), None);
        assert_eq!(rate_to_micros(Decimal::from(MAX_RATE_UNITS + 1)), None);
    }
}
