//! HTTP caching of GET answers: a shared cache may keep an anonymous answer for a short
//! while, a browser revalidates a signed-in one, and a client that still holds an answer
//! (its `ETag`) gets 304 with no body. The answer depends on the caller and the language,
//! and `Vary` says so, so no cache serves one caller's or one language's answer to another.

use actix_web::body::to_bytes;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::answers::Complete;
use super::response_cache::{Kept, ResponseCache, Ticket};

/// The headers every GET answer depends on.
const VARY: &str = "Accept-Language, Authorization";

/// `response` with its caching headers, or 304 when the client's copy is current; kept in
/// `cache` when it holds a ticket for it. Answers with errors are never stored: a failure must
/// not outlive its cause.
pub async fn finish(
    req: &HttpRequest,
    response: HttpResponse,
    max_age_secs: u64,
    cache: Option<(&ResponseCache, Ticket)>,
) -> HttpResponse {
    let status = response.status();
    // Transport refusals and answers with errors carry no mark.
    let clean = status == StatusCode::OK && response.extensions().contains::<Complete>();
    let content_type = response.headers().get(header::CONTENT_TYPE).cloned();
    let mut head = HttpResponse::build(status);
    for (name, value) in response.headers() {
        head.append_header((name.clone(), value.clone()));
    }
    let Ok(body) = to_bytes(response.into_body()).await else {
        return HttpResponse::InternalServerError().finish();
    };
    head.insert_header((header::VARY, VARY));
    if !clean {
        head.insert_header((header::CACHE_CONTROL, "no-store"));
        return head.body(body);
    }
    let signed_in = req.headers().contains_key(header::AUTHORIZATION);
    head.insert_header((
        header::CACHE_CONTROL,
        if signed_in {
            "private, no-cache".to_owned()
        } else {
            format!("public, max-age={max_age_secs}")
        },
    ));
    let tag = format!(
        "\"{}\"",
        URL_SAFE_NO_PAD.encode(&Sha256::digest(&body)[..16])
    );
    head.insert_header((header::ETAG, tag.as_str()));
    if let (Some((cache, ticket)), Some(content_type), false) = (cache, content_type, signed_in) {
        cache.keep(ticket, content_type, tag.clone(), body.clone());
    }
    if matches(req, &tag) {
        return head.status(StatusCode::NOT_MODIFIED).finish();
    }
    head.body(body)
}

/// A kept anonymous answer, with the headers `finish` gave it (shared caches may keep it only
/// for what is left of its age), or 304.
pub fn kept(req: &HttpRequest, kept: Kept, max_age_secs: u64) -> HttpResponse {
    let mut head = HttpResponse::Ok();
    head.insert_header((header::CONTENT_TYPE, kept.content_type))
        .insert_header((header::VARY, VARY))
        .insert_header((
            header::CACHE_CONTROL,
            format!("public, max-age={max_age_secs}"),
        ))
        .insert_header((header::ETAG, kept.etag.as_str()));
    if matches(req, &kept.etag) {
        return head.status(StatusCode::NOT_MODIFIED).finish();
    }
    head.body(kept.body)
}

/// Whether `If-None-Match` names `tag` (or is `*`).
fn matches(req: &HttpRequest, tag: &str) -> bool {
    req.headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .any(|candidate| candidate == "*" || candidate.trim_start_matches("W/") == tag)
}
