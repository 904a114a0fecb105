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

    pub fn to_json(&self) -> Json {
        Json::Object(
            self.values
                .iter()
                .map(|(lang, text)| (lang.clone(), Json::String(text.clone())))
                .collect(),
        )
    }

    /// The text in the first language of `wanted` that exists, else the original, else any.
    pub fn resolve<'a>(
        &'a self,
        wanted: impl IntoIterator<Item = &'a str>,
    ) -> Option<(&'a str, &'a str)> {
        wanted
            .into_iter()
            .find_map(|lang| self.values.get_key_value(lang))
            .or_else(|| self.values.get_key_value(self.original.as_str()))
            .or_else(|| self.values.iter().next())
            .map(|(lang, text)| (lang.as_str(), text.as_str()))
    }
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
        let text = Translations::from_json(
            &serde_json::json!({"sv": "Jämställd tillväxt", "en": "Gender-equal growth"}),
            "sv",
        );
        assert_eq!(
            text.resolve(["fi", "en"]),
            Some(("en", "Gender-equal growth"))
        );
        assert_eq!(text.resolve(["pl"]), Some(("sv", "Jämställd tillväxt")));
    }
}
