//! Project mutations: thin adapters from input to command (`project_input`) to use case
//! (`writes::project`) to payload.

use async_graphql::{Context, Object};

use crate::error::ApiResult;
use crate::graphql::context::request;
use crate::graphql::project::Project;
use crate::graphql::project_input::{
    CreateProjectInput, CreateProjectPayload, PublishProjectInput, PublishProjectPayload,
    UpdateProjectInput, UpdateProjectPayload,
};
use crate::graphql::reference_write::{DeleteInput, DeletePayload};
use crate::ids::{self, Kind};
use crate::writes::{Write, project};

#[derive(Default)]
pub struct ProjectMutation;

#[Object]
impl ProjectMutation {
    /// Creates a draft project (COORDINATOR of its country, or ADMIN).
    async fn create_project(
        &self,
        ctx: &Context<'_>,
        input: CreateProjectInput,
    ) -> ApiResult<CreateProjectPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let created = project::create(&write, input.command()?).await?;
        write.commit().await?;
        Ok(CreateProjectPayload {
            project: Project(created),
        })
    }

    /// Changes a project. Partners taking part may change its title and summary; its country's
    /// coordinators and admins anything.
    async fn update_project(
        &self,
        ctx: &Context<'_>,
        input: UpdateProjectInput,
    ) -> ApiResult<UpdateProjectPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let (id, expected, changes) = input.command()?;
        let updated = project::update(&write, id, expected, changes).await?;
        write.commit().await?;
        Ok(UpdateProjectPayload {
            project: Project(updated),
        })
    }

    /// Publishes a draft (or withdraws a published project): its country's coordinators, admins.
    async fn publish_project(
        &self,
        ctx: &Context<'_>,
        input: PublishProjectInput,
    ) -> ApiResult<PublishProjectPayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        let id = ids::decode_uuid("input.id", &input.id, Kind::Project)?;
        let updated = project::publish(&write, id, input.expected_version, input.published).await?;
        write.commit().await?;
        Ok(PublishProjectPayload {
            project: Project(updated),
        })
    }

    /// Deletes a project without funding, workshops or sub-projects (its coordinators, admins);
    /// its links, milestones and contacts go with it.
    async fn delete_project(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        let write = Write::begin(&rc.db, &rc.caller).await?;
        project::delete(
            &write,
            ids::decode_uuid("input.id", &input.id, Kind::Project)?,
        )
        .await?;
        write.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }
}
