//! What the GraphQL endpoint answers: the media type the client accepts, the status code for
//! what happened, and the coded errors of requests refused before or instead of running.

use actix_web::{HttpRequest, HttpResponse, http::header};
use async_graphql::{Response, ServerError};
use futures_util::stream::{self, BoxStream, StreamExt};

use crate::error::ApiError;
use crate::http::limits;

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
pub(super) const JSON: &str = "application/json";

/// A document over a limit: nothing ran.
pub(super) fn too_complex(req: &HttpRequest, exceeded: &limits::Exceeded) -> HttpResponse {
    refused(
        req,
        "QUERY_TOO_COMPLEX",
        &exceeded.message,
        serde_json::json!({ "limit": exceeded.limit, "max": exceeded.max }),
    )
}

/// A request refused before it ran. Like a validation error: 400 with the newer media type,
/// 200 with plain JSON. `extra` adds to the error's extensions.
pub(super) fn refused(
    req: &HttpRequest,
    code: &str,
    message: &str,
    extra: serde_json::Value,
) -> HttpResponse {
    let status = if response_media_type(req) == GRAPHQL_RESPONSE {
        actix_web::http::StatusCode::BAD_REQUEST
    } else {
        actix_web::http::StatusCode::OK
    };
    let mut extensions = serde_json::json!({ "code": code });
    if let (Some(all), serde_json::Value::Object(more)) = (extensions.as_object_mut(), extra) {
        all.extend(more);
    }
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": extensions }] });
    HttpResponse::build(status)
        .content_type(response_media_type(req))
        .body(body.to_string())
}

/// 429 with `Retry-After` in whole seconds.
pub(super) fn rate_limited(req: &HttpRequest, wait: std::time::Duration) -> HttpResponse {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = transport_error(
        req,
        actix_web::http::StatusCode::TOO_MANY_REQUESTS,
        "RATE_LIMITED",
        &format!("too many requests; retry in {seconds} s"),
    );
    if let Ok(value) = header::HeaderValue::from_str(&seconds.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// Which media type the client gets: `application/graphql-response+json` when it asks for
/// it, else `application/json` (no `Accept`, `*/*` and `application/json` alike), as the
/// GraphQL-over-HTTP specification's compatibility rules say.
pub(super) fn response_media_type(req: &HttpRequest) -> &'static str {
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if accept.contains(GRAPHQL_RESPONSE) {
        GRAPHQL_RESPONSE
    } else {
        JSON
    }
}

/// Marks an answer the executor gave without any error: the only kind a cache may keep.
pub(super) struct Complete;

pub(super) fn respond(req: &HttpRequest, response: &async_graphql::Response) -> HttpResponse {
    let media_type = response_media_type(req);
    // 503 only when nothing of the operation produced data: were a mutation's earlier field
    // committed, a retry of the whole request would do it twice.
    let unavailable_database = response.errors.iter().any(|e| {
        e.extensions.as_ref().and_then(|x| x.get("code"))
            == Some(&async_graphql::Value::from("SERVICE_UNAVAILABLE"))
    }) && nothing_produced(&response.data);
    // A request that never executed (syntax or validation errors) has no data; with the
    // newer media type that is a 400, with plain JSON always 200.
    let not_executed = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let status = if unavailable_database {
        // Nothing ran to completion: the client should retry the whole request shortly.
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE
    } else if media_type == GRAPHQL_RESPONSE && not_executed {
        actix_web::http::StatusCode::BAD_REQUEST
    } else {
        actix_web::http::StatusCode::OK
    };
    let body = if not_executed {
        serde_json::to_value(response).and_then(|mut value| {
            if let Some(fields) = value.as_object_mut() {
                // Nothing ran, so there is no `data` entry at all (not even null).
                fields.remove("data");
            }
            serde_json::to_vec(&value)
        })
    } else {
        // Straight to bytes: no intermediate JSON tree for large answers.
        serde_json::to_vec(response)
    };
    match body {
        Ok(body) => {
            let mut answer = HttpResponse::build(status);
            if unavailable_database {
                answer.insert_header((header::RETRY_AFTER, RETRY_AFTER_SECONDS));
            }
            let mut answer = answer.content_type(media_type).body(body);
            if response.errors.is_empty() {
                answer.extensions_mut().insert(Complete);
            }
            answer
        }
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

pub(super) fn transport_error(
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

/// A body over the size limit (413), too slow (408) or broken off (400); the connection is
/// closed, since the rest of the body may still be on its way.
pub(super) fn body_refused(req: &HttpRequest, error: super::body::BodyError) -> HttpResponse {
    use super::body::BodyError;
    let (status, message) = match error {
        BodyError::TooLarge => (
            actix_web::http::StatusCode::PAYLOAD_TOO_LARGE,
            format!("the body is larger than {} bytes", super::MAX_BODY_BYTES),
        ),
        BodyError::TooSlow => (
            actix_web::http::StatusCode::REQUEST_TIMEOUT,
            "the body did not arrive in time (MOSAIC_CLIENT_BODY_TIMEOUT)".to_owned(),
        ),
        BodyError::Broken => (
            actix_web::http::StatusCode::BAD_REQUEST,
            "the body could not be read".to_owned(),
        ),
    };
    let mut response = transport_error(req, status, "BAD_REQUEST", &message);
    response
        .head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    response
}

/// Whether no top-level field of an answer holds data.
pub(super) fn nothing_produced(data: &async_graphql::Value) -> bool {
    match data {
        async_graphql::Value::Object(fields) => {
            fields.values().all(|v| *v == async_graphql::Value::Null)
        }
        _ => true,
    }
}

/// Seconds a client is told to wait when the database is unavailable.
const RETRY_AFTER_SECONDS: &str = "1";

/// The database could not be reached in time: 503 with `Retry-After`, nothing ran.
pub(super) fn unavailable(req: &HttpRequest) -> HttpResponse {
    let mut response = transport_error(
        req,
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
        "SERVICE_UNAVAILABLE",
        &ApiError::Unavailable.message(),
    );
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from_static(RETRY_AFTER_SECONDS),
    );
    response
}

/// A request whose credentials were refused: 401, and nothing executed.
pub(super) fn unauthenticated(req: &HttpRequest, error: &ApiError) -> HttpResponse {
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

/// A one-message answer refusing an operation, with its code.
pub(super) fn refusal(code: &'static str, message: &str) -> BoxStream<'static, Response> {
    refusal_with(code, message, &[])
}

/// A refusal with more extensions (`limit`/`max`, `field`), as HTTP gives them.
pub(super) fn refusal_with(
    code: &'static str,
    message: &str,
    extra: &[(&str, async_graphql::Value)],
) -> BoxStream<'static, Response> {
    let error = coded(code, message, extra);
    stream::once(async move { Response::from_errors(vec![error]) }).boxed()
}

pub(super) fn coded(
    code: &str,
    message: &str,
    extra: &[(&str, async_graphql::Value)],
) -> ServerError {
    let mut error = ServerError::new(message.to_owned(), None);
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code);
    for (name, value) in extra {
        extensions.set(*name, value.clone());
    }
    error.extensions = Some(extensions);
    error
}

/// Gives every error async-graphql raises itself a code, as ours have: its complexity and
/// recursion limits are QUERY_TOO_COMPLEX, an argument value it cannot parse (a date, a
/// decimal) is BAD_USER_INPUT, and a document that does not parse or validate is
/// GRAPHQL_VALIDATION_FAILED.
pub(super) fn classify_errors(response: &mut async_graphql::Response) {
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        let code = match error.message.as_str() {
            "Query is too complex." | "Query is nested too deep." => "QUERY_TOO_COMPLEX",
            m if m.starts_with("Failed to parse") => "BAD_USER_INPUT",
            _ if error.path.is_empty() => "GRAPHQL_VALIDATION_FAILED",
            _ => continue,
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", code);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_with_any_field_done_is_not_retried_whole() {
        use async_graphql::{Name, Value};
        let both_null = Value::Object(
            [(Name::new("a"), Value::Null), (Name::new("b"), Value::Null)]
                .into_iter()
                .collect(),
        );
        assert!(nothing_produced(&both_null));
        assert!(nothing_produced(&Value::Null));
        let one_done = Value::Object(
            [
                (Name::new("a"), Value::from("registered")),
                (Name::new("b"), Value::Null),
            ]
            .into_iter()
            .collect(),
        );
        assert!(!nothing_produced(&one_done));
    }
}
