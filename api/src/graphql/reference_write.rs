//! Writes of reference data: regions (ADMIN), organisations and resource centres (coordinators
//! of their country, ADMIN). Deletes are refused while anything refers to the row.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::enums::Role;
use entity::{
    api_token, contact, funding, organisation, project, project_participant, project_region,
    region, resource_centre, workshop,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter,
};
use serde_json::json;
use uuid::Uuid;

use crate::access;
use crate::audit::{self, Change};
use crate::auth::Caller;
use crate::db::rows::{dependants, refuse_if_used, versioned_update, visible_dependants};
use crate::domain::codes::{CountryCode, Language, NutsCode};
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::enums::OrganisationKind;
use crate::graphql::organisation::Organisation;
use crate::graphql::project_write::{TranslationInput, check_length, texts};
use crate::graphql::region::Region;
use crate::graphql::resource_centre::{ActionArea, ResourceCentre};
use crate::ids::Kind;

fn require_admin(caller: &Caller, what: &str) -> ApiResult<()> {
    access::require_signed_in(caller)?;
    if caller.role() == Some(Role::Admin) {
        Ok(())
    } else {
        Err(access::forbidden(format!("only admins change {what}")))
    }
}

fn website(value: &Option<String>) -> ApiResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(url)
            if (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 512
                && !url.contains(char::is_whitespace) =>
        {
            Ok(Some(url.to_owned()))
        }
        Some(_) => Err(ApiError::bad_input(
            "input.website",
            "a website is an http(s) address of at most 512 characters",
        )),
    }
}

async fn existing_country(
    txn: &sea_orm::DatabaseTransaction,
    field: &str,
    code: &str,
) -> ApiResult<String> {
    let code = CountryCode::parse(code)
        .map_err(|m| ApiError::bad_input(field, m))?
        .into_inner();
    if entity::country::Entity::find_by_id(code.clone())
        .one(txn)
        .await?
        .is_none()
    {
        return Err(ApiError::bad_input(
            field,
            format!("{code} is not a programme country"),
        ));
    }
    Ok(code)
}

async fn existing_region(
    txn: &sea_orm::DatabaseTransaction,
    field: &str,
    id: &ID,
) -> ApiResult<region::Model> {
    let id = crate::ids::decode_uuid(field, id, Kind::Region)?;
    region::Entity::find_by_id(id)
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::bad_input(field, format!("`{field}` names no region")))
}

#[derive(InputObject)]
pub struct CreateOrganisationInput {
    pub original_language: String,
    pub name: Vec<TranslationInput>,
    pub acronym: Option<String>,
    pub kind: OrganisationKind,
    /// ISO code; `null` for international bodies (admins only).
    pub country: Option<String>,
    pub region: Option<ID>,
    pub website: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<Vec<TranslationInput>>,
    pub acronym: Option<String>,
    pub kind: Option<OrganisationKind>,
    pub website: Option<String>,
}

#[derive(InputObject)]
pub struct CreateRegionInput {
    pub nuts_code: String,
    /// NUTS classification year, e.g. 2024.
    pub nuts_version: i32,
    pub parent: Option<ID>,
    pub original_language: String,
    pub name: Vec<TranslationInput>,
}

#[derive(InputObject)]
pub struct UpdateRegionInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Vec<TranslationInput>,
}

#[derive(InputObject)]
pub struct CreateResourceCentreInput {
    pub region: ID,
    pub host_organisation: ID,
    pub original_language: String,
    pub name: Vec<TranslationInput>,
    pub action_areas: Vec<ActionArea>,
    pub website: Option<String>,
}

#[derive(InputObject)]
pub struct UpdateResourceCentreInput {
    pub id: ID,
    pub expected_version: i32,
    pub name: Option<Vec<TranslationInput>>,
    pub action_areas: Option<Vec<ActionArea>>,
    pub website: Option<String>,
}

#[derive(InputObject)]
pub struct DeleteInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct OrganisationPayload {
    pub organisation: Organisation,
}

#[derive(SimpleObject)]
pub struct RegionPayload {
    pub region: Region,
}

#[derive(SimpleObject)]
pub struct ResourceCentrePayload {
    pub resource_centre: ResourceCentre,
}

/// What a delete answers: the global id of the row that is gone.
#[derive(SimpleObject)]
pub struct DeletePayload {
    pub deleted_id: ID,
}

fn action_areas(areas: &[ActionArea]) -> serde_json::Value {
    let mut codes: Vec<&str> = Vec::new();
    for area in areas {
        if !codes.contains(&area.code()) {
            codes.push(area.code());
        }
    }
    json!(codes)
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// Adds an organisation (coordinators in their countries; admins anywhere, also without one).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganisationInput,
    ) -> ApiResult<OrganisationPayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let country = match &input.country {
            Some(code) => Some(existing_country(&txn, "input.country", code).await?),
            None => None,
        };
        if !access::administers(&rc.caller, country.as_deref()) {
            return Err(access::forbidden("you may not add organisations there"));
        }
        let original = Language::parse(&input.original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let name = texts("input.name", &input.name, original.as_str(), 300, true)?;
        if let Some(acronym) = &input.acronym {
            check_length("input.acronym", acronym, 32)?;
        }
        let region = match &input.region {
            Some(id) => {
                let region = existing_region(&txn, "input.region", id).await?;
                if country.as_deref() != Some(region.country_code.as_str()) {
                    return Err(ApiError::bad_input(
                        "input.region",
                        "the region is not in the organisation's country",
                    ));
                }
                Some(region.id)
            }
            None => None,
        };
        let created = organisation::ActiveModel {
            id: Set(Uuid::now_v7()),
            name: Set(name),
            language: Set(original.as_str().to_owned()),
            acronym: Set(input
                .acronym
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())),
            kind: Set(input.kind.into()),
            country_code: Set(country.clone()),
            region_id: Set(region),
            website: Set(website(&input.website)?),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        crate::search::index(&txn, &created).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "createOrganisation",
                entity: "Organisation",
                entity_id: created.id.to_string(),
                country,
                before: None,
                after: audit::snapshot(&created),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(OrganisationPayload {
            organisation: Organisation(created),
        })
    }

    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        input: UpdateOrganisationInput,
    ) -> ApiResult<OrganisationPayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Organisation)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = organisation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("organisation"))?;
        if !access::administers(&rc.caller, current.country_code.as_deref()) {
            return Err(access::forbidden("you may not change this organisation"));
        }
        let mut changes = <organisation::ActiveModel as Default>::default();
        if let Some(name) = &input.name {
            changes.name = Set(texts("input.name", name, &current.language, 300, true)?);
        }
        if let Some(acronym) = &input.acronym {
            check_length("input.acronym", acronym, 32)?;
            changes.acronym = Set(Some(acronym.trim().to_owned()).filter(|a| !a.is_empty()));
        }
        if let Some(kind) = input.kind {
            changes.kind = Set(kind.into());
        }
        if input.website.is_some() {
            changes.website = Set(website(&input.website)?);
        }
        let updated = versioned_update(
            &txn,
            "organisation",
            id,
            (organisation::Column::Id, organisation::Column::Version),
            current.version,
            input.expected_version,
            changes,
        )
        .await?;
        crate::search::index(&txn, &updated).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "updateOrganisation",
                entity: "Organisation",
                entity_id: id.to_string(),
                country: current.country_code.clone(),
                before: audit::snapshot(&current),
                after: audit::snapshot(&updated),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(OrganisationPayload {
            organisation: Organisation(updated),
        })
    }

    /// Deletes an organisation nothing refers to.
    async fn delete_organisation(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Organisation)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = organisation::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("organisation"))?;
        if !access::administers(&rc.caller, current.country_code.as_deref()) {
            return Err(access::forbidden("you may not delete this organisation"));
        }
        refuse_if_used(
            "organisation",
            vec![
                visible_dependants::<project_participant::Entity>(
                    &txn,
                    "project participations",
                    project_participant::Column::OrganisationId,
                    id,
                    Condition::all().add(
                        project_participant::Column::ProjectId
                            .in_subquery(access::project_ids(access::projects(&rc.caller))),
                    ),
                )
                .await?,
                visible_dependants::<funding::Entity>(
                    &txn,
                    "fundings",
                    funding::Column::FunderId,
                    id,
                    access::fundings(&rc.caller),
                )
                .await?,
                dependants::<resource_centre::Entity>(
                    &txn,
                    "resource centres",
                    resource_centre::Column::HostOrganisationId,
                    id,
                )
                .await?,
                dependants::<api_token::Entity>(
                    &txn,
                    "API tokens",
                    api_token::Column::OrganisationId,
                    id,
                )
                .await?,
                visible_dependants::<contact::Entity>(
                    &txn,
                    "contacts",
                    contact::Column::OrganisationId,
                    id,
                    access::contacts(&rc.caller),
                )
                .await?,
            ],
        )?;
        organisation::Entity::delete_by_id(id).exec(&txn).await?;
        crate::search::forget(&txn, "organisation", id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "deleteOrganisation",
                entity: "Organisation",
                entity_id: id.to_string(),
                country: current.country_code.clone(),
                before: audit::snapshot(&current),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Adds a NUTS region (admins).
    async fn create_region(
        &self,
        ctx: &Context<'_>,
        input: CreateRegionInput,
    ) -> ApiResult<RegionPayload> {
        let rc = request(ctx)?;
        require_admin(&rc.caller, "regions")?;
        let nuts = NutsCode::parse(&input.nuts_code)
            .map_err(|m| ApiError::bad_input("input.nutsCode", m))?;
        let nuts_version = i16::try_from(input.nuts_version)
            .ok()
            .filter(|v| (2003..=2100).contains(v))
            .ok_or_else(|| {
                ApiError::bad_input("input.nutsVersion", "a NUTS version is a year such as 2024")
            })?;
        let original = Language::parse(&input.original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let name = texts("input.name", &input.name, original.as_str(), 200, true)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let country = existing_country(&txn, "input.nutsCode", &nuts.as_str()[..2]).await?;
        let parent = match &input.parent {
            Some(id) => {
                let parent = existing_region(&txn, "input.parent", id).await?;
                if !nuts.as_str().starts_with(&parent.nuts_code) || parent.level + 1 != nuts.level()
                {
                    return Err(ApiError::bad_input(
                        "input.parent",
                        "the parent is not the region one NUTS level up",
                    ));
                }
                Some(parent.id)
            }
            None => None,
        };
        let clash = region::Entity::find()
            .filter(region::Column::NutsCode.eq(nuts.as_str()))
            .filter(region::Column::NutsVersion.eq(nuts_version))
            .one(&txn)
            .await?;
        if clash.is_some() {
            return Err(ApiError::bad_input(
                "input.nutsCode",
                "that NUTS code exists in that version",
            ));
        }
        let created = region::ActiveModel {
            id: Set(Uuid::now_v7()),
            nuts_code: Set(nuts.as_str().to_owned()),
            nuts_version: Set(nuts_version),
            level: Set(nuts.level()),
            parent_id: Set(parent),
            country_code: Set(country.clone()),
            name: Set(name),
            language: Set(original.as_str().to_owned()),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        crate::search::index(&txn, &created).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "createRegion",
                entity: "Region",
                entity_id: created.id.to_string(),
                country: Some(country),
                before: None,
                after: audit::snapshot(&created),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(RegionPayload {
            region: Region(created),
        })
    }

    async fn update_region(
        &self,
        ctx: &Context<'_>,
        input: UpdateRegionInput,
    ) -> ApiResult<RegionPayload> {
        let rc = request(ctx)?;
        require_admin(&rc.caller, "regions")?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Region)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = region::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("region"))?;
        let changes = region::ActiveModel {
            name: Set(texts(
                "input.name",
                &input.name,
                &current.language,
                200,
                true,
            )?),
            ..Default::default()
        };
        let updated = versioned_update(
            &txn,
            "region",
            id,
            (region::Column::Id, region::Column::Version),
            current.version,
            input.expected_version,
            changes,
        )
        .await?;
        crate::search::index(&txn, &updated).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "updateRegion",
                entity: "Region",
                entity_id: id.to_string(),
                country: Some(current.country_code.clone()),
                before: audit::snapshot(&current),
                after: audit::snapshot(&updated),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(RegionPayload {
            region: Region(updated),
        })
    }

    /// Deletes a region nothing refers to (admins).
    async fn delete_region(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        require_admin(&rc.caller, "regions")?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Region)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = region::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("region"))?;
        refuse_if_used(
            "region",
            vec![
                dependants::<region::Entity>(&txn, "sub-regions", region::Column::ParentId, id)
                    .await?,
                dependants::<project_region::Entity>(
                    &txn,
                    "projects",
                    project_region::Column::RegionId,
                    id,
                )
                .await?,
                dependants::<organisation::Entity>(
                    &txn,
                    "organisations",
                    organisation::Column::RegionId,
                    id,
                )
                .await?,
                dependants::<resource_centre::Entity>(
                    &txn,
                    "resource centres",
                    resource_centre::Column::RegionId,
                    id,
                )
                .await?,
                dependants::<workshop::Entity>(
                    &txn,
                    "workshop venues",
                    workshop::Column::VenueRegionId,
                    id,
                )
                .await?,
            ],
        )?;
        region::Entity::delete_by_id(id).exec(&txn).await?;
        crate::search::forget(&txn, "region", id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "deleteRegion",
                entity: "Region",
                entity_id: id.to_string(),
                country: Some(current.country_code.clone()),
                before: audit::snapshot(&current),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }

    /// Adds a resource centre (coordinators of the region's country, admins).
    async fn create_resource_centre(
        &self,
        ctx: &Context<'_>,
        input: CreateResourceCentreInput,
    ) -> ApiResult<ResourceCentrePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let region = existing_region(&txn, "input.region", &input.region).await?;
        if !access::administers(&rc.caller, Some(&region.country_code)) {
            return Err(access::forbidden("you may not add resource centres there"));
        }
        let host = crate::ids::decode_uuid(
            "input.hostOrganisation",
            &input.host_organisation,
            Kind::Organisation,
        )?;
        if organisation::Entity::find_by_id(host)
            .one(&txn)
            .await?
            .is_none()
        {
            return Err(ApiError::bad_input(
                "input.hostOrganisation",
                "`input.hostOrganisation` names no organisation",
            ));
        }
        let original = Language::parse(&input.original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let created = resource_centre::ActiveModel {
            id: Set(Uuid::now_v7()),
            region_id: Set(region.id),
            host_organisation_id: Set(host),
            name: Set(texts(
                "input.name",
                &input.name,
                original.as_str(),
                300,
                true,
            )?),
            language: Set(original.as_str().to_owned()),
            action_areas: Set(action_areas(&input.action_areas)),
            website: Set(website(&input.website)?),
            version: Set(1),
        }
        .insert(&txn)
        .await?;
        crate::search::index(&txn, &created).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "createResourceCentre",
                entity: "ResourceCentre",
                entity_id: created.id.to_string(),
                country: Some(region.country_code),
                before: None,
                after: audit::snapshot(&created),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(ResourceCentrePayload {
            resource_centre: ResourceCentre(created),
        })
    }

    async fn update_resource_centre(
        &self,
        ctx: &Context<'_>,
        input: UpdateResourceCentreInput,
    ) -> ApiResult<ResourceCentrePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::ResourceCentre)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = resource_centre::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("resource centre"))?;
        let country = region::Entity::find_by_id(current.region_id)
            .one(&txn)
            .await?
            .map(|r| r.country_code);
        if !access::administers(&rc.caller, country.as_deref()) {
            return Err(access::forbidden("you may not change this resource centre"));
        }
        let mut changes = <resource_centre::ActiveModel as Default>::default();
        if let Some(name) = &input.name {
            changes.name = Set(texts("input.name", name, &current.language, 300, true)?);
        }
        if let Some(areas) = &input.action_areas {
            changes.action_areas = Set(action_areas(areas));
        }
        if input.website.is_some() {
            changes.website = Set(website(&input.website)?);
        }
        let updated = versioned_update(
            &txn,
            "resource centre",
            id,
            (
                resource_centre::Column::Id,
                resource_centre::Column::Version,
            ),
            current.version,
            input.expected_version,
            changes,
        )
        .await?;
        crate::search::index(&txn, &updated).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "updateResourceCentre",
                entity: "ResourceCentre",
                entity_id: id.to_string(),
                country,
                before: audit::snapshot(&current),
                after: audit::snapshot(&updated),
            },
        )
        .await?;
        txn.commit().await?;
        Ok(ResourceCentrePayload {
            resource_centre: ResourceCentre(updated),
        })
    }

    /// Deletes a resource centre no project refers to.
    async fn delete_resource_centre(
        &self,
        ctx: &Context<'_>,
        input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        let rc = request(ctx)?;
        access::require_signed_in(&rc.caller)?;
        let id = crate::ids::decode_uuid("input.id", &input.id, Kind::ResourceCentre)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let current = resource_centre::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or_else(|| ApiError::not_found("resource centre"))?;
        let country = region::Entity::find_by_id(current.region_id)
            .one(&txn)
            .await?
            .map(|r| r.country_code);
        if !access::administers(&rc.caller, country.as_deref()) {
            return Err(access::forbidden("you may not delete this resource centre"));
        }
        refuse_if_used(
            "resource centre",
            vec![
                dependants::<project::Entity>(
                    &txn,
                    "projects",
                    project::Column::ResourceCentreId,
                    id,
                )
                .await?,
            ],
        )?;
        resource_centre::Entity::delete_by_id(id).exec(&txn).await?;
        crate::search::forget(&txn, "resource_centre", id).await?;
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "deleteResourceCentre",
                entity: "ResourceCentre",
                entity_id: id.to_string(),
                country,
                before: audit::snapshot(&current),
                after: None,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(DeletePayload {
            deleted_id: input.id,
        })
    }
}
