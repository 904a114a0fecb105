//! Logging set up in one place: readable lines in development, JSON in production.

use tracing_subscriber::{EnvFilter, fmt};

use crate::config::Config;

pub fn init(config: &Config) {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = fmt().with_env_filter(filter).with_target(false);
    // A second init (tests start several apps) is harmless, so its error is ignored.
    let _ = if config.is_production() {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
