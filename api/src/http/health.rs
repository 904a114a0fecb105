//! Liveness, readiness (the database answers) and Prometheus metrics.

use actix_web::{HttpResponse, web};
use prometheus::{Encoder, TextEncoder};

use super::AppState;

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

/// 200 when the database answers and takes a write within the acquire timeout (at most
/// 0.8 s, so a healthcheck hears within a second), 503 otherwise: a full disk or a read-only
/// file is not ready either.
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match probe_once(&state).await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed: the database cannot be written");
            HttpResponse::ServiceUnavailable()
                .insert_header((actix_web::http::header::RETRY_AFTER, "1"))
                .json(serde_json::json!({
                    "status": "unavailable",
                    "reason": "the database cannot be reached or written"
                }))
        }
    }
}

/// How long one probe's answer serves every `/ready` that asks.
const PROBE_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(1);

/// One probe at a time, its answer shared for `PROBE_FRESH_FOR`: `/ready` is public, so a
/// flood of it must not become a flood of write transactions holding the pool.
async fn probe_once(state: &AppState) -> Result<(), String> {
    let mut last = state.readiness.lock().await;
    if let Some((at, answer)) = last.as_ref()
        && at.elapsed() < PROBE_FRESH_FOR
    {
        return answer.clone();
    }
    let within = state.db_wait.min(std::time::Duration::from_millis(800));
    let answer = crate::db::ready(&state.db, within, state.sqlite_dir.as_deref()).await;
    *last = Some((std::time::Instant::now(), answer.clone()));
    answer
}

/// Who may read `/metrics` on the API's own address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetricsAccess {
    /// Development without a token: anyone on the API's address.
    Public,
    /// Only with `Authorization: Bearer <MOSAIC_METRICS_TOKEN>`.
    Token(String),
    /// Not on this address: on `MOSAIC_METRICS_BIND`, or (production without a token) off.
    Elsewhere,
}

impl MetricsAccess {
    pub fn from_config(config: &crate::config::Config) -> Self {
        match (&config.metrics_bind, &config.metrics_token) {
            (Some(_), _) => Self::Elsewhere,
            (None, Some(token)) => Self::Token(token.clone()),
            (None, None) if config.is_production() => Self::Elsewhere,
            (None, None) => Self::Public,
        }
    }
}

/// `/metrics` on the API's address, as `MetricsAccess` allows.
pub async fn metrics(state: web::Data<AppState>, req: actix_web::HttpRequest) -> HttpResponse {
    match &state.metrics_access {
        MetricsAccess::Public => {}
        MetricsAccess::Token(token) => {
            let sent = req
                .headers()
                .get(actix_web::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("Bearer "))
                .map(str::trim);
            if !sent.is_some_and(|sent| constant_time_eq(sent.as_bytes(), token.as_bytes())) {
                return HttpResponse::Unauthorized()
                    .insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"))
                    .content_type("text/plain; charset=utf-8")
                    .body("metrics need `Authorization: Bearer <MOSAIC_METRICS_TOKEN>`\n");
            }
        }
        MetricsAccess::Elsewhere => return HttpResponse::NotFound().finish(),
    }
    exposition(&state)
}

/// `/metrics` on `MOSAIC_METRICS_BIND`, an address only the monitoring network reaches.
pub async fn metrics_listener(state: web::Data<AppState>) -> HttpResponse {
    exposition(&state)
}

/// Compares secrets without stopping at the first difference.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use sha2::{Digest, Sha256};
    // Digests have equal length, so timing tells nothing about the secret's length either.
    let (a, b) = (Sha256::digest(a), Sha256::digest(b));
    a.iter()
        .zip(b.iter())
        .fold(0_u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

fn exposition(state: &AppState) -> HttpResponse {
    state.metrics.observe_pool(&state.db);
    let mut body = Vec::new();
    match TextEncoder::new().encode(&state.registry.gather(), &mut body) {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; version=0.0.4; charset=utf-8")
            .body(body),
        Err(error) => {
            tracing::error!(%error, "metrics encoding failed");
            HttpResponse::InternalServerError().finish()
        }
    }
}
