//! `viewerCan…`: which actions a page may offer on an object, decided by the same rules in
//! `access` that guard the mutations, so a button shown is a write allowed and a button
//! hidden is a write refused.

use async_graphql::{Context, SimpleObject};
use entity::{organisation, project, workshop};

use crate::access::{self, ProjectRights};
use crate::error::ApiResult;
use crate::graphql::context::{load, request};
use crate::graphql::loaders::{ParticipantsOfProject, ProjectById};

/// What you may do with a project; each field says whether the mutation named would be
/// accepted from you.
#[derive(SimpleObject)]
pub struct ProjectActions {
    /// `updateProject`: at least its title and summary (partners taking part), or all of it.
    pub viewer_can_update: bool,
    /// `updateProject` on every field: status, dates, countries, budget, programme, parts.
    pub viewer_can_update_all_fields: bool,
    /// `publishProject`.
    pub viewer_can_publish: bool,
    /// `deleteProject`.
    pub viewer_can_delete: bool,
    /// `createWorkshop` for it, `addMilestone`, `addDocumentLink` and
    /// `recordIndicatorActual` on its indicators.
    pub viewer_can_add_workshop: bool,
    /// `createFunding`, `addContact` and `addResult` for it.
    pub viewer_can_add_funding: bool,
}

impl ProjectActions {
    fn from(rights: ProjectRights) -> Self {
        let describes = rights.covers(ProjectRights::Descriptions);
        let manages = rights.covers(ProjectRights::Everything);
        Self {
            viewer_can_update: describes,
            viewer_can_update_all_fields: manages,
            viewer_can_publish: manages,
            viewer_can_delete: manages,
            viewer_can_add_workshop: describes,
            viewer_can_add_funding: manages,
        }
    }
}

/// What you may do with a workshop.
#[derive(SimpleObject)]
pub struct WorkshopActions {
    /// `updateWorkshop` and `cancelWorkshop`.
    pub viewer_can_update: bool,
    /// `deleteWorkshop` (its project's coordinators and admins).
    pub viewer_can_delete: bool,
    /// `registerForWorkshop` now: you may register for it, and registration is open.
    pub viewer_can_register: bool,
    /// `markAttendance` and `cancelRegistration` on its registrations.
    pub viewer_can_manage_registrations: bool,
}

/// What you may do with a funding.
#[derive(SimpleObject)]
pub struct FundingActions {
    /// `updateFunding`.
    pub viewer_can_update: bool,
    /// `deleteFunding`.
    pub viewer_can_delete: bool,
}

/// What you may do with an organisation.
#[derive(SimpleObject)]
pub struct OrganisationActions {
    /// `updateOrganisation`.
    pub viewer_can_update: bool,
    /// `deleteOrganisation` (refused even so while anything refers to it).
    pub viewer_can_delete: bool,
    /// `issueApiToken` and `revokeApiToken` for its partner systems.
    pub viewer_can_manage_api_tokens: bool,
}

/// Your write rights on a project, as its mutations check them.
async fn rights(ctx: &Context<'_>, project: &project::Model) -> ApiResult<ProjectRights> {
    let caller = &request(ctx)?.caller;
    if caller.is_anonymous() {
        return Ok(ProjectRights::Nothing);
    }
    let participants: Vec<uuid::Uuid> = load(ctx, ParticipantsOfProject(project.id))
        .await?
        .unwrap_or_default()
        .iter()
        .map(|p| p.organisation_id)
        .collect();
    Ok(access::project_rights(caller, project, &participants))
}

/// Your write rights on the project a row belongs to.
async fn rights_of(ctx: &Context<'_>, project_id: uuid::Uuid) -> ApiResult<ProjectRights> {
    match load(ctx, ProjectById(project_id, "viewerCan.project")).await? {
        Some(project) => rights(ctx, &project).await,
        None => Ok(ProjectRights::Nothing),
    }
}

pub async fn project(ctx: &Context<'_>, row: &project::Model) -> ApiResult<ProjectActions> {
    Ok(ProjectActions::from(rights(ctx, row).await?))
}

pub async fn workshop(ctx: &Context<'_>, row: &workshop::Model) -> ApiResult<WorkshopActions> {
    let rights = rights_of(ctx, row.project_id).await?;
    let caller = &request(ctx)?.caller;
    let open = crate::domain::workshop::registration_closed(row, chrono::Utc::now()).is_none();
    Ok(WorkshopActions {
        viewer_can_update: rights.covers(ProjectRights::Descriptions),
        viewer_can_delete: rights.covers(ProjectRights::Everything),
        viewer_can_register: open && access::may_register_for(caller, row.open_to_public),
        viewer_can_manage_registrations: rights.covers(ProjectRights::Descriptions),
    })
}

pub async fn funding(ctx: &Context<'_>, project_id: uuid::Uuid) -> ApiResult<FundingActions> {
    let manages = rights_of(ctx, project_id)
        .await?
        .covers(ProjectRights::Everything);
    Ok(FundingActions {
        viewer_can_update: manages,
        viewer_can_delete: manages,
    })
}

pub fn organisation(
    ctx: &Context<'_>,
    row: &organisation::Model,
) -> ApiResult<OrganisationActions> {
    let administers = access::administers(&request(ctx)?.caller, row.country_code.as_deref());
    Ok(OrganisationActions {
        viewer_can_update: administers,
        viewer_can_delete: administers,
        viewer_can_manage_api_tokens: administers,
    })
}
