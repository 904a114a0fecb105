//! Which database a request runs on when a read replica is configured: a query on the
//! replica when `Replica::serves` its caller and its answer will not be kept (kept answers
//! are computed on the primary, so a replica's lag never outlives a write behind them);
//! everything else on the primary. A query the replica fails to answer (unreachable, or a
//! query cancelled by its replay) runs again on the primary, which is safe because a query
//! changes nothing. After a mutation the replica
//! learns the writer's position, so the writer reads its own write.

use actix_web::HttpRequest;
use async_graphql::parser::types::OperationType;

use super::AppState;
use super::execution::{Outcome, chosen_operation, run_on};
use crate::auth::Caller;
use crate::db::replica::Replica;

pub(super) struct Routed<'a> {
    pub state: &'a AppState,
    pub req: &'a HttpRequest,
    pub replica: &'a Replica,
    pub caller: &'a Caller,
    /// The caller's rate-limit key, by which the replica remembers its writes.
    pub writer: String,
    pub languages: &'a [String],
}

impl Routed<'_> {
    pub async fn run(self, mut request: async_graphql::Request) -> Outcome {
        let operation = chosen_operation(&mut request).map(|op| op.node.ty);
        let primary = &self.state.db;
        if operation == Some(OperationType::Mutation) {
            let outcome = self.on(primary, request).await;
            self.replica.wrote(primary, self.writer.clone()).await;
            return outcome;
        }
        let read_there = operation == Some(OperationType::Query)
            && !self.state.responses.may_keep(self.req)
            && self.replica.serves(&self.writer);
        if !read_there {
            let outcome = self.on(primary, request).await;
            if operation == Some(OperationType::Query) {
                self.replica.answered(false);
            }
            return outcome;
        }
        let mut again = copy(&request);
        self.state.parsed.fill(&mut again);
        let outcome = self.on(&self.replica.connection, request).await;
        let failed = |code| {
            outcome
                .as_ref()
                .is_ok_and(|(response, _)| has_code(response, code))
        };
        // A standby also cancels queries that conflict with its replay (an internal error
        // here): every failed read runs again on the primary; an unreachable replica is
        // left alone until the watcher sees it keep up.
        let unavailable = failed("SERVICE_UNAVAILABLE");
        if unavailable || failed("INTERNAL_SERVER_ERROR") {
            if unavailable {
                self.replica.away();
            }
            self.replica.answered(false);
            return self.on(primary, again).await;
        }
        self.replica.answered(true);
        outcome
    }

    async fn on(
        &self,
        db: &sea_orm::DatabaseConnection,
        request: async_graphql::Request,
    ) -> Outcome {
        run_on(self.state, db, self.caller, self.languages, request).await
    }
}

/// A request as the client sent it, before anything was added to run it.
fn copy(request: &async_graphql::Request) -> async_graphql::Request {
    let mut copy =
        async_graphql::Request::new(request.query.clone()).variables(request.variables.clone());
    copy.operation_name = request.operation_name.clone();
    copy.extensions = request.extensions.clone();
    copy.introspection_mode = request.introspection_mode;
    copy
}

/// Whether an error of `response` has `code`.
fn has_code(response: &async_graphql::Response, code: &str) -> bool {
    response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|v| matches!(v, async_graphql::Value::String(c) if c == code))
    })
}
