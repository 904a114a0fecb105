//! Writes of what hangs under a project, through the write pipeline: milestones (its partners
//! too), contacts (its coordinators, admins). Money: `funding_write`.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{contact, milestone};
use sea_orm::ActiveValue::Set;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::domain::codes::Email;
use crate::domain::text::optional;
use crate::error::{ApiError, ApiResult};
use crate::graphql::contact::Contact;
use crate::graphql::project::Milestone;
use crate::graphql::scalars::Date;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted};
use crate::ids::Kind;
use crate::writes::{Write, changed, new_real_row, project, project_parts};

const TITLE: TextField = TextField::required("input.title", 300);

/// The most milestones a project holds.
const MAX_MILESTONES: i64 = 100;

fn email(value: &Option<String>) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => Email::parse(text)
            .map(|e| Some(e.into_inner()))
            .map_err(|m| ApiError::bad_input("input.email", m)),
    }
}

/// A milestone the caller sees (as visible as its project) and may change (its project's
/// partners, coordinators, admins).
async fn managed_milestone(write: &Write<'_>, id: Uuid) -> ApiResult<milestone::Model> {
    project_parts::managed::<milestone::Entity>(write, id, ProjectRights::Descriptions).await
}

/// A project contact the caller sees and may change (its project's coordinators, admins).
async fn managed_contact(write: &Write<'_>, id: Uuid) -> ApiResult<contact::Model> {
    let current = write
        .find::<contact::Entity>(id, access::contacts(write.caller()))
        .await?;
    let Some(project_id) = current.project_id else {
        return Err(access::forbidden(
            "organisation contacts are changed by admins",
        ));
    };
    project::managed(write, project_id, ProjectRights::Everything).await?;
    Ok(current)
}

/// A new milestone, placed after the project's last one (a project holds at most 100).
#[derive(InputObject)]
pub struct AddMilestoneInput {
    /// The project's id.
    pub project: ID,
    /// In the project's original language at least.
    pub title: Vec<TranslationInput>,
    /// The day it is due.
    pub due_date: Date,
    /// The day it was reached, if it already was.
    pub achieved_on: Option<Date>,
}

/// What to change on a milestone; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateMilestoneInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the title (at most 300 characters each); must
    /// include the project's original language.
    pub title: Option<Vec<TranslationInput>>,
    /// The day it is due.
    pub due_date: Option<Date>,
    /// The day it was reached; `null` keeps the stored one.
    pub achieved_on: Option<Date>,
}

/// A new contact person on a project; email and phone are personal data.
#[derive(InputObject)]
pub struct AddContactInput {
    /// The project's id.
    pub project: ID,
    /// The person's name, at most 200 characters.
    pub name: String,
    /// Job title, at most 200 characters.
    pub title: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number, at most 40 characters.
    pub phone: Option<String>,
}

/// What to change on a project contact; a field left out or `null` keeps its value.
#[derive(InputObject)]
pub struct UpdateContactInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// The person's name, at most 200 characters; it cannot be blank.
    pub name: Option<String>,
    /// Job title, at most 200 characters; an empty string removes it.
    pub title: Option<String>,
    /// Email address; an empty string removes it.
    pub email: Option<String>,
    /// Phone number, at most 40 characters; an empty string removes it.
    pub phone: Option<String>,
}

/// What a milestone write answers.
#[derive(SimpleObject)]
pub struct MilestonePayload {
    /// The milestone as saved, with its new `version`.
    pub milestone: Milestone,
}

/// What a contact write answers.
#[derive(SimpleObject)]
pub struct ContactPayload {
    /// The contact as saved, with its new `version`.
    pub contact: Contact,
}

#[derive(Default)]
pub struct ProjectPartsMutation;

#[Object]
impl ProjectPartsMutation {
    /// Adds a milestone (the project's partners, coordinators, admins).
    async fn add_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the new milestone.")] input: AddMilestoneInput,
    ) -> ApiResult<MilestonePayload> {
        let created = committed(ctx, async |write| {
            let project_id =
                crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
            let project = project::managed(write, project_id, ProjectRights::Descriptions).await?;
            let title = TITLE.stored(&input.title, &project.language)?;
            let position = write
                .next_position::<milestone::Entity>(
                    (milestone::Column::ProjectId, project_id),
                    milestone::Column::Position,
                    MAX_MILESTONES,
                    "input.project",
                )
                .await?;
            let row = new_real_row!(milestone {
                project_id: Set(project_id),
                title: Set(title),
                language: Set(project.language.clone()),
                due_date: Set(input.due_date.0),
                achieved_on: Set(input.achieved_on.map(|d| d.0)),
                position: Set(position),
            });
            write.insert("addMilestone", row).await
        })
        .await?;
        Ok(MilestonePayload {
            milestone: Milestone(created),
        })
    }

    /// Changes a milestone (the project's partners, coordinators, admins; others FORBIDDEN).
    async fn update_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone, the version you read and what to change.")]
        input: UpdateMilestoneInput,
    ) -> ApiResult<MilestonePayload> {
        let updated = committed(ctx, async |write| {
            let id = input.revision.row(Kind::Milestone)?;
            let current = managed_milestone(write, id).await?;
            let changes = milestone::ActiveModel {
                title: TITLE.changed(input.title.as_deref(), &current.language)?,
                due_date: changed(input.due_date.map(|d| d.0)),
                achieved_on: changed(input.achieved_on.map(|d| Some(d.0))),
                ..Default::default()
            };
            write
                .update("updateMilestone", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(MilestonePayload {
            milestone: Milestone(updated),
        })
    }

    /// Deletes a milestone (the project's partners, coordinators, admins; others FORBIDDEN).
    async fn delete_milestone(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The milestone's id.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Milestone)?;
            let current = managed_milestone(write, id).await?;
            write
                .delete::<milestone::Entity>("deleteMilestone", &current, Vec::new())
                .await
        })
        .await
    }

    /// Adds a contact person (the project's coordinators, admins). Email and phone are
    /// personal data.
    async fn add_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The project and the new contact.")] input: AddContactInput,
    ) -> ApiResult<ContactPayload> {
        let created = committed(ctx, async |write| {
            let project_id =
                crate::ids::decode_uuid("input.project", &input.project, Kind::Project)?;
            let name = optional("input.name", Some(&input.name), 200)?
                .ok_or_else(|| ApiError::bad_input("input.name", "a name is required"))?;
            project::managed(write, project_id, ProjectRights::Everything).await?;
            let row = new_real_row!(contact {
                project_id: Set(Some(project_id)),
                organisation_id: Set(None),
                name: Set(name),
                title: Set(optional("input.title", input.title.as_deref(), 200)?),
                email: Set(email(&input.email)?),
                phone: Set(optional("input.phone", input.phone.as_deref(), 40)?),
            });
            write.insert("addContact", row).await
        })
        .await?;
        Ok(ContactPayload {
            contact: Contact(created),
        })
    }

    /// Changes a project's contact person (the project's coordinators, admins; others
    /// FORBIDDEN). An organisation's contact answers FORBIDDEN.
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact, the version you read and what to change.")]
        input: UpdateContactInput,
    ) -> ApiResult<ContactPayload> {
        let updated = committed(ctx, async |write| {
            let id = input.revision.row(Kind::Contact)?;
            let current = managed_contact(write, id).await?;
            let mut changes = <contact::ActiveModel as Default>::default();
            if input.name.is_some() {
                changes.name = Set(optional("input.name", input.name.as_deref(), 200)?
                    .ok_or_else(|| ApiError::bad_input("input.name", "a name is required"))?);
            }
            if input.title.is_some() {
                changes.title = Set(optional("input.title", input.title.as_deref(), 200)?);
            }
            if input.email.is_some() {
                changes.email = Set(email(&input.email)?);
            }
            if input.phone.is_some() {
                changes.phone = Set(optional("input.phone", input.phone.as_deref(), 40)?);
            }
            write
                .update("updateContact", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(ContactPayload {
            contact: Contact(updated),
        })
    }

    /// Deletes a project's contact person (the project's coordinators, admins; others
    /// FORBIDDEN). An organisation's contact answers FORBIDDEN.
    async fn delete_contact(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The contact's id.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Contact)?;
            let current = managed_contact(write, id).await?;
            write
                .delete::<contact::Entity>("deleteContact", &current, Vec::new())
                .await
        })
        .await
    }
}
