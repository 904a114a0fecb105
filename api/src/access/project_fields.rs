//! Which fields of a project each level of rights may change. Complete by construction:
//! `touched` destructures `ProjectChanges` with no `..`, and `may_change` matches every
//! `ProjectField`, so a field added to the command does not compile until it is classified.

use crate::access::{ProjectRights, forbidden};
use crate::domain::project::{ProjectChanges, ProjectLinks};
use crate::error::ApiResult;

/// Every field `updateProject` may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectField {
    Acronym,
    Title,
    Summary,
    Status,
    Dates,
    GenderMarker,
    Regions,
    Participants,
    FocusAreas,
    TargetGroups,
    Programme,
    Budget,
}

impl ProjectField {
    pub const ALL: [ProjectField; 12] = [
        Self::Acronym,
        Self::Title,
        Self::Summary,
        Self::Status,
        Self::Dates,
        Self::GenderMarker,
        Self::Regions,
        Self::Participants,
        Self::FocusAreas,
        Self::TargetGroups,
        Self::Programme,
        Self::Budget,
    ];

    /// The input path errors name.
    pub const fn input(self) -> &'static str {
        match self {
            Self::Acronym => "input.acronym",
            Self::Title => "input.title",
            Self::Summary => "input.summary",
            Self::Status => "input.status",
            Self::Dates => "input.dates",
            Self::GenderMarker => "input.genderMarker",
            Self::Regions => "input.regions",
            Self::Participants => "input.participants",
            Self::FocusAreas => "input.focusAreas",
            Self::TargetGroups => "input.targetGroups",
            Self::Programme => "input.programme",
            Self::Budget => "input.budget",
        }
    }
}

/// The fields `changes` sets.
pub fn touched(changes: &ProjectChanges) -> Vec<ProjectField> {
    let ProjectChanges {
        acronym,
        title,
        summary,
        status,
        dates,
        gender_marker,
        links:
            ProjectLinks {
                regions,
                participants,
                focus_areas,
                target_groups,
            },
        programme,
        budget,
    } = changes;
    [
        (acronym.is_some(), ProjectField::Acronym),
        (title.is_some(), ProjectField::Title),
        (summary.is_some(), ProjectField::Summary),
        (status.is_some(), ProjectField::Status),
        (dates.is_some(), ProjectField::Dates),
        (gender_marker.is_some(), ProjectField::GenderMarker),
        (regions.is_some(), ProjectField::Regions),
        (participants.is_some(), ProjectField::Participants),
        (focus_areas.is_some(), ProjectField::FocusAreas),
        (target_groups.is_some(), ProjectField::TargetGroups),
        (programme.is_some(), ProjectField::Programme),
        (budget.is_some(), ProjectField::Budget),
    ]
    .into_iter()
    .filter_map(|(set, field)| set.then_some(field))
    .collect()
}

/// Whether `rights` may change `field`: partners taking part describe the project; its
/// country's coordinators and admins decide everything else.
pub fn may_change(rights: ProjectRights, field: ProjectField) -> bool {
    use ProjectField::*;
    match rights {
        ProjectRights::Nothing => false,
        ProjectRights::Everything => true,
        ProjectRights::Descriptions => match field {
            Title | Summary => true,
            Acronym | Status | Dates | GenderMarker | Regions | Participants | FocusAreas
            | TargetGroups | Programme | Budget => false,
        },
    }
}

/// FORBIDDEN, naming the first field the caller may not change, unless it may change all
/// that `changes` sets.
pub fn check_changes(rights: ProjectRights, changes: &ProjectChanges) -> ApiResult<()> {
    if rights == ProjectRights::Nothing {
        return Err(forbidden("you may not change this project"));
    }
    match touched(changes)
        .into_iter()
        .find(|field| !may_change(rights, *field))
    {
        Some(field) => Err(forbidden(format!(
            "partners may change only the title and summary, not `{}`",
            field.input()
        ))),
        None => Ok(()),
    }
}
