//! Who may see what: one visibility condition per entity, used by every list, count, `node`,
//! loader and aggregate, so a hidden row is hidden everywhere.

use entity::enums::{Role, WorkshopStatus};
use entity::{contact, funding, project, project_participant, registration, workshop};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, SelectStatement},
};

use crate::auth::Caller;

/// Projects the caller may read: published ones for everybody, plus those it manages.
pub fn projects(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::any()
        .add(project::Column::Published.eq(true))
        .add(managed_projects(caller))
}

/// Projects the caller manages: it sees their drafts and personal data and may change them.
pub fn managed_projects(caller: &Caller) -> Condition {
    match caller.role {
        Some(Role::Admin) => Condition::all(),
        Some(Role::Coordinator) => {
            Condition::all().add(project::Column::CountryCode.is_in(caller.countries.clone()))
        }
        Some(Role::Partner) => match caller.organisation_id {
            Some(organisation) => {
                let taking_part = Condition::all().add(
                    project::Column::Id.in_subquery(
                        project_participant::Entity::find()
                            .select_only()
                            .column(project_participant::Column::ProjectId)
                            .filter(project_participant::Column::OrganisationId.eq(organisation))
                            .into_query(),
                    ),
                );
                match &caller.country_scope {
                    // A token never reaches further than whoever issued it.
                    Some(scope) => {
                        taking_part.add(project::Column::CountryCode.is_in(scope.clone()))
                    }
                    None => taking_part,
                }
            }
            None => nothing(),
        },
        Some(Role::Viewer) | None => nothing(),
    }
}

/// Workshops of readable projects; a cancelled workshop only for those who manage it.
pub fn workshops(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::any()
        .add(
            Condition::all()
                .add(workshop::Column::ProjectId.in_subquery(project_ids(projects(caller))))
                .add(workshop::Column::Status.ne(WorkshopStatus::Cancelled)),
        )
        .add(workshop::Column::ProjectId.in_subquery(project_ids(managed_projects(caller))))
}

/// Funding is as visible as its project.
pub fn fundings(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::all().add(funding::Column::ProjectId.in_subquery(project_ids(projects(caller))))
}

/// Contacts: names for signed-in callers on projects they can read; organisation contacts for
/// any signed-in caller. Whether their email and phone show is `personal_data_projects`' call.
pub fn contacts(caller: &Caller) -> Condition {
    if caller.role.is_none() {
        return nothing();
    }
    Condition::any()
        .add(contact::Column::ProjectId.in_subquery(project_ids(projects(caller))))
        .add(contact::Column::ProjectId.is_null())
}

/// Registrations (participants' names and emails) only for those who manage the project.
pub fn registrations(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::all().add(
        registration::Column::WorkshopId.in_subquery(
            workshop::Entity::find()
                .select_only()
                .column(workshop::Column::Id)
                .filter(
                    workshop::Column::ProjectId.in_subquery(project_ids(managed_projects(caller))),
                )
                .into_query(),
        ),
    )
}

/// Whether the caller may read personal data (emails, phones) of contacts on projects it
/// manages. Organisation contacts' personal data: coordinators of the organisation's country
/// and admins.
pub fn personal_data_projects(caller: &Caller) -> Condition {
    managed_projects(caller)
}

/// Admins read every row: their conditions are left out of the SQL altogether rather than
/// written as `… OR TRUE` subqueries the planner would still join.
fn sees_everything(caller: &Caller) -> bool {
    caller.role == Some(Role::Admin)
}

pub fn project_ids(condition: Condition) -> SelectStatement {
    project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .filter(condition)
        .into_query()
}

/// A condition no row meets.
fn nothing() -> Condition {
    Condition::all().add(Expr::value(1).eq(0))
}

/// What a caller may change on one project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectRights {
    Nothing,
    /// Partners: title and summary (and, later, workshops, registrations and milestones).
    Descriptions,
    Everything,
}

/// The write rule for projects, given the organisations taking part in it.
pub fn project_rights(
    caller: &Caller,
    project: &project::Model,
    participants: &[uuid::Uuid],
) -> ProjectRights {
    match caller.role {
        Some(Role::Admin) => ProjectRights::Everything,
        Some(Role::Coordinator) if caller.countries.contains(&project.country_code) => {
            ProjectRights::Everything
        }
        Some(Role::Partner)
            if caller
                .organisation_id
                .is_some_and(|org| participants.contains(&org))
                && within_scope(caller, &project.country_code) =>
        {
            ProjectRights::Descriptions
        }
        _ => ProjectRights::Nothing,
    }
}

/// Whether a country lies within the caller's confinement (always, when it has none).
pub fn within_scope(caller: &Caller, country: &str) -> bool {
    caller
        .country_scope
        .as_ref()
        .is_none_or(|scope| scope.iter().any(|c| c == country))
}

/// Who may create a project owned by `country`.
pub fn may_create_project_in(caller: &Caller, country: &str) -> bool {
    match caller.role {
        Some(Role::Admin) => true,
        Some(Role::Coordinator) => caller.countries.iter().any(|c| c == country),
        _ => false,
    }
}

/// Who may issue, list and revoke API tokens of an organisation based in `country`.
pub fn may_manage_tokens_of(caller: &Caller, country: Option<&str>) -> bool {
    match caller.role {
        Some(Role::Admin) => true,
        Some(Role::Coordinator) => {
            country.is_some_and(|c| caller.countries.iter().any(|own| own == c))
        }
        _ => false,
    }
}

/// Writes need a signed-in caller; anonymous callers are told to authenticate.
pub fn require_signed_in(caller: &Caller) -> crate::graphql::errors::ApiResult<()> {
    if caller.is_anonymous() {
        Err(crate::graphql::errors::ApiError::Unauthenticated {
            message: "sign in to change data".into(),
        })
    } else {
        Ok(())
    }
}

pub fn forbidden(message: impl Into<String>) -> crate::graphql::errors::ApiError {
    crate::graphql::errors::ApiError::Forbidden {
        message: message.into(),
    }
}
