//! The `mosaic` binary: parse the command line and hand over to the library.

use clap::Parser;

/// mimalloc instead of glibc's malloc: under load the server allocates many small, short-lived
/// values across threads, where glibc's arenas spent over a third of the CPU (see
/// bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
