//! How money flows are counted: each funding a caller sees, with the money it counts and the
//! level of the flow it counts at. `fundingSummary`, the project summaries and the kept
//! funding totals (`funding_totals`) all count through `counted`, so they cannot disagree.

use entity::{funding, project};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, JoinType, QueryFilter, QuerySelect, QueryTrait,
    sea_query::{Alias, Expr, ExprTrait, SelectStatement},
};

use crate::access;
use crate::auth::Caller;
use crate::db::sql::sum;

/// Money at a funding nothing (that the caller sees) is drawn from: its final recipient.
pub const RECIPIENT: &str = "RECIPIENT";
/// What stays in an allocation after what is drawn from it (each euro once).
pub const UNALLOCATED: &str = "UNALLOCATED";
/// An allocation in full (every level).
pub const ALLOCATION: &str = "ALLOCATION";

/// Leaves out fundings the seed invented and those of projects it invented (on `funding`
/// joined with `project`).
pub fn without_invented() -> Condition {
    Condition::all()
        .add(funding::Column::Illustrative.eq(false))
        .add(project::Column::Illustrative.eq(false))
}

/// Which draws from an allocation take money out of its remainder: those the caller sees
/// (whatever else a filter narrows to, so that groups add up to the whole), but not invented
/// ones when the invented are left out: their money stays where it came from.
pub fn draws_counted(invented_left_out: bool) -> Condition {
    let mut c = Condition::all();
    if invented_left_out {
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

/// The fundings `caller` sees that match `condition` (on `funding` joined with `project`),
/// one row each, with the money each counts (`amount_minor`) and at which level (`level`):
/// with `once`, an allocation counts only what stays in it after what the caller sees drawn
/// from it, so money it cannot see drawn stays in the remainder and no hidden amount shows by
/// difference. `drawn_condition` narrows which draws count (`draws_counted`).
pub fn counted(
    caller: &Caller,
    once: bool,
    condition: Condition,
    drawn_condition: Condition,
) -> SelectStatement {
    let drawn = funding::Entity::find()
        .select_only()
        .column_as(funding::Column::DrawnFromId, "allocation_id")
        .expr_as(sum(Expr::col(funding::Column::AmountMinor)), "drawn")
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
    let level = Expr::case(drawn_col.clone().is_null(), RECIPIENT).finally(if once {
        UNALLOCATED
    } else {
        ALLOCATION
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
