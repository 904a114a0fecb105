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
            jwt_secret: Some("test-secret-of-the-end-to-end-suite-0123456789".into()),
            jwt_public_key: None,
            jwt_issuer: None,
            jwt_audience: None,
        }
    }

    pub fn is_production(&self) -> bool {
        self.environment == Environment::Production
    }
}

impl Config {
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
