//! Resource centre writes (coordinators of the region's country, admins), through the write
//! pipeline. A centre is deleted only while no project refers to it.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{organisation, project, resource_centre};
use sea_orm::ActiveValue::Set;
use serde_json::json;

use crate::access;
use crate::db::rows::uses;
use crate::error::ApiResult;
use crate::graphql::reference_write::{changed_website, existing_region, website};
use crate::graphql::resource_centre::ResourceCentre;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted};
use crate::ids::Kind;
use crate::writes::{Write, changed, new_row};

const NAME: TextField = TextField::required("input.name", 300);

/// A new resource centre.
#[derive(InputObject)]
pub struct CreateResourceCentreInput {
    /// Global id of the region it works in; its country decides who may add the centre.
    pub region: ID,
    /// Global id of the organisation that hosts it.
    pub host_organisation: ID,
    /// The language the name is written in first, e.g. `sv`.
    pub original_language: String,
    /// The name, one text per language (at most 300 characters each), one of them in
    /// `originalLanguage`.
    pub name: Vec<TranslationInput>,
    /// Codes of terms of the ACTION_AREA vocabulary.
    pub action_areas: Vec<String>,
    /// An http(s) address of at most 512 characters.
    pub website: Option<String>,
}

/// What to change on a resource centre; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateResourceCentreInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the name (the original language included).
    pub name: Option<Vec<TranslationInput>>,
    /// Replaces the areas it works in (codes of ACTION_AREA terms).
    pub action_areas: Option<Vec<String>>,
    /// An http(s) address; blank removes it.
    pub website: Option<String>,
}

/// What `createResourceCentre` and `updateResourceCentre` answer.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct ResourceCentrePayload {
    /// The resource centre as stored, with its new `version`.
    pub resource_centre: ResourceCentre,
}

/// The codes, each once, if each names an action area.
async fn action_areas(write: &Write<'_>, areas: &[String]) -> ApiResult<serde_json::Value> {
    let codes = crate::domain::project::classification_codes("input.actionAreas", areas)?;
    crate::writes::terms::check(
        write.txn(),
        entity::enums::ClassificationVocabulary::ActionArea,
        &codes,
        "input.actionAreas",
    )
    .await?;
    Ok(json!(codes))
}

#[derive(Default)]
pub struct ResourceCentreMutation;

#[Object]
impl ResourceCentreMutation {
    /// Adds a resource centre (coordinators of the region's country, admins).
    async fn create_resource_centre(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The resource centre to add.")] input: CreateResourceCentreInput,
    ) -> ApiResult<ResourceCentrePayload> {
        let created = committed(ctx, async |write| {
            let region = existing_region(write, "input.region", &input.region).await?;
            if !access::administers(write.caller(), Some(&region.country_code)) {
                return Err(access::forbidden("you may not add resource centres there"));
            }
            let host = crate::ids::decode_uuid(
                "input.hostOrganisation",
                &input.host_organisation,
                Kind::Organisation,
            )?;
            write
                .referenced::<organisation::Entity>("input.hostOrganisation", host)
                .await?;
            let (language, name) = NAME.first(&input.original_language, &input.name)?;
            let row = new_row!(resource_centre {
                region_id: Set(region.id),
                host_organisation_id: Set(host),
                name: Set(name),
                language: Set(language),
                action_areas: Set(action_areas(write, &input.action_areas).await?),
                website: Set(website(input.website.as_deref())?),
            });
            write.insert("createResourceCentre", row).await
        })
        .await?;
        Ok(ResourceCentrePayload {
            resource_centre: ResourceCentre(created),
        })
    }

    /// Changes a resource centre (coordinators of its region's country, admins); a stale
    /// `expectedVersion` answers CONFLICT and changes nothing.
    async fn update_resource_centre(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The resource centre and what to change on it.")]
        input: UpdateResourceCentreInput,
    ) -> ApiResult<ResourceCentrePayload> {
        let updated = committed(ctx, async |write| {
            let id = input.revision.row(Kind::ResourceCentre)?;
            let current = write.administered::<resource_centre::Entity>(id).await?;
            let areas = match input.action_areas.as_deref() {
                Some(areas) => Some(action_areas(write, areas).await?),
                None => None,
            };
            let changes = resource_centre::ActiveModel {
                name: NAME.changed(input.name.as_deref(), &current.language)?,
                action_areas: changed(areas),
                website: changed_website(input.website.as_deref())?,
                ..Default::default()
            };
            write
                .update(
                    "updateResourceCentre",
                    &current,
                    input.revision.version,
                    changes,
                )
                .await
        })
        .await?;
        Ok(ResourceCentrePayload {
            resource_centre: ResourceCentre(updated),
        })
    }

    /// Deletes a resource centre no project refers to (coordinators of its region's country,
    /// admins); while projects do, BAD_USER_INPUT says how many and nothing changes.
    async fn delete_resource_centre(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The resource centre to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::ResourceCentre)?;
            let current = write.administered::<resource_centre::Entity>(id).await?;
            let uses = uses!(write.txn(), id; project::ResourceCentreId => "projects");
            write
                .delete::<resource_centre::Entity>("deleteResourceCentre", &current, uses)
                .await
        })
        .await
    }
}

crate::graphql::connection::payload_edge!(
    ResourceCentrePayload,
    resource_centre,
    crate::graphql::resource_centre::ResourceCentreEdge,
    crate::graphql::ordering::ResourceCentreOrderField
);
