//! Results and indicators (IATI `result`, `indicator`, `period`): what a project aims at and
//! how far it got, seen exactly as their project is seen.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ID, Object, SimpleObject};
use entity::{indicator, indicator_period, result};
use uuid::Uuid;

use crate::access;
use crate::domain::{indicator as rules, money};
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::load_all;
use crate::graphql::enums::{IndicatorMeasure, ResultKind};
use crate::graphql::loaders::{Loaders, children_loader, key};
use crate::graphql::record::{Record, Recorded};
use crate::graphql::scalars::{Date, Decimal};
use crate::graphql::{global_id, text};
use crate::ids::Kind;

key!(ResultsOfProject);
key!(IndicatorsOfResult);
key!(PeriodsOfIndicator);

children_loader!(ResultsOfProject => result, parent: ProjectId, order: [Position, Id],
    key: |r| r.project_id, visible: |caller| access::project_parts(caller, result::Column::ProjectId));
children_loader!(IndicatorsOfResult => indicator, parent: ResultId, order: [Position, Id],
    key: |r| r.result_id, visible: |caller| access::project_parts(caller, indicator::Column::ProjectId));
children_loader!(PeriodsOfIndicator => indicator_period, parent: IndicatorId, order: [StartsOn, Id],
    key: |r| r.indicator_id, visible: |caller| access::project_parts(caller, indicator_period::Column::ProjectId));

/// The results of project `id` the caller may see, in order.
pub async fn results_of(ctx: &Context<'_>, id: Uuid) -> ApiResult<Vec<ProjectResult>> {
    load_all(ctx, ResultsOfProject(id), ProjectResult).await
}

/// A stored value as written: 12, not 12.00.
fn value(centi: Option<i64>) -> Option<Decimal> {
    centi.map(|c| Decimal(money::from_minor(c).normalize()))
}

/// A result a project aims at: an output, an outcome or an impact.
#[derive(Clone)]
pub struct ProjectResult(pub result::Model);

/// A result a project aims at (IATI's `result`): an output, an outcome or an impact, measured
/// by its indicators. Seen exactly as its project is.
#[Object(name = "Result")]
impl ProjectResult {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Result, self.0.id)
    }

    /// OUTPUT, OUTCOME or IMPACT.
    async fn kind(&self) -> ResultKind {
        self.0.kind
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }

    /// The description in `lang`, else in your `Accept-Language` preference, else in the
    /// language it was written in; null when it has none.
    async fn description(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The language you want, e.g. `sv`; overrides `Accept-Language`.")]
        lang: Option<String>,
    ) -> ApiResult<Option<String>> {
        match &self.0.description {
            Some(texts) => text::pick(ctx, texts, &self.0.language, lang),
            None => Ok(None),
        }
    }

    /// The description in every language it has, the original first; empty when it has none.
    async fn description_translations(&self) -> Vec<text::Translation> {
        self.0
            .description
            .as_ref()
            .map(|texts| text::all(texts, &self.0.language))
            .unwrap_or_default()
    }

    /// How the result is measured, in order. Not paged: at most 10 per result.
    #[graphql(complexity = "crate::graphql::complexity::FEW * child_complexity")]
    async fn indicators(&self, ctx: &Context<'_>) -> ApiResult<Vec<Indicator>> {
        load_all(ctx, IndicatorsOfResult(self.0.id), Indicator).await
    }

    /// Its place among the project's results, smallest first.
    async fn position(&self) -> i32 {
        self.0.position
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }
}

/// Where an indicator started.
#[derive(SimpleObject)]
pub struct IndicatorBaseline {
    /// The year it was measured; null when unknown.
    pub year: Option<i32>,
    /// Null for a qualitative indicator.
    pub value: Option<Decimal>,
    /// Notes on the baseline; for a qualitative indicator, the baseline in words.
    pub comment: Option<String>,
}

/// How a result is measured.
#[derive(Clone)]
pub struct Indicator(pub indicator::Model);

/// How a result is measured (IATI's `indicator`): a count, a percentage or words, with a
/// baseline and periods of target against actual. Seen exactly as its project is.
#[Object]
impl Indicator {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Indicator, self.0.id)
    }

    #[graphql(flatten)]
    async fn title(&self) -> text::TranslatedTitle<'_> {
        text::TranslatedTitle::of(&self.0.title, &self.0.language)
    }

    /// UNIT, PERCENTAGE or QUALITATIVE; fixed once the indicator is added.
    async fn measure(&self) -> IndicatorMeasure {
        self.0.measure
    }

    /// Whether more is better (false: a target is met at or below it).
    async fn ascending(&self) -> bool {
        self.0.ascending
    }

    /// Whether it counts people, so its periods may be split by gender (ESF+ reporting).
    async fn by_gender(&self) -> bool {
        self.0.by_gender
    }

    /// Its place among the result's indicators, smallest first.
    async fn position(&self) -> i32 {
        self.0.position
    }

    /// Where it started; null when unknown.
    async fn baseline(&self) -> Option<IndicatorBaseline> {
        let i = &self.0;
        (i.baseline_year.is_some() || i.baseline_centi.is_some() || i.baseline_comment.is_some())
            .then(|| IndicatorBaseline {
                year: i.baseline_year,
                value: value(i.baseline_centi),
                comment: i.baseline_comment.clone(),
            })
    }

    /// Its periods of target against actual, earliest first. Not paged: at most 24.
    #[graphql(complexity = "crate::graphql::complexity::FEW * child_complexity")]
    async fn periods(&self, ctx: &Context<'_>) -> ApiResult<Vec<IndicatorPeriod>> {
        let ascending = self.0.ascending;
        load_all(ctx, PeriodsOfIndicator(self.0.id), |row| IndicatorPeriod {
            row,
            ascending,
        })
        .await
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }
}

/// People counted by gender. `undisclosed` is what the others leave of the figure.
#[derive(SimpleObject)]
pub struct GenderSplit {
    /// Women counted.
    pub women: i32,
    /// Men counted.
    pub men: i32,
    /// Non-binary people counted.
    pub non_binary: i32,
    /// People whose gender is not given: the figure's value less women, men and non-binary.
    pub undisclosed: i64,
}

/// A target or what was achieved.
#[derive(SimpleObject)]
pub struct IndicatorFigure {
    /// Null for a qualitative indicator: `comment` says it.
    pub value: Option<Decimal>,
    /// For an indicator that counts people (`byGender`), when split.
    pub by_gender: Option<GenderSplit>,
    /// Notes on the figure; for a qualitative indicator, the figure in words.
    pub comment: Option<String>,
}

impl IndicatorFigure {
    /// The figure of stored columns; none when nothing is set.
    fn of(
        centi: Option<i64>,
        [women, men, non_binary]: [Option<i32>; 3],
        comment: &Option<String>,
    ) -> Option<Self> {
        if centi.is_none() && comment.is_none() {
            return None;
        }
        let by_gender = match (women, men, non_binary) {
            (Some(women), Some(men), Some(non_binary)) => {
                let named = rules::GenderSplit {
                    women,
                    men,
                    non_binary,
                };
                Some(GenderSplit {
                    women,
                    men,
                    non_binary,
                    undisclosed: (centi.unwrap_or(0) / 100 - named.total()).max(0),
                })
            }
            _ => None,
        };
        Some(Self {
            value: value(centi),
            by_gender,
            comment: comment.clone(),
        })
    }
}

/// One period of an indicator: its target and what was achieved.
#[derive(Clone)]
pub struct IndicatorPeriod {
    pub row: indicator_period::Model,
    /// The indicator's direction, which decides `met`.
    pub ascending: bool,
}

/// One period of an indicator (IATI's `period`): from `start` to `end`, its target and what
/// was achieved. Seen exactly as its project is.
#[Object]
impl IndicatorPeriod {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::IndicatorPeriod, self.row.id)
    }

    /// The first day of the period (YYYY-MM-DD).
    async fn start(&self) -> Date {
        Date(self.row.starts_on)
    }

    /// The last day of the period (YYYY-MM-DD), on or after `start`.
    async fn end(&self) -> Date {
        Date(self.row.ends_on)
    }

    /// The target; null when none is set.
    async fn target(&self) -> Option<IndicatorFigure> {
        let r = &self.row;
        IndicatorFigure::of(
            r.target_centi,
            [r.target_women, r.target_men, r.target_non_binary],
            &r.target_comment,
        )
    }

    /// What was achieved; null until recorded.
    async fn actual(&self) -> Option<IndicatorFigure> {
        let r = &self.row;
        IndicatorFigure::of(
            r.actual_centi,
            [r.actual_women, r.actual_men, r.actual_non_binary],
            &r.actual_comment,
        )
    }

    /// Whether the actual meets the target in the indicator's direction; null until both
    /// are known.
    async fn met(&self) -> Option<bool> {
        rules::met(self.ascending, self.row.target_centi, self.row.actual_centi)
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.row.record()
    }
}
