//! Statuses that follow dates, as SQL: the same rules as `domain::project::status_on` and
//! `domain::workshop::status_at`, so lists filter and summaries group by the status a
//! client reads, as of the request.

use chrono::{DateTime, NaiveDate, Utc};
use entity::enums::{ProjectStatus, WorkshopStatus};
use entity::{project, workshop};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition};

fn halted() -> Condition {
    Condition::any()
        .add(project::Column::Status.eq(ProjectStatus::Suspended))
        .add(project::Column::Status.eq(ProjectStatus::Cancelled))
}

/// Projects whose status on `today` is one of `statuses`.
pub fn projects_in(statuses: &[ProjectStatus], today: NaiveDate) -> Condition {
    let mut any = Condition::any();
    for status in statuses {
        let by_dates = Condition::all().add(halted().not());
        any = any.add(match status {
            ProjectStatus::Suspended | ProjectStatus::Cancelled => {
                Condition::all().add(project::Column::Status.eq(*status))
            }
            ProjectStatus::Completed => by_dates.add(project::Column::EndDate.lt(today)),
            ProjectStatus::Planned => by_dates
                .add(project::Column::EndDate.gte(today))
                .add(project::Column::StartDate.gt(today)),
            ProjectStatus::Active => by_dates
                .add(project::Column::EndDate.gte(today))
                .add(project::Column::StartDate.lte(today)),
        });
    }
    any
}

/// A project's status on `today` from columns `status`, `start` and `end` of a row.
pub fn project_expr(status: Expr, start: Expr, end: Expr, today: NaiveDate) -> Expr {
    Expr::case(
        status
            .clone()
            .is_in([ProjectStatus::Suspended, ProjectStatus::Cancelled]),
        status,
    )
    .case(end.lt(today), ProjectStatus::Completed)
    .case(start.gt(today), ProjectStatus::Planned)
    .finally(ProjectStatus::Active)
    .into()
}

/// Workshops whose status at `now` is one of `statuses`.
pub fn workshops_in(statuses: &[WorkshopStatus], now: DateTime<Utc>) -> Condition {
    let mut any = Condition::any();
    for status in statuses {
        let held = Condition::all().add(workshop::Column::Status.ne(WorkshopStatus::Cancelled));
        any = any.add(match status {
            WorkshopStatus::Cancelled => {
                Condition::all().add(workshop::Column::Status.eq(WorkshopStatus::Cancelled))
            }
            WorkshopStatus::Completed => held.add(workshop::Column::EndsAt.lt(now)),
            WorkshopStatus::Scheduled => held.add(workshop::Column::EndsAt.gte(now)),
        });
    }
    any
}
