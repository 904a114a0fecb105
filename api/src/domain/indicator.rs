//! The rules of an indicator's figures: what its measure allows, and how a split by gender
//! adds up. Values are kept in hundredths, as money is, so sums are exact on every database.

use entity::enums::IndicatorMeasure;
use rust_decimal::Decimal;

use crate::domain::money;
use crate::error::{ApiError, ApiResult};

/// The longest comment on a baseline, target or actual value.
pub const MAX_COMMENT: usize = 2_000;

/// People counted by gender; what they leave of the figure's total is undisclosed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenderSplit {
    pub women: i32,
    pub men: i32,
    pub non_binary: i32,
}

impl GenderSplit {
    /// The people the split names (the rest of a figure is undisclosed).
    pub fn total(self) -> i64 {
        i64::from(self.women) + i64::from(self.men) + i64::from(self.non_binary)
    }
}

/// What an indicator's figures must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measured {
    pub measure: IndicatorMeasure,
    /// Counts people, so figures may be split by gender.
    pub by_gender: bool,
}

impl Measured {
    /// An indicator's measure and whether it counts people, checked together: only a count
    /// (UNIT) is split by gender.
    pub fn new(measure: IndicatorMeasure, by_gender: bool, field: &str) -> ApiResult<Self> {
        if by_gender && measure != IndicatorMeasure::Unit {
            return Err(ApiError::bad_input(
                field,
                "only a count (UNIT) of people is split by gender",
            ));
        }
        Ok(Self { measure, by_gender })
    }

    /// A figure in hundredths, checked against the measure; errors name `{field}.value` or
    /// `{field}.byGender`. A split without a value gives the value as its sum.
    pub fn figure(
        self,
        field: &str,
        value: Option<Decimal>,
        split: Option<GenderSplit>,
    ) -> ApiResult<(Option<i64>, Option<GenderSplit>)> {
        let value_field = format!("{field}.value");
        let split_field = format!("{field}.byGender");
        if self.measure == IndicatorMeasure::Qualitative && (value.is_some() || split.is_some()) {
            return Err(ApiError::bad_input(
                value_field,
                "a qualitative indicator has no figures: say it in the comment",
            ));
        }
        let centi = value.map(|v| self.value(&value_field, v)).transpose()?;
        let Some(split) = split else {
            return Ok((centi, None));
        };
        if !self.by_gender {
            return Err(ApiError::bad_input(
                split_field,
                "only an indicator that counts people (byGender) is split by gender",
            ));
        }
        if [split.women, split.men, split.non_binary]
            .iter()
            .any(|n| *n < 0)
        {
            return Err(ApiError::bad_input(split_field, "counts are not negative"));
        }
        let people = split.total() * 100;
        match centi {
            Some(total) if people > total => Err(ApiError::bad_input(
                split_field,
                "the split adds up to more than the figure",
            )),
            Some(total) => Ok((Some(total), Some(split))),
            None => Ok((Some(people), Some(split))),
        }
    }

    /// A value in hundredths: at least zero, two decimals at most, whole for people, at most
    /// 100 for a percentage.
    pub fn value(self, field: &str, value: Decimal) -> ApiResult<i64> {
        let centi = money::to_minor(value).ok_or_else(|| {
            ApiError::bad_input(field, "a value is at least 0, with at most two decimals")
        })?;
        if self.measure == IndicatorMeasure::Percentage && centi > 100 * 100 {
            return Err(ApiError::bad_input(field, "a percentage is at most 100"));
        }
        if self.by_gender && centi % 100 != 0 {
            return Err(ApiError::bad_input(
                field,
                "people are counted in whole numbers",
            ));
        }
        Ok(centi)
    }
}

/// Whether `actual` meets `target` in the direction the indicator wants; unknown until both
/// are known.
pub fn met(ascending: bool, target: Option<i64>, actual: Option<i64>) -> Option<bool> {
    let (target, actual) = (target?, actual?);
    Some(if ascending {
        actual >= target
    } else {
        actual <= target
    })
}

/// A comment trimmed, blank as none, bounded.
pub fn comment(field: &str, value: Option<&str>) -> ApiResult<Option<String>> {
    let Some(text) = value.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().count() > MAX_COMMENT {
        return Err(ApiError::bad_input(
            field,
            format!("a comment is at most {MAX_COMMENT} characters"),
        ));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people() -> Measured {
        Measured {
            measure: IndicatorMeasure::Unit,
            by_gender: true,
        }
    }

    #[test]
    fn a_split_may_not_exceed_its_figure_and_gives_it_when_missing() {
        let split = GenderSplit {
            women: 6,
            men: 3,
            non_binary: 1,
        };
        assert_eq!(
            people().figure("t", Some(Decimal::from(12)), Some(split)),
            Ok((Some(1200), Some(split)))
        );
        assert_eq!(
            people().figure("t", None, Some(split)),
            Ok((Some(1000), Some(split)))
        );
        assert!(
            people()
                .figure("t", Some(Decimal::from(9)), Some(split))
                .is_err()
        );
        assert!(
            people()
                .figure("t", Some(Decimal::new(95, 1)), None)
                .is_err()
        );
    }

    #[test]
    fn measures_bound_their_figures() {
        let percent = Measured {
            measure: IndicatorMeasure::Percentage,
            by_gender: false,
        };
        assert_eq!(percent.value("v", Decimal::new(455, 1)), Ok(4550));
        assert!(percent.value("v", Decimal::from(101)).is_err());
        assert!(Measured::new(IndicatorMeasure::Percentage, true, "m").is_err());
        let words = Measured {
            measure: IndicatorMeasure::Qualitative,
            by_gender: false,
        };
        assert!(words.figure("v", Some(Decimal::ONE), None).is_err());
        assert_eq!(words.figure("v", None, None), Ok((None, None)));
    }

    #[test]
    fn met_follows_the_direction() {
        assert_eq!(met(true, Some(1200), Some(1300)), Some(true));
        assert_eq!(met(false, Some(1200), Some(1300)), Some(false));
        assert_eq!(met(true, Some(1200), None), None);
    }
}
