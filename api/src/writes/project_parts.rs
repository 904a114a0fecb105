//! What hangs under a project (milestones, results, indicators, their periods): each row is
//! seen exactly as its project is, and written by whoever holds the rights its kind needs on
//! that project.

use entity::{indicator, indicator_period, milestone, result};
use uuid::Uuid;

use crate::access::{self, ProjectRights};
use crate::error::ApiResult;
use crate::writes::{Keyed, Write, project};

/// A row with the id of the project it belongs to.
pub trait ProjectPart: Keyed<Key = Uuid>
where
    Self::Model: Sync + Send,
{
    fn project_column() -> Self::Column;
    fn project_of(row: &Self::Model) -> Uuid;
}

macro_rules! project_part {
    ($($entity:ident),+) => {$(
        impl ProjectPart for $entity::Entity {
            fn project_column() -> $entity::Column {
                $entity::Column::ProjectId
            }
            fn project_of(row: &$entity::Model) -> Uuid {
                row.project_id
            }
        }
    )+};
}

project_part!(milestone, result, indicator, indicator_period);

/// Row `id` of `E` if the caller sees its project (NOT_FOUND otherwise, as if missing) and
/// holds `needed` on it (FORBIDDEN otherwise).
pub async fn managed<E>(write: &Write<'_>, id: Uuid, needed: ProjectRights) -> ApiResult<E::Model>
where
    E: ProjectPart,
    E::Model: Sync + Send,
{
    let seen = access::project_parts(write.caller(), E::project_column());
    let current = write.find::<E>(id, seen).await?;
    project::managed(write, E::project_of(&current), needed).await?;
    Ok(current)
}
