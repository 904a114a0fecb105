//! Writes of reference data: regions (ADMIN) and organisations (coordinators of their
//! country, ADMIN), through the write pipeline (`crate::writes`). Deletes are refused
//! while anything refers to the row.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use entity::{
    api_token, contact, funding, organisation, project_participant, project_region, region,
    resource_centre, workshop,
};
use sea_orm::{ActiveValue, ActiveValue::Set, ColumnTrait, Condition, EntityTrait, QueryFilter};

use crate::access;
use crate::db::rows::{dependants, uses, visible_dependants};
use crate::domain::codes::{CountryCode, NutsCode};
use crate::domain::text::optional;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::OrganisationKind;
use crate::graphql::organisation::Organisation;
use crate::graphql::region::Region;
use crate::graphql::text_input::{TextField, TranslationInput};
use crate::graphql::versioned::Revision;
use crate::graphql::writing::{DeleteInput, DeletePayload, committed, deleted};
use crate::ids::Kind;
use crate::writes::{Write, changed, new_real_row, new_row};

const ORGANISATION_NAME: TextField = TextField::required("input.name", 300);
const REGION_NAME: TextField = TextField::required("input.name", 200);

/// A website an update changes only when the input gives one (blank clears it).
pub(crate) fn changed_website(value: Option<&str>) -> ApiResult<ActiveValue<Option<String>>> {
    Ok(changed(value.map(|w| website(Some(w))).transpose()?))
}

/// Regions are the programme's, no country's: only admins change them.
fn only_admins_change_regions(write: &Write<'_>) -> ApiResult<()> {
    if access::administers(write.caller(), None) {
        Ok(())
    } else {
        Err(access::forbidden("only admins change regions"))
    }
}

pub(crate) fn website(value: Option<&str>) -> ApiResult<Option<String>> {
    match value.map(str::trim) {
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
            format!("{code} is not a country Mosaic knows (createCountry adds one)"),
        ));
    }
    Ok(code)
}

/// The country whose NUTS codes start as `nuts` does (Greece's with EL).
async fn nuts_country(txn: &sea_orm::DatabaseTransaction, nuts: &NutsCode) -> ApiResult<String> {
    let prefix = &nuts.as_str()[..2];
    entity::country::Entity::find()
        .filter(entity::country::Column::NutsPrefix.eq(prefix))
        .one(txn)
        .await?
        .map(|c| c.code)
        .ok_or_else(|| {
            ApiError::bad_input(
                "input.nutsCode",
                format!("no country Mosaic knows has NUTS codes starting {prefix}"),
            )
        })
}

/// The region a field names (BAD_USER_INPUT on it when there is none).
pub(crate) async fn existing_region(
    write: &Write<'_>,
    field: &str,
    id: &ID,
) -> ApiResult<region::Model> {
    let id = crate::ids::decode_uuid(field, id, Kind::Region)?;
    write.referenced::<region::Entity>(field, id).await
}

/// A new organisation.
#[derive(InputObject)]
pub struct CreateOrganisationInput {
    /// The language the name is written in first, e.g. `sv`.
    pub original_language: String,
    /// The name, one text per language (at most 300 characters each), one of them in
    /// `originalLanguage`.
    pub name: Vec<TranslationInput>,
    /// Its acronym or short name, up to 32 characters.
    pub acronym: Option<String>,
    /// What sort of organisation it is.
    pub kind: OrganisationKind,
    /// ISO code; `null` for international bodies (admins only).
    pub country: Option<String>,
    /// Global id of the NUTS region it is based in, which must lie in `country`.
    pub region: Option<ID>,
    /// An http(s) address of at most 512 characters.
    pub website: Option<String>,
}

/// What to change on an organisation; a field left out keeps its value.
#[derive(InputObject)]
pub struct UpdateOrganisationInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the name (the original language included).
    pub name: Option<Vec<TranslationInput>>,
    /// Up to 32 characters; blank removes it.
    pub acronym: Option<String>,
    /// What sort of organisation it is.
    pub kind: Option<OrganisationKind>,
    /// An http(s) address; blank removes it.
    pub website: Option<String>,
}

/// A new NUTS region; its country and level follow from the code.
#[derive(InputObject)]
pub struct CreateRegionInput {
    /// NUTS code, e.g. `SE311`: a country prefix and up to three more characters, one per
    /// level; unique within its NUTS version.
    pub nuts_code: String,
    /// NUTS classification year, e.g. 2024.
    pub nuts_version: i32,
    /// Global id of the region one NUTS level up, whose code starts this one's.
    pub parent: Option<ID>,
    /// The language the name is written in first, e.g. `fi`.
    pub original_language: String,
    /// The name, one text per language (at most 200 characters each), one of them in
    /// `originalLanguage`.
    pub name: Vec<TranslationInput>,
}

/// A region's new name.
#[derive(InputObject)]
pub struct UpdateRegionInput {
    #[graphql(flatten)]
    pub revision: Revision,
    /// Replaces all language versions of the name (at most 200 characters each); one must
    /// be in the region's original language.
    pub name: Vec<TranslationInput>,
}

/// What `createOrganisation` and `updateOrganisation` answer.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct OrganisationPayload {
    /// The organisation as stored, with its new `version`.
    pub organisation: Organisation,
}

/// What `createRegion` and `updateRegion` answer.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct RegionPayload {
    /// The region as stored, with its new `version`.
    pub region: Region,
}

#[derive(Default)]
pub struct ReferenceMutation;

#[Object]
impl ReferenceMutation {
    /// Adds an organisation (coordinators in their countries; admins anywhere, also without one).
    async fn create_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation to add.")] input: CreateOrganisationInput,
    ) -> ApiResult<OrganisationPayload> {
        let created = committed(ctx, async |write| {
            let country = match &input.country {
                Some(code) => Some(existing_country(write.txn(), "input.country", code).await?),
                None => None,
            };
            if !access::administers(write.caller(), country.as_deref()) {
                return Err(access::forbidden("you may not add organisations there"));
            }
            let (language, name) =
                ORGANISATION_NAME.first(&input.original_language, &input.name)?;
            let region = match &input.region {
                Some(id) => {
                    let region = existing_region(write, "input.region", id).await?;
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
            let row = new_real_row!(organisation {
                name: Set(name),
                language: Set(language),
                acronym: Set(optional("input.acronym", input.acronym.as_deref(), 32)?),
                kind: Set(input.kind),
                country_code: Set(country),
                region_id: Set(region),
                website: Set(website(input.website.as_deref())?),
            });
            write.insert("createOrganisation", row).await
        })
        .await?;
        Ok(OrganisationPayload {
            organisation: Organisation(created),
        })
    }

    /// Changes an organisation (coordinators of its country, admins; international bodies:
    /// admins only); a stale `expectedVersion` answers CONFLICT and changes nothing.
    async fn update_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation and what to change on it.")]
        input: UpdateOrganisationInput,
    ) -> ApiResult<OrganisationPayload> {
        let updated = committed(ctx, async |write| {
            let id = input.revision.row(Kind::Organisation)?;
            let current = write.administered::<organisation::Entity>(id).await?;
            let acronym = input
                .acronym
                .as_deref()
                .map(|a| optional("input.acronym", Some(a), 32));
            let changes = organisation::ActiveModel {
                name: ORGANISATION_NAME.changed(input.name.as_deref(), &current.language)?,
                acronym: changed(acronym.transpose()?),
                kind: changed(input.kind),
                website: changed_website(input.website.as_deref())?,
                ..Default::default()
            };
            write
                .update(
                    "updateOrganisation",
                    &current,
                    input.revision.version,
                    changes,
                )
                .await
        })
        .await?;
        Ok(OrganisationPayload {
            organisation: Organisation(updated),
        })
    }

    /// Deletes an organisation nothing refers to (coordinators of its country, admins);
    /// while projects, fundings, resource centres, API tokens, programmes or contacts refer
    /// to it, BAD_USER_INPUT names them and nothing changes.
    async fn delete_organisation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organisation to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Organisation)?;
            let current = write.administered::<organisation::Entity>(id).await?;
            let (txn, caller) = (write.txn(), write.caller());
            let uses = vec![
                visible_dependants::<project_participant::Entity>(
                    txn,
                    "project participations",
                    project_participant::Column::OrganisationId,
                    id,
                    Condition::all().add(
                        project_participant::Column::ProjectId
                            .in_subquery(access::project_ids(access::projects(caller))),
                    ),
                )
                .await?,
                visible_dependants::<funding::Entity>(
                    txn,
                    "fundings",
                    funding::Column::FunderId,
                    id,
                    access::fundings(caller),
                )
                .await?,
                dependants::<resource_centre::Entity>(
                    txn,
                    "resource centres",
                    resource_centre::Column::HostOrganisationId,
                    id,
                )
                .await?,
                dependants::<api_token::Entity>(
                    txn,
                    "API tokens",
                    api_token::Column::OrganisationId,
                    id,
                )
                .await?,
                // Programmes are public: which name it is no secret.
                dependants::<entity::programme::Entity>(
                    txn,
                    "programmes it manages",
                    entity::programme::Column::ManagingOrganisationId,
                    id,
                )
                .await?,
                dependants::<entity::programme_funder::Entity>(
                    txn,
                    "programmes it funds",
                    entity::programme_funder::Column::OrganisationId,
                    id,
                )
                .await?,
                visible_dependants::<contact::Entity>(
                    txn,
                    "contacts",
                    contact::Column::OrganisationId,
                    id,
                    access::contacts(caller),
                )
                .await?,
            ];
            write
                .delete::<organisation::Entity>("deleteOrganisation", &current, uses)
                .await
        })
        .await
    }

    /// Adds a NUTS region (admins).
    async fn create_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region to add.")] input: CreateRegionInput,
    ) -> ApiResult<RegionPayload> {
        let created = committed(ctx, async |write| {
            only_admins_change_regions(write)?;
            let nuts = NutsCode::parse(&input.nuts_code)
                .map_err(|m| ApiError::bad_input("input.nutsCode", m))?;
            let nuts_version = i16::try_from(input.nuts_version)
                .ok()
                .filter(|v| (2003..=2100).contains(v))
                .ok_or_else(|| {
                    ApiError::bad_input(
                        "input.nutsVersion",
                        "a NUTS version is a year such as 2024",
                    )
                })?;
            let (language, name) = REGION_NAME.first(&input.original_language, &input.name)?;
            let country = nuts_country(write.txn(), &nuts).await?;
            let parent = match &input.parent {
                Some(id) => {
                    let parent = existing_region(write, "input.parent", id).await?;
                    if !nuts.as_str().starts_with(&parent.nuts_code)
                        || parent.level + 1 != nuts.level()
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
                .one(write.txn())
                .await?;
            if clash.is_some() {
                return Err(ApiError::bad_input(
                    "input.nutsCode",
                    "that NUTS code exists in that version",
                ));
            }
            let row = new_row!(region {
                nuts_code: Set(nuts.as_str().to_owned()),
                nuts_version: Set(nuts_version),
                level: Set(nuts.level()),
                parent_id: Set(parent),
                country_code: Set(country),
                name: Set(name),
                language: Set(language),
            });
            write.insert("createRegion", row).await
        })
        .await?;
        Ok(RegionPayload {
            region: Region(created),
        })
    }

    /// Renames a region (admins); a stale `expectedVersion` answers CONFLICT and changes
    /// nothing.
    async fn update_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region and its new name.")] input: UpdateRegionInput,
    ) -> ApiResult<RegionPayload> {
        let updated = committed(ctx, async |write| {
            only_admins_change_regions(write)?;
            let id = input.revision.row(Kind::Region)?;
            let current = write.find::<region::Entity>(id, Condition::all()).await?;
            let changes = region::ActiveModel {
                name: Set(REGION_NAME.stored(&input.name, &current.language)?),
                ..Default::default()
            };
            write
                .update("updateRegion", &current, input.revision.version, changes)
                .await
        })
        .await?;
        Ok(RegionPayload {
            region: Region(updated),
        })
    }

    /// Deletes a region nothing refers to (admins); while sub-regions, projects,
    /// organisations, resource centres or workshop venues refer to it, BAD_USER_INPUT names
    /// them and nothing changes.
    async fn delete_region(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The region to delete.")] input: DeleteInput,
    ) -> ApiResult<DeletePayload> {
        deleted(ctx, input.id.clone(), async |write| {
            only_admins_change_regions(write)?;
            let id = crate::ids::decode_uuid("input.id", &input.id, Kind::Region)?;
            let current = write.find::<region::Entity>(id, Condition::all()).await?;
            let uses = uses!(write.txn(), id;
                region::ParentId => "sub-regions",
                project_region::RegionId => "projects",
                organisation::RegionId => "organisations",
                resource_centre::RegionId => "resource centres",
                workshop::VenueRegionId => "workshop venues",
            );
            write
                .delete::<region::Entity>("deleteRegion", &current, uses)
                .await
        })
        .await
    }
}

crate::graphql::connection::payload_edge!(
    OrganisationPayload,
    organisation,
    crate::graphql::organisation::OrganisationEdge,
    crate::graphql::ordering::OrganisationOrderField
);

crate::graphql::connection::payload_edge!(
    RegionPayload,
    region,
    crate::graphql::region::RegionEdge,
    crate::graphql::ordering::RegionOrderField
);
