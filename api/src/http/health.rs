//! Liveness, readiness (the database answers) and Prometheus metrics.

use actix_web::{HttpResponse, web};
use prometheus::{Encoder, TextEncoder};

use super::AppState;

pub async fn health() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match state.db.ping().await {
        Ok(()) => HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed: database unreachable");
            HttpResponse::ServiceUnavailable().json(
                serde_json::json!({ "status": "unavailable", "reason": "database unreachable" }),
            )
        }
    }
}

pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
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
