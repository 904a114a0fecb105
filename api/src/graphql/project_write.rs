//! Project mutations: thin adapters from input to command (`project_input`) to use case
//! (`writes::project`) to payload.

use async_graphql::{Context, Object};

use crate::domain::Edit;
use crate::error::ApiResult;
use crate::graphql::project::Project;
use crate::graphql::project_input::{
    CreateProjectInput, ProjectPayload, PublishProjectInput, UpdateProjectInput,
};
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted};
use crate::ids::{self, Kind};
use crate::writes::project;

#[derive(Default)]
pub struct ProjectMutation;

#[Object]
impl ProjectMutation {
    /// Creates a draft project (COORDINATOR of its country, or ADMIN).
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new project.")] input: CreateProjectInput,
    ) -> ApiResult<ProjectPayload> {
        let created = committed(ctx, async |write| {
            project::create(write, input.command()?).await
        })
        .await?;
        Ok(ProjectPayload {
            project: Project(created),
        })
    }

    /// Changes a project. Partners taking part may change its title and summary; its country's
    /// coordinators and admins anything.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project, the version you read and what to change.")]
        input: UpdateProjectInput,
    ) -> ApiResult<ProjectPayload> {
        let updated = committed(ctx, async |write| {
            project::update(write, input.command()?).await
        })
        .await?;
        Ok(ProjectPayload {
            project: Project(updated),
        })
    }

    /// Publishes a draft (or withdraws a published project): its country's coordinators, admins.
    async fn publish_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project, the version you read and the new state.")]
        input: PublishProjectInput,
    ) -> ApiResult<ProjectPayload> {
        let updated = committed(ctx, async |write| {
            let edit = Edit {
                id: input.revision.row(Kind::Project)?,
                expected: input.revision.version,
                changes: input.published,
            };
            project::publish(write, edit).await
        })
        .await?;
        Ok(ProjectPayload {
            project: Project(updated),
        })
    }

    /// Deletes a project without funding, workshops or sub-projects (its coordinators, admins);
    /// its links, milestones and contacts go with it.
    async fn delete_project(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project's id.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            project::delete(
                write,
                ids::decode_uuid("input.id", &input.id, Kind::Project)?,
            )
            .await
        })
        .await
    }
}
