//! Documents and links, through the write pipeline: written by whoever may describe their
//! owner (a project's or workshop's partners and managers, a resource centre's country's
//! coordinators, admins for programmes).

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use entity::{document_link, programme, resource_centre};
use sea_orm::{ActiveValue::Set, Condition};
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::domain::codes::Language;
use crate::error::{ApiError, ApiResult};
use crate::graphql::document_link::{DocumentLink, Owner};
use crate::graphql::enums::DocumentCategory;
use crate::graphql::reference_write::website;
use crate::graphql::scalars::Date;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted, given};
use crate::ids::{self, Kind};
use crate::writes::{Write, changed, new_real_row, project, workshop};

const TITLE: TextField = TextField::required("input.title", 300);

/// A new document or link, and the one thing it belongs to.
#[derive(InputObject)]
pub struct AddDocumentLinkInput {
    /// What it belongs to: exactly one of `project`, `programme`, `resourceCentre`,
    /// `workshop`.
    pub project: Option<ID>,
    /// Global id of the programme it belongs to (admins only).
    pub programme: Option<ID>,
    /// Global id of the resource centre it belongs to (its country's coordinators, admins).
    pub resource_centre: Option<ID>,
    /// Global id of the workshop it belongs to (its project's partners, coordinators, admins).
    pub workshop: Option<ID>,
    /// An http(s) address; left out when the document has none known.
    pub url: Option<String>,
    /// The language the title is written in; `title` must include it.
    pub original_language: String,
    /// One text per language, up to 300 characters each.
    pub title: Vec<TranslationInput>,
    /// What kind of document it is.
    pub category: DocumentCategory,
    /// The language of the document itself.
    pub document_language: Option<String>,
    /// When it was published.
    pub date: Option<Date>,
    /// Its place among its owner's links, smallest first.
    #[graphql(default)]
    pub position: i32,
}

/// What to change on a link; a field left out keeps its value, `null` clears it.
#[derive(InputObject)]
pub struct UpdateDocumentLinkInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// An http(s) address of at most 512 characters; `null` or blank removes it.
    pub url: MaybeUndefined<String>,
    /// Replaces all language versions of the title.
    pub title: Option<Vec<TranslationInput>>,
    /// What kind of document it is.
    pub category: Option<DocumentCategory>,
    /// The language of the document itself, e.g. `sl`.
    pub document_language: MaybeUndefined<String>,
    /// When it was published (YYYY-MM-DD).
    pub date: MaybeUndefined<Date>,
    /// Its place among its owner's links, smallest first.
    pub position: Option<i32>,
}

/// What `addDocumentLink` and `updateDocumentLink` answer.
#[derive(SimpleObject)]
pub struct DocumentLinkPayload {
    /// The link as stored.
    pub document: DocumentLink,
}

fn url(value: Option<&str>) -> ApiResult<Option<String>> {
    website(value).map_err(|_| {
        ApiError::bad_input(
            "input.url",
            "a link is an http(s) address of at most 512 characters",
        )
    })
}

fn language(field: &str, value: &str) -> ApiResult<String> {
    Language::parse(value)
        .map(|l| l.as_str().to_owned())
        .map_err(|m| ApiError::bad_input(field, m))
}

/// The one owner the input names.
fn owner(input: &AddDocumentLinkInput) -> ApiResult<(Owner, Uuid)> {
    let given: Vec<(Owner, &ID, &str, Kind)> = [
        (
            Owner::Project,
            &input.project,
            "input.project",
            Kind::Project,
        ),
        (
            Owner::Programme,
            &input.programme,
            "input.programme",
            Kind::Programme,
        ),
        (
            Owner::ResourceCentre,
            &input.resource_centre,
            "input.resourceCentre",
            Kind::ResourceCentre,
        ),
        (
            Owner::Workshop,
            &input.workshop,
            "input.workshop",
            Kind::Workshop,
        ),
    ]
    .into_iter()
    .filter_map(|(owner, id, field, kind)| id.as_ref().map(|id| (owner, id, field, kind)))
    .collect();
    match given.as_slice() {
        [(owner, id, field, kind)] => Ok((*owner, ids::decode_uuid(field, id, *kind)?)),
        _ => Err(ApiError::bad_input(
            "input",
            "a link belongs to exactly one of project, programme, resourceCentre, workshop",
        )),
    }
}

/// The caller may write the links of `owner` `id`: NOT_FOUND when it may not see it,
/// FORBIDDEN when it may not describe it.
async fn may_write(write: &Write<'_>, owner: Owner, id: Uuid) -> ApiResult<()> {
    match owner {
        Owner::Project => {
            project::managed(write, id, ProjectRights::Descriptions).await?;
        }
        Owner::Workshop => {
            workshop::managed(write, id).await?;
        }
        Owner::ResourceCentre => {
            write.administered::<resource_centre::Entity>(id).await?;
        }
        Owner::Programme => {
            write
                .find::<programme::Entity>(id, Condition::all())
                .await?;
            access::require_programme_manager(write.caller(), "change programmes' links")?;
        }
    }
    Ok(())
}

/// A link the caller sees and may change.
async fn writable(write: &Write<'_>, id: &ID) -> ApiResult<document_link::Model> {
    let id = ids::decode_uuid("input.id", id, Kind::DocumentLink)?;
    let current = write
        .find::<document_link::Entity>(id, access::document_links(write.caller()))
        .await?;
    let (owner, owner_id) = Owner::of(&current)
        .ok_or_else(|| ApiError::internal("a document link without an owner"))?;
    may_write(write, owner, owner_id).await?;
    Ok(current)
}

#[derive(Default)]
pub struct DocumentLinkMutation;

#[Object]
impl DocumentLinkMutation {
    /// Links a document to a project, programme, resource centre or workshop. Allowed to the
    /// project's partners, coordinators and admins for a project or workshop, the country's
    /// coordinators and admins for a resource centre, admins for a programme (else FORBIDDEN).
    async fn add_document_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The document and what it belongs to.")] input: AddDocumentLinkInput,
    ) -> ApiResult<DocumentLinkPayload> {
        let created = committed(ctx, async |write| {
            let (owner, owner_id) = owner(&input)?;
            may_write(write, owner, owner_id).await?;
            let (original, title) = TITLE.first(&input.original_language, &input.title)?;
            let on = |o: Owner| Set((owner == o).then_some(owner_id));
            let row = new_real_row!(document_link {
                url: Set(url(input.url.as_deref())?),
                title: Set(title),
                language: Set(original),
                category: Set(input.category),
                document_language: Set(input
                    .document_language
                    .as_deref()
                    .map(|l| language("input.documentLanguage", l))
                    .transpose()?),
                published_on: Set(input.date.map(|d| d.0)),
                position: Set(input.position),
                project_id: on(Owner::Project),
                programme_id: on(Owner::Programme),
                resource_centre_id: on(Owner::ResourceCentre),
                workshop_id: on(Owner::Workshop),
            });
            write.insert("addDocumentLink", row).await
        })
        .await?;
        Ok(DocumentLinkPayload {
            document: DocumentLink(created),
        })
    }

    /// Changes a link (those who may describe its owner); a stale `expectedVersion` answers
    /// CONFLICT.
    async fn update_document_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link and what to change on it.")] input: UpdateDocumentLinkInput,
    ) -> ApiResult<DocumentLinkPayload> {
        let updated = committed(ctx, async |write| {
            let current = writable(write, &input.revision.id).await?;
            let changes = document_link::ActiveModel {
                // A blank address clears it, as `null` does.
                url: changed(given(input.url, |v| url(Some(&v)))?.map(Option::flatten)),
                title: TITLE.changed(input.title.as_deref(), &current.language)?,
                category: changed(input.category),
                document_language: changed(given(input.document_language, |v| {
                    language("input.documentLanguage", &v)
                })?),
                published_on: changed(given(input.date, |d| Ok(d.0))?),
                position: changed(input.position),
                ..Default::default()
            };
            write
                .update(
                    "updateDocumentLink",
                    &current,
                    input.revision.version,
                    changes,
                )
                .await
        })
        .await?;
        Ok(DocumentLinkPayload {
            document: DocumentLink(updated),
        })
    }

    /// Deletes a link (those who may describe its owner).
    async fn delete_document_link(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The link to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let current = writable(write, &input.id).await?;
            write
                .delete::<document_link::Entity>("deleteDocumentLink", &current, Vec::new())
                .await
        })
        .await
    }
}
