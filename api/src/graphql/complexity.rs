//! What a field costs for the complexity limit: 1 per field by default; a list multiplies what
//! one of its items costs by how many it may return.

use crate::graphql::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Items assumed for a nested list that is not paged (a project's fundings, a workshop's
/// registrations, …).
pub const LIST: usize = 10;

/// Items assumed for the short lists under a result (its indicators, their periods): writes
/// bound them (`result_write::MAX_INDICATORS`, `indicator_period_write::MAX_PERIODS`), and a
/// result rarely has more than a few.
pub const FEW: usize = 3;

/// Groups assumed for a summary.
pub const GROUPS: usize = 50;

/// The page a connection may return: `first` (or `last`), else the default page.
pub fn page(first: Option<i32>, last: Option<i32>) -> usize {
    first.or(last).map_or(DEFAULT_PAGE_SIZE, |n| {
        u64::try_from(n).unwrap_or(0).min(MAX_PAGE_SIZE)
    }) as usize
}
