//! Translatable text: language-tagged values with the original language marked.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use crate::domain::codes::Language;
use crate::error::{ApiError, ApiResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Translations {
    pub original: String,
    pub values: BTreeMap<String, String>,
}

impl Translations {
    /// Reads the stored `{"sv": "...", "en": "..."}` object; anything else yields no values.
    pub fn from_json(json: &Json, original: &str) -> Self {
        let values = json
            .as_object()
            .map(|object| {
                object
                    .iter()
                    .filter_map(|(lang, text)| Some((lang.clone(), text.as_str()?.to_owned())))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            original: original.to_owned(),
            values,
        }
    }
}

/// The text of a stored `{"sv": "...", "en": "..."}` object in the first language of `wanted`
/// it has, else in `original`, else in the alphabetically first one. Read in place: a page of
/// titles must not copy every language of every title to pick one.
pub fn resolve<'j, 'w>(
    json: &'j Json,
    original: &str,
    wanted: impl IntoIterator<Item = &'w str>,
) -> Option<&'j str> {
    let object = json.as_object()?;
    let text = |lang: &str| object.get(lang).and_then(Json::as_str);
    wanted
        .into_iter()
        .find_map(text)
        .or_else(|| text(original))
        .or_else(|| {
            object
                .iter()
                .filter_map(|(lang, value)| Some((lang, value.as_str()?)))
                .min_by_key(|(lang, _)| *lang)
                .map(|(_, text)| text)
        })
}

/// A stored JSON array of strings (codes, field names); anything else reads as empty.
pub fn string_list(json: &Json) -> Vec<String> {
    json.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Texts as a write takes them: one non-empty text per language, each at most `max`
/// characters. Whether the original language is among them is known only once the row it is
/// written to is (`stored`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written(BTreeMap<String, String>);

impl Written {
    pub fn parse<'a>(
        field: &str,
        items: impl IntoIterator<Item = (&'a str, &'a str)>,
        max: usize,
    ) -> ApiResult<Self> {
        let mut texts = BTreeMap::new();
        for (language, text) in items {
            let language = Language::parse(language).map_err(|m| ApiError::bad_input(field, m))?;
            let text = text.trim();
            if text.is_empty() {
                return Err(ApiError::bad_input(
                    field,
                    format!("`{field}` has an empty text"),
                ));
            }
            if text.chars().count() > max {
                return Err(ApiError::bad_input(
                    field,
                    format!("`{field}` must be at most {max} characters"),
                ));
            }
            if texts
                .insert(language.as_str().to_owned(), text.to_owned())
                .is_some()
            {
                return Err(ApiError::bad_input(
                    field,
                    format!("`{field}` names a language twice"),
                ));
            }
        }
        Ok(Self(texts))
    }

    /// The stored `{"sv": "..."}` object; `original` must be among the languages when
    /// `required`.
    pub fn stored(&self, field: &str, original: &str, required: bool) -> ApiResult<Json> {
        if required && !self.0.contains_key(original) {
            return Err(ApiError::bad_input(
                field,
                format!("`{field}` needs a text in the original language `{original}`"),
            ));
        }
        Ok(Json::Object(
            self.0
                .iter()
                .map(|(language, text)| (language.clone(), Json::String(text.clone())))
                .collect(),
        ))
    }
}

/// An optional short text: blank is none.
pub fn optional(field: &str, value: Option<&str>, max: usize) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
        Some(text) if !text.is_empty() => {
            if text.chars().count() > max {
                return Err(ApiError::bad_input(
                    field,
                    format!("`{field}` must be at most {max} characters"),
                ));
            }
            Ok(Some(text.to_owned()))
        }
        _ => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_wanted_then_original() {
        let text = serde_json::json!({"sv": "Jämställd tillväxt", "en": "Gender-equal growth"});
        assert_eq!(
            resolve(&text, "sv", ["fi", "en"]),
            Some("Gender-equal growth")
        );
        assert_eq!(resolve(&text, "sv", ["pl"]), Some("Jämställd tillväxt"));
        // An original without a text falls back to the alphabetically first language.
        assert_eq!(resolve(&text, "fi", ["pl"]), Some("Gender-equal growth"));
        assert_eq!(resolve(&serde_json::json!({}), "sv", ["sv"]), None);
    }

    #[test]
    fn optional_texts_are_trimmed_and_bounded() {
        assert_eq!(optional("input.acronym", Some("  "), 4).ok(), Some(None));
        assert_eq!(
            optional("input.acronym", Some(" JRT "), 4).ok(),
            Some(Some("JRT".into()))
        );
        assert!(optional("input.acronym", Some("TOO LONG"), 4).is_err());
    }

    #[test]
    fn written_texts_need_their_original_only_when_stored() -> ApiResult<()> {
        let texts = Written::parse("input.title", [("sv", " Jämställd "), ("en", "Equal")], 20)?;
        assert_eq!(
            texts.stored("input.title", "sv", true).ok(),
            Some(serde_json::json!({"en": "Equal", "sv": "Jämställd"}))
        );
        assert!(texts.stored("input.title", "fi", true).is_err());
        assert!(texts.stored("input.title", "fi", false).is_ok());
        for bad in [
            vec![("sv", "a"), ("sv", "b")],
            vec![("sv", "  ")],
            vec![("xx-nope", "a")],
            vec![("sv", "a text longer than twenty characters")],
        ] {
            let refused = match Written::parse("input.title", bad, 20) {
                Err(ApiError::BadUserInput { field, .. }) => field,
                _ => String::new(),
            };
            assert_eq!(refused, "input.title");
        }
        Ok(())
    }
}
