//! Codes from international standards: ISO 3166 countries, ISO 4217 currencies, BCP 47
//! language tags (primary subtag), NUTS regions, IANA time zones.

use std::str::FromStr;

fn upper_letters(value: &str, len: usize) -> bool {
    value.len() == len && value.bytes().all(|b| b.is_ascii_uppercase())
}

/// An ISO 3166-1 alpha-2 country code such as `SE`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(value: &str) -> Result<Self, String> {
        let upper = value.trim().to_ascii_uppercase();
        if upper_letters(&upper, 2) {
            Ok(Self(upper))
        } else {
            Err(format!(
                "`{value}` is not an ISO 3166-1 alpha-2 country code (two letters, e.g. SE)"
            ))
        }
    }

    /// A code ISO 3166-1 assigns to a country (not merely two letters), for adding one.
    pub fn assigned(value: &str) -> Result<Self, String> {
        let code = Self::parse(value)?;
        celes::Country::from_alpha2(&code.0)
            .map(|_| code)
            .map_err(|_| format!("`{value}` is not a country code ISO 3166-1 assigns"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// The currency a write's `input.currency` names, as stored (`SEK`).
pub fn input_currency(value: &str) -> crate::error::ApiResult<String> {
    CurrencyCode::parse(value)
        .map(|c| c.as_str().to_owned())
        .map_err(|m| crate::error::ApiError::bad_input("input.currency", m))
}

/// The two letters a country's NUTS codes start with: its ISO code but for Greece (`EL`).
pub fn nuts_prefix(value: &str) -> Result<String, String> {
    let upper = value.trim().to_ascii_uppercase();
    if upper_letters(&upper, 2) {
        Ok(upper)
    } else {
        Err(format!(
            "`{value}` is not a NUTS country prefix (two letters, e.g. EL)"
        ))
    }
}

/// An ISO 4217 currency code such as `SEK`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CurrencyCode(String);

impl CurrencyCode {
    pub fn parse(value: &str) -> Result<Self, String> {
        let upper = value.trim().to_ascii_uppercase();
        if upper_letters(&upper, 3) && iso_currency::Currency::from_code(&upper).is_some() {
            Ok(Self(upper))
        } else {
            Err(format!(
                "`{value}` is not an ISO 4217 currency code (three letters, e.g. EUR)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A language tag reduced to what Mosaic stores: its lower-case primary subtag (`sv-SE` → `sv`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Language(String);

impl Language {
    pub fn parse(value: &str) -> Result<Self, String> {
        let primary = value.trim().split(['-', '_']).next().unwrap_or_default();
        let lower = primary.to_ascii_lowercase();
        let known = match lower.len() {
            2 => isolang::Language::from_639_1(&lower).is_some(),
            3 => isolang::Language::from_639_3(&lower).is_some(),
            _ => false,
        };
        if known {
            Ok(Self(lower))
        } else {
            Err(format!(
                "`{value}` is not a language tag (e.g. sv, fi, pl, sl, en)"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A NUTS code: two-letter country prefix and up to three more characters, one per level.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NutsCode(String);

impl NutsCode {
    pub fn parse(value: &str) -> Result<Self, String> {
        let upper = value.trim().to_ascii_uppercase();
        // Checked byte by byte (never sliced), so any UTF-8 input is safe.
        let bytes = upper.as_bytes();
        let valid = (2..=5).contains(&bytes.len())
            && bytes[..2].iter().all(u8::is_ascii_uppercase)
            && bytes[2..].iter().all(u8::is_ascii_alphanumeric);
        if valid {
            Ok(Self(upper))
        } else {
            Err(format!(
                "`{value}` is not a NUTS code (country prefix and up to three characters, e.g. SE311)"
            ))
        }
    }

    /// NUTS level: 0 for the country, 1 to 3 below it.
    pub fn level(&self) -> i16 {
        (self.0.len() - 2) as i16
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone such as `Europe/Stockholm`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(pub chrono_tz::Tz);

impl TimeZone {
    pub fn parse(value: &str) -> Result<Self, String> {
        chrono_tz::Tz::from_str(value.trim())
            .map(Self)
            .map_err(|_| format!("`{value}` is not an IANA time zone (e.g. Europe/Stockholm)"))
    }
}

/// An email address, checked against RFC 5322 by `email_address` and at most 254 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// An address, in lower case: one person's address compares equal however it is typed.
    pub fn parse(value: &str) -> Result<Self, String> {
        let value = value.trim();
        if value.len() <= 254 && email_address::EmailAddress::is_valid(value) {
            Ok(Self(value.to_lowercase()))
        } else {
            Err(format!("`{value}` is not an email address"))
        }
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_country_needs_a_code_iso_assigns() {
        assert!(CountryCode::assigned("no").is_ok());
        assert!(CountryCode::assigned("GR").is_ok());
        // EL is Greece only in NUTS; XX is two letters and no country.
        assert!(CountryCode::assigned("EL").is_err());
        assert!(CountryCode::assigned("XX").is_err());
        assert_eq!(nuts_prefix(" el"), Ok("EL".to_owned()));
        assert!(nuts_prefix("E1").is_err());
    }

    #[test]
    fn nuts_codes_refuse_any_text_without_panicking() {
        assert!(NutsCode::parse("se311").is_ok());
        for bad in ["N±", "±±", "S", "SE31112", "1E", "", "S\u{0}"] {
            assert!(NutsCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn codes_parse_and_normalise() {
        assert_eq!(
            CountryCode::parse("se").map(|c| c.into_inner()),
            Ok("SE".into())
        );
        assert!(CountryCode::parse("SWE").is_err());
        assert!(CurrencyCode::parse("SEK").is_ok());
        assert!(CurrencyCode::parse("KR").is_err());
        assert!(CurrencyCode::parse("XYZ").is_err());
        assert!(Language::parse("xx").is_err());
        assert!(Language::parse("sl").is_ok());
        assert_eq!(Language::parse("sv-SE").map(|l| l.0), Ok("sv".into()));
        assert!(Language::parse("1x").is_err());
        assert_eq!(NutsCode::parse("fi1c7").map(|n| n.level()), Ok(3));
        assert!(NutsCode::parse("F1").is_err());
        assert!(NutsCode::parse("SE3111").is_err());
        assert!(TimeZone::parse("Europe/Stockholm").is_ok());
        assert!(TimeZone::parse("Mars/Olympus").is_err());
        assert!(Email::parse("tarja.kahara@ely-keskus.fi").is_ok());
        assert!(Email::parse("not an email").is_err());
    }
}
