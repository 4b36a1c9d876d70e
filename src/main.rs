//! The `sdx-keys` binary: a thin shell over the library. It validates the command line and
//! the environment before the terminal is touched (exit 2 with a sentence on stderr), runs the
//! chosen mode, and prints fatal errors only after the terminal is restored.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::FromArgMatches;
use sdx_keys::cli::{Cli, Command, GlobalArgs};
use sdx_keys::config::{self, Environment};
use sdx_keys::credentials::TokenSource;
use sdx_keys::runtime::Outcome;
use sdx_keys::session::{self, Target};
use sdx_keys::{commands, hygiene, logging};

/// Exit status for usage and configuration errors.
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let matches = sdx_keys::cli::help::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => err.exit(),
    };
    match cli.command {
        Some(Command::Emulator(args)) => run_emulator(args),
        Some(command) => {
            // Before any secret is read into memory.
            let _ = hygiene::harden_process();
            commands::run(&cli.global, command)
        }
        None => run_tui(&cli.global),
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

fn run_tui(global: &GlobalArgs) -> ExitCode {
    // Before any secret is read into memory.
    let hardening_problems = hygiene::harden_process();
    let settings = match config::resolve::load(&global.config_flags(), &Environment::from_process())
    {
        Ok(settings) => settings,
        Err(err) => return usage_error(&err.to_string()),
    };
    let target = if global.demo {
        Target::Demo
    } else {
        if let Err(err) = sdx_keys::launch::client_options(&settings) {
            return usage_error(&err.to_string());
        }
        let token = match settings.token.read(&|name| std::env::var_os(name)) {
            Ok(token) => token,
            Err(err) => return usage_error(&err.to_string()),
        };
        if let TokenSource::Env(name) = &settings.token {
            // SAFETY: no other thread exists yet (the async runtime starts below), so nothing
            // can read the environment concurrently. Child processes must not inherit the token.
            unsafe { std::env::remove_var(name) };
        }
        Target::Api {
            base_url: settings.base_url.clone(),
            token,
        }
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
    let runtime = match build_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return code,
    };
    let result = runtime.block_on(session::run(target, &settings));
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
