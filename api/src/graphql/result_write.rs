//! Results and indicators, through the write pipeline: written by the project's coordinators
//! and admins. What was achieved is recorded on periods (`indicator_period_write`), by the
//! project's partners too.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{indicator, result};
use sea_orm::ActiveValue::Set;

use crate::access::ProjectRights;
use crate::domain::indicator::{self as rules, Measured};
use crate::error::ApiResult;
use crate::graphql::enums::{IndicatorMeasure, ResultKind};
use crate::graphql::result::{Indicator, ProjectResult};
use crate::graphql::scalars::Decimal;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted, given};
use crate::ids::{self, Kind};
use crate::writes::{Write, changed, new_real_row, project, project_parts};

const TITLE: TextField = TextField::required("input.title", 300);
const DESCRIPTION: TextField = TextField::optional("input.description", 4_000);
/// The most results a project holds.
pub const MAX_RESULTS: i64 = 30;
/// The most indicators a result holds.
pub const MAX_INDICATORS: i64 = 10;

/// A new result of a project; a project holds at most 30 (one more answers BAD_USER_INPUT on
/// `input.project`).
#[derive(InputObject)]
pub struct AddResultInput {
    /// Global id of the project.
    pub project: ID,
    /// OUTPUT, OUTCOME or IMPACT.
    pub kind: ResultKind,
    /// In the project's original language at least.
    pub title: Vec<TranslationInput>,
    /// One text per language, up to 4 000 characters each; left out when there is none.
    pub description: Option<Vec<TranslationInput>>,
    /// Its place among the project's results; after the last when left out.
    pub position: Option<i32>,
}

/// What to change on a result; a field left out keeps its value, `null` clears it.
#[derive(InputObject)]
pub struct UpdateResultInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// OUTPUT, OUTCOME or IMPACT.
    pub kind: Option<ResultKind>,
    /// Replaces all language versions.
    pub title: Option<Vec<TranslationInput>>,
    /// Replaces all language versions (up to 4 000 characters each); `null` removes it.
    pub description: MaybeUndefined<Vec<TranslationInput>>,
    /// Its place among the project's results, smallest first.
    pub position: Option<i32>,
}

/// Where an indicator starts.
#[derive(InputObject)]
pub struct BaselineInput {
    /// The year it was measured.
    pub year: Option<i32>,
    /// Left out for a qualitative indicator.
    pub value: Option<Decimal>,
    /// Notes on the baseline, up to 2 000 characters; for a qualitative indicator, the
    /// baseline in words.
    pub comment: Option<String>,
}

/// A new indicator of a result; a result holds at most 10 (one more answers BAD_USER_INPUT on
/// `input.result`).
#[derive(InputObject)]
pub struct AddIndicatorInput {
    /// Global id of the result it measures.
    pub result: ID,
    /// In the project's original language at least.
    pub title: Vec<TranslationInput>,
    /// Fixed once added: delete and add again to measure otherwise.
    pub measure: IndicatorMeasure,
    /// Whether more is better.
    #[graphql(default = true)]
    pub ascending: bool,
    /// Counts people, so its periods may be split by gender (UNIT only). Fixed once added.
    #[graphql(default)]
    pub by_gender: bool,
    /// Where it starts; left out when unknown. Its value is at least 0 with at most two
    /// decimals: whole for `byGender`, at most 100 for a PERCENTAGE, none for QUALITATIVE.
    pub baseline: Option<BaselineInput>,
    /// Its place among the result's indicators; after the last when left out.
    pub position: Option<i32>,
}

/// What to change on an indicator; a field left out keeps its value, `null` clears it.
#[derive(InputObject)]
pub struct UpdateIndicatorInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the title.
    pub title: Option<Vec<TranslationInput>>,
    /// Whether more is better.
    pub ascending: Option<bool>,
    /// Replaces the whole baseline (year, value and comment); `null` removes it.
    pub baseline: MaybeUndefined<BaselineInput>,
    /// Its place among the result's indicators, smallest first.
    pub position: Option<i32>,
}

/// What `addResult` and `updateResult` answer.
#[derive(SimpleObject)]
pub struct ResultPayload {
    /// The result as stored.
    pub result: ProjectResult,
}

/// What `addIndicator` and `updateIndicator` answer.
#[derive(SimpleObject)]
pub struct IndicatorPayload {
    /// The indicator as stored.
    pub indicator: Indicator,
}

/// A baseline's columns, checked against the measure.
type Baseline = (Option<i32>, Option<i64>, Option<String>);

fn baseline(measured: Measured, input: Option<BaselineInput>) -> ApiResult<Baseline> {
    let Some(b) = input else {
        return Ok((None, None, None));
    };
    let (value, _) = measured.figure("input.baseline", b.value.map(|v| v.0), None)?;
    Ok((
        b.year,
        value,
        rules::comment("input.baseline.comment", b.comment.as_deref())?,
    ))
}

/// A result the caller sees and manages (the project's coordinators and admins).
async fn managed_result(write: &Write<'_>, id: &ID, field: &str) -> ApiResult<result::Model> {
    let id = ids::decode_uuid(field, id, Kind::Result)?;
    project_parts::managed::<result::Entity>(write, id, ProjectRights::Everything).await
}

/// An indicator the caller sees and manages.
pub(crate) async fn managed_indicator(
    write: &Write<'_>,
    id: &ID,
    field: &str,
    needed: ProjectRights,
) -> ApiResult<indicator::Model> {
    let id = ids::decode_uuid(field, id, Kind::Indicator)?;
    project_parts::managed::<indicator::Entity>(write, id, needed).await
}

#[derive(Default)]
pub struct ResultMutation;

#[Object]
impl ResultMutation {
    /// Adds a result to a project (its coordinators, admins).
    async fn add_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the result to add to it.")] input: AddResultInput,
    ) -> ApiResult<ResultPayload> {
        let created = committed(ctx, async |write| {
            let project_id = ids::decode_uuid("input.project", &input.project, Kind::Project)?;
            let project = project::managed(write, project_id, ProjectRights::Everything).await?;
            let language = project.language;
            let next = write
                .next_position::<result::Entity>(
                    (result::Column::ProjectId, project_id),
                    result::Column::Position,
                    MAX_RESULTS,
                    "input.project",
                )
                .await?;
            let position = input.position.unwrap_or(next);
            let row = new_real_row!(result {
                project_id: Set(project_id),
                kind: Set(input.kind),
                title: Set(TITLE.stored(&input.title, &language)?),
                description: Set(input
                    .description
                    .as_deref()
                    .map(|d| DESCRIPTION.stored(d, &language))
                    .transpose()?),
                language: Set(language),
                position: Set(position),
            });
            write.insert("addResult", row).await
        })
        .await?;
        Ok(ResultPayload {
            result: ProjectResult(created),
        })
    }

    /// Changes a result (the project's coordinators, admins; others get FORBIDDEN); a stale
    /// `expectedVersion` answers CONFLICT.
    async fn update_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The result and what to change on it.")] input: UpdateResultInput,
    ) -> ApiResult<ResultPayload> {
        let updated = committed(ctx, async |write| {
            let current = managed_result(write, &input.revision.id, "input.id").await?;
            let language = current.language.clone();
            let changes = result::ActiveModel {
                kind: changed(input.kind),
                title: TITLE.changed(input.title.as_deref(), &language)?,
                description: changed(given(input.description, |d| {
                    DESCRIPTION.stored(&d, &language)
                })?),
                position: changed(input.position),
                ..Default::default()
            };
            write
                .update("updateResult", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(ResultPayload {
            result: ProjectResult(updated),
        })
    }

    /// Deletes a result with its indicators and their periods.
    async fn delete_result(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The result to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let current = managed_result(write, &input.id, "input.id").await?;
            write
                .delete::<result::Entity>("deleteResult", &current, Vec::new())
                .await
        })
        .await
    }

    /// Adds an indicator to a result (the project's coordinators, admins).
    async fn add_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The result and the indicator to add to it.")] input: AddIndicatorInput,
    ) -> ApiResult<IndicatorPayload> {
        let created = committed(ctx, async |write| {
            let parent = managed_result(write, &input.result, "input.result").await?;
            let measured = Measured::new(input.measure, input.by_gender, "input.byGender")?;
            let (year, value, comment) = baseline(measured, input.baseline)?;
            let next = write
                .next_position::<indicator::Entity>(
                    (indicator::Column::ResultId, parent.id),
                    indicator::Column::Position,
                    MAX_INDICATORS,
                    "input.result",
                )
                .await?;
            let position = input.position.unwrap_or(next);
            let row = new_real_row!(indicator {
                result_id: Set(parent.id),
                project_id: Set(parent.project_id),
                title: Set(TITLE.stored(&input.title, &parent.language)?),
                language: Set(parent.language),
                measure: Set(measured.measure),
                ascending: Set(input.ascending),
                by_gender: Set(measured.by_gender),
                baseline_year: Set(year),
                baseline_centi: Set(value),
                baseline_comment: Set(comment),
                position: Set(position),
            });
            write.insert("addIndicator", row).await
        })
        .await?;
        Ok(IndicatorPayload {
            indicator: Indicator(created),
        })
    }

    /// Changes an indicator's title, direction, baseline or place (the project's coordinators,
    /// admins); its measure stays. A stale `expectedVersion` answers CONFLICT.
    async fn update_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator and what to change on it.")] input: UpdateIndicatorInput,
    ) -> ApiResult<IndicatorPayload> {
        let updated = committed(ctx, async |write| {
            let current = managed_indicator(
                write,
                &input.revision.id,
                "input.id",
                ProjectRights::Everything,
            )
            .await?;
            let measured = Measured {
                measure: current.measure,
                by_gender: current.by_gender,
            };
            let baseline = given(input.baseline, |b| baseline(measured, Some(b)))?
                .map(|b| b.unwrap_or((None, None, None)));
            let changes = indicator::ActiveModel {
                title: TITLE.changed(input.title.as_deref(), &current.language)?,
                ascending: changed(input.ascending),
                baseline_year: changed(baseline.as_ref().map(|b| b.0)),
                baseline_centi: changed(baseline.as_ref().map(|b| b.1)),
                baseline_comment: changed(baseline.map(|b| b.2)),
                position: changed(input.position),
                ..Default::default()
            };
            write
                .update("updateIndicator", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(IndicatorPayload {
            indicator: Indicator(updated),
        })
    }

    /// Deletes an indicator with its periods.
    async fn delete_indicator(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let current =
                managed_indicator(write, &input.id, "input.id", ProjectRights::Everything).await?;
            write
                .delete::<indicator::Entity>("deleteIndicator", &current, Vec::new())
                .await
        })
        .await
    }
}
