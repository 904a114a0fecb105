//! An indicator's periods, through the write pipeline: their dates and targets are set by
//! the project's coordinators and admins; what was achieved is recorded by its partners too.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{indicator, indicator_period};
use sea_orm::ActiveValue::Set;
use serde_json::json;
use uuid::Uuid;

use crate::access::ProjectRights;
use crate::domain::indicator::{self as rules, GenderSplit, Measured};
use crate::error::{ApiError, ApiResult};
use crate::graphql::result::IndicatorPeriod;
use crate::graphql::result_write::managed_indicator;
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted};
use crate::ids::{self, Kind};
use crate::writes::{Write, changed, project_parts};

/// The most periods an indicator holds (monthly over two years).
pub const MAX_PERIODS: i64 = 24;

/// People counted by gender; what they leave of the value is undisclosed.
#[derive(InputObject)]
pub struct GenderSplitInput {
    /// Women counted, 0 or more.
    pub women: i32,
    /// Men counted, 0 or more.
    pub men: i32,
    /// Non-binary people counted, 0 or more.
    pub non_binary: i32,
}

/// A target or an actual value.
#[derive(InputObject)]
pub struct FigureInput {
    /// Left out for a qualitative indicator; for a split one, the sum of `byGender` when
    /// left out.
    pub value: Option<Decimal>,
    /// Only for an indicator that counts people (`byGender`).
    pub by_gender: Option<GenderSplitInput>,
    /// Notes on the figure, up to 2 000 characters (blank counts as none); for a qualitative
    /// indicator, the figure in words.
    pub comment: Option<String>,
}

/// A new period of an indicator, with its target; an indicator holds at most 24 (one more
/// answers BAD_USER_INPUT on `input.indicator`).
#[derive(InputObject)]
pub struct AddIndicatorPeriodInput {
    /// Global id of the indicator.
    pub indicator: ID,
    /// The first day of the period (YYYY-MM-DD).
    pub start: Date,
    /// The last day of the period, on or after `start` (BAD_USER_INPUT otherwise).
    pub end: Date,
    /// The target; left out when none is set yet.
    pub target: Option<FigureInput>,
}

/// What to change on a period's dates and target; a field left out keeps its value, `null`
/// clears the target.
#[derive(InputObject)]
pub struct UpdateIndicatorPeriodInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// The new first day of the period (YYYY-MM-DD).
    pub start: Option<Date>,
    /// The new last day, on or after the start (BAD_USER_INPUT otherwise).
    pub end: Option<Date>,
    /// Replaces the whole target (value, split and comment).
    pub target: MaybeUndefined<FigureInput>,
}

/// What a period achieved; `actual: null` clears it.
#[derive(InputObject)]
pub struct RecordIndicatorActualInput {
    /// Global id of the period.
    pub period: ID,
    /// The period's `version` you read; a newer one answers CONFLICT and changes nothing.
    pub expected_version: i32,
    /// What was achieved; replaces what was recorded before (value, split and comment).
    /// Left out or `null`, the recorded actual is cleared.
    pub actual: Option<FigureInput>,
}

/// What the indicator period mutations answer.
#[derive(SimpleObject)]
pub struct IndicatorPeriodPayload {
    /// The period as stored.
    pub period: IndicatorPeriod,
}

/// A figure's columns: value in hundredths, women, men, non-binary, comment.
struct Figure {
    value: Option<i64>,
    split: Option<GenderSplit>,
    comment: Option<String>,
}

impl Figure {
    fn parse(measured: Measured, field: &str, input: Option<FigureInput>) -> ApiResult<Self> {
        let Some(input) = input else {
            return Ok(Self {
                value: None,
                split: None,
                comment: None,
            });
        };
        let split = input.by_gender.map(|s| GenderSplit {
            women: s.women,
            men: s.men,
            non_binary: s.non_binary,
        });
        let (value, split) = measured.figure(field, input.value.map(|v| v.0), split)?;
        Ok(Self {
            value,
            split,
            comment: rules::comment(&format!("{field}.comment"), input.comment.as_deref())?,
        })
    }

    /// Sets the target's columns of `row`.
    fn write_target(self, row: &mut indicator_period::ActiveModel) {
        let s = self.split;
        row.target_centi = Set(self.value);
        row.target_women = Set(s.map(|s| s.women));
        row.target_men = Set(s.map(|s| s.men));
        row.target_non_binary = Set(s.map(|s| s.non_binary));
        row.target_comment = Set(self.comment);
    }

    /// Sets the actual value's columns of `row`.
    fn write_actual(self, row: &mut indicator_period::ActiveModel) {
        let s = self.split;
        row.actual_centi = Set(self.value);
        row.actual_women = Set(s.map(|s| s.women));
        row.actual_men = Set(s.map(|s| s.men));
        row.actual_non_binary = Set(s.map(|s| s.non_binary));
        row.actual_comment = Set(self.comment);
    }
}

fn measured(row: &indicator::Model) -> Measured {
    Measured {
        measure: row.measure,
        by_gender: row.by_gender,
    }
}

fn dates(start: Date, end: Date) -> ApiResult<()> {
    if end < start {
        return Err(ApiError::bad_input(
            "input.end",
            "a period ends on or after it starts",
        ));
    }
    Ok(())
}

/// A period the caller sees, with its indicator, if the caller holds `needed` on the
/// project.
async fn managed_period(
    write: &Write<'_>,
    id: &ID,
    field: &str,
    needed: ProjectRights,
) -> ApiResult<(indicator_period::Model, indicator::Model)> {
    let id = ids::decode_uuid(field, id, Kind::IndicatorPeriod)?;
    let current = project_parts::managed::<indicator_period::Entity>(write, id, needed).await?;
    let parent = write
        .find::<indicator::Entity>(current.indicator_id, sea_orm::Condition::all())
        .await?;
    Ok((current, parent))
}

fn payload(row: indicator_period::Model, parent: &indicator::Model) -> IndicatorPeriodPayload {
    IndicatorPeriodPayload {
        period: IndicatorPeriod {
            row,
            ascending: parent.ascending,
        },
    }
}

/// Writes `changes` to a period as `action` (a stale `expected` version is CONFLICT).
async fn saved(
    write: &Write<'_>,
    action: &str,
    (current, parent): (&indicator_period::Model, &indicator::Model),
    expected: i32,
    changes: indicator_period::ActiveModel,
) -> ApiResult<IndicatorPeriodPayload> {
    let updated = write.update(action, current, expected, changes).await?;
    Ok(payload(updated, parent))
}

#[derive(Default)]
pub struct IndicatorPeriodMutation;

#[Object]
impl IndicatorPeriodMutation {
    /// Adds a period with its target to an indicator (the project's coordinators, admins).
    async fn add_indicator_period(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The indicator and the period to add to it.")]
        input: AddIndicatorPeriodInput,
    ) -> ApiResult<IndicatorPeriodPayload> {
        committed(ctx, async |write| {
            let parent = managed_indicator(
                write,
                &input.indicator,
                "input.indicator",
                ProjectRights::Everything,
            )
            .await?;
            dates(input.start, input.end)?;
            write
                .bounded::<indicator_period::Entity>(
                    (indicator_period::Column::IndicatorId, parent.id),
                    MAX_PERIODS,
                    "input.indicator",
                )
                .await?;
            let mut row = indicator_period::ActiveModel {
                id: Set(Uuid::now_v7()),
                indicator_id: Set(parent.id),
                project_id: Set(parent.project_id),
                starts_on: Set(input.start.0),
                ends_on: Set(input.end.0),
                illustrative: Set(false),
                illustrative_fields: Set(json!([])),
                version: Set(1),
                // Nothing achieved yet: the actual's columns stay NULL.
                ..Default::default()
            };
            Figure::parse(measured(&parent), "input.target", input.target)?.write_target(&mut row);
            Ok(payload(
                write.insert("addIndicatorPeriod", row).await?,
                &parent,
            ))
        })
        .await
    }

    /// Changes a period's dates or target (the project's coordinators, admins).
    async fn update_indicator_period(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period and what to change on it.")] input: UpdateIndicatorPeriodInput,
    ) -> ApiResult<IndicatorPeriodPayload> {
        committed(ctx, async |write| {
            let (current, parent) = managed_period(
                write,
                &input.revision.id,
                "input.id",
                ProjectRights::Everything,
            )
            .await?;
            dates(
                input.start.unwrap_or(Date(current.starts_on)),
                input.end.unwrap_or(Date(current.ends_on)),
            )?;
            let mut changes = indicator_period::ActiveModel {
                starts_on: changed(input.start.map(|d| d.0)),
                ends_on: changed(input.end.map(|d| d.0)),
                ..Default::default()
            };
            if !input.target.is_undefined() {
                Figure::parse(measured(&parent), "input.target", input.target.take())?
                    .write_target(&mut changes);
            }
            saved(
                write,
                "updateIndicatorPeriod",
                (&current, &parent),
                input.revision.version,
                changes,
            )
            .await
        })
        .await
    }

    /// Records what a period achieved (the project's partners, coordinators, admins).
    async fn record_indicator_actual(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period and what it achieved.")] input: RecordIndicatorActualInput,
    ) -> ApiResult<IndicatorPeriodPayload> {
        committed(ctx, async |write| {
            let (current, parent) = managed_period(
                write,
                &input.period,
                "input.period",
                ProjectRights::Descriptions,
            )
            .await?;
            let mut changes = indicator_period::ActiveModel::default();
            Figure::parse(measured(&parent), "input.actual", input.actual)?
                .write_actual(&mut changes);
            saved(
                write,
                "recordIndicatorActual",
                (&current, &parent),
                input.expected_version,
                changes,
            )
            .await
        })
        .await
    }

    /// Deletes a period of an indicator (the project's coordinators, admins).
    async fn delete_indicator_period(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The period to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let (current, _) =
                managed_period(write, &input.id, "input.id", ProjectRights::Everything).await?;
            write
                .delete::<indicator_period::Entity>("deleteIndicatorPeriod", &current, Vec::new())
                .await
        })
        .await
    }
}
