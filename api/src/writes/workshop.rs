//! Workshop use cases: add one to a project, change it, cancel it. Each commits with the
//! event it causes (`Write::commit_announcing`); more seats go to those already waiting.

use entity::enums::WorkshopStatus;
use entity::{region, workshop};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::domain::Edit;
use crate::domain::workshop::{NewWorkshop, WorkshopChanges, check_times};
use crate::error::{ApiError, ApiResult};
use crate::writes::{Write, changed, changed_texts, new_real_row, project, registration};

/// The workshop `id` as the caller may see it (NOT_FOUND otherwise), if it may change it:
/// those who may change its project's descriptions (FORBIDDEN otherwise).
pub async fn managed(write: &Write<'_>, id: Uuid) -> ApiResult<workshop::Model> {
    let found = write
        .find::<workshop::Entity>(id, access::workshops(write.caller()))
        .await?;
    project::managed(write, found.project_id, ProjectRights::Descriptions).await?;
    Ok(found)
}

pub async fn create(write: &Write<'_>, new: NewWorkshop) -> ApiResult<workshop::Model> {
    let project = project::managed(write, new.project, ProjectRights::Descriptions).await?;
    check_times(new.starts_at, new.ends_at, new.registration_deadline)?;
    if let Some(region_id) = new.venue.region
        && region::Entity::find_by_id(region_id)
            .count(write.txn())
            .await?
            == 0
    {
        return Err(ApiError::bad_input("input.venue.region", "no such region"));
    }
    crate::writes::terms::check(
        write.txn(),
        entity::enums::ClassificationVocabulary::TargetGroup,
        &new.target_groups,
        "input.targetGroups",
    )
    .await?;
    let language = new.original_language.as_str();
    let row = new_real_row!(workshop {
        project_id: Set(project.id),
        title: Set(new.title.stored("input.title", language, true)?),
        description: Set(new
            .description
            .stored("input.description", language, false)?),
        language: Set(language.to_owned()),
        starts_at: Set(new.starts_at),
        ends_at: Set(new.ends_at),
        time_zone: Set(new.time_zone),
        venue_name: Set(new.venue.name),
        venue_address: Set(new.venue.address),
        venue_town: Set(new.venue.town),
        venue_region_id: Set(new.venue.region),
        kind: Set(new.kind),
        format: Set(new.format),
        spoken_language: Set(new.spoken_language.as_str().to_owned()),
        capacity: Set(new.capacity),
        registration_deadline: Set(new.registration_deadline),
        target_groups: Set(json!(new.target_groups)),
        status: Set(WorkshopStatus::Scheduled),
        open_to_public: Set(new.open_to_public),
    });
    write.insert("createWorkshop", row).await
}

pub async fn update(write: &Write<'_>, edit: Edit<WorkshopChanges>) -> ApiResult<workshop::Model> {
    let Edit {
        id,
        expected,
        changes,
    } = edit;
    let current = managed(write, id).await?;
    let starts = changes.starts_at.unwrap_or(current.starts_at);
    let ends = changes.ends_at.unwrap_or(current.ends_at);
    let deadline = changes
        .registration_deadline
        .or(current.registration_deadline);
    check_times(starts, ends, deadline)?;
    let language = current.language.as_str();
    let row = workshop::ActiveModel {
        title: changed_texts(changes.title, "input.title", language, true)?,
        description: changed_texts(changes.description, "input.description", language, false)?,
        starts_at: Set(starts),
        ends_at: Set(ends),
        registration_deadline: Set(deadline),
        time_zone: changed(changes.time_zone),
        capacity: changed(changes.capacity.map(Some)),
        open_to_public: changed(changes.open_to_public),
        kind: changed(changes.kind),
        ..Default::default()
    };
    let updated = write
        .update("updateWorkshop", &current, expected, row)
        .await?;
    if updated.capacity != current.capacity {
        // More seats go to those already waiting, in arrival order, before any newcomer.
        registration::promote_from_waitlist(write, current.id).await?;
    }
    Ok(updated)
}

/// Cancels a workshop; it stays on record, and no one can register any more.
pub async fn cancel(write: &Write<'_>, edit: Edit<()>) -> ApiResult<workshop::Model> {
    let current = managed(write, edit.id).await?;
    let row = workshop::ActiveModel {
        status: Set(WorkshopStatus::Cancelled),
        ..Default::default()
    };
    write
        .update("cancelWorkshop", &current, edit.expected, row)
        .await
}

/// Deletes a workshop no real person registered for (one the seed invented, say), with its
/// invented registrations and its agenda; the counts of its project follow. A workshop real
/// people registered for is cancelled instead, so their registrations stay on record.
pub async fn delete(write: &Write<'_>, id: Uuid) -> ApiResult<()> {
    let current = write
        .find::<workshop::Entity>(id, access::workshops(write.caller()))
        .await?;
    // Its project's coordinators and admins; partners may cancel, not delete.
    project::managed(write, current.project_id, ProjectRights::Everything).await?;
    let txn = write.txn();
    write.lock_workshop(id).await?;
    let real = entity::registration::Entity::find()
        .filter(entity::registration::Column::WorkshopId.eq(id))
        .filter(entity::registration::Column::Illustrative.eq(false))
        .count(txn)
        .await?;
    if real > 0 {
        return Err(ApiError::bad_input(
            "input.id",
            format!("{real} real people registered for this workshop: cancel it instead"),
        ));
    }
    entity::registration::Entity::delete_many()
        .filter(entity::registration::Column::WorkshopId.eq(id))
        .exec(txn)
        .await?;
    entity::workshop_agenda_item::Entity::delete_many()
        .filter(entity::workshop_agenda_item::Column::WorkshopId.eq(id))
        .exec(txn)
        .await?;
    write
        .delete::<workshop::Entity>("deleteWorkshop", &current, Vec::new())
        .await?;
    crate::derived::participation_counts::refresh(txn, current.project_id).await?;
    Ok(())
}
