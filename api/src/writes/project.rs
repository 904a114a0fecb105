//! Project use cases: create a draft, change it, publish or withdraw it, delete it; and the
//! rights check every write to what hangs under a project starts from.

use chrono::Utc;
use entity::enums::{ClassificationVocabulary, ProjectStatus};
use entity::{
    budget_line, country, funding, organisation, programme, project, project_classification,
    project_participant, project_region, region, resource_centre, workshop,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter,
};
use serde_json::Value as Json;
use uuid::Uuid;

use crate::access::{self, ProjectRights, project_fields};
use crate::db::rows::uses;
use crate::derived::project_countries;
use crate::domain::Edit;
use crate::domain::illustrative;
use crate::domain::partial_date::PartialDate;
use crate::domain::project::{
    Budget, NewProject, ProjectChanges, ProjectDates, ProjectLinks, stored_status,
};
use crate::error::{ApiError, ApiResult};
use crate::writes::{Write, changed, changed_texts};

/// The project `id` as the caller may see it (NOT_FOUND otherwise), with what the caller may
/// change on it.
pub async fn rights_on(write: &Write<'_>, id: Uuid) -> ApiResult<(project::Model, ProjectRights)> {
    let found = write
        .find::<project::Entity>(id, access::projects(write.caller()))
        .await?;
    let participants: Vec<Uuid> = project_participant::Entity::find()
        .filter(project_participant::Column::ProjectId.eq(id))
        .all(write.txn())
        .await?
        .into_iter()
        .map(|p| p.organisation_id)
        .collect();
    let rights = access::project_rights(write.caller(), &found, &participants);
    Ok((found, rights))
}

/// The project `id`, if the caller holds at least `needed` on it (FORBIDDEN otherwise, and
/// NOT_FOUND before that if it may not see it).
pub async fn managed(
    write: &Write<'_>,
    id: Uuid,
    needed: ProjectRights,
) -> ApiResult<project::Model> {
    let (found, rights) = rights_on(write, id).await?;
    if rights.covers(needed) {
        Ok(found)
    } else {
        Err(access::forbidden(match needed {
            ProjectRights::Everything => "only the project's coordinators and admins may do this",
            _ => "only those who take part in or manage the project may do this",
        }))
    }
}

/// Whether the caller manages project `id` (its coordinators, admins, partners with full
/// rights), without revealing more than that.
pub async fn managed_by(write: &Write<'_>, id: Uuid) -> ApiResult<bool> {
    Ok(project::Entity::find_by_id(id)
        .filter(access::managed_projects(write.caller()))
        .count(write.txn())
        .await?
        > 0)
}

pub async fn create(write: &Write<'_>, new: NewProject) -> ApiResult<project::Model> {
    let country = new.country.as_str();
    if !access::may_create_project_in(write.caller(), country) {
        return Err(access::forbidden(format!(
            "you may not create projects owned by {country}"
        )));
    }
    let txn = write.txn();
    if !country::Entity::find_by_id(country)
        .one(txn)
        .await?
        .is_some_and(|c| c.programme_member)
    {
        return Err(ApiError::bad_input(
            "input.country",
            format!("{country} is not a programme member: projects are owned by members"),
        ));
    }
    refuse_taken_code(write, &new.code).await?;
    if let Some(centre) = new.resource_centre {
        all_exist::<resource_centre::Entity>(
            txn,
            "input.resourceCentre",
            resource_centre::Column::Id,
            &[centre],
        )
        .await?;
    }
    if let Some(parent) = new.parent {
        // A network project is joined from the parent's side too: only a parent the caller
        // may manage, never another country's project it can merely read.
        if !managed_by(write, parent).await? {
            return Err(ApiError::bad_input(
                "input.parent",
                "`input.parent` names no project you manage",
            ));
        }
    }
    if let Some(programme) = new.programme {
        all_exist::<programme::Entity>(txn, "input.programme", programme::Column::Id, &[programme])
            .await?;
    }
    let language = new.original_language.as_str();
    let now = Utc::now();
    let status = stored_status(new.status, &new.dates, now.date_naive())?;
    let id = Uuid::now_v7();
    let row = project::ActiveModel {
        id: Set(id),
        code: Set(new.code),
        acronym: Set(new.acronym),
        title: Set(new.title.stored("input.title", language, true)?),
        summary: Set(new.summary.stored("input.summary", language, false)?),
        language: Set(language.to_owned()),
        status: Set(status),
        planned_start: Set(new.dates.planned_start.map(|d| d.to_string())),
        planned_end: Set(new.dates.planned_end.map(|d| d.to_string())),
        actual_start: Set(new.dates.actual_start.map(|d| d.to_string())),
        actual_end: Set(new.dates.actual_end.map(|d| d.to_string())),
        start_date: Set(new.dates.start()),
        end_date: Set(new.dates.end()),
        country_code: Set(country.to_owned()),
        resource_centre_id: Set(new.resource_centre),
        parent_id: Set(new.parent),
        programme_id: Set(new.programme),
        budget_currency: Set(new.budget.as_ref().map(|b| b.currency.clone())),
        budget_total_minor: Set(new.budget.as_ref().map(|b| b.total_minor)),
        budget_eligible_minor: Set(new.budget.as_ref().and_then(|b| b.eligible_minor)),
        budget_rate_micros: Set(None),
        budget_rate_date: Set(None),
        budget_eur_sort: Set(-1),
        gender_marker: Set(new.gender_marker),
        published: Set(false),
        illustrative: Set(false),
        illustrative_fields: Set(Json::Array(Vec::new())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created = write.insert("createProject", row).await?;
    replace_links(txn, id, &new.links).await?;
    replace_budget_lines(txn, id, new.budget.as_ref()).await?;
    // Its owner's country at least, whatever links it has.
    project_countries::refresh(txn, id).await?;
    Ok(created)
}

/// Applies `changes` if the caller may change every field they set.
pub async fn update(write: &Write<'_>, edit: Edit<ProjectChanges>) -> ApiResult<project::Model> {
    let Edit {
        id,
        expected,
        changes,
    } = edit;
    let (current, rights) = rights_on(write, id).await?;
    project_fields::check_changes(rights, &changes)?;
    let stored = ProjectDates::of(&current);
    let dates = changes.dates.map_or(stored, |edit| edit.apply(stored));
    dates.check()?;
    // A halted project stays halted unless the update says otherwise; the dates decide the
    // rest.
    let status = match changes.status {
        Some(given) => Some(stored_status(Some(given), &dates, Utc::now().date_naive())?),
        None if changes.dates.is_some() => Some(stored_status(
            halted(current.status),
            &dates,
            Utc::now().date_naive(),
        )?),
        None => None,
    };
    let text = |d: Option<PartialDate>| d.map(|d| d.to_string());
    if let Some(Some(programme)) = changes.programme {
        all_exist::<programme::Entity>(
            write.txn(),
            "input.programme",
            programme::Column::Id,
            &[programme],
        )
        .await?;
    }
    if let Some(budget) = &changes.budget {
        replace_budget_lines(write.txn(), id, budget.as_ref()).await?;
    }
    let budget = changes.budget.clone();
    let language = current.language.as_str();
    let mut row = project::ActiveModel {
        acronym: changed(changes.acronym),
        title: changed_texts(changes.title, "input.title", language, true)?,
        summary: changed_texts(changes.summary, "input.summary", language, false)?,
        status: changed(status),
        planned_start: changed(changes.dates.map(|_| text(dates.planned_start))),
        planned_end: changed(changes.dates.map(|_| text(dates.planned_end))),
        actual_start: changed(changes.dates.map(|_| text(dates.actual_start))),
        actual_end: changed(changes.dates.map(|_| text(dates.actual_end))),
        start_date: changed(changes.dates.map(|_| dates.start())),
        end_date: changed(changes.dates.map(|_| dates.end())),
        gender_marker: changed(changes.gender_marker),
        programme_id: changed(changes.programme),
        budget_currency: changed(
            budget
                .as_ref()
                .map(|b| b.as_ref().map(|b| b.currency.clone())),
        ),
        budget_total_minor: changed(budget.as_ref().map(|b| b.as_ref().map(|b| b.total_minor))),
        budget_eligible_minor: changed(budget.map(|b| b.and_then(|b| b.eligible_minor))),
        ..Default::default()
    };
    let replaced = replace_links(write.txn(), id, &changes.links).await?;
    if !replaced.is_empty() {
        project_countries::refresh(write.txn(), id).await?;
        // Links a write gives are real, as the values it sets are (`Write::update`).
        if let Some(left) = illustrative::cleared(&current.illustrative_fields, &replaced) {
            row.illustrative_fields = Set(left);
        }
    }
    write.update("updateProject", &current, expected, row).await
}

/// A stored status that was set rather than given by the dates.
fn halted(status: ProjectStatus) -> Option<ProjectStatus> {
    matches!(status, ProjectStatus::Suspended | ProjectStatus::Cancelled).then_some(status)
}

/// Publishes a draft, or withdraws a published project to draft.
pub async fn publish(write: &Write<'_>, edit: Edit<bool>) -> ApiResult<project::Model> {
    let current = managed(write, edit.id, ProjectRights::Everything).await?;
    let published = edit.changes;
    let row = project::ActiveModel {
        published: Set(published),
        ..Default::default()
    };
    let action = if published {
        "publishProject"
    } else {
        "unpublishProject"
    };
    write.update(action, &current, edit.expected, row).await
}

/// Deletes a project without funding, workshops or sub-projects; its links, milestones and
/// contacts go with it.
pub async fn delete(write: &Write<'_>, id: Uuid) -> ApiResult<()> {
    let current = managed(write, id, ProjectRights::Everything).await?;
    let uses = uses!(write.txn(), id;
        funding::ProjectId => "fundings",
        workshop::ProjectId => "workshops",
        project::ParentId => "sub-projects",
    );
    write
        .delete::<project::Entity>("deleteProject", &current, uses)
        .await
}

/// Replaces the project's budget lines by those of `budget` (none without one).
async fn replace_budget_lines(
    txn: &DatabaseTransaction,
    id: Uuid,
    budget: Option<&Budget>,
) -> ApiResult<()> {
    budget_line::Entity::delete_many()
        .filter(budget_line::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    let lines: Vec<budget_line::ActiveModel> = budget
        .map(|b| b.lines.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|(year, amount)| budget_line::ActiveModel {
            project_id: Set(id),
            year: Set(*year),
            amount_minor: Set(*amount),
        })
        .collect();
    if !lines.is_empty() {
        budget_line::Entity::insert_many(lines)
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Only a caller who may see the project holding `code` learns that it exists.
async fn refuse_taken_code(write: &Write<'_>, code: &str) -> ApiResult<()> {
    let Some(taken) = project::Entity::find()
        .filter(project::Column::Code.eq(code))
        .one(write.txn())
        .await?
    else {
        return Ok(());
    };
    let visible = project::Entity::find_by_id(taken.id)
        .filter(access::projects(write.caller()))
        .count(write.txn())
        .await?
        > 0;
    Err(ApiError::bad_input(
        "input.code",
        if visible {
            format!("a project with code {code} exists")
        } else {
            format!("the code {code} cannot be used; choose another")
        },
    ))
}

/// Replaces the regions, participants and classifications `links` names; answers the API
/// names of those that place the project (`regions`, `participants`), whose countries then
/// change.
async fn replace_links(
    txn: &DatabaseTransaction,
    id: Uuid,
    links: &ProjectLinks,
) -> ApiResult<Vec<String>> {
    let ProjectLinks {
        regions,
        participants,
        focus_areas,
        target_groups,
    } = links;
    if let Some(regions) = regions {
        all_exist::<region::Entity>(txn, "input.regions", region::Column::Id, regions).await?;
        project_region::Entity::delete_many()
            .filter(project_region::Column::ProjectId.eq(id))
            .exec(txn)
            .await?;
        for region_id in regions {
            project_region::ActiveModel {
                project_id: Set(id),
                region_id: Set(*region_id),
            }
            .insert(txn)
            .await?;
        }
    }
    if let Some(participants) = participants {
        let organisations: Vec<Uuid> = participants.iter().map(|(o, _)| *o).collect();
        all_exist::<organisation::Entity>(
            txn,
            "input.participants",
            organisation::Column::Id,
            &organisations,
        )
        .await?;
        project_participant::Entity::delete_many()
            .filter(project_participant::Column::ProjectId.eq(id))
            .exec(txn)
            .await?;
        for (organisation_id, role) in participants {
            project_participant::ActiveModel {
                project_id: Set(id),
                organisation_id: Set(*organisation_id),
                role: Set(*role),
            }
            .insert(txn)
            .await?;
        }
    }
    for (codes, vocabulary) in [
        (focus_areas, ClassificationVocabulary::FocusArea),
        (target_groups, ClassificationVocabulary::TargetGroup),
    ] {
        let Some(codes) = codes else { continue };
        let field = match vocabulary {
            ClassificationVocabulary::FocusArea => "input.focusAreas",
            _ => "input.targetGroups",
        };
        crate::writes::terms::check(txn, vocabulary, codes, field).await?;
        project_classification::Entity::delete_many()
            .filter(project_classification::Column::ProjectId.eq(id))
            .filter(project_classification::Column::Vocabulary.eq(vocabulary))
            .exec(txn)
            .await?;
        for code in codes {
            project_classification::ActiveModel {
                project_id: Set(id),
                vocabulary: Set(vocabulary),
                code: Set(code.clone()),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok([
        ("regions", regions.is_some()),
        ("participants", participants.is_some()),
    ]
    .into_iter()
    .filter(|(_, given)| *given)
    .map(|(name, _)| name.to_owned())
    .collect())
}

/// Ids that must all name existing rows; BAD_USER_INPUT on `field` otherwise.
pub async fn all_exist<E: EntityTrait>(
    db: &impl ConnectionTrait,
    field: &str,
    column: E::Column,
    ids: &[Uuid],
) -> ApiResult<()>
where
    E::Model: Sync,
{
    if ids.is_empty() {
        return Ok(());
    }
    let found = E::find()
        .filter(column.is_in(ids.iter().copied()))
        .count(db)
        .await?;
    if found as usize != ids.len() {
        return Err(ApiError::bad_input(
            field,
            format!("`{field}` names something that does not exist"),
        ));
    }
    Ok(())
}
