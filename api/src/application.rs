//! Builds the whole server from a configuration: database, migrations, seed, schema, HTTP.

use std::net::{SocketAddr, TcpListener};

use actix_web::{App, HttpServer, dev::Server, web};
use anyhow::Context;
use prometheus::{IntCounter, Registry};

use crate::auth::jwt::{JwtKeys, TokenRequest};
use crate::config::Config;
use crate::http::{AppState, metrics::Metrics, rate_limit::RateLimits, routes};
use crate::{db, graphql, seed};

pub struct Application {
    address: SocketAddr,
    /// Where `/metrics` is served when `MOSAIC_METRICS_BIND` is set.
    metrics_address: Option<SocketAddr>,
    welcome_tokens: Vec<(&'static str, String)>,
    /// Production logs JSON only, so the human banner is left out.
    banner: bool,
    server: Server,
    db: sea_orm::DatabaseConnection,
    statements: IntCounter,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        // Keys first: production refuses to start without them, before touching the database.
        let jwt = JwtKeys::from_config(&config)?;
        // Ready tokens only for the secret Mosaic made itself: printing tokens signed with an
        // operator's secret would put working credentials into logs.
        let welcome_tokens = if config.is_production() || jwt.dev_secret_file.is_none() {
            Vec::new()
        } else {
            welcome_tokens(&jwt)?
        };
        let trusted = config
            .trusted_documents
            .as_deref()
            .map(crate::http::documents::Documents::read_manifest)
            .transpose()?;
        let database = db::connect(&config).await?;
        db::migrate(&database.connection).await?;
        if let Some(scope) = seed_on_start(&config)
            && seed::is_empty(&database.connection).await?
        {
            let summary = seed::load(&database.connection, scope).await?;
            tracing::info!(%summary, ?scope, "empty database: seeded");
        }
        // A database migrated from before the search index (the projects' countries, the
        // fundings' years) existed gets it now, all at once or not at all.
        let txn = db::begin_write(&database.connection).await?;
        crate::search::fill_if_empty(&txn).await?;
        crate::derived::project_countries::fill_if_empty(&txn).await?;
        crate::derived::funding_years::fill_if_empty(&txn).await?;
        crate::derived::funding_totals::fill_if_stale(&txn).await?;
        // The vocabularies ship with the binary: a term a release adds reaches every database.
        crate::seed::vocabularies::fill_missing(&txn).await?;
        txn.commit().await?;
        let events = events_for(&config, &database.connection).await?;
        let registry = Registry::new();
        database.register(&registry)?;
        let countries = std::sync::Arc::new(crate::auth::countries::KnownCountries::default());
        let mut rates = RateLimits::new(&config.limits);
        let mut documents = crate::http::documents::Documents::new(trusted);
        if let Some(url) = config.redis_url.as_deref().filter(|u| !u.is_empty()) {
            // Instances share buckets exactly when they share the tables.
            let scope = crate::events::channel(&database.connection)
                .await?
                .unwrap_or_else(|| "sqlite".into());
            let redis = crate::http::shared::Redis::connect(url, &scope).await?;
            rates = rates.shared_through(&redis, &config.limits);
            documents = documents.shared_through(&redis);
        }
        if let Some(replica) = &database.replica {
            replica.watch(database.connection.clone());
        }
        let state = web::Data::new(AppState {
            db: database.connection.clone(),
            replica: database.replica.clone(),
            schema: graphql::build(&config, events.clone(), countries.clone()),
            responses: crate::http::response_cache::ResponseCache::new(
                events,
                config.response_cache_mb,
                config.cache_max_age,
            ),
            sdl: graphql::sdl(),
            jwt,
            countries,
            limits: config.limits.clone(),
            introspection: config.introspection(),
            rates,
            metrics: Metrics::new(&registry)?,
            sockets: Default::default(),
            operations: tokio::sync::Semaphore::new(
                usize::try_from(config.limits.max_concurrent_operations).unwrap_or(usize::MAX),
            ),
            registry,
            db_wait: config.db_acquire_timeout,
            trusted_proxies: config.trusted_proxies.clone(),
            forwarded_header: config.forwarded_header,
            body_timeout: config.client_body_timeout,
            cache_max_age: config.cache_max_age,
            documents,
            parsed: Default::default(),
            socket_recheck: config.socket_recheck,
            readiness: Default::default(),
            sqlite_dir: config
                .database_url
                .starts_with("sqlite:")
                .then(|| config.data_dir()),
            cors_origins: config.cors_origins.clone(),
            metrics_access: crate::http::health::MetricsAccess::from_config(&config),
        });
        let idle = state.clone();
        // Runs on whichever runtime builds the application (the server's or a test's).
        tokio::spawn(async move {
            let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every_minute.tick().await;
                idle.rates.forget_idle();
            }
        });
        let anonymised = IntCounter::new(
            "mosaic_registrations_anonymised_total",
            "Registrations anonymised at the end of their retention period",
        )?;
        state.registry.register(Box::new(anonymised.clone()))?;
        // Once before serving, so nothing past retention is ever served; then hourly.
        let hub = state.responses.events().clone();
        retention_sweep(
            &state.db,
            &hub,
            config.registration_retention_days,
            &anonymised,
        )
        .await;
        tokio::spawn(retention_schedule(
            state.db.clone(),
            hub,
            config.registration_retention_days,
            anonymised,
        ));
        let cors_origins = config.cors_origins.clone();
        let metrics_state = state.clone();
        let listener = TcpListener::bind(config.bind)
            .with_context(|| format!("cannot listen on {} (MOSAIC_BIND)", config.bind))?;
        let address = listener.local_addr()?;
        let server = HttpServer::new(move || {
            App::new()
                // GraphiQL's bundles and large answers leave compressed when the client accepts it.
                .wrap(actix_web::middleware::Compress::default())
                .wrap(actix_web::middleware::from_fn(crate::http::count_request))
                .wrap(crate::http::cors(&cors_origins))
                .app_data(state.clone())
                .configure(routes)
        })
        .listen(listener)?
        .shutdown_timeout(config.shutdown_timeout)
        .run();
        let metrics_address = match config.metrics_bind {
            Some(bind) => Some(serve_metrics(bind, metrics_state)?),
            None => None,
        };
        Ok(Self {
            address,
            metrics_address,
            welcome_tokens,
            banner: !config.is_production(),
            server,
            db: database.connection,
            statements: database.statements,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// Whether the start banner prints ready tokens (only for a secret Mosaic made itself).
    pub fn prints_development_tokens(&self) -> bool {
        self.banner && !self.welcome_tokens.is_empty()
    }

    pub fn metrics_address(&self) -> Option<SocketAddr> {
        self.metrics_address
    }

    /// SQL statements sent so far (also exported as `mosaic_db_statements_total`).
    pub fn statements(&self) -> u64 {
        self.statements.get()
    }

    pub fn print_welcome(&self) {
        let base = format!("http://{}", self.address);
        tracing::info!(address = %self.address, "Mosaic is listening");
        if !self.banner {
            return;
        }
        println!("Mosaic is ready.");
        println!("  GraphiQL: {base}/graphiql");
        println!("  GraphQL:  {base}/graphql");
        println!("  Schema:   {base}/schema.graphql");
        if !self.welcome_tokens.is_empty() {
            println!(
                "Development tokens (send as `Authorization: Bearer <token>`, valid 12 hours):"
            );
            for (who, token) in &self.welcome_tokens {
                println!("  {who}: {token}");
            }
            println!("More: cargo run -- token --role COORDINATOR --country FI");
        }
    }

    /// Serves until SIGINT/SIGTERM: the listener closes at once, in-flight requests get
    /// `MOSAIC_SHUTDOWN_TIMEOUT` to finish, then the database pool closes.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let served = self.server.await.context("the HTTP server failed");
        tracing::info!("HTTP server stopped; closing the database pool");
        self.db.close().await.context("closing the database pool")?;
        tracing::info!("database pool closed; bye");
        served
    }
}

/// `/metrics` alone on its own address (`MOSAIC_METRICS_BIND`), one worker; it stops with
/// the process.
fn serve_metrics(bind: SocketAddr, state: web::Data<AppState>) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(bind)
        .with_context(|| format!("cannot listen on {bind} (MOSAIC_METRICS_BIND)"))?;
    let address = listener.local_addr()?;
    let server = HttpServer::new(move || {
        App::new().app_data(state.clone()).route(
            "/metrics",
            web::get().to(crate::http::health::metrics_listener),
        )
    })
    .workers(1)
    .listen(listener)?
    .run();
    tokio::spawn(server);
    Ok(address)
}

/// Where workshop events travel: through PostgreSQL's NOTIFY, so every instance on the
/// database hears every write (one listening connection per instance), or within the process
/// on SQLite. The channel is named after the schema, so instances share it only when they
/// share the tables.
async fn events_for(
    config: &Config,
    db: &sea_orm::DatabaseConnection,
) -> anyhow::Result<crate::events::Events> {
    let Some(channel) = crate::events::channel(db).await? else {
        return Ok(crate::events::Events::in_process());
    };
    let events = crate::events::Events::postgres(channel.clone());
    tokio::spawn(crate::events::listen(
        config.database_url.clone(),
        channel,
        events.clone(),
    ));
    Ok(events)
}

/// Ready tokens printed on a development start, so GraphiQL can be tried at once.
fn welcome_tokens(jwt: &JwtKeys) -> anyhow::Result<Vec<(&'static str, String)>> {
    let twelve_hours = std::time::Duration::from_secs(12 * 3600);
    let admin = TokenRequest {
        subject: "dev-admin".into(),
        role: entity::enums::Role::Admin,
        countries: Vec::new(),
        organisation: None,
        ttl: twelve_hours,
    };
    let coordinator = TokenRequest {
        subject: "dev-coordinator-se".into(),
        role: entity::enums::Role::Coordinator,
        countries: vec!["SE".into()],
        organisation: None,
        ttl: twelve_hours,
    };
    Ok(vec![
        ("ADMIN", jwt.mint(&admin)?),
        ("COORDINATOR of SE", jwt.mint(&coordinator)?),
    ])
}

/// What an empty database gets on start (`MOSAIC_SEED_ON_START`, by environment): production
/// never loads the seed programme's invented people.
fn seed_on_start(config: &Config) -> Option<seed::Scope> {
    let production = config.is_production();
    config
        .seed_on_start
        .unwrap_or(!production)
        .then_some(if production {
            seed::Scope::Reference
        } else {
            seed::Scope::Programme
        })
}

/// Anonymises registrations past their retention period, as `caller`; answers how many.
pub async fn sweep_retention(
    db: &sea_orm::DatabaseConnection,
    hub: &crate::events::Events,
    caller: crate::auth::Caller,
    days: u32,
) -> Result<u64, crate::error::ApiError> {
    let write = crate::writes::Write::begin(db, &caller).await?;
    let done = crate::writes::retention::anonymise_expired(&write, days).await?;
    write.commit(hub).await?;
    Ok(done)
}

/// One retention sweep by the server, counted; a failure is logged and tried again later.
async fn retention_sweep(
    db: &sea_orm::DatabaseConnection,
    hub: &crate::events::Events,
    days: u32,
    counted: &IntCounter,
) {
    let caller = crate::auth::Caller::operator("retention".into());
    match sweep_retention(db, hub, caller, days).await {
        Ok(done) => {
            counted.inc_by(done);
            if done > 0 {
                tracing::info!(done, days, "registrations anonymised after retention");
            }
        }
        Err(error) => tracing::warn!(?error, "retention sweep failed; retrying in an hour"),
    }
}

/// The retention sweep every hour after the one at start.
async fn retention_schedule(
    db: sea_orm::DatabaseConnection,
    hub: crate::events::Events,
    days: u32,
    counted: IntCounter,
) {
    let hour = std::time::Duration::from_secs(3600);
    let mut hourly = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        hourly.tick().await;
        retention_sweep(&db, &hub, days, &counted).await;
    }
}
