//! The `sdx-keys` binary: a thin shell over the library. It validates the command line and
//! the environment before the terminal is touched (exit 2 with a sentence on stderr), runs the
//! chosen mode, and prints fatal errors only after the terminal is restored.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use sdx_keys::cli::{Cli, Command};
use sdx_keys::launch::{self, TOKEN_ENV};
use sdx_keys::runtime::Outcome;
use sdx_keys::session::{self, Appearance, Target};
use sdx_keys::{hygiene, logging};

/// Exit status for usage and configuration errors.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::Emulator(args)) => run_emulator(args),
        None => run_tui(cli.demo, &cli.base_url),
    }
}

fn run_emulator(args: sdx_keys::emulator::EmulatorArgs) -> ExitCode {
    let runtime = match build_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    match runtime.block_on(sdx_keys::emulator::run_cli(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("sdx-keys emulator: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run_tui(demo: bool, base_url: &str) -> ExitCode {
    // Before any secret is read into memory.
    let hardening_problems = hygiene::harden_process();
    let target = if demo {
        Target::Demo
    } else {
        let base_url = match launch::validate_base_url(base_url) {
            Ok(url) => url,
            Err(err) => return usage_error(&err.to_string()),
        };
        let token = match launch::token_from_env(std::env::var_os(TOKEN_ENV)) {
            Ok(token) => token,
            Err(err) => return usage_error(&err.to_string()),
        };
        // SAFETY: no other thread exists yet (the async runtime starts below), so nothing can
        // read the environment concurrently. Child processes must not inherit the token.
        unsafe { std::env::remove_var(TOKEN_ENV) };
        Target::Api { base_url, token }
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return usage_error(
            "sdx-keys is interactive and needs a terminal on stdin and stdout. Run it in a \
             terminal (or tmux), not through a pipe.",
        );
    }
    let _log_guard = logging::init();
    for problem in hardening_problems {
        tracing::warn!("{problem}");
    }
    let appearance = Appearance {
        color: std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty()),
    };

    let runtime = match build_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let result = runtime.block_on(session::run(target, appearance));
    // Never wait for in-flight HTTP requests or the terminal reader thread on the way out.
    runtime.shutdown_background();
    match result {
        Ok(Outcome::Quit) => ExitCode::SUCCESS,
        Ok(Outcome::Interrupted) => ExitCode::from(130),
        Ok(Outcome::Terminated) => ExitCode::from(143),
        // The terminal is gone: print nothing, nobody would read it.
        Ok(Outcome::TerminalGone) => ExitCode::from(129),
        Ok(Outcome::DrawFailed(err)) => {
            eprintln!("sdx-keys: drawing the screen failed: {err}");
            ExitCode::FAILURE
        }
        Err(err) => {
            eprintln!("sdx-keys: {err}");
            ExitCode::FAILURE
        }
    }
}

fn build_runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|err| {
            eprintln!("sdx-keys: cannot start the async runtime: {err}");
            ExitCode::FAILURE
        })
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("sdx-keys: {message}");
    ExitCode::from(EXIT_USAGE)
}
