//! Typed configuration, read from the environment (and flags) once at start. Only this module
//! knows the variable names.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Environment {
    Development,
    Production,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Database to use: `sqlite://FILE?mode=rwc` or `postgres://USER@HOST/DB`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://mosaic.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// A PostgreSQL streaming replica of `DATABASE_URL` (e.g. `postgres://mosaic@replica/mosaic`)
    /// that serves queries. Mutations, subscriptions, answers the server keeps, and a caller's
    /// reads until the replica has replayed its last write go to the primary, as does every
    /// read while the replica is away or further behind than `MOSAIC_REPLICA_MAX_LAG`.
    #[arg(long, env = "MOSAIC_DATABASE_READ_URL", global = true)]
    pub database_read_url: Option<String>,

    /// How far a replica may fall behind the primary (`5s`, `500ms`) and still serve reads.
    #[arg(long, env = "MOSAIC_REPLICA_MAX_LAG", default_value = "5s",
          value_parser = duration_between_100ms_and_60s, global = true)]
    pub replica_max_lag: std::time::Duration,

    /// Address the HTTP server listens on.
    #[arg(
        long,
        env = "MOSAIC_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// `development` (friendly defaults) or `production` (strict).
    #[arg(
        long = "env",
        env = "MOSAIC_ENV",
        value_enum,
        default_value = "development",
        global = true
    )]
    pub environment: Environment,

    /// Connections kept in the database pool; left out: 32 to PostgreSQL, 10 to SQLite
    /// (`Config::pool_size`).
    #[arg(long, env = "MOSAIC_DB_POOL_SIZE",
          value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub db_pool_size: Option<u32>,

    /// HS256 signing secret for JWTs (at least 32 bytes). In development a secret is made and
    /// kept beside the database when neither this nor a public key is set.
    #[arg(long, env = "MOSAIC_JWT_SECRET", hide_env_values = true, global = true)]
    pub jwt_secret: Option<String>,

    /// PEM file with the public key (RSA, EC P-256 or Ed25519) of an external identity provider.
    #[arg(long, env = "MOSAIC_JWT_PUBLIC_KEY", global = true)]
    pub jwt_public_key: Option<PathBuf>,

    /// Required `iss` claim, when set.
    #[arg(long, env = "MOSAIC_JWT_ISSUER", global = true)]
    pub jwt_issuer: Option<String>,

    /// Required `aud` claim, when set.
    #[arg(long, env = "MOSAIC_JWT_AUDIENCE", global = true)]
    pub jwt_audience: Option<String>,

    /// Seconds in-flight requests get to finish after SIGTERM/SIGINT before they are dropped.
    #[arg(long, env = "MOSAIC_SHUTDOWN_TIMEOUT", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(0..=3600), global = true)]
    pub shutdown_timeout: u64,

    /// Seed an empty database on start: the whole seed programme in development, only the
    /// reference data (countries, regions, exchange rates) in production, which never loads
    /// invented people. Default: on in development, off in production.
    #[arg(long, env = "MOSAIC_SEED_ON_START", action = clap::ArgAction::Set, global = true)]
    pub seed_on_start: Option<bool>,

    /// How long a request waits for a database connection before it is answered 503
    /// SERVICE_UNAVAILABLE (`2s`, `500ms`); also bounds `/ready`.
    #[arg(long, env = "MOSAIC_DB_ACQUIRE_TIMEOUT", default_value = "2s",
          value_parser = duration_between_100ms_and_60s, global = true)]
    pub db_acquire_timeout: std::time::Duration,

    /// Longest lifetime (`exp` − `iat`, or `exp` − now) a JWT may have (`24h`, `90m`).
    #[arg(long, env = "MOSAIC_JWT_MAX_TTL", default_value = "24h",
          value_parser = humantime::parse_duration, global = true)]
    pub jwt_max_ttl: std::time::Duration,

    /// A separate address for `/metrics` (e.g. `127.0.0.1:9090`); when set, the API's own
    /// address does not serve it.
    #[arg(long, env = "MOSAIC_METRICS_BIND", global = true)]
    pub metrics_bind: Option<SocketAddr>,

    /// A bearer token `/metrics` on the API's address requires. Production without
    /// `MOSAIC_METRICS_BIND` serves metrics only to holders of this token.
    #[arg(
        long,
        env = "MOSAIC_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<String>,

    /// How long a client may take to send a request body once its headers arrived.
    #[arg(long, env = "MOSAIC_CLIENT_BODY_TIMEOUT", default_value = "10s",
          value_parser = duration_between_100ms_and_60s, global = true)]
    pub client_body_timeout: std::time::Duration,

    /// How long a shared cache may keep an anonymous GET answer (`Cache-Control: public,
    /// max-age`); `0s` makes every cache revalidate.
    #[arg(long, env = "MOSAIC_CACHE_MAX_AGE", default_value = "10s",
          value_parser = duration_up_to_1h, global = true)]
    pub cache_max_age: std::time::Duration,

    /// A Redis every instance shares (e.g. `redis://127.0.0.1:6379`): each caller's rate
    /// limit then holds across instances, and the persisted queries clients register are
    /// kept there rather than in the database. Left out, each instance counts alone.
    #[arg(long, env = "MOSAIC_REDIS_URL", global = true)]
    pub redis_url: Option<String>,

    /// Memory for anonymous GET answers kept by the server, in MiB (`0` keeps none). A kept
    /// answer is served until a write on any instance, or for `MOSAIC_CACHE_MAX_AGE`.
    #[arg(long, env = "MOSAIC_RESPONSE_CACHE_MB", default_value_t = 32,
          value_parser = clap::value_parser!(u32).range(0..=4096), global = true)]
    pub response_cache_mb: u32,

    /// A manifest of trusted documents (a JSON object of document ids to texts, as GraphQL
    /// Code Generator's client preset or Relay writes it). When set, callers other than ADMIN
    /// run only these documents, by hash, `documentId` or exact text.
    #[arg(long, env = "MOSAIC_TRUSTED_DOCUMENTS", global = true)]
    pub trusted_documents: Option<std::path::PathBuf>,

    /// Days after its workshop ended that a registration keeps its identity (name, email,
    /// organisation); then it is anonymised, hourly by the server and by
    /// `mosaic retention run`. Two years by default: long enough for the programme's yearly
    /// reports and their checks, no longer.
    #[arg(long, env = "MOSAIC_REGISTRATION_RETENTION_DAYS", default_value_t = 730,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub registration_retention_days: u32,

    /// How often an open WebSocket's credential is checked again, so a revoked token's
    /// subscriptions end too (`30s`).
    #[arg(long, env = "MOSAIC_SOCKET_RECHECK", default_value = "30s",
          value_parser = duration_between_100ms_and_60s, global = true)]
    pub socket_recheck: std::time::Duration,

    /// Which header a trusted proxy writes the client's address into: `x-forwarded-for`
    /// or `forwarded`. Only that one is read, so a client cannot choose its address by
    /// sending the other.
    #[arg(
        long,
        env = "MOSAIC_FORWARDED_HEADER",
        value_enum,
        default_value = "x-forwarded-for",
        global = true
    )]
    pub forwarded_header: ForwardedHeader,

    /// Addresses or networks (`10.0.0.0/8`, `127.0.0.1`) of reverse proxies whose
    /// `Forwarded` / `X-Forwarded-For` header names the client; comma-separated. From any
    /// other peer those headers are ignored.
    #[arg(long, env = "MOSAIC_TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = proxy_network, global = true)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    #[command(flatten)]
    pub limits: Limits,

    /// Who may introspect the schema: `everyone`, `admin` or `nobody`. Default: everyone in
    /// development, admin in production.
    #[arg(long, env = "MOSAIC_INTROSPECTION", value_enum, global = true)]
    pub introspection: Option<Introspection>,

    /// Origins allowed to call the API from browsers (CORS), comma-separated, e.g.
    /// `https://app.example.org`. Empty: no cross-origin access. Credentials are never allowed.
    #[arg(
        long,
        env = "MOSAIC_CORS_ORIGINS",
        value_delimiter = ',',
        value_parser = origin,
        global = true
    )]
    pub cors_origins: Vec<String>,
}

fn duration_between_100ms_and_60s(value: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(value).map_err(|e| e.to_string())?;
    if (std::time::Duration::from_millis(100)..=std::time::Duration::from_secs(60))
        .contains(&duration)
    {
        Ok(duration)
    } else {
        Err("give a duration from 100ms to 60s".into())
    }
}

fn duration_up_to_1h(value: &str) -> Result<std::time::Duration, String> {
    let duration = humantime::parse_duration(value).map_err(|e| e.to_string())?;
    if duration <= std::time::Duration::from_secs(3600) {
        Ok(duration)
    } else {
        Err("give a duration up to 1h".into())
    }
}

/// A proxy's address (`10.0.0.7`) or network (`10.0.0.0/8`).
fn proxy_network(value: &str) -> Result<ipnet::IpNet, String> {
    let value = value.trim();
    value
        .parse::<ipnet::IpNet>()
        .or_else(|_| value.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map_err(|_| format!("`{value}` is not an address or network like 10.0.0.0/8"))
}

/// A browser origin: `http(s)://host[:port]`, nothing after it.
fn origin(value: &str) -> Result<String, String> {
    let value = value.trim();
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| format!("`{value}` is not an origin like https://app.example.org"))?;
    let host_ok = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if host_ok {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "`{value}` is not an origin like https://app.example.org (no path, no wildcard)"
        ))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ForwardedHeader {
    XForwardedFor,
    Forwarded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Introspection {
    Everyone,
    Admin,
    Nobody,
}

impl Introspection {
    /// Whether a caller with `role` may query `__schema`/`__type`.
    pub fn allows(self, role: Option<entity::enums::Role>) -> bool {
        match self {
            Self::Everyone => true,
            Self::Admin => role == Some(entity::enums::Role::Admin),
            Self::Nobody => false,
        }
    }
}

const DEFAULT_MAX_QUERY_BYTES: u32 = 16_384;
const DEFAULT_MAX_DEPTH: u32 = 15;
const DEFAULT_MAX_FIELDS: u32 = 400;
const DEFAULT_MAX_ALIASES: u32 = 30;
const DEFAULT_MAX_REPEATED_FIELDS: u32 = 10;
const DEFAULT_MAX_DIRECTIVES: u32 = 20;
const DEFAULT_MAX_COMPLEXITY: u32 = 50_000;
const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;
const DEFAULT_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE: u32 = 20;
const DEFAULT_RATE_LIMIT_BURST: u32 = 60;
const DEFAULT_MAX_SUBSCRIPTIONS: u32 = 20;
const DEFAULT_MAX_SOCKETS: u32 = 10;
const DEFAULT_MAX_CONCURRENT_OPERATIONS: u32 = 16;

/// What one request may ask for; checked before anything runs.
#[derive(Debug, Clone, Args)]
pub struct Limits {
    /// Longest query document, in bytes.
    #[arg(long, env = "MOSAIC_MAX_QUERY_BYTES", default_value_t = DEFAULT_MAX_QUERY_BYTES,
          value_parser = clap::value_parser!(u32).range(256..), global = true)]
    pub max_query_bytes: u32,

    /// Deepest nesting of fields (fragments expanded).
    #[arg(long, env = "MOSAIC_MAX_DEPTH", default_value_t = DEFAULT_MAX_DEPTH,
          value_parser = clap::value_parser!(u32).range(1..=100), global = true)]
    pub max_depth: u32,

    /// Most fields in one operation (fragments expanded).
    #[arg(long, env = "MOSAIC_MAX_FIELDS", default_value_t = DEFAULT_MAX_FIELDS,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_fields: u32,

    /// Most aliases in one operation.
    #[arg(long, env = "MOSAIC_MAX_ALIASES", default_value_t = DEFAULT_MAX_ALIASES, global = true)]
    pub max_aliases: u32,

    /// Most times one response key may appear in one selection set (fragments expanded).
    #[arg(long, env = "MOSAIC_MAX_REPEATED_FIELDS", default_value_t = DEFAULT_MAX_REPEATED_FIELDS,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_repeated_fields: u32,

    /// Most directives in one operation.
    #[arg(long, env = "MOSAIC_MAX_DIRECTIVES", default_value_t = DEFAULT_MAX_DIRECTIVES, global = true)]
    pub max_directives: u32,

    /// Highest cost of one operation: a field costs 1, a list of `first: n` items n times
    /// what one item costs (20 when `first` is not given).
    #[arg(long, env = "MOSAIC_MAX_COMPLEXITY", default_value_t = DEFAULT_MAX_COMPLEXITY,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub max_complexity: u32,

    /// Requests per minute for each API token, each JWT subject and each anonymous IP
    /// address; 0 turns rate limiting off.
    #[arg(long, env = "MOSAIC_RATE_LIMIT_PER_MINUTE", default_value_t = DEFAULT_RATE_LIMIT_PER_MINUTE, global = true)]
    pub rate_limit_per_minute: u32,

    /// Requests that may arrive at once before the per-minute rate applies.
    #[arg(long, env = "MOSAIC_RATE_LIMIT_BURST", default_value_t = DEFAULT_RATE_LIMIT_BURST,
          value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub rate_limit_burst: u32,

    /// Anonymous registrations one workshop accepts per minute, on top of each address's
    /// own limit: many addresses cannot fill a workshop with invented people (0: off).
    #[arg(long, env = "MOSAIC_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE",
          default_value_t = DEFAULT_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE, global = true)]
    pub registrations_per_workshop_per_minute: u32,

    /// Operations one WebSocket connection may run at once (subscriptions mostly).
    #[arg(long, env = "MOSAIC_MAX_SUBSCRIPTIONS", default_value_t = DEFAULT_MAX_SUBSCRIPTIONS,
          value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub max_subscriptions: u32,

    /// WebSocket connections one caller (token, subject or anonymous address) may hold open.
    #[arg(long, env = "MOSAIC_MAX_SOCKETS", default_value_t = DEFAULT_MAX_SOCKETS,
          value_parser = clap::value_parser!(u32).range(1..=10000), global = true)]
    pub max_sockets: u32,

    /// GraphQL operations (queries and mutations) executed at once by this instance; the rest
    /// wait their turn in arrival order before taking a database connection or building any
    /// answer, which bounds memory and keeps latency fair under a burst.
    #[arg(long, env = "MOSAIC_MAX_CONCURRENT_OPERATIONS", default_value_t = DEFAULT_MAX_CONCURRENT_OPERATIONS,
          value_parser = clap::value_parser!(u32).range(1..=10000), global = true)]
    pub max_concurrent_operations: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_query_bytes: DEFAULT_MAX_QUERY_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_fields: DEFAULT_MAX_FIELDS,
            max_aliases: DEFAULT_MAX_ALIASES,
            max_repeated_fields: DEFAULT_MAX_REPEATED_FIELDS,
            max_directives: DEFAULT_MAX_DIRECTIVES,
            max_complexity: DEFAULT_MAX_COMPLEXITY,
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            rate_limit_burst: DEFAULT_RATE_LIMIT_BURST,
            registrations_per_workshop_per_minute: DEFAULT_REGISTRATIONS_PER_WORKSHOP_PER_MINUTE,
            max_subscriptions: DEFAULT_MAX_SUBSCRIPTIONS,
            max_sockets: DEFAULT_MAX_SOCKETS,
            max_concurrent_operations: DEFAULT_MAX_CONCURRENT_OPERATIONS,
        }
    }
}

impl Config {
    /// The configuration the tests start from: loopback on a free port, the given database.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            database_read_url: None,
            replica_max_lag: std::time::Duration::from_secs(5),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            environment: Environment::Development,
            db_pool_size: Some(5),
            shutdown_timeout: 5,
            seed_on_start: None,
            jwt_secret: Some("test-secret-of-the-end-to-end-suite-0123456789".into()),
            jwt_public_key: None,
            jwt_issuer: None,
            jwt_audience: None,
            // Tests send bursts from one address; the rate-limit tests turn it back on.
            limits: Limits {
                rate_limit_per_minute: 0,
                registrations_per_workshop_per_minute: 0,
                ..Limits::default()
            },
            introspection: None,
            cors_origins: Vec::new(),
            db_acquire_timeout: std::time::Duration::from_secs(2),
            jwt_max_ttl: std::time::Duration::from_secs(24 * 3600),
            metrics_bind: None,
            metrics_token: None,
            client_body_timeout: std::time::Duration::from_secs(10),
            cache_max_age: std::time::Duration::from_secs(10),
            response_cache_mb: 32,
            redis_url: None,
            registration_retention_days: 730,
            socket_recheck: std::time::Duration::from_secs(30),
            forwarded_header: ForwardedHeader::XForwardedFor,
            trusted_proxies: Vec::new(),
            trusted_documents: None,
        }
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }

    /// Who may introspect: as configured, else everyone in development and admins in
    /// production.
    pub fn introspection(&self) -> Introspection {
        self.introspection.unwrap_or(if self.is_production() {
            Introspection::Admin
        } else {
            Introspection::Everyone
        })
    }
}

/// The PostgreSQL pool when `MOSAIC_DB_POOL_SIZE` is left out. A page's statements go out in
/// rounds from every request a worker serves, and a connection stays taken until that busy
/// worker reads its rows: with 10 connections a loaded server left a fifth of two cores idle
/// waiting for one (bench/RESULTS.md).
const POSTGRES_POOL_SIZE: u32 = 32;
/// The SQLite pool when left out: a file takes one writer at a time, and each connection
/// keeps a page cache of its own.
const SQLITE_POOL_SIZE: u32 = 10;

impl Config {
    /// Connections kept in the database pool: as configured, else the default of its engine.
    pub fn pool_size(&self) -> u32 {
        self.db_pool_size
            .unwrap_or(if self.database_url.starts_with("sqlite:") {
                SQLITE_POOL_SIZE
            } else {
                POSTGRES_POOL_SIZE
            })
    }

    /// Where development keeps what it makes for itself (the signing secret): beside the
    /// SQLite file, or in the working directory for other databases.
    pub fn data_dir(&self) -> PathBuf {
        let path = self
            .database_url
            .strip_prefix("sqlite://")
            .or_else(|| self.database_url.strip_prefix("sqlite:"))
            .map(|rest| rest.split('?').next().unwrap_or_default());
        match path.map(std::path::Path::new).and_then(|p| p.parent()) {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        }
    }
}
