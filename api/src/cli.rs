//! The command line: `serve` (default), `migrate`, `seed`, `schema`.

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
    /// Load the seed programme into the database (refused if it already holds projects).
    Seed,
    /// Print the GraphQL schema (SDL) and exit.
    Schema,
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
        Command::Migrate => {
            telemetry::init(&config);
            let database = db::connect(&config).await?;
            db::migrate(&database.connection).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Seed => {
            telemetry::init(&config);
            let database = db::connect(&config).await?;
            db::migrate(&database.connection).await?;
            let summary = seed::load_programme(&database.connection).await?;
            println!("seeded: {summary}");
            Ok(())
        }
    }
}
