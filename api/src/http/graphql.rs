//! GraphQL over HTTP: POST with a JSON body, GET for queries; the answer's media type follows
//! the client's `Accept` (`application/graphql-response+json` unless it only takes JSON).

use actix_web::{HttpRequest, HttpResponse, http::header, web};

use async_graphql::parser::types::OperationType;

use tracing::Instrument as _;

use super::execution::{chosen_operation, run_on};
use super::{AppState, documents, rate_limit};
use crate::domain::codes::Language;
use crate::error::ApiError;
use crate::http::limits;
use crate::http::variables;

use super::answers::{
    JSON, body_refused, classify_errors, rate_limited, refused, respond, too_complex,
    transport_error, unauthenticated, unavailable,
};

pub async fn post(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let media_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    if media_type.as_deref() != Some(JSON) {
        // Only JSON bodies: a browser cannot send them cross-site without a CORS preflight.
        return transport_error(
            &req,
            actix_web::http::StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "BAD_REQUEST",
            "POST bodies must be application/json",
        );
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    let body = match super::body::read(payload, declared, super::MAX_BODY_BYTES, state.body_timeout)
        .await
    {
        Ok(body) => body,
        Err(error) => return body_refused(&req, error),
    };
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        // One operation per request: a batch would multiply every other limit.
        return too_complex(
            &req,
            &limits::Exceeded {
                limit: "batch",
                max: 1,
                message: "batched operations are not accepted: send one operation per request"
                    .into(),
            },
        );
    }
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(&state, &req, request, document_id(&body)).await,
        Err(_) => transport_error(
            &req,
            actix_web::http::StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the body is not a GraphQL request in JSON",
        ),
    }
}

pub async fn get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let max_age = state.cache_max_age.as_secs();
    // Anonymous readers of the same page share one execution per write.
    let ticket = state.responses.ticket(&req);
    if let Some(kept) = ticket.as_ref().and_then(|t| state.responses.get(t)) {
        if let Err(wait) = state
            .rates
            .check(&rate_limit::ip_key(state.client_ip(&req)))
            .await
        {
            return rate_limited(&req, wait);
        }
        state.metrics.kept_answer();
        let left = kept.max_age_left(state.cache_max_age);
        let mut response = super::caching::kept(&req, kept, left);
        if let Ok(value) = header::HeaderValue::from_str(&request_id(&req)) {
            response.headers_mut().insert(REQUEST_ID.clone(), value);
        }
        return response;
    }
    match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) => {
            let id = web::Query::<DocumentId>::from_query(req.query_string())
                .ok()
                .and_then(|q| q.into_inner().document_id);
            let answer = execute(&state, &req, request, id).await;
            let cache = ticket.map(|t| (&state.responses, t));
            super::caching::finish(&req, answer, max_age, cache).await
        }
        Err(_) => transport_error(
            &req,
            actix_web::http::StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the query string is not a GraphQL request",
        ),
    }
}

/// The `documentId` a request may name its document by (persisted documents).
#[derive(serde::Deserialize)]
struct DocumentId {
    #[serde(rename = "documentId")]
    document_id: Option<String>,
}

/// A POST body's `documentId`, read only when the body mentions one.
fn document_id(body: &[u8]) -> Option<String> {
    const KEY: &[u8] = b"documentId";
    body.windows(KEY.len()).any(|w| w == KEY).then(|| {
        serde_json::from_slice::<DocumentId>(body)
            .ok()
            .and_then(|d| d.document_id)
    })?
}

/// 405: GET must never change anything, as a link or an <img> could trigger it cross-site.
fn mutation_over_get(req: &HttpRequest) -> HttpResponse {
    let mut response = transport_error(
        req,
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "BAD_REQUEST",
        "mutations need POST",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
    response
}

/// Whether the operation a request would run is a mutation. Unparsable documents are left to
/// the executor, which answers them with a syntax error and runs nothing. The parse is kept
/// in the request for the limits and the executor.
fn is_mutation(request: &mut async_graphql::Request) -> bool {
    if let Some(op) = chosen_operation(request) {
        return op.node.ty == OperationType::Mutation;
    }
    // Ambiguous without a name: refuse over GET if any of them is a mutation.
    request.parsed_query().is_ok_and(|document| {
        document
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Mutation)
    })
}

/// Languages from `Accept-Language`, best first, reduced to primary subtags.
pub(crate) fn languages(req: &HttpRequest) -> Vec<String> {
    let header = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let mut out: Vec<String> = Vec::new();
    for tag in accept_language::parse(header) {
        if let Ok(lang) = Language::parse(&tag)
            && !out.iter().any(|l| l == lang.as_str())
        {
            out.push(lang.as_str().to_owned());
        }
    }
    out
}

async fn execute(
    state: &AppState,
    req: &HttpRequest,
    mut request: async_graphql::Request,
    document_id: Option<String>,
) -> HttpResponse {
    let started = std::time::Instant::now();
    let request_id = request_id(req);
    // A hash or `documentId` becomes the document's text before anything else looks at it;
    // a hash this instance does not hold costs a database read, counted against the address.
    let resolved = match state
        .documents
        .resolve_held(&mut request, document_id.as_deref())
    {
        Ok(documents::Step::Resolved(resolved)) => Ok(resolved),
        Ok(documents::Step::Stored(hash)) => {
            if let Err(wait) = state
                .rates
                .check(&rate_limit::ip_key(state.client_ip(req)))
                .await
            {
                return rate_limited(req, wait);
            }
            state
                .documents
                .resolve_stored(&state.db, &mut request, &hash)
                .await
        }
        Err(refusal) => Err(refusal),
    };
    state.parsed.fill(&mut request);
    if req.method() == actix_web::http::Method::GET && is_mutation(&mut request) {
        return mutation_over_get(req);
    }
    let name = operation_name(&mut request);
    // Every log line of the request, database errors included, carries its id.
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        subject = tracing::field::Empty
    );
    let mut codes = Vec::new();
    let mut signed_in = false;
    let mut response = run(
        state,
        req,
        request,
        resolved,
        &request_id,
        &mut codes,
        &mut signed_in,
    )
    .instrument(span.clone())
    .await;
    let seconds = started.elapsed().as_secs_f64();
    state.metrics.operation(
        name.as_deref(),
        signed_in,
        codes.iter().map(String::as_str),
        seconds,
    );
    // Names, codes and timing only: never a token, a variable or personal data.
    tracing::info!(
        parent: &span,
        operation = name.as_deref().unwrap_or("anonymous"),
        status = response.status().as_u16(),
        ms = (seconds * 1000.0).round() as u64,
        errors = ?codes,
        "graphql request"
    );
    if let Ok(value) = header::HeaderValue::from_str(&request_id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    response
}

/// The name of the operation a request runs, if it has one.
fn operation_name(request: &mut async_graphql::Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    match &request.parsed_query().ok()?.operations {
        async_graphql::parser::types::DocumentOperations::Single(_) => None,
        async_graphql::parser::types::DocumentOperations::Multiple(ops) if ops.len() == 1 => {
            ops.keys().next().map(|n| n.to_string())
        }
        async_graphql::parser::types::DocumentOperations::Multiple(_) => None,
    }
}

static REQUEST_ID: header::HeaderName = header::HeaderName::from_static("x-request-id");

/// The client's `X-Request-Id` when it is a sane token, else a new one.
fn request_id(req: &HttpRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

/// Limits, credentials, rate, then the operation, in that order: nothing reaches the database
/// before the document has passed its limits.
async fn run(
    state: &AppState,
    req: &HttpRequest,
    mut request: async_graphql::Request,
    resolved: Result<documents::Resolved, documents::Refusal>,
    request_id: &str,
    codes: &mut Vec<String>,
    signed_in: &mut bool,
) -> HttpResponse {
    let resolved = match resolved {
        Ok(resolved) => resolved,
        Err(refusal) => {
            codes.push(refusal.code.into());
            return refused(req, refusal.code, &refusal.message, serde_json::json!({}));
        }
    };
    let shape = match limits::check_request(&mut request, &state.limits) {
        Ok(shape) => shape,
        Err(exceeded) => {
            codes.push("QUERY_TOO_COMPLEX".into());
            return too_complex(req, &exceeded);
        }
    };
    if let Err(missing) = variables::check(&mut request) {
        codes.push("BAD_USER_INPUT".into());
        return refused(
            req,
            "BAD_USER_INPUT",
            &missing.message,
            serde_json::json!({ "field": missing.field }),
        );
    }
    let peer = state.client_ip(req);
    let caller = match state.authenticate(req.headers()).await {
        Ok(caller) => caller,
        Err(ApiError::Unavailable) => {
            codes.push("SERVICE_UNAVAILABLE".into());
            return unavailable(req);
        }
        Err(error) => {
            // Guessing credentials counts against the address it comes from.
            if let Err(wait) = state.rates.check(&rate_limit::ip_key(peer)).await {
                codes.push("RATE_LIMITED".into());
                return rate_limited(req, wait);
            }
            codes.push(error.code().into());
            return unauthenticated(req, &error);
        }
    };
    tracing::Span::current().record(
        "subject",
        caller.subject().as_deref().unwrap_or("anonymous"),
    );
    *signed_in = !caller.is_anonymous();
    // The caller's key: its rate-limit bucket, and the writer the replica remembers.
    let key = rate_limit::key(&caller, peer);
    if let Err(wait) = state.rates.check(&key).await {
        codes.push("RATE_LIMITED".into());
        return rate_limited(req, wait);
    }
    if let Err(refusal) = state
        .documents
        .admits(&resolved, &request.query, caller.role())
    {
        codes.push(refusal.code.into());
        return refused(req, refusal.code, &refusal.message, serde_json::json!({}));
    }
    if let Some(hash) = resolved.register {
        state
            .documents
            .register(&state.db, hash, &mut request)
            .await;
    }
    if !state.introspection.allows(caller.role()) {
        if shape.introspects {
            codes.push("FORBIDDEN".into());
            return refused(
                req,
                "FORBIDDEN",
                "schema introspection is not available to this caller",
                serde_json::json!({}),
            );
        }
        request = request.disable_introspection();
    }
    // Past the limit, operations wait here in arrival order, before they hold a database
    // connection or build any part of an answer.
    let queued = std::time::Instant::now();
    let Ok(_turn) = state.operations.acquire().await else {
        return transport_error(
            req,
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "SERVICE_UNAVAILABLE",
            "the server is shutting down",
        );
    };
    state.metrics.waited(queued.elapsed().as_secs_f64());
    let languages = languages(req);
    let outcome = match &state.replica {
        Some(replica) => {
            let routed = super::routing::Routed {
                state,
                req,
                replica,
                caller: &caller,
                writer: key,
                languages: &languages,
            };
            routed.run(request).await
        }
        None => run_on(state, &state.db, &caller, &languages, request).await,
    };
    let reader = caller;
    match outcome {
        Ok((mut response, reads)) => {
            // Personal data leaves only once its reading is on record.
            if let Err(error) = reads.record(&state.db, &reader).await {
                tracing::warn!(
                    request_id,
                    ?error,
                    "a read of personal data was not audited"
                );
                codes.push("SERVICE_UNAVAILABLE".into());
                return transport_error(
                    req,
                    actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
                    "SERVICE_UNAVAILABLE",
                    "the answer holds personal data whose reading could not be recorded; retry",
                );
            }
            classify_errors(&mut response);
            codes.extend(response.errors.iter().filter_map(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get("code"))
                    .and_then(|v| match v {
                        async_graphql::Value::String(code) => Some(code.clone()),
                        _ => None,
                    })
            }));
            let mut answer = respond(req, &response);
            if reads.any() {
                // Never kept by a cache: an answer with personal data is not public.
                answer.extensions_mut().remove::<super::answers::Complete>();
            }
            answer
        }
        Err(detail) => {
            tracing::error!(request_id, %detail, "a resolver panicked");
            codes.push("INTERNAL_SERVER_ERROR".into());
            transport_error(
                req,
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal server error",
            )
        }
    }
}

/// The SDL, to whoever may introspect: it is the same knowledge as `__schema`.
pub async fn sdl(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let caller = match state.authenticate(req.headers()).await {
        Ok(caller) => caller,
        Err(ApiError::Unavailable) => return unavailable(&req),
        Err(error) => return unauthenticated(&req, &error),
    };
    if !state.introspection.allows(caller.role()) {
        return HttpResponse::Forbidden()
            .content_type("text/plain; charset=utf-8")
            .body("the schema is not available to this caller (MOSAIC_INTROSPECTION)\n");
    }
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(state.sdl.clone())
}
