//! Translated text as writes take it: one `TranslationInput` per language, the original
//! language required, lengths bounded.

use async_graphql::InputObject;
use sea_orm::ActiveValue;
use serde_json::Value as Json;

use crate::domain::codes::Language;
use crate::domain::text::Written;
use crate::error::{ApiError, ApiResult};
use crate::writes::changed;

/// One language version of a text.
#[derive(InputObject, Clone)]
pub struct TranslationInput {
    /// Language code, e.g. `sv`.
    pub language: String,
    /// The text in that language; not blank.
    pub text: String,
}

/// Texts parsed from the input, before the row they are written to is known.
pub(crate) fn written(field: &str, list: &[TranslationInput], max: usize) -> ApiResult<Written> {
    Written::parse(
        field,
        list.iter().map(|t| (t.language.as_str(), t.text.as_str())),
        max,
    )
}

/// Language-tagged texts as stored; `original` must be among them when `required`.
pub(crate) fn texts(
    field: &str,
    list: &[TranslationInput],
    original: &str,
    max: usize,
    required: bool,
) -> ApiResult<Json> {
    written(field, list, max)?.stored(field, original, required)
}

/// A new row's language (`input.originalLanguage`) and its texts on `field`, which must hold
/// one in that language: the row's `language` and text columns.
pub(crate) fn first_written(
    original_language: &str,
    field: &str,
    list: &[TranslationInput],
    max: usize,
) -> ApiResult<(String, Json)> {
    let original = Language::parse(original_language)
        .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
    let stored = texts(field, list, original.as_str(), max, true)?;
    Ok((original.as_str().to_owned(), stored))
}

/// Texts an update changes only when the input gives them.
pub(crate) fn changed_translations(
    field: &str,
    list: Option<&[TranslationInput]>,
    original: &str,
    max: usize,
) -> ApiResult<ActiveValue<Json>> {
    Ok(changed(
        list.map(|list| texts(field, list, original, max, true))
            .transpose()?,
    ))
}

/// A name (of an organisation, region or resource centre: up to 300 characters per
/// language) an update changes only when the input gives it.
pub(crate) fn changed_name(
    list: Option<&[TranslationInput]>,
    original: &str,
) -> ApiResult<ActiveValue<Json>> {
    changed_translations("input.name", list, original, 300)
}
