//! seaography over Mosaic's tables, served by actix-web at `POST /graphql`, as a Rust team
//! would set it up from seaography's own example: a connection pool, the generated schema,
//! no limits beyond its defaults. `DATABASE_URL` and `BIND` (`127.0.0.1:8000`) configure it.

mod entities;

use actix_web::{App, HttpServer, web};
use async_graphql::dynamic::Schema;
use async_graphql_actix_web::{GraphQLRequest, GraphQLResponse};
use seaography::{Builder, BuilderContext, lazy_static::lazy_static};

lazy_static! {
    static ref CONTEXT: BuilderContext = BuilderContext::default();
}

async fn graphql(schema: web::Data<Schema>, request: GraphQLRequest) -> GraphQLResponse {
    schema.execute(request.into_inner()).await.into()
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").map_err(std::io::Error::other)?;
    let bind = std::env::var("BIND").unwrap_or_else(|_| "127.0.0.1:8000".into());
    let mut options = sea_orm::ConnectOptions::new(url);
    // As many pooled connections as Mosaic keeps in the bench (bench.py's --pool-size).
    let pool_size = std::env::var("POOL_SIZE")
        .ok()
        .and_then(|size| size.parse().ok())
        .unwrap_or(32);
    options.max_connections(pool_size).sqlx_logging(false);
    let database = sea_orm::Database::connect(options)
        .await
        .map_err(std::io::Error::other)?;
    let builder = entities::register_entity_modules(Builder::new(&CONTEXT, database.clone()));
    let schema = builder
        .schema_builder()
        .data(database)
        .finish()
        .map_err(std::io::Error::other)?;
    let schema = web::Data::new(schema);
    HttpServer::new(move || {
        App::new()
            .app_data(schema.clone())
            .route("/graphql", web::post().to(graphql))
    })
    .bind(bind)?
    .run()
    .await
}
