//! Who may see what: one visibility condition per entity, used by every list, count, `node`,
//! loader and aggregate, so a hidden row is hidden everywhere; and every write rule, next to
//! the read rules (`project_fields`: which role may change which field of a project).

pub mod project_fields;

use entity::enums::WorkshopStatus;
use entity::{
    api_token, audit_event, contact, funding, organisation, project, project_country,
    project_participant, registration, workshop,
};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Expr, ExprTrait, SelectStatement},
};

use crate::auth::{Caller, Principal};

/// Projects the caller may read: published ones for everybody, plus those it manages, plus
/// (coordinators) drafts that work in its countries through a partner organisation or a
/// region. Those it reads as the project's partners do, but without their personal data
/// (registrations, contacts' email and phone: `personal_data_projects`) and without writing:
/// both stay with the owner's coordinators.
pub fn projects(caller: &Caller) -> Condition {
    match audience(caller) {
        Some(Audience::Everyone) => return Condition::all(),
        Some(Audience::Public) => return Condition::all().add(project::Column::Published.eq(true)),
        None => {}
    }
    let mut readable = Condition::any()
        .add(project::Column::Published.eq(true))
        .add(managed_projects(caller));
    if let Principal::Coordinator { countries } = &caller.principal {
        readable = readable.add(
            project::Column::Id.in_subquery(
                project_country::Entity::find()
                    .select_only()
                    .column(project_country::Column::ProjectId)
                    .filter(project_country::Column::CountryCode.is_in(countries.clone()))
                    .into_query(),
            ),
        );
    }
    readable
}

/// Projects the caller manages: it sees their drafts and personal data and may change them.
pub fn managed_projects(caller: &Caller) -> Condition {
    match &caller.principal {
        Principal::Admin => Condition::all(),
        Principal::Coordinator { countries } => {
            Condition::all().add(project::Column::CountryCode.is_in(countries.clone()))
        }
        Principal::Partner {
            organisation,
            scope,
        } => {
            let taking_part = Condition::all().add(
                project::Column::Id.in_subquery(
                    project_participant::Entity::find()
                        .select_only()
                        .column(project_participant::Column::ProjectId)
                        .filter(project_participant::Column::OrganisationId.eq(*organisation))
                        .into_query(),
                ),
            );
            match scope {
                // A token never reaches further than whoever issued it.
                Some(scope) => taking_part.add(project::Column::CountryCode.is_in(scope.clone())),
                None => taking_part,
            }
        }
        Principal::Viewer | Principal::Anonymous => nothing(),
    }
}

/// Workshops of readable projects; a cancelled workshop only for those who manage it.
pub fn workshops(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    // Managed projects are readable ones, so "readable and not cancelled, or managed" is
    // "readable, and not cancelled or managed": the outer AND lets the planner join the
    // readable projects rather than hash all of them for every statement.
    let readable = Condition::all()
        .add(workshop::Column::ProjectId.in_subquery(project_ids(projects(caller))));
    let kept = workshop::Column::Status.ne(WorkshopStatus::Cancelled);
    if !manages_any(caller) {
        return readable.add(kept);
    }
    readable.add(
        Condition::any()
            .add(kept)
            .add(workshop::Column::ProjectId.in_subquery(project_ids(managed_projects(caller)))),
    )
}

/// Funding is as visible as its project.
pub fn fundings(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::all().add(funding::Column::ProjectId.in_subquery(project_ids(projects(caller))))
}

/// Document links: those of programmes and resource centres (public), and of the projects
/// and workshops the caller may see.
pub fn document_links(caller: &Caller) -> Condition {
    use entity::document_link;
    Condition::any()
        .add(document_link::Column::ProgrammeId.is_not_null())
        .add(document_link::Column::ResourceCentreId.is_not_null())
        .add(document_link::Column::ProjectId.in_subquery(project_ids(projects(caller))))
        .add(
            document_link::Column::WorkshopId.in_subquery(
                workshop::Entity::find()
                    .select_only()
                    .column(workshop::Column::Id)
                    .filter(workshops(caller))
                    .into_query(),
            ),
        )
}

/// The parts of projects (milestones, results, indicators, periods) whose project, in
/// `project_column`, the caller may see: they are seen exactly as it is.
pub fn project_parts(caller: &Caller, project_column: impl ColumnTrait) -> Condition {
    Condition::all().add(project_column.in_subquery(project_ids(projects(caller))))
}

/// Contacts: names for signed-in callers on projects they can read; organisation contacts for
/// any signed-in caller. Whether their email and phone show is `personal_data_projects`' call.
pub fn contacts(caller: &Caller) -> Condition {
    if caller.is_anonymous() {
        return nothing();
    }
    Condition::any()
        .add(contact::Column::ProjectId.in_subquery(project_ids(projects(caller))))
        .add(contact::Column::ProjectId.is_null())
}

/// Contacts of projects the caller may read, for `node`: an organisation's contacts are
/// listed nowhere, so no id reaches them either.
pub fn project_contacts(caller: &Caller) -> Condition {
    if caller.is_anonymous() {
        return nothing();
    }
    Condition::all().add(contact::Column::ProjectId.in_subquery(project_ids(projects(caller))))
}

/// Registrations (participants' names and emails) only for those who manage the project.
pub fn registrations(caller: &Caller) -> Condition {
    if sees_everything(caller) {
        return Condition::all();
    }
    Condition::all().add(
        registration::Column::WorkshopId.in_subquery(
            workshop::Entity::find()
                .select_only()
                .column(workshop::Column::Id)
                .filter(
                    workshop::Column::ProjectId.in_subquery(project_ids(managed_projects(caller))),
                )
                .into_query(),
        ),
    )
}

/// Access requests (GDPR art. 15): what `personalData(email:)` searches, as conditions on
/// registrations and on contacts. Admins search everything; coordinators the projects they
/// manage and the organisations of their countries; nobody else may ask.
pub fn access_requests(caller: &Caller) -> Option<(Condition, Condition)> {
    match &caller.principal {
        Principal::Admin => Some((Condition::all(), Condition::all())),
        Principal::Coordinator { countries } => Some((
            registrations(caller),
            Condition::any()
                .add(contact::Column::ProjectId.in_subquery(project_ids(managed_projects(caller))))
                .add(
                    Condition::all()
                        .add(contact::Column::ProjectId.is_null())
                        .add(
                            contact::Column::OrganisationId.in_subquery(
                                entity::organisation::Entity::find()
                                    .select_only()
                                    .column(entity::organisation::Column::Id)
                                    .filter(
                                        entity::organisation::Column::CountryCode
                                            .is_in(countries.clone()),
                                    )
                                    .into_query(),
                            ),
                        ),
                ),
        )),
        _ => None,
    }
}

/// Whether the caller may read personal data (emails, phones) of contacts on projects it
/// manages. Organisation contacts' personal data: coordinators of the organisation's country
/// and admins.
pub fn personal_data_projects(caller: &Caller) -> Condition {
    managed_projects(caller)
}

/// Rows (not registrations themselves) that carry a project's country, whether the project is
/// published and whether the workshop is cancelled: the kept participation counts. What the
/// caller may see of them, and which of them it holds personal-data rights to.
pub struct CountedRows {
    pub visible: Condition,
    pub rights: Rights,
}

/// Whose personal data a caller may read, among rows it sees.
pub enum Rights {
    All,
    None,
}

/// The rule of `workshops` and `personal_data_projects`, over the kept counts' columns
/// (whether the project is published and the workshop cancelled), for the callers whose view
/// is a whole class's (`audience`); `None` for the others.
pub fn counted_rows(caller: &Caller, published: Expr, cancelled: Expr) -> Option<CountedRows> {
    Some(match audience(caller)? {
        Audience::Everyone => CountedRows {
            visible: Condition::all(),
            rights: Rights::All,
        },
        Audience::Public => CountedRows {
            visible: Condition::all()
                .add(published.eq(true))
                .add(cancelled.eq(false)),
            rights: Rights::None,
        },
    })
}

/// Whether the caller manages any project at all (viewers and the public manage none): when
/// not, conditions leave out the managed branch, whose OR would keep the planner from joining.
fn manages_any(caller: &Caller) -> bool {
    !matches!(caller.principal, Principal::Viewer | Principal::Anonymous)
}

/// Callers who see the same projects as a whole class of callers do, so that figures kept
/// ahead of time for the class (the funding totals, the participation counts) are exactly
/// theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every project: admins.
    Everyone,
    /// The published projects: anonymous callers and viewers, who manage none.
    Public,
}

impl Audience {
    pub const ALL: [Self; 2] = [Self::Everyone, Self::Public];

    pub fn code(self) -> &'static str {
        match self {
            Self::Everyone => "EVERYONE",
            Self::Public => "PUBLIC",
        }
    }

    /// A caller of the class, to count what the class sees.
    pub fn member(self) -> Caller {
        match self {
            Self::Everyone => Caller::operator("kept figures".into()),
            Self::Public => Caller::anonymous(),
        }
    }
}

/// The class whose view of projects is the caller's; `None` for callers who see projects of
/// their own choosing (coordinators and partners: published plus what they manage).
pub fn audience(caller: &Caller) -> Option<Audience> {
    if sees_everything(caller) {
        Some(Audience::Everyone)
    } else if !manages_any(caller) {
        Some(Audience::Public)
    } else {
        None
    }
}

/// Admins read every row: their conditions are left out of the SQL altogether rather than
/// written as `… OR TRUE` subqueries the planner would still join.
fn sees_everything(caller: &Caller) -> bool {
    caller.principal == Principal::Admin
}

pub fn project_ids(condition: Condition) -> SelectStatement {
    project::Entity::find()
        .select_only()
        .column(project::Column::Id)
        .filter(condition)
        .into_query()
}

/// A condition no row meets.
fn nothing() -> Condition {
    Condition::all().add(Expr::value(1).eq(0))
}

/// What a caller may change on one project, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProjectRights {
    Nothing,
    /// Partners taking part: its descriptions (`project_fields`), workshops, registrations
    /// and milestones.
    Descriptions,
    Everything,
}

impl ProjectRights {
    /// Whether these rights include `needed` (never when nothing is needed of nobody).
    pub fn covers(self, needed: ProjectRights) -> bool {
        self != ProjectRights::Nothing && self >= needed
    }
}

/// The write rule for projects, given the organisations taking part in it.
pub fn project_rights(
    caller: &Caller,
    project: &project::Model,
    participants: &[uuid::Uuid],
) -> ProjectRights {
    match &caller.principal {
        Principal::Admin => ProjectRights::Everything,
        Principal::Coordinator { countries } if countries.contains(&project.country_code) => {
            ProjectRights::Everything
        }
        Principal::Partner { organisation, .. }
            if participants.contains(organisation)
                && within_scope(caller, &project.country_code) =>
        {
            ProjectRights::Descriptions
        }
        _ => ProjectRights::Nothing,
    }
}

/// Whether a country lies within the caller's confinement (always, when it has none).
pub fn within_scope(caller: &Caller, country: &str) -> bool {
    caller
        .scope()
        .is_none_or(|scope| scope.iter().any(|c| c == country))
}

/// Who may create a project owned by `country`.
pub fn may_create_project_in(caller: &Caller, country: &str) -> bool {
    match &caller.principal {
        Principal::Admin => true,
        Principal::Coordinator { countries } => countries.iter().any(|c| c == country),
        _ => false,
    }
}

/// Who administers what belongs to `country` (its organisations, regions, resource centres,
/// audit trail, and the API tokens of its organisations: issuing and revoking them): its
/// coordinators, and admins. Nothing without a country is administered by coordinators.
pub fn administers(caller: &Caller, country: Option<&str>) -> bool {
    match &caller.principal {
        Principal::Admin => true,
        Principal::Coordinator { countries } => {
            country.is_some_and(|c| countries.iter().any(|own| own == c))
        }
        _ => false,
    }
}

/// Who may register for a workshop it sees: anyone for one open to the public, else only
/// signed-in callers.
pub fn may_register_for(caller: &Caller, open_to_public: bool) -> bool {
    open_to_public || !caller.is_anonymous()
}

/// Who manages what belongs to the whole programme rather than to one country: which
/// countries exist and take part, and the euro reference rates every funding converts at.
/// Admins only, since a change reaches every country's figures and rights.
pub fn manages_programme(caller: &Caller) -> bool {
    matches!(caller.principal, Principal::Admin)
}

/// FORBIDDEN unless the caller `manages_programme`; `what` says what it may not do.
pub fn require_programme_manager(caller: &Caller, what: &str) -> crate::error::ApiResult<()> {
    if manages_programme(caller) {
        Ok(())
    } else {
        Err(forbidden(format!("only admins {what}")))
    }
}

/// The API tokens the caller manages; `None` when it manages none at all.
pub fn api_tokens(caller: &Caller) -> Option<Condition> {
    match &caller.principal {
        Principal::Admin => Some(Condition::all()),
        Principal::Coordinator { countries } => Some(
            Condition::all().add(
                api_token::Column::OrganisationId.in_subquery(
                    organisation::Entity::find()
                        .select_only()
                        .column(organisation::Column::Id)
                        .filter(organisation::Column::CountryCode.is_in(countries.clone()))
                        .into_query(),
                ),
            ),
        ),
        _ => None,
    }
}

/// The API tokens the caller manages, as a condition (none at all for those who manage none).
pub fn managed_api_tokens(caller: &Caller) -> Condition {
    api_tokens(caller).unwrap_or_else(nothing)
}

/// The countries a token the caller issues is confined to, from those `requested`: a
/// coordinator grants only (some of) its own countries, all of them by default, so a token
/// never reaches further than its issuer; an admin's token is confined only when asked.
pub fn token_scope(
    caller: &Caller,
    requested: Option<Vec<String>>,
) -> crate::error::ApiResult<Option<Vec<String>>> {
    match (&caller.principal, requested) {
        (Principal::Coordinator { countries }, Some(list)) => {
            if list.iter().any(|c| !countries.contains(c)) {
                return Err(forbidden("you may grant only your own countries"));
            }
            Ok(Some(list))
        }
        (Principal::Coordinator { countries }, None) => Ok(Some(countries.clone())),
        (_, requested) => Ok(requested),
    }
}

/// The audit events the caller may read; `None` when it may read none.
pub fn audit_events(caller: &Caller) -> Option<Condition> {
    match &caller.principal {
        Principal::Admin => Some(Condition::all()),
        Principal::Coordinator { countries } => {
            Some(Condition::all().add(audit_event::Column::CountryCode.is_in(countries.clone())))
        }
        _ => None,
    }
}

/// The audit events the caller may read, as a condition (none for those who may read none).
pub fn readable_audit_events(caller: &Caller) -> Condition {
    audit_events(caller).unwrap_or_else(nothing)
}

/// Writes need a signed-in caller; anonymous callers are told to authenticate.
pub fn require_signed_in(caller: &Caller) -> crate::error::ApiResult<()> {
    if caller.is_anonymous() {
        Err(crate::error::ApiError::Unauthenticated {
            message: "sign in to change data".into(),
        })
    } else {
        Ok(())
    }
}

pub fn forbidden(message: impl Into<String>) -> crate::error::ApiError {
    crate::error::ApiError::Forbidden {
        message: message.into(),
    }
}

#[cfg(test)]
mod write_rules;
