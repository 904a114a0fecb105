//! Contact people. Their names need a signed-in caller; email and phone are personal data and
//! resolve only for callers who manage the project.

use async_graphql::{Context, ID, Object};
use entity::contact;

use crate::error::ApiResult;
use crate::graphql::context::{audited_read, loader};
use crate::graphql::global_id;
use crate::graphql::loaders::ManagedProject;
use crate::graphql::record::{Record, Recorded};
use crate::ids::Kind;

#[derive(Clone)]
pub struct Contact(pub contact::Model);

impl Contact {
    async fn may_read_personal_data(&self, ctx: &Context<'_>) -> ApiResult<bool> {
        let Some(project) = self.0.project_id else {
            return Ok(false);
        };
        let managed = loader(ctx)?
            .load_one(ManagedProject(project))
            .await?
            .unwrap_or(false);
        Ok(managed && audited_read(ctx, "Contact", self.0.id))
    }
}

/// A person to contact about a project or an organisation. Signed-in callers see the name;
/// email and phone show only to those who manage the project.
#[Object(serial)]
impl Contact {
    /// Opaque global id, stable over time.
    pub async fn id(&self) -> ID {
        global_id::encode_uuid(Kind::Contact, self.0.id)
    }

    /// The person's name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Job title.
    async fn title(&self) -> Option<&str> {
        self.0.title.as_deref()
    }

    /// Personal data: `null` unless you manage the project. Reading it is audited.
    async fn email(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        Ok(if self.may_read_personal_data(ctx).await? {
            self.0.email.clone()
        } else {
            None
        })
    }

    /// Personal data: `null` unless you manage the project. Reading it is audited.
    async fn phone(&self, ctx: &Context<'_>) -> ApiResult<Option<String>> {
        Ok(if self.may_read_personal_data(ctx).await? {
            self.0.phone.clone()
        } else {
            None
        })
    }

    #[graphql(flatten)]
    async fn record(&self) -> Record {
        self.0.record()
    }
}

crate::graphql::connection::connection!(ContactConnection, ContactEdge, Contact, "contacts");
