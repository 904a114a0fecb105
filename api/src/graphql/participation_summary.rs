//! `participationSummary`: people registered for or attending workshops, counted per group by
//! one grouped SQL statement, perturbed by the cell key method (`domain::cell_key`) for
//! callers who may not see the people behind them.

use crate::derived::participation_counts::TOTAL;
use async_graphql::{Context, Enum, ID, InputObject, Object};
use chrono::NaiveTime;
use entity::enums::Role;
use entity::{project, registration, workshop};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement},
};

use crate::access;
use crate::auth::Caller;
use crate::domain::cell_key;
use crate::error::{ApiError, ApiResult};
use crate::graphql::context::request;
use crate::graphql::country::Country;
use crate::graphql::enums::{ActivityKind, AgeBand, Gender, RegistrationStatus};
use crate::graphql::filters;
use crate::graphql::project::Project;
use crate::graphql::region::Region;
use crate::graphql::scalars::Date;
use crate::graphql::summary::{self, Dimension as _, Key, Kind, objects};
use crate::graphql::workshop::Workshop;
use crate::ids;

/// What participation can be grouped by.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipationDimension {
    /// Self-declared gender.
    Gender,
    /// Self-declared age band.
    AgeBand,
    /// The country that owns the workshop's project.
    Country,
    /// The region of the workshop's venue (null for online workshops without one).
    Region,
    /// The workshop's project.
    Project,
    /// The workshop itself.
    Workshop,
    /// The kind of event (workshop, webinar, training, …).
    Kind,
    /// The calendar year the event starts (UTC).
    Year,
}

impl summary::Dimension for ParticipationDimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Gender => "d_gender",
            Self::AgeBand => "d_age_band",
            Self::Country => "d_country",
            Self::Region => "d_region",
            Self::Project => "d_project",
            Self::Workshop => "d_workshop",
            Self::Kind => "d_kind",
            Self::Year => "d_year",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Region | Self::Project | Self::Workshop => Kind::Id,
            Self::Year => Kind::Int,
            _ => Kind::Text,
        }
    }
}

impl ParticipationDimension {
    /// The column of `participation_count` holding this dimension, if it holds it.
    fn kept_column(self) -> Option<&'static str> {
        match self {
            Self::Gender => Some("gender"),
            Self::AgeBand => Some("age_band"),
            Self::Country => Some("country_code"),
            Self::Region | Self::Project | Self::Workshop | Self::Kind | Self::Year => None,
        }
    }

    fn column(self, backend: sea_orm::DbBackend) -> Expr {
        match self {
            Self::Kind => Expr::col((workshop::Entity, workshop::Column::Kind)),
            Self::Year => summary::year(backend, "\"workshop\".\"starts_at\""),
            Self::Gender => Expr::col((registration::Entity, registration::Column::Gender)),
            Self::AgeBand => Expr::col((registration::Entity, registration::Column::AgeBand)),
            Self::Country => Expr::col((project::Entity, project::Column::CountryCode)),
            Self::Region => Expr::col((workshop::Entity, workshop::Column::VenueRegionId)),
            Self::Project => Expr::col((workshop::Entity, workshop::Column::ProjectId)),
            Self::Workshop => Expr::col((registration::Entity, registration::Column::WorkshopId)),
        }
    }
}

/// Whose participation to count. Lists are "any of"; absent lists do not filter.
#[derive(InputObject, Default)]
pub struct ParticipationFilter {
    /// Registration statuses counted; by default REGISTERED and ATTENDED (people holding a
    /// seat).
    pub statuses: Option<Vec<RegistrationStatus>>,
    /// Workshops starting on or after this day (UTC).
    pub date_from: Option<Date>,
    /// Workshops starting on or before this day (UTC).
    pub date_to: Option<Date>,
    /// ISO codes of the countries owning the projects.
    pub countries: Option<Vec<String>>,
    /// Only workshops of these projects (global ids).
    pub projects: Option<Vec<ID>>,
    /// Only these workshops (global ids).
    pub workshops: Option<Vec<ID>>,
    /// Kinds of event.
    pub kinds: Option<Vec<ActivityKind>>,
    /// Leave out people the seed invented, and those of workshops or projects it invented
    /// (on the seed programme: everybody, since no document lists people).
    pub exclude_illustrative: Option<bool>,
}

impl ParticipationFilter {
    fn statuses(&self) -> Vec<RegistrationStatus> {
        match self.statuses.as_deref() {
            Some(list) if !list.is_empty() => list.to_vec(),
            _ => vec![RegistrationStatus::Registered, RegistrationStatus::Attended],
        }
    }

    /// Whether only statuses and countries are asked for, which the kept counts can answer
    /// (they do not tell invented people from real ones).
    fn is_coarse(&self) -> bool {
        self.date_from.is_none()
            && self.date_to.is_none()
            && self.projects.as_deref().is_none_or(<[ID]>::is_empty)
            && self.workshops.as_deref().is_none_or(<[ID]>::is_empty)
            && self.kinds.as_deref().is_none_or(<[ActivityKind]>::is_empty)
            && self.exclude_illustrative != Some(true)
    }

    fn condition(&self) -> ApiResult<sea_orm::Condition> {
        let mut c =
            sea_orm::Condition::all().add(registration::Column::Status.is_in(self.statuses()));
        if let (Some(from), Some(to)) = (self.date_from, self.date_to)
            && from > to
        {
            return Err(ApiError::bad_input(
                "filter.dateTo",
                "`dateTo` is before `dateFrom`",
            ));
        }
        if let Some(kinds) = self.kinds.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(workshop::Column::Kind.is_in(kinds.iter().copied()));
        }
        if let Some(Date(from)) = self.date_from {
            c = c.add(workshop::Column::StartsAt.gte(from.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(Date(to)) = self.date_to {
            let next = to
                .succ_opt()
                .ok_or_else(|| ApiError::bad_input("filter.dateTo", "`dateTo` is out of range"))?;
            c = c.add(workshop::Column::StartsAt.lt(next.and_time(NaiveTime::MIN).and_utc()));
        }
        if let Some(codes) = self.countries.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                project::Column::CountryCode.is_in(filters::countries("filter.countries", codes)?),
            );
        }
        if let Some(ids) = self.projects.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(workshop::Column::ProjectId.is_in(filters::ids(
                "filter.projects",
                ids,
                ids::Kind::Project,
            )?));
        }
        if let Some(ids) = self.workshops.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(registration::Column::WorkshopId.is_in(filters::ids(
                "filter.workshops",
                ids,
                ids::Kind::Workshop,
            )?));
        }
        if self.exclude_illustrative == Some(true) {
            c = c
                .add(registration::Column::Illustrative.eq(false))
                .add(workshop::Column::Illustrative.eq(false))
                .add(project::Column::Illustrative.eq(false));
        }
        Ok(c)
    }
}

/// One group of people: its key (the fields of the dimensions grouped by; the others are
/// null) and how many people, unless that is hidden.
pub struct ParticipationGroup {
    dimensions: Vec<ParticipationDimension>,
    key: Key,
    count: i64,
    perturbed: bool,
}

impl ParticipationGroup {
    fn part(&self, dimension: ParticipationDimension) -> Option<&summary::Part> {
        summary::part(&self.dimensions, &self.key, dimension)
    }
}

/// One group of `participationSummary`: the fields of the dimensions grouped by (the others
/// are null) and how many people it holds.
#[Object]
impl ParticipationGroup {
    /// The group's self-declared gender; null unless grouped by GENDER.
    async fn gender(&self) -> ApiResult<Option<Gender>> {
        summary::vocabulary(self.part(ParticipationDimension::Gender))
    }

    /// The group's age band; null unless grouped by AGE_BAND.
    async fn age_band(&self) -> ApiResult<Option<AgeBand>> {
        summary::vocabulary(self.part(ParticipationDimension::AgeBand))
    }

    /// The country owning the workshops' project; null unless grouped by COUNTRY.
    async fn country(&self, ctx: &Context<'_>) -> ApiResult<Option<Country>> {
        let code = summary::text(self.part(ParticipationDimension::Country));
        objects::country(ctx, code, "participationGroup.country").await
    }

    /// The region of the workshops' venue; null unless grouped by REGION, and for the group
    /// of workshops without one.
    async fn region(&self, ctx: &Context<'_>) -> ApiResult<Option<Region>> {
        let id = summary::id(self.part(ParticipationDimension::Region));
        objects::region(ctx, id, "participationGroup.region").await
    }

    /// The workshops' project; null unless grouped by PROJECT.
    async fn project(&self, ctx: &Context<'_>) -> ApiResult<Option<Project>> {
        let id = summary::id(self.part(ParticipationDimension::Project));
        objects::project(ctx, id, "participationGroup.project").await
    }

    /// The workshop; null unless grouped by WORKSHOP.
    async fn workshop(&self, ctx: &Context<'_>) -> ApiResult<Option<Workshop>> {
        let id = summary::id(self.part(ParticipationDimension::Workshop));
        objects::workshop(ctx, id, "participationGroup.workshop").await
    }

    /// The kind of event; null unless grouped by KIND.
    async fn kind(&self) -> ApiResult<Option<ActivityKind>> {
        summary::vocabulary(self.part(ParticipationDimension::Kind))
    }

    /// The year its events start.
    async fn year(&self) -> Option<i32> {
        summary::int(self.part(ParticipationDimension::Year))
    }

    /// People in the group. When `perturbed`, the count published to callers without rights
    /// to the people counted: off by at most 2, never 1 or 2, and the same however the group
    /// was asked for (see README, "Personal data").
    async fn count(&self) -> i64 {
        self.count
    }

    /// Whether `count` was perturbed by the cell key method; false when every person counted
    /// belongs to a project whose personal data you may read.
    async fn perturbed(&self) -> bool {
        self.perturbed
    }
}

#[derive(Default)]
pub struct ParticipationSummaryQuery;

#[Object]
impl ParticipationSummaryQuery {
    /// People registered for (or attending) workshops the caller may see, grouped by any
    /// combination of dimensions. Counted by the database. Unless every person counted belongs
    /// to a project whose personal data the caller may read, counts are perturbed by the cell
    /// key method, so that no filter or grouping recovers an exact small count.
    #[graphql(complexity = "crate::graphql::complexity::GROUPS * child_complexity")]
    async fn participation_summary(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Dimensions to group by, in any combination; `[]` gives one group \
                    of everyone."
        )]
        group_by: Vec<ParticipationDimension>,
        #[graphql(
            desc = "Whom to count; when left out, everyone REGISTERED or ATTENDED in \
                    workshops you may see."
        )]
        filter: Option<ParticipationFilter>,
    ) -> ApiResult<Vec<ParticipationGroup>> {
        let rc = request(ctx)?;
        let dimensions = summary::distinct(&group_by);
        let filter = filter.unwrap_or_default();

        let select = if counted(&dimensions, &filter, &rc.caller) {
            from_counts(&dimensions, &filter, &rc.caller)?
        } else {
            from_registrations(
                &dimensions,
                &filter,
                &rc.caller,
                rc.db.get_database_backend(),
            )?
        };

        let mut cells: Vec<(Key, i64, i64)> = Vec::new();
        let mut protect = false;
        for row in rc.db.query_all(&select).await? {
            let key = summary::read_key(&row, &dimensions)?;
            if rc.caller.role() != Some(Role::Admin) {
                protect |= row.try_get::<Option<i64>>("", "outside")?.unwrap_or(0) > 0;
            }
            let key_sum = row.try_get::<Option<i64>>("", "key_sum")?.unwrap_or(0);
            cells.push((key, row.try_get("", "n")?, key_sum));
        }
        if dimensions.is_empty() && cells.is_empty() {
            cells.push((Vec::new(), 0, 0));
        }
        cells.sort_by(|a, b| summary::sort_key(&a.0).cmp(&summary::sort_key(&b.0)));
        Ok(cells
            .into_iter()
            .map(|(key, count, key_sum)| ParticipationGroup {
                dimensions: dimensions.clone(),
                key,
                count: if protect {
                    cell_key::published(count, key_sum)
                } else {
                    count
                },
                perturbed: protect,
            })
            // A group perturbed to nobody says nothing; it is left out like an empty one.
            .filter(|g| dimensions.is_empty() || g.count > 0)
            .collect())
    }
}

/// Whether the counts kept per group (`participation_count`) answer this summary: they hold
/// country, gender, age band and status, and are enough to decide what anonymous callers,
/// viewers and admins see. Partners' projects (those their organisation takes part in) and
/// coordinators' (owned by, or working in, their countries) are picked one by one, so theirs
/// are counted from the registrations, as are finer groupings and filters: exact, at the cost
/// of one join over their registrations.
fn counted(
    dimensions: &[ParticipationDimension],
    filter: &ParticipationFilter,
    caller: &Caller,
) -> bool {
    access::audience(caller).is_some()
        && filter.is_coarse()
        && dimensions.iter().all(|d| d.kept_column().is_some())
}

/// The summary from the kept counts: the same groups, visibility and suppression inputs as
/// [`from_registrations`], over a few hundred rows instead of every registration.
fn from_counts(
    dimensions: &[ParticipationDimension],
    filter: &ParticipationFilter,
    caller: &Caller,
) -> ApiResult<SelectStatement> {
    let column = |name: &str| Expr::col((Alias::new(TOTAL), Alias::new(name)));
    let statuses: Vec<String> = filter
        .statuses()
        .into_iter()
        .map(|s| s.to_value())
        .collect();
    let mut select = Query::select();
    select
        .from(Alias::new(TOTAL))
        .and_where(column("people").gt(0))
        .and_where(column("status").is_in(statuses));
    if let Some(codes) = filter.countries.as_deref().filter(|l| !l.is_empty()) {
        select.and_where(
            column("country_code").is_in(filters::countries("filter.countries", codes)?),
        );
    }
    let Some(rows) =
        access::counted_rows(caller, column("published"), column("workshop_cancelled"))
    else {
        return Err(ApiError::internal(
            "kept counts asked for a caller they cannot answer",
        ));
    };
    select.cond_where(rows.visible);
    let outside = match rows.rights {
        access::Rights::All => None,
        access::Rights::None => Some(summary::sum(column("people"))),
    };
    for d in dimensions {
        let name = d
            .kept_column()
            .ok_or_else(|| ApiError::internal("a dimension the kept counts do not hold"))?;
        summary::dimension(&mut select, column(name), d.alias());
    }
    select.expr_as(
        Func::coalesce([summary::sum(column("people")), Expr::val(0)]),
        Alias::new("n"),
    );
    select.expr_as(summary::sum(column("key_sum")), Alias::new("key_sum"));
    if let Some(outside) = outside {
        select.expr_as(outside, Alias::new("outside"));
    }
    Ok(select)
}

/// The summary counted from the registrations themselves, joined to their workshops and
/// projects: any grouping, any filter, any caller.
fn from_registrations(
    dimensions: &[ParticipationDimension],
    filter: &ParticipationFilter,
    caller: &Caller,
    backend: sea_orm::DbBackend,
) -> ApiResult<SelectStatement> {
    let mut select = registration::Entity::find()
        .select_only()
        .filter(access::workshops(caller))
        .filter(filter.condition()?)
        .into_query();
    select
        .inner_join(
            workshop::Entity,
            Expr::col((workshop::Entity, workshop::Column::Id))
                .equals((registration::Entity, registration::Column::WorkshopId)),
        )
        .inner_join(
            project::Entity,
            Expr::col((project::Entity, project::Column::Id))
                .equals((workshop::Entity, workshop::Column::ProjectId)),
        );
    for d in dimensions {
        summary::dimension(&mut select, d.column(backend), d.alias());
    }
    select.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"));
    select.expr_as(
        summary::sum(Expr::col((
            registration::Entity,
            registration::Column::RecordKey,
        ))),
        Alias::new("key_sum"),
    );
    // People the caller has no personal-data rights to, per group; decided by role where
    // the role alone answers it.
    let outside = match (caller.role(), caller.organisation()) {
        (Some(Role::Admin), _) => None,
        // A partner sees its registrants only in aggregate, unless its organisation runs
        // the workshop (the controller).
        (Some(Role::Partner), Some(organisation)) => Some(summary::sum(
            Expr::case(
                Expr::col((registration::Entity, registration::Column::ControllerId))
                    .eq(organisation)
                    .and(
                        Expr::col((project::Entity, project::Column::Id))
                            .in_subquery(access::project_ids(access::managed_projects(caller))),
                    ),
                0,
            )
            .finally(1)
            .into(),
        )),
        (Some(Role::Coordinator | Role::Partner), _) => Some(summary::sum(
            Expr::case(
                Expr::col((project::Entity, project::Column::Id))
                    .in_subquery(access::project_ids(access::managed_projects(caller))),
                0,
            )
            .finally(1)
            .into(),
        )),
        (Some(Role::Viewer) | None, _) => Some(Expr::cust("COUNT(*)")),
    };
    if let Some(outside) = outside {
        select.expr_as(outside, Alias::new("outside"));
    }
    Ok(select)
}
