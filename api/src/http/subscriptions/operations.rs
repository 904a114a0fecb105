//! Each operation on a socket, checked as `http::graphql` checks a request over HTTP: the
//! credential again, the document limits, the rate, a cap on operations per socket, and the
//! same error codes.

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Instant;

use actix_web::web;
use async_graphql::parser::types::OperationType;
use async_graphql::{Data, Executor, Request, Response};
use futures_util::stream::{self, BoxStream, StreamExt};

use super::Credential;
use crate::auth::Caller;
use crate::http::AppState;
use crate::http::answers::{classify_errors, coded, refusal, refusal_with};
use crate::http::execution::chosen_operation;
use crate::http::ordered::Order;
use crate::http::{limits, rate_limit, variables};

/// Operations running on one socket.
#[derive(Default)]
pub(super) struct Running(Arc<AtomicU32>);

/// Checks each operation on a socket as `http::graphql` checks each request.
#[derive(Clone)]
pub(super) struct Guarded {
    pub(super) state: web::Data<AppState>,
    pub(super) peer: Option<IpAddr>,
}

impl Executor for Guarded {
    async fn execute(&self, request: Request) -> Response {
        self.state.schema.execute(request).await
    }

    /// Every operation on a socket: the credential again, then the same checks, turns and
    /// limits as a request over HTTP.
    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let guarded = self.clone();
        stream::once(async move { guarded.checked(request, session_data).await })
            .flatten()
            .boxed()
    }
}

impl Guarded {
    async fn checked(
        self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        let state = &self.state;
        let caller = session::<Caller>(&session_data)
            .cloned()
            .unwrap_or_else(Caller::anonymous);
        // First: nothing after it (a document's lookup, the credential) outruns the rate.
        let key = rate_limit::key(&caller, self.peer);
        if state.rates.check(&key).await.is_err() {
            return refusal("RATE_LIMITED", "too many requests; slow down");
        }
        let register = match state
            .documents
            .prepare(&state.db, &mut request, caller.role())
            .await
        {
            Ok(register) => register,
            Err(refused) => return refusal(refused.code, &refused.message),
        };
        state.parsed.fill(&mut request);
        match limits::check_request(&mut request, &state.limits) {
            Err(exceeded) => {
                return refusal_with(
                    "QUERY_TOO_COMPLEX",
                    &exceeded.message,
                    &[
                        ("limit", exceeded.limit.into()),
                        ("max", exceeded.max.into()),
                    ],
                );
            }
            Ok(shape) if shape.introspects && !state.introspection.allows(caller.role()) => {
                return refusal(
                    "FORBIDDEN",
                    "schema introspection is not available to this caller",
                );
            }
            Ok(_) => {}
        }
        if let Err(missing) = variables::check(&mut request) {
            return refusal_with(
                "BAD_USER_INPUT",
                &missing.message,
                &[("field", missing.field.into())],
            );
        }
        if let Some(credential) = session::<Credential>(&session_data)
            && !caller.is_anonymous()
        {
            match state.authenticate(&credential.headers).await {
                Ok(_) => {}
                Err(crate::error::ApiError::Unavailable) => {
                    return refusal(
                        "SERVICE_UNAVAILABLE",
                        "the database is unavailable; retry in a moment",
                    );
                }
                Err(error) => {
                    // The socket closes (4403) once this refusal and its `complete` are out.
                    let lost = credential.lost.clone();
                    let closing = stream::once(async move { lost.notify_one() })
                        .filter_map(|()| async { None });
                    return refusal(error.code(), &error.message())
                        .chain(closing)
                        .boxed();
                }
            }
        }
        if let Some(hash) = register {
            state
                .documents
                .register(&state.db, hash, &mut request)
                .await;
        }
        let running = session::<Running>(&session_data)
            .map(|r| r.0.clone())
            .unwrap_or_default();
        if running.fetch_add(1, Ordering::SeqCst) >= state.limits.max_subscriptions {
            running.fetch_sub(1, Ordering::SeqCst);
            return refusal(
                "TOO_MANY_SUBSCRIPTIONS",
                &format!(
                    "at most {} operations at once on one connection",
                    state.limits.max_subscriptions
                ),
            );
        }
        let slot = Slot(running);
        if !state.introspection.allows(caller.role()) {
            request = request.disable_introspection();
        }
        let data = session_data.unwrap_or_default();
        // Answers in the selection's order, as over HTTP.
        let order = Order::of(&mut request);
        let ordered = move |response: &mut Response| {
            if let Some(order) = &order {
                order.apply(&mut response.data);
            }
        };
        if is_subscription(&mut request) {
            return state
                .schema
                .execute_stream_with_session_data(request, data)
                .map(move |mut response| {
                    let _held = &slot;
                    ordered(&mut response);
                    // The same codes as over HTTP for what the executor refuses itself.
                    classify_errors(&mut response);
                    response
                })
                .boxed();
        }
        // Queries and mutations wait for a turn like those over HTTP, and hold it until
        // their one answer is built; their reads of personal data are audited as over HTTP
        // (subscriptions read none: their resolvers find no `PersonalReads`).
        let state = self.state.clone();
        // They run on the primary; after a mutation, its caller's reads over HTTP do too
        // until the replica has replayed it.
        let writer = is_mutation(&mut request).then_some(key);
        let reads = Arc::new(crate::audit::PersonalReads::default());
        let request = request.data(reads.clone());
        let reader = caller.clone();
        stream::once(async move {
            let queued = Instant::now();
            let Ok(_turn) = state.operations.acquire().await else {
                return Response::from_errors(vec![coded(
                    "SERVICE_UNAVAILABLE",
                    "the server is shutting down",
                    &[],
                )]);
            };
            state.metrics.waited(queued.elapsed().as_secs_f64());
            let mut answers = state.schema.execute_stream_with_session_data(request, data);
            let mut answer = answers.next().await.unwrap_or_default();
            drop(slot);
            if let (Some(replica), Some(writer)) = (&state.replica, writer) {
                replica.wrote(&state.db, writer).await;
            }
            if let Err(error) = reads.record(&state.db, &reader).await {
                tracing::warn!(?error, "a read of personal data was not audited");
                return Response::from_errors(vec![coded(
                    "SERVICE_UNAVAILABLE",
                    "the answer holds personal data whose reading could not be recorded; retry",
                    &[],
                )]);
            }
            ordered(&mut answer);
            classify_errors(&mut answer);
            answer
        })
        .boxed()
    }
}

fn session<T: Send + Sync + 'static>(data: &Option<Arc<Data>>) -> Option<&T> {
    data.as_ref()
        .and_then(|d| d.get(&std::any::TypeId::of::<T>()))
        .and_then(|v| v.downcast_ref::<T>())
}

/// Whether the operation the request runs is a subscription.
fn is_subscription(request: &mut Request) -> bool {
    chosen_operation(request).is_some_and(|op| op.node.ty == OperationType::Subscription)
}

fn is_mutation(request: &mut Request) -> bool {
    chosen_operation(request).is_some_and(|op| op.node.ty == OperationType::Mutation)
}

/// Frees an operation's place on its socket when its stream ends or is stopped.
struct Slot(Arc<AtomicU32>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}
