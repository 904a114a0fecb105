//! Project writes: create, update (optimistic concurrency), publish. Each is one transaction
//! with its audit row; the write rule is `access::project_rights`.

use async_graphql::{Context, ID, Object};
use chrono::Utc;
use entity::enums::ClassificationVocabulary;
use entity::{
    country, organisation, project, project_classification, project_participant, project_region,
    region, resource_centre,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::audit::{self, Change};
use crate::derived::participation_counts;
use crate::domain::codes::{CountryCode, Language};
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::project::Project;
use crate::graphql::project_input::{
    CreateProjectInput, CreateProjectPayload, MAX_SUMMARY, MAX_TITLE, PublishProjectInput,
    PublishProjectPayload, UpdateProjectInput, UpdateProjectPayload, all_exist,
    classification_codes, dates, gender_marker, project_code,
};
use crate::graphql::text_input::{check_length, texts};
use crate::ids::Kind;

async fn participants_of(db: &impl ConnectionTrait, project: Uuid) -> ApiResult<Vec<Uuid>> {
    Ok(project_participant::Entity::find()
        .filter(project_participant::Column::ProjectId.eq(project))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.organisation_id)
        .collect())
}

/// The project as the caller may see it, with what the caller may change on it.
pub(crate) async fn load_for_write(
    txn: &DatabaseTransaction,
    caller: &crate::auth::Caller,
    field: &str,
    id: &ID,
) -> ApiResult<(project::Model, ProjectRights)> {
    let id = crate::ids::decode_uuid(field, id, Kind::Project)?;
    // A project the caller cannot even see is "not found", never confirmed to exist.
    let project = project::Entity::find_by_id(id)
        .filter(access::projects(caller))
        .one(txn)
        .await?
        .ok_or_else(|| ApiError::not_found("project"))?;
    let rights = access::project_rights(caller, &project, &participants_of(txn, id).await?);
    Ok((project, rights))
}

/// Replaces the project's regions, participants and classifications the input names.
async fn replace_links(
    txn: &DatabaseTransaction,
    id: Uuid,
    input: &UpdateProjectInput,
) -> ApiResult<()> {
    if let Some(regions) = &input.regions {
        let regions = crate::graphql::filters::ids("input.regions", regions, Kind::Region)?;
        all_exist::<region::Entity>(txn, "input.regions", region::Column::Id, &regions).await?;
        project_region::Entity::delete_many()
            .filter(project_region::Column::ProjectId.eq(id))
            .exec(txn)
            .await?;
        for region_id in regions {
            project_region::ActiveModel {
                project_id: Set(id),
                region_id: Set(region_id),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(participants) = &input.participants {
        let participants = participants
            .iter()
            .map(|p| {
                Ok((
                    crate::ids::decode_uuid(
                        "input.participants",
                        &p.organisation,
                        Kind::Organisation,
                    )?,
                    p.role,
                ))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let mut ids: Vec<Uuid> = participants.iter().map(|(o, _)| *o).collect();
        ids.sort();
        ids.dedup();
        if ids.len() != participants.len() {
            return Err(ApiError::bad_input(
                "input.participants",
                "an organisation takes part once, in one role",
            ));
        }
        all_exist::<organisation::Entity>(
            txn,
            "input.participants",
            organisation::Column::Id,
            &ids,
        )
        .await?;
        project_participant::Entity::delete_many()
            .filter(project_participant::Column::ProjectId.eq(id))
            .exec(txn)
            .await?;
        for (organisation_id, role) in participants {
            project_participant::ActiveModel {
                project_id: Set(id),
                organisation_id: Set(organisation_id),
                role: Set(role.into()),
            }
            .insert(txn)
            .await?;
        }
    }
    for (field, codes, vocabulary) in [
        (
            "input.focusAreas",
            &input.focus_areas,
            ClassificationVocabulary::FocusArea,
        ),
        (
            "input.targetGroups",
            &input.target_groups,
            ClassificationVocabulary::TargetGroup,
        ),
    ] {
        if let Some(codes) = codes {
            let codes = classification_codes(field, codes)?;
            project_classification::Entity::delete_many()
                .filter(project_classification::Column::ProjectId.eq(id))
                .filter(project_classification::Column::Vocabulary.eq(vocabulary))
                .exec(txn)
                .await?;
            for code in codes {
                project_classification::ActiveModel {
                    project_id: Set(id),
                    vocabulary: Set(vocabulary),
                    code: Set(code),
                }
                .insert(txn)
                .await?;
            }
        }
    }
    Ok(())
}

/// The tail of every project update: the versioned write, its audit row, the commit.
async fn save_change(
    txn: DatabaseTransaction,
    caller: &crate::auth::Caller,
    action: &str,
    current: &project::Model,
    expected_version: i32,
    changes: project::ActiveModel,
) -> ApiResult<project::Model> {
    let mut changes = changes;
    changes.updated_at = Set(Utc::now());
    let updated = crate::db::rows::versioned_update(
        &txn,
        "project",
        current.id,
        (project::Column::Id, project::Column::Version),
        current.version,
        expected_version,
        changes,
    )
    .await?;
    crate::search::index(&txn, &updated).await?;
    audit::record(
        &txn,
        caller,
        Change {
            action,
            entity: "Project",
            entity_id: current.id.to_string(),
            country: Some(current.country_code.clone()),
            before: audit::snapshot(current),
            after: audit::snapshot(&updated),
        },
    )
    .await?;
    if updated.published != current.published {
        participation_counts::refresh(&txn, current.id).await?;
    }
    txn.commit().await?;
    Ok(updated)
}

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
        access::require_signed_in(&rc.caller)?;
        let country = CountryCode::parse(&input.country)
            .map_err(|m| ApiError::bad_input("input.country", m))?
            .into_inner();
        if !access::may_create_project_in(&rc.caller, &country) {
            return Err(access::forbidden(format!(
                "you may not create projects owned by {country}"
            )));
        }
        let code = project_code(&input.code)?;
        let original = Language::parse(&input.original_language)
            .map_err(|m| ApiError::bad_input("input.originalLanguage", m))?;
        let title = texts(
            "input.title",
            &input.title,
            original.as_str(),
            MAX_TITLE,
            true,
        )?;
        let summary = texts(
            "input.summary",
            input.summary.as_deref().unwrap_or_default(),
            original.as_str(),
            MAX_SUMMARY,
            false,
        )?;
        if let Some(acronym) = &input.acronym {
            check_length("input.acronym", acronym, 32)?;
        }
        dates(input.start_date, input.end_date)?;
        let marker = gender_marker(input.gender_marker)?.unwrap_or(0);
        let regions = crate::graphql::filters::ids(
            "input.regions",
            input.regions.as_deref().unwrap_or_default(),
            Kind::Region,
        )?;
        let participants = input
            .participants
            .as_deref()
            .unwrap_or_default()
            .iter()
            .map(|p| {
                Ok((
                    crate::ids::decode_uuid(
                        "input.participants",
                        &p.organisation,
                        Kind::Organisation,
                    )?,
                    p.role,
                ))
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let focus = classification_codes(
            "input.focusAreas",
            input.focus_areas.as_deref().unwrap_or_default(),
        )?;
        let groups = classification_codes(
            "input.targetGroups",
            input.target_groups.as_deref().unwrap_or_default(),
        )?;
        let centre = input
            .resource_centre
            .as_ref()
            .map(|id| crate::ids::decode_uuid("input.resourceCentre", id, Kind::ResourceCentre))
            .transpose()?;
        let parent = input
            .parent
            .as_ref()
            .map(|id| crate::ids::decode_uuid("input.parent", id, Kind::Project))
            .transpose()?;

        let txn = crate::db::begin_write(&rc.db).await?;
        if country::Entity::find_by_id(country.clone())
            .one(&txn)
            .await?
            .is_none()
        {
            return Err(ApiError::bad_input(
                "input.country",
                format!("{country} is not a programme country"),
            ));
        }
        let taken = project::Entity::find()
            .filter(project::Column::Code.eq(&code))
            .one(&txn)
            .await?;
        if let Some(taken) = taken {
            // Only a caller who may see the clashing project learns that it exists.
            let visible = project::Entity::find_by_id(taken.id)
                .filter(access::projects(&rc.caller))
                .count(&txn)
                .await?
                > 0;
            return Err(ApiError::bad_input(
                "input.code",
                if visible {
                    format!("a project with code {code} exists")
                } else {
                    format!("the code {code} cannot be used; choose another")
                },
            ));
        }
        all_exist::<region::Entity>(&txn, "input.regions", region::Column::Id, &regions).await?;
        let organisation_ids: Vec<Uuid> = participants.iter().map(|(id, _)| *id).collect();
        let mut distinct = organisation_ids.clone();
        distinct.sort();
        distinct.dedup();
        if distinct.len() != organisation_ids.len() {
            return Err(ApiError::bad_input(
                "input.participants",
                "an organisation takes part once, in one role",
            ));
        }
        all_exist::<organisation::Entity>(
            &txn,
            "input.participants",
            organisation::Column::Id,
            &organisation_ids,
        )
        .await?;
        if let Some(centre) = centre {
            all_exist::<resource_centre::Entity>(
                &txn,
                "input.resourceCentre",
                resource_centre::Column::Id,
                &[centre],
            )
            .await?;
        }
        if let Some(parent) = parent {
            // A network project is joined from the parent's side too: only a parent the
            // caller may manage, never another country's project it can merely read.
            let managed = project::Entity::find_by_id(parent)
                .filter(access::managed_projects(&rc.caller))
                .count(&txn)
                .await?;
            if managed == 0 {
                return Err(ApiError::bad_input(
                    "input.parent",
                    "`input.parent` names no project you manage",
                ));
            }
        }
        let now = Utc::now();
        let id = Uuid::now_v7();
        let created = project::ActiveModel {
            id: Set(id),
            code: Set(code),
            acronym: Set(input
                .acronym
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty())),
            title: Set(title),
            summary: Set(summary),
            language: Set(original.as_str().to_owned()),
            status: Set(input
                .status
                .map(Into::into)
                .unwrap_or(entity::enums::ProjectStatus::Planned)),
            start_date: Set(input.start_date),
            end_date: Set(input.end_date),
            country_code: Set(country.clone()),
            resource_centre_id: Set(centre),
            parent_id: Set(parent),
            gender_marker: Set(marker),
            published: Set(false),
            illustrative: Set(Json::Array(Vec::new())),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        }
        .insert(&txn)
        .await?;
        crate::search::index(&txn, &created).await?;
        for region_id in regions {
            project_region::ActiveModel {
                project_id: Set(id),
                region_id: Set(region_id),
            }
            .insert(&txn)
            .await?;
        }
        for (organisation_id, role) in participants {
            project_participant::ActiveModel {
                project_id: Set(id),
                organisation_id: Set(organisation_id),
                role: Set(role.into()),
            }
            .insert(&txn)
            .await?;
        }
        for (codes, vocabulary) in [
            (focus, ClassificationVocabulary::FocusArea),
            (groups, ClassificationVocabulary::TargetGroup),
        ] {
            for code in codes {
                project_classification::ActiveModel {
                    project_id: Set(id),
                    vocabulary: Set(vocabulary),
                    code: Set(code),
                }
                .insert(&txn)
                .await?;
            }
        }
        audit::record(
            &txn,
            &rc.caller,
            Change {
                action: "createProject",
                entity: "Project",
                entity_id: id.to_string(),
                country: Some(country),
                before: None,
                after: audit::snapshot(&created),
            },
        )
        .await?;
        txn.commit().await?;
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
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let (current, rights) = load_for_write(&txn, &rc.caller, "input.id", &input.id).await?;
        let touches_more_than_descriptions = input.acronym.is_some()
            || input.status.is_some()
            || input.start_date.is_some()
            || input.end_date.is_some()
            || input.gender_marker.is_some()
            || input.regions.is_some()
            || input.participants.is_some()
            || input.focus_areas.is_some()
            || input.target_groups.is_some();
        match rights {
            ProjectRights::Nothing => {
                return Err(access::forbidden("you may not change this project"));
            }
            ProjectRights::Descriptions if touches_more_than_descriptions => {
                return Err(access::forbidden(
                    "partners may change only the title and summary",
                ));
            }
            _ => {}
        }
        let mut changes = project::ActiveModel {
            ..Default::default()
        };
        if let Some(title) = &input.title {
            changes.title = Set(texts(
                "input.title",
                title,
                &current.language,
                MAX_TITLE,
                true,
            )?);
        }
        if let Some(summary) = &input.summary {
            changes.summary = Set(texts(
                "input.summary",
                summary,
                &current.language,
                MAX_SUMMARY,
                false,
            )?);
        }
        if let Some(acronym) = &input.acronym {
            check_length("input.acronym", acronym, 32)?;
            changes.acronym = Set(Some(acronym.trim().to_owned()).filter(|a| !a.is_empty()));
        }
        if let Some(status) = input.status {
            changes.status = Set(status.into());
        }
        let start = input.start_date.unwrap_or(current.start_date);
        let end = input.end_date.unwrap_or(current.end_date);
        dates(start, end)?;
        if input.start_date.is_some() {
            changes.start_date = Set(start);
        }
        if input.end_date.is_some() {
            changes.end_date = Set(end);
        }
        if let Some(marker) = gender_marker(input.gender_marker)? {
            changes.gender_marker = Set(marker);
        }
        replace_links(&txn, current.id, &input).await?;
        let updated = save_change(
            txn,
            &rc.caller,
            "updateProject",
            &current,
            input.expected_version,
            changes,
        )
        .await?;
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
        access::require_signed_in(&rc.caller)?;
        let txn = crate::db::begin_write(&rc.db).await?;
        let (current, rights) = load_for_write(&txn, &rc.caller, "input.id", &input.id).await?;
        if rights != ProjectRights::Everything {
            return Err(access::forbidden(
                "only the project's coordinators and admins may publish it",
            ));
        }
        let changes = project::ActiveModel {
            published: Set(input.published),
            ..Default::default()
        };
        let action = if input.published {
            "publishProject"
        } else {
            "unpublishProject"
        };
        let updated = save_change(
            txn,
            &rc.caller,
            action,
            &current,
            input.expected_version,
            changes,
        )
        .await?;
        Ok(PublishProjectPayload {
            project: Project(updated),
        })
    }
}
