//! Dates known to a year, a month or a day, and a project's planned and actual dates.

use async_graphql::{Enum, Object, SimpleObject};

use crate::graphql::scalars::Date;

use crate::domain::partial_date::{self, PartialDate as Known};
use crate::domain::project::ProjectDates as Dates;

/// How precisely a date is known.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatePrecision {
    /// Known to the year: `YYYY`.
    Year,
    /// Known to the month: `YYYY-MM`.
    Month,
    /// Known to the day: `YYYY-MM-DD`.
    Day,
}

/// A date as precisely as it is known: `2016`, `2023-07` or `2021-08-01`.
pub struct PartialDate(pub Known);

/// A date as precisely as it is known: `2016`, `2023-07` or `2021-08-01`. Show `value` as
/// it is, never as the first of January.
#[Object]
impl PartialDate {
    /// ISO 8601 at its precision: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    async fn value(&self) -> String {
        self.0.to_string()
    }

    /// Whether it is known to the year, the month or the day.
    async fn precision(&self) -> DatePrecision {
        match self.0.precision() {
            partial_date::Precision::Year => DatePrecision::Year,
            partial_date::Precision::Month => DatePrecision::Month,
            partial_date::Precision::Day => DatePrecision::Day,
        }
    }

    /// The first day it may be.
    async fn first(&self) -> Date {
        Date(self.0.first())
    }

    /// The last day it may be.
    async fn last(&self) -> Date {
        Date(self.0.last())
    }
}

/// A project's planned and actual dates (IATI activity dates); each may be unknown.
#[derive(SimpleObject)]
pub struct ProjectDates {
    /// When the project is planned to start; null when unknown.
    pub planned_start: Option<PartialDate>,
    /// When it is planned to end; null when unknown.
    pub planned_end: Option<PartialDate>,
    /// When it actually started; null when unknown or not yet.
    pub actual_start: Option<PartialDate>,
    /// When it actually ended; null when unknown or not yet.
    pub actual_end: Option<PartialDate>,
}

impl From<Dates> for ProjectDates {
    fn from(d: Dates) -> Self {
        Self {
            planned_start: d.planned_start.map(PartialDate),
            planned_end: d.planned_end.map(PartialDate),
            actual_start: d.actual_start.map(PartialDate),
            actual_end: d.actual_end.map(PartialDate),
        }
    }
}
