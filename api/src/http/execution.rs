//! Running a request's operation: which operation a document asks for, and its execution on
//! one database with the request's loaders and record of personal data read (a panicking
//! resolver becomes an error, never a dropped connection), its answer in the selection's order
//! (`ordered`).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use async_graphql::Positioned;
use async_graphql::dataloader::DataLoader;
use async_graphql::parser::types::OperationDefinition;
use futures_util::FutureExt as _;

use super::AppState;
use crate::graphql::batches::{self, BatchQueue};
use crate::graphql::context::RequestContext;
use crate::graphql::loaders::Loaders;

/// The operation a request runs: the one `operationName` names, or the document's only one;
/// `None` when the document does not parse or leaves the choice open.
pub(crate) fn chosen_operation(
    request: &mut async_graphql::Request,
) -> Option<&Positioned<OperationDefinition>> {
    let name = request.operation_name.clone();
    super::parsed::operation_of(request.parsed_query().ok()?, name.as_deref())
}

/// What running a request gave: the response and the personal data it read, or a resolver's
/// panic.
pub(super) type Outcome =
    Result<(async_graphql::Response, Arc<crate::audit::PersonalReads>), String>;

/// Runs `request` for `caller` on `db` (the primary, or the replica for a query), with its
/// loaders and its record of personal data read.
pub(super) async fn run_on(
    state: &AppState,
    db: &sea_orm::DatabaseConnection,
    caller: &crate::auth::Caller,
    languages: &[String],
    mut request: async_graphql::Request,
) -> Outcome {
    let order = super::ordered::Order::of(&mut request);
    let batches = BatchQueue::default();
    // No delay: `batches::run` starts a batch once the request waits for it.
    let loaders = DataLoader::new(
        Loaders {
            db: db.clone(),
            caller: caller.clone(),
        },
        batches.spawner(),
    )
    .delay(std::time::Duration::ZERO);
    let reads = Arc::new(crate::audit::PersonalReads::default());
    let context = RequestContext {
        caller: caller.clone(),
        languages: languages.to_vec(),
        db: db.clone(),
    };
    let execution = state
        .schema
        .execute(request.data(context).data(loaders).data(reads.clone()));
    // A panicking resolver must not take the connection down or leak its message.
    let mut response = catching(batches::run(execution, batches)).await?;
    if let Some(order) = order {
        order.apply(&mut response.data);
    }
    Ok((response, reads))
}

/// Runs `future`, turning a panic into `Err` with its message (for the log only).
async fn catching<F: std::future::Future>(future: F) -> Result<F::Output, String> {
    AssertUnwindSafe(future)
        .catch_unwind()
        .await
        .map_err(|panic| {
            panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panic_becomes_an_error_with_its_message() {
        let answer: Result<(), String> = catching(async { panic!("boom at row 7") }).await;
        assert_eq!(answer, Err("boom at row 7".to_owned()));
        assert_eq!(catching(async { 42 }).await, Ok(42));
    }
}
