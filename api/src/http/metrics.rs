//! Prometheus metrics of the HTTP layer and of GraphQL operations, beside the database
//! statement counter in `db.rs`. Labels are bounded: routes are patterns, operation names are
//! kept only when well formed and among the first `MAX_OPERATION_NAMES` seen, of which
//! anonymous callers may add only `MAX_ANONYMOUS_OPERATION_NAMES`.

use std::collections::HashSet;
use std::sync::Mutex;

use prometheus::{
    Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGaugeVec, Opts, Registry,
};
use sea_orm::{DatabaseConnection, DatabaseConnectionType};

/// Distinct operation names kept as labels; later ones count as `other`.
const MAX_OPERATION_NAMES: usize = 200;
/// Of those, how many an anonymous caller may add: junk names from anyone can use up this
/// share only, never the rest, which signed-in callers' operations keep.
const MAX_ANONYMOUS_OPERATION_NAMES: usize = 50;

pub struct Metrics {
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    operations: IntCounterVec,
    operation_seconds: HistogramVec,
    waits: Histogram,
    errors: IntCounterVec,
    pool: IntGaugeVec,
    kept: IntCounter,
    names: Mutex<HashSet<String>>,
}

impl Metrics {
    pub fn new(registry: &Registry) -> prometheus::Result<Self> {
        let metrics = Self {
            requests: IntCounterVec::new(
                Opts::new("mosaic_http_requests_total", "HTTP requests answered"),
                &["method", "route", "status"],
            )?,
            request_seconds: HistogramVec::new(
                HistogramOpts::new(
                    "mosaic_http_request_duration_seconds",
                    "HTTP request latency",
                ),
                &["route"],
            )?,
            operations: IntCounterVec::new(
                Opts::new("mosaic_graphql_operations_total", "GraphQL operations run"),
                &["operation", "outcome"],
            )?,
            operation_seconds: HistogramVec::new(
                HistogramOpts::new(
                    "mosaic_graphql_operation_duration_seconds",
                    "GraphQL operation latency, authentication included",
                ),
                &["operation"],
            )?,
            waits: Histogram::with_opts(HistogramOpts::new(
                "mosaic_graphql_operation_wait_seconds",
                "Time operations waited for a turn (MOSAIC_MAX_CONCURRENT_OPERATIONS)",
            ))?,
            errors: IntCounterVec::new(
                Opts::new(
                    "mosaic_graphql_errors_total",
                    "GraphQL errors answered, by code",
                ),
                &["code"],
            )?,
            pool: IntGaugeVec::new(
                Opts::new("mosaic_db_pool_connections", "Database pool connections"),
                &["state"],
            )?,
            kept: IntCounter::new(
                "mosaic_kept_answers_total",
                "Anonymous GET requests answered from the response cache, without executing",
            )?,
            names: Mutex::new(HashSet::new()),
        };
        registry.register(Box::new(metrics.requests.clone()))?;
        registry.register(Box::new(metrics.request_seconds.clone()))?;
        registry.register(Box::new(metrics.operations.clone()))?;
        registry.register(Box::new(metrics.operation_seconds.clone()))?;
        registry.register(Box::new(metrics.waits.clone()))?;
        registry.register(Box::new(metrics.errors.clone()))?;
        registry.register(Box::new(metrics.pool.clone()))?;
        registry.register(Box::new(metrics.kept.clone()))?;
        Ok(metrics)
    }

    /// A request answered from the response cache.
    pub fn kept_answer(&self) {
        self.kept.inc();
    }

    pub fn request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.request_seconds
            .with_label_values(&[route])
            .observe(seconds);
    }

    /// One GraphQL operation: its (bounded) name, whether it answered errors, their codes.
    pub fn operation<'a>(
        &self,
        name: Option<&str>,
        signed_in: bool,
        codes: impl Iterator<Item = &'a str>,
        seconds: f64,
    ) {
        let name = self.label(name, signed_in);
        let mut failed = false;
        for code in codes {
            failed = true;
            self.errors.with_label_values(&[code]).inc();
        }
        let outcome = if failed { "error" } else { "ok" };
        self.operations
            .with_label_values(&[name.as_str(), outcome])
            .inc();
        self.operation_seconds
            .with_label_values(&[name.as_str()])
            .observe(seconds);
    }

    /// How long an operation waited for its turn to execute.
    pub fn waited(&self, seconds: f64) {
        self.waits.observe(seconds);
    }

    fn label(&self, name: Option<&str>, signed_in: bool) -> String {
        let Some(name) = name.filter(|n| {
            (1..=64).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        }) else {
            return "anonymous".to_owned();
        };
        let Ok(mut names) = self.names.lock() else {
            return "other".to_owned();
        };
        let room = if signed_in {
            MAX_OPERATION_NAMES
        } else {
            MAX_ANONYMOUS_OPERATION_NAMES
        };
        if names.contains(name) || names.len() < room {
            names.insert(name.to_owned());
            name.to_owned()
        } else {
            "other".to_owned()
        }
    }

    /// Reads the pool's idle and busy connections now, and the most it may open (called when
    /// `/metrics` is scraped).
    pub fn observe_pool(&self, db: &DatabaseConnection) {
        // Matching on the connection type first: sea-orm's pool getters panic on the other one.
        let (size, idle, max) = match &db.inner {
            DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
                let pool = db.get_sqlite_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
                let pool = db.get_postgres_connection_pool();
                (
                    pool.size(),
                    pool.num_idle(),
                    pool.options().get_max_connections(),
                )
            }
            _ => return,
        };
        // What `in_use` can reach: a pool in use up to it has requests queueing for it.
        self.pool.with_label_values(&["max"]).set(i64::from(max));
        let idle = i64::try_from(idle).unwrap_or(i64::MAX);
        self.pool.with_label_values(&["idle"]).set(idle);
        self.pool
            .with_label_values(&["in_use"])
            .set(i64::from(size).saturating_sub(idle));
    }
}
