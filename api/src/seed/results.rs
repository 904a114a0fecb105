//! The results the documents state, with their indicators and periods, checked by the same
//! rules the API's writes apply.

use std::str::FromStr;

use anyhow::anyhow;
use chrono::Utc;
use entity::{indicator, indicator_period, result};
use rust_decimal::Decimal;
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use super::{date, file, invented, text};
use crate::domain::indicator::{self as rules, GenderSplit, Measured};

#[derive(Default)]
pub struct ResultRows {
    pub results: Vec<result::ActiveModel>,
    pub indicators: Vec<indicator::ActiveModel>,
    pub periods: Vec<indicator_period::ActiveModel>,
}

fn decimal(value: Option<&str>, what: &str) -> anyhow::Result<Option<Decimal>> {
    value
        .map(|v| Decimal::from_str(v).map_err(|e| anyhow!("{what}: `{v}`: {e}")))
        .transpose()
}

/// A checked figure: hundredths and split.
fn figure(
    measured: Measured,
    value: Option<&str>,
    split: Option<file::Split>,
    what: &str,
) -> anyhow::Result<(Option<i64>, Option<GenderSplit>)> {
    let split = split.map(|s| GenderSplit {
        women: s.women,
        men: s.men,
        non_binary: s.non_binary,
    });
    measured
        .figure(what, decimal(value, what)?, split)
        .map_err(|e| anyhow!("{what}: {}", e.message()))
}

fn comment(value: Option<&str>, what: &str) -> anyhow::Result<Option<String>> {
    rules::comment(what, value).map_err(|e| anyhow!("{what}: {}", e.message()))
}

impl ResultRows {
    /// Adds project `project_id`'s results, written in `language`.
    pub fn add(
        &mut self,
        project_id: Uuid,
        language: &str,
        entries: &[file::ResultEntry],
        what: &str,
    ) -> anyhow::Result<()> {
        for (position, r) in entries.iter().enumerate() {
            let what = format!("{what}, result {}", position + 1);
            let result_id = Uuid::now_v7();
            self.results.push(result::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(result_id),
                project_id: Set(project_id),
                kind: Set(r.kind),
                title: Set(text(&r.title, language, &what)?),
                description: Set(r
                    .description
                    .as_ref()
                    .map(|d| text(d, language, &what))
                    .transpose()?),
                language: Set(language.to_owned()),
                position: Set(position as i32),
                illustrative: Set(r.illustrative.record()),
                illustrative_fields: Set(invented(&r.illustrative)),
                version: Set(1),
            });
            for (position, i) in r.indicators.iter().enumerate() {
                let what = format!("{what}, indicator {}", position + 1);
                self.indicator(project_id, result_id, language, position, i, &what)?;
            }
        }
        Ok(())
    }

    fn indicator(
        &mut self,
        project_id: Uuid,
        result_id: Uuid,
        language: &str,
        position: usize,
        i: &file::IndicatorEntry,
        what: &str,
    ) -> anyhow::Result<()> {
        let measured = Measured::new(i.measure, i.by_gender, what)
            .map_err(|e| anyhow!("{what}: {}", e.message()))?;
        let baseline = i.baseline.as_ref();
        let (baseline_value, _) = figure(
            measured,
            baseline.and_then(|b| b.value.as_deref()),
            None,
            &format!("{what} baseline"),
        )?;
        let indicator_id = Uuid::now_v7();
        self.indicators.push(indicator::ActiveModel {
            updated_at: Set(Utc::now()),
            id: Set(indicator_id),
            result_id: Set(result_id),
            project_id: Set(project_id),
            title: Set(text(&i.title, language, what)?),
            language: Set(language.to_owned()),
            measure: Set(i.measure),
            ascending: Set(i.ascending),
            by_gender: Set(i.by_gender),
            baseline_year: Set(baseline.and_then(|b| b.year)),
            baseline_centi: Set(baseline_value),
            baseline_comment: Set(comment(baseline.and_then(|b| b.comment.as_deref()), what)?),
            position: Set(position as i32),
            illustrative: Set(i.illustrative.record()),
            illustrative_fields: Set(invented(&i.illustrative)),
            version: Set(1),
        });
        for p in &i.periods {
            let (start, end) = (date(&p.start, what)?, date(&p.end, what)?);
            if end < start {
                return Err(anyhow!("{what}: a period ends before it starts"));
            }
            let (target, ts) = figure(
                measured,
                p.target.as_deref(),
                p.target_by_gender,
                &format!("{what} target"),
            )?;
            let (actual, as_) = figure(
                measured,
                p.actual.as_deref(),
                p.actual_by_gender,
                &format!("{what} actual"),
            )?;
            self.periods.push(indicator_period::ActiveModel {
                updated_at: Set(Utc::now()),
                id: Set(Uuid::now_v7()),
                indicator_id: Set(indicator_id),
                project_id: Set(project_id),
                starts_on: Set(start),
                ends_on: Set(end),
                target_centi: Set(target),
                target_women: Set(ts.map(|s| s.women)),
                target_men: Set(ts.map(|s| s.men)),
                target_non_binary: Set(ts.map(|s| s.non_binary)),
                target_comment: Set(comment(p.target_comment.as_deref(), what)?),
                actual_centi: Set(actual),
                actual_women: Set(as_.map(|s| s.women)),
                actual_men: Set(as_.map(|s| s.men)),
                actual_non_binary: Set(as_.map(|s| s.non_binary)),
                actual_comment: Set(comment(p.actual_comment.as_deref(), what)?),
                illustrative: Set(p.illustrative.record()),
                illustrative_fields: Set(invented(&p.illustrative)),
                version: Set(1),
            });
        }
        Ok(())
    }
}
