//! The `mosaic` binary: parse the command line and hand over to the library.

use clap::Parser;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = mosaic::cli::Cli::parse();
    match mosaic::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("mosaic: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
