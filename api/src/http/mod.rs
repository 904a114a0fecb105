//! HTTP routes: GraphQL, GraphiQL, the SDL, health, readiness and metrics.

mod answers;
mod body;
mod caching;
mod client_ip;
pub mod documents;
mod execution;
mod graphiql;
mod graphql;
pub mod health;
pub mod limits;
pub mod metrics;
mod ordered;
pub mod parsed;
pub mod rate_limit;
pub mod response_cache;
mod routing;
pub mod shared;
pub mod subscriptions;
pub mod variables;

use actix_web::web;
use prometheus::Registry;
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::config::{Introspection, Limits};
use crate::graphql::MosaicSchema;

/// Largest request body read, in bytes; larger bodies are refused with 413 unread.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Shared by every worker; cheap to clone.
pub struct AppState {
    pub db: DatabaseConnection,
    /// The read replica queries may run on (`MOSAIC_DATABASE_READ_URL`).
    pub replica: Option<std::sync::Arc<crate::db::replica::Replica>>,
    pub schema: MosaicSchema,
    pub registry: Registry,
    pub sdl: String,
    pub jwt: JwtKeys,
    pub countries: std::sync::Arc<crate::auth::countries::KnownCountries>,
    pub limits: Limits,
    pub introspection: Introspection,
    pub rates: rate_limit::RateLimits,
    pub metrics: metrics::Metrics,
    pub sockets: subscriptions::Sockets,
    /// Turns to execute a GraphQL operation (`MOSAIC_MAX_CONCURRENT_OPERATIONS`).
    pub operations: tokio::sync::Semaphore,
    /// `MOSAIC_DB_ACQUIRE_TIMEOUT`: how long anything waits for the database.
    pub db_wait: std::time::Duration,
    /// `MOSAIC_TRUSTED_PROXIES`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `MOSAIC_FORWARDED_HEADER`.
    pub forwarded_header: crate::config::ForwardedHeader,
    pub metrics_access: health::MetricsAccess,
    /// `MOSAIC_CORS_ORIGINS`, also the origins that may open a WebSocket.
    pub cors_origins: Vec<String>,
    /// The last readiness probe and when it ran (`health::ready`).
    pub readiness: tokio::sync::Mutex<Option<(std::time::Instant, Result<(), String>)>>,
    /// The SQLite database's folder, whose free space `/ready` watches.
    pub sqlite_dir: Option<std::path::PathBuf>,
    /// `MOSAIC_SOCKET_RECHECK`: how often an open WebSocket's credential is checked again.
    pub socket_recheck: std::time::Duration,
    /// `MOSAIC_CLIENT_BODY_TIMEOUT`.
    pub body_timeout: std::time::Duration,
    /// `MOSAIC_CACHE_MAX_AGE`: how long shared caches keep an anonymous GET answer.
    pub cache_max_age: std::time::Duration,
    /// Persisted and trusted documents (`MOSAIC_TRUSTED_DOCUMENTS`).
    pub documents: documents::Documents,
    /// Parses of the documents clients send, by their text.
    pub parsed: parsed::ParsedDocuments,
    /// Anonymous GET answers kept until a write (`MOSAIC_RESPONSE_CACHE_MB`).
    pub responses: response_cache::ResponseCache,
}

impl AppState {
    /// The caller a request's (or a socket's) `Authorization` names, with this instance's
    /// keys, country list and database.
    pub async fn authenticate(
        &self,
        headers: &actix_web::http::header::HeaderMap,
    ) -> Result<crate::auth::Caller, crate::error::ApiError> {
        crate::auth::authenticate(headers, &self.jwt, &self.countries, &self.db).await
    }

    /// The client's address, taken from forwarding headers only behind a trusted proxy.
    pub fn client_ip(&self, req: &actix_web::HttpRequest) -> Option<std::net::IpAddr> {
        client_ip::client_ip(req, &self.trusted_proxies, self.forwarded_header)
    }
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .service(
            web::resource("/graphql")
                .route(
                    web::get()
                        .guard(actix_web::guard::fn_guard(wants_websocket))
                        .to(subscriptions::upgrade),
                )
                .route(web::post().to(graphql::post))
                .route(web::get().to(graphql::get)),
        )
        .route("/graphiql", web::get().to(graphiql::page))
        .route(
            "/graphiql/operations.json",
            web::get().to(graphiql::operations),
        )
        .route("/graphiql/assets/{name}", web::get().to(graphiql::asset))
        .route("/schema.graphql", web::get().to(graphql::sdl))
        .route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(health::metrics));
}

fn wants_websocket(ctx: &actix_web::guard::GuardContext<'_>) -> bool {
    ctx.head()
        .headers()
        .get(actix_web::http::header::UPGRADE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"))
}

/// CORS for the configured origins only: GET and POST with `Authorization` and
/// `Content-Type`, no cookies or other credentials. No origins: no cross-origin access.
pub fn cors(origins: &[String]) -> actix_cors::Cors {
    let mut cors = actix_cors::Cors::default()
        .allowed_methods(["GET", "POST"])
        .allowed_headers([
            actix_web::http::header::AUTHORIZATION,
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::ACCEPT,
        ])
        .expose_headers(["x-request-id", "retry-after"])
        .max_age(3600);
    for origin in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        cors = cors.allowed_origin(origin);
    }
    cors
}

/// Counts and times every request by method, route pattern and status.
pub async fn count_request(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let started = std::time::Instant::now();
    let method = req.method().to_string();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let response = next.call(req).await?;
    // The route pattern is known once routing has run; unknown paths share one label.
    let route = response
        .request()
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    if let Some(state) = state {
        state.metrics.request(
            &method,
            &route,
            response.status().as_u16(),
            started.elapsed().as_secs_f64(),
        );
    }
    Ok(response)
}
