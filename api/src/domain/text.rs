//! Translatable text: language-tagged values with the original language marked.

use std::collections::BTreeMap;

use serde_json::Value as Json;

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
}
