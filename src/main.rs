//! The `sdx-keys` binary: a thin shell over the library. Parses the command line and runs the
//! chosen mode; fatal errors are printed after the terminal is restored.

use clap::Parser;
use sdx_keys::cli::{Cli, Command};

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("sdx-keys: cannot start the async runtime: {err}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match cli.command {
        Some(Command::Emulator(args)) => {
            match runtime.block_on(sdx_keys::emulator::run_cli(args)) {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("sdx-keys emulator: {err:#}");
                    std::process::ExitCode::FAILURE
                }
            }
        }
        None => {
            eprintln!("sdx-keys: the TUI is not wired yet");
            std::process::ExitCode::from(2)
        }
    }
}
