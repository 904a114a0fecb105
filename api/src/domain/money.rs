//! Money is kept as integer hundredths in the database, so sums are exact on every backend.

use rust_decimal::Decimal;

/// Decimal places stored for every currency Mosaic handles (EUR, SEK, PLN, USD).
pub const MINOR_UNIT_SCALE: u32 = 2;

pub fn from_minor(minor: i64) -> Decimal {
    Decimal::new(minor, MINOR_UNIT_SCALE)
}

/// The amount in hundredths, or `None` if it has more decimals than the currency has or does
/// not fit.
pub fn to_minor(amount: Decimal) -> Option<i64> {
    let scaled = amount.checked_mul(Decimal::from(10_i64.pow(MINOR_UNIT_SCALE)))?;
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    i64::try_from(scaled).ok()
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
    }
}
