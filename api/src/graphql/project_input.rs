//! What the project writes take: their input and payload types, and the parsing of codes,
//! classifications, the gender marker and dates.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::{ParticipantRole, ProjectStatus};
use crate::graphql::project::Project;
use crate::graphql::text_input::TranslationInput;

pub(crate) const MAX_TITLE: usize = 300;
pub(crate) const MAX_SUMMARY: usize = 5000;

#[derive(InputObject, Clone)]
pub struct ParticipantInput {
    /// Organisation id.
    pub organisation: ID,
    pub role: ParticipantRole,
}

#[derive(InputObject)]
pub struct CreateProjectInput {
    /// Unique code: capital letters, digits and dashes, e.g. `SE-BLEKINGE-JRT`.
    pub code: String,
    pub acronym: Option<String>,
    /// The language the texts were written in; `title` must include it.
    pub original_language: String,
    pub title: Vec<TranslationInput>,
    pub summary: Option<Vec<TranslationInput>>,
    pub status: Option<ProjectStatus>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// ISO code of the owning country.
    pub country: String,
    pub regions: Option<Vec<ID>>,
    pub participants: Option<Vec<ParticipantInput>>,
    pub focus_areas: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
    /// 0 to 3.
    pub gender_marker: Option<i32>,
    pub resource_centre: Option<ID>,
    /// The network project this one belongs to.
    pub parent: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateProjectInput {
    pub id: ID,
    /// The `version` you read; a newer one answers CONFLICT and changes nothing.
    pub expected_version: i32,
    pub acronym: Option<String>,
    /// Replaces all language versions of the title.
    pub title: Option<Vec<TranslationInput>>,
    pub summary: Option<Vec<TranslationInput>>,
    pub status: Option<ProjectStatus>,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub gender_marker: Option<i32>,
    /// Replaces the regions the project works in.
    pub regions: Option<Vec<ID>>,
    /// Replaces the participating organisations and their roles.
    pub participants: Option<Vec<ParticipantInput>>,
    pub focus_areas: Option<Vec<String>>,
    pub target_groups: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct PublishProjectInput {
    pub id: ID,
    pub expected_version: i32,
    /// `false` withdraws a published project to draft.
    #[graphql(default = true)]
    pub published: bool,
}

#[derive(SimpleObject)]
pub struct CreateProjectPayload {
    pub project: Project,
}

#[derive(SimpleObject)]
pub struct UpdateProjectPayload {
    pub project: Project,
}

#[derive(SimpleObject)]
pub struct PublishProjectPayload {
    pub project: Project,
}

pub(crate) fn project_code(code: &str) -> ApiResult<String> {
    let code = code.trim().to_ascii_uppercase();
    let valid = (2..=32).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if valid {
        Ok(code)
    } else {
        Err(ApiError::bad_input(
            "input.code",
            "a code is 2 to 32 capital letters, digits and dashes",
        ))
    }
}

pub(crate) fn classification_codes(field: &str, codes: &[String]) -> ApiResult<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let code = code.trim().to_ascii_uppercase();
        let valid = (1..=64).contains(&code.len())
            && code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(ApiError::bad_input(
                field,
                format!("`{code}` is not a code (capital letters, digits, underscores)"),
            ));
        }
        if !out.contains(&code) {
            out.push(code);
        }
    }
    Ok(out)
}

pub(crate) fn gender_marker(value: Option<i32>) -> ApiResult<Option<i16>> {
    match value {
        None => Ok(None),
        Some(v @ 0..=3) => Ok(Some(v as i16)),
        Some(_) => Err(ApiError::bad_input(
            "input.genderMarker",
            "the gender marker is 0 to 3",
        )),
    }
}

pub(crate) fn dates(start: NaiveDate, end: NaiveDate) -> ApiResult<()> {
    if end < start {
        return Err(ApiError::bad_input(
            "input.endDate",
            "the end date is before the start date",
        ));
    }
    Ok(())
}

/// Ids that must all name existing rows; the first missing one is reported.
pub(crate) async fn all_exist<E: EntityTrait>(
    txn: &DatabaseTransaction,
    field: &str,
    column: E::Column,
    ids: &[Uuid],
) -> ApiResult<()>
where
    E::Model: Sync,
{
    if ids.is_empty() {
        return Ok(());
    }
    let found = E::find()
        .filter(column.is_in(ids.iter().copied()))
        .count(txn)
        .await?;
    if found as usize != ids.len() {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` names something that does not exist"),
        ));
    }
    Ok(())
}
