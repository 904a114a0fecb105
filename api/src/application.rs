//! Builds the whole server from a configuration: database, migrations, seed, schema, HTTP.

use std::net::{SocketAddr, TcpListener};

use actix_web::{App, HttpServer, dev::Server, web};
use anyhow::Context;
use prometheus::{IntCounter, Registry};

use crate::config::Config;
use crate::http::{AppState, routes};
use crate::{db, graphql, seed};

pub struct Application {
    address: SocketAddr,
    server: Server,
    statements: IntCounter,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let database = db::connect(&config).await?;
        db::migrate(&database.connection).await?;
        if config.seed_on_start && seed::is_empty(&database.connection).await? {
            let summary = seed::load_programme(&database.connection).await?;
            tracing::info!(%summary, "empty database: loaded the seed programme");
        }
        let registry = Registry::new();
        database.register(&registry)?;
        let state = web::Data::new(AppState {
            db: database.connection.clone(),
            schema: graphql::build(),
            registry,
            sdl: graphql::sdl(),
        });
        let listener = TcpListener::bind(config.bind)
            .with_context(|| format!("cannot listen on {} (MOSAIC_BIND)", config.bind))?;
        let address = listener.local_addr()?;
        let server = HttpServer::new(move || App::new().app_data(state.clone()).configure(routes))
            .listen(listener)?
            .shutdown_timeout(30)
            .run();
        Ok(Self {
            address,
            server,
            statements: database.statements,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// SQL statements sent so far (also exported as `mosaic_db_statements_total`).
    pub fn statements(&self) -> u64 {
        self.statements.get()
    }

    pub fn print_welcome(&self) {
        let base = format!("http://{}", self.address);
        tracing::info!(address = %self.address, "Mosaic is listening");
        println!("Mosaic is ready.");
        println!("  GraphiQL: {base}/graphiql");
        println!("  GraphQL:  {base}/graphql");
        println!("  Schema:   {base}/schema.graphql");
    }

    /// Serves until SIGINT/SIGTERM, letting in-flight requests finish.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.server.await.context("the HTTP server failed")
    }
}
