//! Codes a write classifies with must be terms of their vocabulary.

use entity::enums::ClassificationVocabulary;
use entity::term;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::error::{ApiError, ApiResult};

/// BAD_USER_INPUT on `field`, naming the first of `codes` that is no term of `vocabulary`.
pub async fn check(
    db: &impl ConnectionTrait,
    vocabulary: ClassificationVocabulary,
    codes: &[String],
    field: &str,
) -> ApiResult<()> {
    if codes.is_empty() {
        return Ok(());
    }
    let known: Vec<String> = term::Entity::find()
        .select_only()
        .column(term::Column::Code)
        .filter(term::Column::Vocabulary.eq(vocabulary))
        .filter(term::Column::Code.is_in(codes.iter().cloned()))
        .into_tuple()
        .all(db)
        .await?;
    match codes.iter().find(|c| !known.contains(c)) {
        Some(unknown) => Err(ApiError::bad_input(
            field,
            format!("`{unknown}` is no term of this vocabulary (see `terms`)"),
        )),
        None => Ok(()),
    }
}
