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
}
