//! Data derived from other rows and kept in step by the writes that change them, in the same
//! transaction: euro rates of fundings and budgets, each funding's days per year, the countries each project
//! works in, the people counted per group for `participationSummary` and the money summed per
//! group for `fundingSummary`. Bulk loads, which bypass the writes, call `rebuild_after_load`.
//! (The search index follows the same rule: `crate::search`.)

pub mod eur;
pub mod funding_flow;
pub mod funding_totals;
pub mod funding_years;
pub mod kept;
pub mod participation_counts;
pub mod project_countries;
pub mod seats;

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbErr};

use crate::error::ApiResult;

/// After `currency`'s rates from `date` on were written: every priced row in it converts
/// again, and the funding totals kept in it are counted again.
pub async fn rates_changed(
    txn: &DatabaseTransaction,
    currency: &str,
    date: NaiveDate,
) -> ApiResult<()> {
    eur::store_rates_from(txn, currency, date).await?;
    funding_totals::rebuild(txn, Some(currency)).await?;
    Ok(())
}

/// Everything derived, computed again from the rows: after a seed.
pub async fn rebuild_after_load<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    eur::store_all(db).await?;
    funding_years::rebuild(db).await?;
    project_countries::rebuild(db).await?;
    participation_counts::rebuild(db).await?;
    funding_totals::rebuild(db, None).await?;
    crate::search::rebuild_all(db).await
}
