//! Which fundings a summary counts and how: the filter, and each funding's money counted
//! once along a flow (an allocation and what is drawn from it) or at every level.

use async_graphql::{Enum, ID, InputObject};

use entity::{funding, project};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, SelectStatement},
};

use crate::access;
use crate::auth::Caller;
use crate::domain::codes::CurrencyCode;
use crate::error::{ApiError, ApiResult};
use crate::graphql::enums::{FundingKind, FundingStatus};
use crate::graphql::filters;
use crate::graphql::summary;
use crate::ids;

/// How money drawn from an allocation (a regional grant out of a national assignment) is
/// counted.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FundingCounting {
    /// Each euro once: the money at its final recipient, plus what stays unallocated at
    /// each allocation.
    #[default]
    EachEuroOnce,
    /// Every funding in full, at every level: an allocation and what is drawn from it both
    /// count.
    EveryLevel,
}

/// The level of a flow a sum is counted at.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FundingLevel {
    /// Money at a funding nothing (that you see) is drawn from: its final recipient.
    Recipient,
    /// What stays in an allocation after what is drawn from it (`EACH_EURO_ONCE`).
    Unallocated,
    /// An allocation in full (`EVERY_LEVEL`).
    Allocation,
}

impl FundingLevel {
    const ALL: [Self; 3] = [Self::Recipient, Self::Unallocated, Self::Allocation];

    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::Recipient => "RECIPIENT",
            Self::Unallocated => "UNALLOCATED",
            Self::Allocation => "ALLOCATION",
        }
    }

    pub(crate) fn parse(code: &str) -> ApiResult<Self> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or_else(|| ApiError::internal(format!("unknown funding level {code}")))
    }
}

/// Which funding to count. Every list is "any of"; an empty or absent list does not filter.
#[derive(InputObject, Default)]
pub struct FundingFilter {
    /// ISO codes of the countries owning the projects.
    pub countries: Option<Vec<String>>,
    /// Global ids of funder organisations.
    pub funders: Option<Vec<ID>>,
    /// Global ids of projects.
    pub projects: Option<Vec<ID>>,
    /// Global ids of the programmes the projects run under.
    pub programmes: Option<Vec<ID>>,
    /// First year of the value date, inclusive.
    pub year_from: Option<i32>,
    /// Last year of the value date, inclusive.
    pub year_to: Option<i32>,
    /// Funding statuses.
    pub statuses: Option<Vec<FundingStatus>>,
    /// Kinds of funding.
    pub kinds: Option<Vec<FundingKind>>,
    /// ISO 4217 codes of the original currencies.
    pub currencies: Option<Vec<String>>,
    /// Leave out fundings the seed invented, and those of projects it invented.
    pub exclude_illustrative: Option<bool>,
}

impl FundingFilter {
    /// The filter as a condition on `funding` joined with `project`.
    pub(crate) fn condition(&self) -> ApiResult<sea_orm::Condition> {
        let mut c = sea_orm::Condition::all();
        if let Some(codes) = self.countries.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                project::Column::CountryCode.is_in(filters::countries("filter.countries", codes)?),
            );
        }
        if let Some(ids) = self.funders.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(funding::Column::FunderId.is_in(filters::ids(
                "filter.funders",
                ids,
                ids::Kind::Organisation,
            )?));
        }
        if let Some(ids) = self.projects.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(funding::Column::ProjectId.is_in(filters::ids(
                "filter.projects",
                ids,
                ids::Kind::Project,
            )?));
        }
        if let Some(ids) = self.programmes.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(project::Column::ProgrammeId.is_in(filters::ids(
                "filter.programmes",
                ids,
                ids::Kind::Programme,
            )?));
        }
        c = c.add(filters::years(
            funding::Column::ValueDate,
            self.year_from,
            self.year_to,
        )?);
        if let Some(statuses) = self.statuses.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                funding::Column::Status.is_in(
                    statuses
                        .iter()
                        .map(|s| entity::enums::FundingStatus::from(*s)),
                ),
            );
        }
        if let Some(kinds) = self.kinds.as_deref().filter(|l| !l.is_empty()) {
            c = c.add(
                funding::Column::Kind
                    .is_in(kinds.iter().map(|k| entity::enums::FundingKind::from(*k))),
            );
        }
        if let Some(codes) = self.currencies.as_deref().filter(|l| !l.is_empty()) {
            let codes = codes
                .iter()
                .map(|code| {
                    CurrencyCode::parse(code)
                        .map(|c| c.as_str().to_owned())
                        .map_err(|message| ApiError::bad_input("filter.currencies", message))
                })
                .collect::<ApiResult<Vec<_>>>()?;
            c = c.add(funding::Column::Currency.is_in(codes));
        }
        if self.exclude_illustrative == Some(true) {
            c = c
                .add(funding::Column::Illustrative.eq(false))
                .add(project::Column::Illustrative.eq(false));
        }
        Ok(c)
    }

    /// Which draws from an allocation take money out of its remainder: those the caller
    /// sees (whatever else the filter narrows to, so that groups add up to the whole), but
    /// not invented ones when the invented are left out: their money stays where it came
    /// from.
    pub(crate) fn drawn_condition(&self) -> sea_orm::Condition {
        let mut c = sea_orm::Condition::all();
        if self.exclude_illustrative == Some(true) {
            c = c.add(funding::Column::Illustrative.eq(false)).add(
                funding::Column::ProjectId.in_subquery(
                    project::Entity::find()
                        .select_only()
                        .column(project::Column::Id)
                        .filter(project::Column::Illustrative.eq(false))
                        .into_query(),
                ),
            );
        }
        c
    }
}

/// The fundings `caller` sees that match `condition` (on `funding` joined with `project`),
/// one row each, with the money each counts (`amount_minor`) and at which level (`level`):
/// with `once`, an allocation counts only what stays in it after what the caller sees drawn
/// from it, so money it cannot see drawn stays in the remainder and no hidden amount shows by
/// difference. `drawn_condition` narrows which draws count (`FundingFilter::drawn_condition`).
pub(crate) fn counted(
    caller: &Caller,
    once: bool,
    condition: sea_orm::Condition,
    drawn_condition: sea_orm::Condition,
) -> SelectStatement {
    let drawn = funding::Entity::find()
        .select_only()
        .column_as(funding::Column::DrawnFromId, "allocation_id")
        .expr_as(
            summary::sum(Expr::col(funding::Column::AmountMinor)),
            "drawn",
        )
        .filter(access::fundings(caller))
        .filter(drawn_condition)
        .filter(funding::Column::DrawnFromId.is_not_null())
        .group_by(funding::Column::DrawnFromId)
        .into_query();
    let dr = Alias::new("dr");
    let drawn_col = Expr::col((dr.clone(), Alias::new("drawn")));
    let amount = Expr::col((funding::Entity, funding::Column::AmountMinor));
    let counted = Expr::case(drawn_col.clone().is_null(), amount.clone()).finally(if once {
        amount.clone().sub(drawn_col.clone())
    } else {
        amount.clone()
    });
    let level =
        Expr::case(drawn_col.clone().is_null(), FundingLevel::Recipient.code()).finally(if once {
            FundingLevel::Unallocated.code()
        } else {
            FundingLevel::Allocation.code()
        });

    let mut inner = funding::Entity::find()
        .select_only()
        .columns([
            funding::Column::Id,
            funding::Column::ProjectId,
            funding::Column::FunderId,
            funding::Column::Kind,
            funding::Column::Status,
            funding::Column::Currency,
            funding::Column::ValueDate,
            funding::Column::RateMicros,
        ])
        .column_as(project::Column::CountryCode, "country_code")
        .column_as(project::Column::ProgrammeId, "programme_id")
        .expr_as(counted, "amount_minor")
        .expr_as(level, "level")
        .expr_as(
            Expr::case(
                Expr::col((funding::Entity, funding::Column::Illustrative))
                    .eq(true)
                    .or(Expr::col((project::Entity, project::Column::Illustrative)).eq(true)),
                1,
            )
            .finally(0),
            "invented",
        )
        .filter(access::fundings(caller))
        .filter(condition)
        .into_query();
    inner.inner_join(
        project::Entity,
        Expr::col((project::Entity, project::Column::Id))
            .equals((funding::Entity, funding::Column::ProjectId)),
    );
    inner.join_subquery(
        JoinType::LeftJoin,
        drawn,
        dr.clone(),
        Expr::col((dr.clone(), Alias::new("allocation_id")))
            .equals((funding::Entity, funding::Column::Id)),
    );
    if once {
        // An allocation drawn in full has nothing left to count.
        inner.and_where(drawn_col.clone().is_null().or(drawn_col.lt(amount)));
    }

    inner
}
