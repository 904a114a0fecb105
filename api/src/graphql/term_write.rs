//! Terms (admins), through the write pipeline: a new focus area, target group or action area
//! is data, not a schema change.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use entity::term;
use sea_orm::{ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};

use crate::access;
use crate::domain::project::classification_codes;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::Vocabulary;
use crate::graphql::term::Term;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::writing::committed;
use crate::writes::{Write, new_row};

const LABEL: TextField = TextField::required("input.label", 120);

/// A new term of a vocabulary; its code must not be one the vocabulary has already
/// (BAD_USER_INPUT on `input.code`).
#[derive(InputObject)]
pub struct CreateTermInput {
    /// The vocabulary it joins.
    pub vocabulary: Vocabulary,
    /// Capital letters, digits and underscores, e.g. `CARE_WORK`.
    pub code: String,
    /// The language `label` is first written in; `label` must include it.
    pub original_language: String,
    /// One text per language, up to 120 characters each.
    pub label: Vec<TranslationInput>,
}

/// Which term to relabel, and its new label.
#[derive(InputObject)]
pub struct UpdateTermInput {
    /// The vocabulary of the term.
    pub vocabulary: Vocabulary,
    /// The term's code, which stays; one the vocabulary does not have answers NOT_FOUND.
    pub code: String,
    /// The `version` you read; a newer one answers CONFLICT and changes nothing.
    pub expected_version: i32,
    /// Replaces all language versions of the label (the original language included).
    pub label: Vec<TranslationInput>,
}

/// What `createTerm` and `updateTerm` answer.
#[derive(SimpleObject)]
pub struct TermPayload {
    /// The term as stored.
    pub term: Term,
}

fn only_admins(write: &Write<'_>) -> ApiResult<()> {
    access::require_programme_manager(write.caller(), "manage vocabularies")
}

fn code(value: &str) -> ApiResult<String> {
    classification_codes("input.code", &[value.to_owned()])?
        .pop()
        .ok_or_else(|| ApiError::bad_input("input.code", "a code is required"))
}

fn payload(row: term::Model) -> TermPayload {
    TermPayload {
        term: Term {
            code: row.code.clone(),
            vocabulary: row.vocabulary,
            row: Some(row),
        },
    }
}

#[derive(Default)]
pub struct TermMutation;

#[Object]
impl TermMutation {
    /// Adds a term to a vocabulary (admins).
    async fn create_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The vocabulary, code and label of the new term.")] input: CreateTermInput,
    ) -> ApiResult<TermPayload> {
        let created = committed(ctx, async |write| {
            only_admins(write)?;
            let code = code(&input.code)?;
            let (language, label) = LABEL.first(&input.original_language, &input.label)?;
            let taken = term::Entity::find()
                .filter(term::Column::Vocabulary.eq(input.vocabulary))
                .filter(term::Column::Code.eq(&code))
                .one(write.txn())
                .await?;
            if taken.is_some() {
                return Err(ApiError::bad_input(
                    "input.code",
                    format!("{code} is a term of this vocabulary already"),
                ));
            }
            let row = new_row!(term {
                vocabulary: Set(input.vocabulary),
                code: Set(code),
                label: Set(label),
                language: Set(language),
            });
            write.insert("createTerm", row).await
        })
        .await?;
        Ok(payload(created))
    }

    /// Relabels a term (admins); its code stays, so what uses it is unchanged.
    async fn update_term(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The term and its new label.")] input: UpdateTermInput,
    ) -> ApiResult<TermPayload> {
        let updated = committed(ctx, async |write| {
            only_admins(write)?;
            let code = code(&input.code)?;
            let current = term::Entity::find()
                .filter(term::Column::Vocabulary.eq(input.vocabulary))
                .filter(term::Column::Code.eq(&code))
                .one(write.txn())
                .await?
                .ok_or_else(|| ApiError::not_found("term"))?;
            let current = write
                .find::<term::Entity>(current.id, Condition::all())
                .await?;
            let changes = term::ActiveModel {
                label: Set(LABEL.stored(&input.label, &current.language)?),
                ..Default::default()
            };
            write
                .update("updateTerm", &current, input.expected_version, changes)
                .await
        })
        .await?;
        Ok(payload(updated))
    }
}
