//! Translated text as writes take it: one `TranslationInput` per language, the original
//! language required, lengths bounded.

use async_graphql::InputObject;
use serde_json::{Map, Value as Json};

use crate::domain::codes::Language;
use crate::error::{ApiError, ApiResult};

/// One language version of a text.
#[derive(InputObject, Clone)]
pub struct TranslationInput {
    /// Language code, e.g. `sv`.
    pub language: String,
    pub text: String,
}

pub(crate) fn check_length(field: &str, text: &str, max: usize) -> ApiResult<()> {
    if text.chars().count() > max {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// Language-tagged texts as stored; `original` must be among them when `required`.
pub(crate) fn texts(
    field: &str,
    list: &[TranslationInput],
    original: &str,
    max: usize,
    required: bool,
) -> ApiResult<Json> {
    let mut map = Map::new();
    for item in list {
        let lang = Language::parse(&item.language).map_err(|m| ApiError::bad_input(field, m))?;
        let text = item.text.trim();
        if text.is_empty() {
            return Err(ApiError::bad_input(
                field,
                format!("`{field}` has an empty text"),
            ));
        }
        check_length(field, text, max)?;
        if map
            .insert(lang.as_str().to_owned(), Json::String(text.to_owned()))
            .is_some()
        {
            return Err(ApiError::bad_input(
                field,
                format!("`{field}` names a language twice"),
            ));
        }
    }
    if required && !map.contains_key(original) {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` needs a text in the original language `{original}`"),
        ));
    }
    Ok(Json::Object(map))
}
