//! HTTP routes: GraphQL, GraphiQL, the SDL, health, readiness and metrics.

mod graphql;
mod health;

use actix_web::web;
use prometheus::Registry;
use sea_orm::DatabaseConnection;

use crate::auth::jwt::JwtKeys;
use crate::graphql::MosaicSchema;

/// Largest request body read, in bytes; larger bodies are refused with 413 unread.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Shared by every worker; cheap to clone.
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: MosaicSchema,
    pub registry: Registry,
    pub sdl: String,
    pub jwt: JwtKeys,
}

pub fn routes(config: &mut web::ServiceConfig) {
    config
        .app_data(web::PayloadConfig::new(MAX_BODY_BYTES))
        .service(
            web::resource("/graphql")
                .route(web::post().to(graphql::post))
                .route(web::get().to(graphql::get)),
        )
        .route("/graphiql", web::get().to(graphql::graphiql))
        .route("/schema.graphql", web::get().to(graphql::sdl))
        .route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .route("/metrics", web::get().to(health::metrics));
}
