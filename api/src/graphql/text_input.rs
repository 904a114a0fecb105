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

/// A translated text of an input: the field errors name, the most characters per language,
/// and whether a row's original language must be among its texts. Each mutation file
/// declares its texts once as constants and parses them for creates and updates alike.
#[derive(Clone, Copy)]
pub(crate) struct TextField {
    field: &'static str,
    max: usize,
    required: bool,
}

impl TextField {
    /// A text a row must have in its original language (a title, a name).
    pub(crate) const fn required(field: &'static str, max: usize) -> Self {
        Self {
            field,
            max,
            required: true,
        }
    }

    /// A text a row may lack (a description).
    pub(crate) const fn optional(field: &'static str, max: usize) -> Self {
        Self {
            field,
            max,
            required: false,
        }
    }

    /// The texts parsed, before the row they are written to is known.
    pub(crate) fn written(self, list: &[TranslationInput]) -> ApiResult<Written> {
        Written::parse(
            self.field,
            list.iter().map(|t| (t.language.as_str(), t.text.as_str())),
            self.max,
        )
    }

    /// The texts as stored on a row written in `original`.
    pub(crate) fn stored(self, list: &[TranslationInput], original: &str) -> ApiResult<Json> {
        self.written(list)?
            .stored(self.field, original, self.required)
    }

    /// A new row's language (`input.originalLanguage`) and these texts of it, which must
    /// hold one in that language: the row's `language` and text columns.
    pub(crate) fn first(
        self,
        original_language: &str,
        list: &[TranslationInput],
    ) -> ApiResult<(String, Json)> {
        let original = Language::parse(original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let stored = Self {
            required: true,
            ..self
        }
        .stored(list, original.as_str())?;
        Ok((original.as_str().to_owned(), stored))
    }

    /// Texts an update changes only when the input gives them.
    pub(crate) fn changed(
        self,
        list: Option<&[TranslationInput]>,
        original: &str,
    ) -> ApiResult<ActiveValue<Json>> {
        Ok(changed(list.map(|l| self.stored(l, original)).transpose()?))
    }
}
