//! GraphQL over HTTP: POST with a JSON body, GET for queries; the answer's media type follows
//! the client's `Accept` (`application/graphql-response+json` unless it only takes JSON).

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use async_graphql::dataloader::DataLoader;
use async_graphql::http::GraphiQLSource;

use super::AppState;
use crate::auth;
use crate::domain::codes::Language;
use crate::graphql::batches::{self, BatchQueue};
use crate::graphql::context::RequestContext;
use crate::graphql::errors::ApiError;
use crate::graphql::loaders::Loaders;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

pub async fn post(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
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
    match serde_json::from_slice::<async_graphql::Request>(&body) {
        Ok(request) => execute(&state, &req, request).await,
        Err(_) => transport_error(
            &req,
            actix_web::http::StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the body is not a GraphQL request in JSON",
        ),
    }
}

pub async fn get(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    match async_graphql::http::parse_query_string(req.query_string()) {
        Ok(request) if is_mutation(&request) => {
            // GET must never change anything: a link or an <img> could trigger it cross-site.
            let mut response = transport_error(
                &req,
                actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
                "BAD_REQUEST",
                "mutations need POST",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
            response
        }
        Ok(request) => execute(&state, &req, request).await,
        Err(_) => transport_error(
            &req,
            actix_web::http::StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "the query string is not a GraphQL request",
        ),
    }
}

/// Whether the operation a request would run is a mutation. Unparsable documents are left to
/// the executor, which answers them with a syntax error and runs nothing.
fn is_mutation(request: &async_graphql::Request) -> bool {
    use async_graphql::parser::types::{DocumentOperations, OperationType};
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return false;
    };
    let chosen = match (&document.operations, request.operation_name.as_deref()) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) => ops.values().next().filter(|_| ops.len() == 1),
    };
    match chosen {
        Some(op) => op.node.ty == OperationType::Mutation,
        // Ambiguous without a name: refuse over GET if any of them is a mutation.
        None => document
            .operations
            .iter()
            .any(|(_, op)| op.node.ty == OperationType::Mutation),
    }
}

/// Languages from `Accept-Language`, best first, reduced to primary subtags.
fn languages(req: &HttpRequest) -> Vec<String> {
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
    request: async_graphql::Request,
) -> HttpResponse {
    let caller = match auth::authenticate(req.headers(), &state.jwt, &state.db).await {
        Ok(caller) => caller,
        Err(error) => return unauthenticated(req, &error),
    };
    let batches = BatchQueue::default();
    // No delay: `batches::run` starts a batch once the request waits for it.
    let loaders = DataLoader::new(
        Loaders {
            db: state.db.clone(),
            caller: caller.clone(),
        },
        batches.spawner(),
    )
    .delay(std::time::Duration::ZERO);
    let context = RequestContext {
        caller,
        languages: languages(req),
        db: state.db.clone(),
    };
    let execution = state.schema.execute(request.data(context).data(loaders));
    let response = batches::run(execution, batches).await;
    respond(req, &response)
}

/// Which media type the client gets: JSON only if it asks for JSON and not for the newer type.
fn response_media_type(req: &HttpRequest) -> &'static str {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if accept.contains(JSON) && !accept.contains(GRAPHQL_RESPONSE) {
        JSON
    } else {
        GRAPHQL_RESPONSE
    }
}

fn respond(req: &HttpRequest, response: &async_graphql::Response) -> HttpResponse {
    let media_type = response_media_type(req);
    // A request that never executed (syntax or validation errors) has no data; with the
    // newer media type that is a 400, with plain JSON always 200.
    let not_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if media_type == GRAPHQL_RESPONSE && not_executed {
        actix_web::http::StatusCode::BAD_REQUEST
    } else {
        actix_web::http::StatusCode::OK
    };
    match serde_json::to_vec(response) {
        Ok(body) => HttpResponse::build(status)
            .content_type(media_type)
            .body(body),
        Err(error) => {
            tracing::error!(%error, "response serialisation failed");
            transport_error(
                req,
                actix_web::http::StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERROR",
                "internal server error",
            )
        }
    }
}

fn transport_error(
    req: &HttpRequest,
    status: actix_web::http::StatusCode,
    code: &str,
    message: &str,
) -> HttpResponse {
    let body = serde_json::json!({
        "errors": [{ "message": message, "extensions": { "code": code } }]
    });
    HttpResponse::build(status)
        .content_type(response_media_type(req))
        .body(body.to_string())
}

/// A request whose credentials were refused: 401, and nothing executed.
fn unauthenticated(req: &HttpRequest, error: &ApiError) -> HttpResponse {
    let mut response = transport_error(
        req,
        actix_web::http::StatusCode::UNAUTHORIZED,
        error.code(),
        &error.message(),
    );
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        header::HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

pub async fn graphiql() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            GraphiQLSource::build()
                .endpoint("/graphql")
                .title("Mosaic GraphiQL")
                .finish(),
        )
}

pub async fn sdl(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(state.sdl.clone())
}
