//! Vocabularies as translated data: the terms of focus areas, target groups and action
//! areas, with labels in the programme's languages; admins add and relabel terms.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, Object};
use entity::term;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{ApiError, ApiResult};
use crate::graphql::context::{loader, request};
use crate::graphql::enums::Vocabulary;
use crate::graphql::loaders::Loaders;
use crate::graphql::scalars::DateTime;
use crate::graphql::text;

/// The most terms one vocabulary lists.
pub const MAX_TERMS: u64 = 1_000;

/// A term by vocabulary and code.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TermByCode(pub entity::enums::ClassificationVocabulary, pub String);

/// One statement per vocabulary asked for.
impl Loader<TermByCode> for Loaders {
    type Value = Arc<term::Model>;
    type Error = ApiError;

    async fn load(&self, keys: &[TermByCode]) -> ApiResult<HashMap<TermByCode, Self::Value>> {
        let mut by_vocabulary: HashMap<_, Vec<String>> = HashMap::new();
        for key in keys {
            by_vocabulary.entry(key.0).or_default().push(key.1.clone());
        }
        let mut any = Condition::any();
        for (vocabulary, codes) in by_vocabulary {
            any = any.add(
                Condition::all()
                    .add(term::Column::Vocabulary.eq(vocabulary))
                    .add(term::Column::Code.is_in(codes)),
            );
        }
        let rows = term::Entity::find().filter(any).all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|t| (TermByCode(t.vocabulary, t.code.clone()), Arc::new(t)))
            .collect())
    }
}

/// A term: a stable code and its label in every language it has.
pub struct Term {
    pub code: String,
    pub vocabulary: entity::enums::ClassificationVocabulary,
    /// `None` for a stored code whose term has gone (the label is then the code).
    pub row: Option<term::Model>,
}

impl Term {
    /// The terms of `codes` in `vocabulary`, in the order given.
    pub async fn all(
        ctx: &Context<'_>,
        vocabulary: entity::enums::ClassificationVocabulary,
        codes: Vec<String>,
    ) -> ApiResult<Vec<Term>> {
        // All of them in one batch with every other row's.
        let mut found = loader(ctx)?
            .load_many(codes.iter().map(|c| TermByCode(vocabulary, c.clone())))
            .await?;
        Ok(codes
            .into_iter()
            .map(|code| Term {
                row: found
                    .remove(&TermByCode(vocabulary, code.clone()))
                    .map(Arc::unwrap_or_clone),
                code,
                vocabulary,
            })
            .collect())
    }
}

/// A term of a vocabulary (a focus area, target group or action area): a stable code and its
/// label in the programme's languages.
#[Object]
impl Term {
    /// Stable code, e.g. `GENDER_MAINSTREAMING`: what filters and inputs take.
    async fn code(&self) -> &str {
        &self.code
    }

    /// The vocabulary it belongs to.
    async fn vocabulary(&self) -> Vocabulary {
        self.vocabulary
    }

    /// Label in `lang`, else the `Accept-Language` preference, else the original; the code
    /// when the term has no label.
    async fn label(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language you want, e.g. `sv`; overrides `Accept-Language`.")]
        lang: Option<String>,
    ) -> ApiResult<String> {
        Ok(match &self.row {
            Some(row) => text::pick(ctx, &row.label, &row.language, lang)?
                .unwrap_or_else(|| self.code.clone()),
            None => self.code.clone(),
        })
    }

    /// The label in every language it has, the original first.
    async fn label_translations(&self) -> Vec<text::Translation> {
        self.row
            .as_ref()
            .map(|row| text::all(&row.label, &row.language))
            .unwrap_or_default()
    }

    /// When the term last changed (to the millisecond); null for a stored code whose term has
    /// gone.
    async fn updated_at(&self) -> Option<DateTime> {
        self.row.as_ref().map(|row| DateTime(row.updated_at))
    }

    /// Rises by one with every change; send it back as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.row.as_ref().map_or(0, |row| row.version)
    }
}

#[derive(Default)]
pub struct TermQuery;

#[Object]
impl TermQuery {
    /// The terms of a vocabulary, by code (at most 1 000).
    async fn terms(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vocabulary to list.")] vocabulary: Vocabulary,
    ) -> ApiResult<Vec<Term>> {
        let rows = term::Entity::find()
            .filter(term::Column::Vocabulary.eq(vocabulary))
            .order_by_asc(term::Column::Code)
            .limit(MAX_TERMS)
            .all(&request(ctx)?.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| Term {
                code: row.code.clone(),
                vocabulary,
                row: Some(row),
            })
            .collect())
    }
}
