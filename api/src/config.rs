//! Typed configuration, read from the environment (and flags) once at start. Only this module
//! knows the variable names.

use std::net::SocketAddr;

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

    /// Connections kept in the database pool.
    #[arg(long, env = "MOSAIC_DB_POOL_SIZE", default_value_t = 10,
          value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub db_pool_size: u32,

    /// Load the seed programme into an empty database on start.
    #[arg(long, env = "MOSAIC_SEED_ON_START", default_value_t = true,
          action = clap::ArgAction::Set, global = true)]
    pub seed_on_start: bool,
}

impl Config {
    /// The configuration the tests start from: loopback on a free port, the given database.
    pub fn for_tests(database_url: impl Into<String>) -> Self {
        Self {
            database_url: database_url.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            environment: Environment::Development,
            db_pool_size: 5,
            seed_on_start: true,
        }
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}
