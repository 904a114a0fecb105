//! What a field costs for the complexity limit: 1 per field by default; a list multiplies what
//! one of its items costs by how many it may return (a page: `PageArgs::complexity`).

/// Items assumed for a nested list that is not paged (a project's fundings, a workshop's
/// registrations, …).
pub const LIST: usize = 10;

/// Items assumed for the short lists under a result (its indicators, their periods): writes
/// bound them (`result_write::MAX_INDICATORS`, `indicator_period_write::MAX_PERIODS`), and a
/// result rarely has more than a few.
pub const FEW: usize = 3;

/// Groups assumed for a summary.
pub const GROUPS: usize = 50;
