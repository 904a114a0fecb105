//! Translatable fields: `title(lang:)` picks the `lang` argument, then `Accept-Language`, then
//! the original; `titleTranslations` lists them all.

use async_graphql::{Context, Object, SimpleObject};
use serde_json::Value as Json;

use crate::domain::codes::Language;
use crate::domain::text::{self, Translations};
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;

/// One language version of a translatable text.
#[derive(SimpleObject, Clone)]
#[graphql(serial)]
pub struct Translation {
    /// Language code (ISO 639-1), e.g. `sv`.
    pub language: String,
    /// The text in that language.
    pub text: String,
    /// Whether this is the language the text was written in.
    pub original: bool,
}

/// The text in the best language for this request; `None` when there is no text at all.
pub fn pick(
    ctx: &Context<'_>,
    json: &Json,
    original: &str,
    lang: Option<String>,
) -> ApiResult<Option<String>> {
    let requested = lang
        .map(|l| Language::parse(&l).map_err(|message| ApiError::bad_input("lang", message)))
        .transpose()?;
    let preferred = &request(ctx)?.languages;
    let wanted = requested
        .iter()
        .map(|l| l.as_str())
        .chain(preferred.iter().map(String::as_str));
    Ok(text::resolve(json, original, wanted).map(str::to_owned))
}

pub fn all(json: &Json, original: &str) -> Vec<Translation> {
    let translations = Translations::from_json(json, original);
    let mut list: Vec<Translation> = translations
        .values
        .iter()
        .map(|(language, text)| Translation {
            language: language.clone(),
            text: text.clone(),
            original: *language == translations.original,
        })
        .collect();
    // The original first, then the others alphabetically.
    list.sort_by_key(|t| !t.original);
    list
}

/// Declares an object of one translatable text, flattened into the types that have it as
/// `$field(lang:)` and `$translations`, so that every such pair is described once.
macro_rules! translated {
    ($object:ident, $field:ident, $translations:ident, $what:literal) => {
        pub struct $object<'a> {
            texts: &'a Json,
            original: &'a str,
        }

        impl<'a> $object<'a> {
            /// The texts by language, and the language they were written in.
            pub fn of(texts: &'a Json, original: &'a str) -> Self {
                Self { texts, original }
            }
        }

        #[Object]
        impl $object<'_> {
            #[doc = concat!(
                "The ", $what, " in `lang`, else in the `Accept-Language` preference, else in \
                 the language it was written in; null when there is none."
            )]
            async fn $field(
                &self,
                ctx: &Context<'_>,
                #[graphql(desc = "Language to prefer, e.g. `sv` or `sv-FI`; without a text in \
                                  it, `Accept-Language` and then the original decide.")]
                lang: Option<String>,
            ) -> ApiResult<Option<String>> {
                pick(ctx, self.texts, self.original, lang)
            }

            #[doc = concat!(
                "The ", $what, " in every language it has, the original first; empty when \
                 there is none."
            )]
            async fn $translations(&self) -> Vec<Translation> {
                all(self.texts, self.original)
            }
        }
    };
}

translated!(TranslatedTitle, title, title_translations, "title");
translated!(TranslatedName, name, name_translations, "name");
translated!(TranslatedSummary, summary, summary_translations, "summary");
translated!(
    TranslatedDescription,
    description,
    description_translations,
    "description"
);
