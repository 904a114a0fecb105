//! The command line: `serve` (default), `migrate`, `seed`, `schema`, `token`, `rates import`.

use clap::{Parser, Subcommand};

use crate::{Application, config::Config, db, seed, telemetry};

#[derive(Debug, Parser)]
#[command(
    name = "mosaic",
    version,
    about = "GraphQL API of the Mosaic programme"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, seed an empty database and serve HTTP (the default).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Load the seed programme into an empty database; with `--reference`, only countries,
    /// regions and exchange rates (for a production database); with `--synthetic N`, add N
    /// generated projects on top of the programme (for benchmarks).
    Seed(SeedArgs),
    /// Print the GraphQL schema (SDL) and exit.
    Schema,
    /// Print a signed JWT for this configuration (development, scripts, tests).
    Token(TokenArgs),
    /// Euro reference rates.
    #[command(subcommand)]
    Rates(RatesCommand),
    /// Personal data past its retention period.
    #[command(subcommand)]
    Retention(RetentionCommand),
}

#[derive(Debug, Subcommand)]
pub enum RetentionCommand {
    /// Anonymise the registrations of workshops that ended more than
    /// MOSAIC_REGISTRATION_RETENTION_DAYS ago, now (the server also does it hourly).
    Run,
}

#[derive(Debug, Subcommand)]
pub enum RatesCommand {
    /// Set every rate in a CSV file (the ECB's `eurofxref-hist.csv` layout, or
    /// `currency,date,unitsPerEur[,source]`), replacing those of the same currency and day,
    /// in one transaction; fundings convert again. The audit trail names the system user.
    Import(ImportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The CSV file.
    pub file: std::path::PathBuf,
    /// The source of rates whose row names none: ECB_REFERENCE, INFOREURO or MANUAL.
    #[arg(long, default_value = "ECB_REFERENCE", value_parser = parse_source)]
    pub source: entity::enums::RateSource,
}

fn parse_source(value: &str) -> Result<entity::enums::RateSource, String> {
    crate::domain::exchange_rates::rate_source(value)
        .ok_or_else(|| format!("`{value}` is not a source (ECB_REFERENCE, INFOREURO, MANUAL)"))
}

#[derive(Debug, clap::Args)]
pub struct SeedArgs {
    /// Load only the reference data: nothing invented.
    #[arg(long, conflicts_with = "synthetic")]
    pub reference: bool,
    /// Add this many synthetic projects (about 5 workshops and 40 registrations each).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub synthetic: Option<u32>,
    /// The random generator's seed: the same N and seed give the same rows.
    #[arg(long, default_value_t = 1, requires = "synthetic")]
    pub random_seed: u64,
}

#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// VIEWER, PARTNER, COORDINATOR or ADMIN.
    #[arg(long, value_parser = parse_role)]
    pub role: entity::enums::Role,
    /// ISO code of a country the caller acts for; repeat for several.
    #[arg(long = "country")]
    pub countries: Vec<String>,
    /// Organisation id (UUID or global id), needed for PARTNER.
    #[arg(long)]
    pub org: Option<String>,
    /// Lifetime, e.g. `1h`, `30m`, `7d`.
    #[arg(long, default_value = "1h", value_parser = humantime::parse_duration)]
    pub ttl: std::time::Duration,
    /// The token's subject.
    #[arg(long, default_value = "mosaic-cli")]
    pub sub: String,
}

fn parse_role(value: &str) -> Result<entity::enums::Role, String> {
    crate::auth::jwt::parse_role(value)
        .ok_or_else(|| format!("`{value}` is not a role (VIEWER, PARTNER, COORDINATOR, ADMIN)"))
}

impl TokenArgs {
    pub fn request(&self) -> anyhow::Result<crate::auth::jwt::TokenRequest> {
        let countries = self
            .countries
            .iter()
            .map(|c| crate::domain::codes::CountryCode::parse(c).map(|c| c.into_inner()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("--country: {e}"))?;
        let organisation = self
            .org
            .as_deref()
            .map(|o| {
                crate::auth::jwt::parse_organisation(o)
                    .ok_or_else(|| anyhow::anyhow!("--org: `{o}` is not an organisation id"))
            })
            .transpose()?;
        if self.role == entity::enums::Role::Partner && organisation.is_none() {
            anyhow::bail!("--org is required for a PARTNER token");
        }
        Ok(crate::auth::jwt::TokenRequest {
            subject: self.sub.clone(),
            role: self.role,
            countries,
            organisation,
            ttl: self.ttl,
        })
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Schema => {
            print!("{}", crate::graphql::sdl());
            Ok(())
        }
        Command::Serve => {
            telemetry::init(&config);
            let app = Application::build(config).await?;
            app.print_welcome();
            app.run_until_stopped().await
        }
        Command::Token(args) => {
            let keys = crate::auth::jwt::JwtKeys::from_config(&config)?;
            println!("{}", keys.mint(&args.request()?)?);
            Ok(())
        }
        Command::Migrate => {
            telemetry::init(&config);
            let database = db::connect(&config).await?;
            db::migrate(&database.connection).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Rates(RatesCommand::Import(args)) => {
            telemetry::init(&config);
            println!("{}", import_rates(&config, &args).await?);
            Ok(())
        }
        Command::Retention(RetentionCommand::Run) => {
            telemetry::init(&config);
            let database = db::connect(&config).await?;
            db::migrate(&database.connection).await?;
            let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
            let hub = crate::events::Events::of(&database.connection).await?;
            let done = crate::application::sweep_retention(
                &database.connection,
                &hub,
                crate::auth::Caller::operator(user),
                config.registration_retention_days,
            )
            .await
            .map_err(|e| anyhow::anyhow!("retention did not run: {}", e.message()))?;
            println!(
                "anonymised {done} registrations of workshops that ended more than {} days ago",
                config.registration_retention_days
            );
            Ok(())
        }
        Command::Seed(args) => {
            telemetry::init(&config);
            let database = db::connect(&config).await?;
            db::migrate(&database.connection).await?;
            let started = std::time::Instant::now();
            let summary = match args.synthetic {
                Some(n) => seed::synthetic::load(&database.connection, n, args.random_seed).await?,
                None if args.reference => {
                    seed::load(&database.connection, seed::Scope::Reference).await?
                }
                None => seed::load_programme(&database.connection).await?,
            };
            println!(
                "seeded in {:.1} s: {summary}",
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
    }
}

/// `mosaic rates import`: the file's rates set in one transaction, as an admin named by the
/// system user; answers what was set.
pub async fn import_rates(config: &Config, args: &ImportArgs) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let parsed = crate::domain::exchange_rates::parse(&text, args.source)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let rates = parsed.rates;
    let database = db::connect(config).await?;
    db::migrate(&database.connection).await?;
    let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
    let caller = crate::auth::Caller::operator(user);
    let hub = crate::events::Events::of(&database.connection).await?;
    let imported = async {
        let write = crate::writes::Write::begin(&database.connection, &caller).await?;
        let imported = crate::writes::exchange_rates::import(&write, rates).await?;
        write.commit(&hub).await?;
        Ok::<_, crate::error::ApiError>(imported)
    }
    .await
    .map_err(|e| anyhow::anyhow!("the rates were not set: {}", e.message()))?;
    let mut said = format!("set {} rates", imported.rates);
    if !parsed.withdrawn.is_empty() {
        said.push_str(&format!(
            "\n  left out, no longer in ISO 4217: {}",
            parsed.withdrawn.join(", ")
        ));
    }
    for (currency, (from, to)) in imported.currencies {
        said.push_str(&format!("\n  {currency}: {from} to {to}"));
    }
    Ok(said)
}
