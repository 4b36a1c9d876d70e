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

/// The TUI, started again with another profile each time the user switches to one.
fn run_tui(global: &GlobalArgs) -> ExitCode {
    // Before any secret is read into memory.
    let hardening_problems = hygiene::harden_process();
    let mut flags = global.config_flags();
    let mut env = Environment::from_process();
    let mut stash = TokenStash::default();
    let mut problems = Some(hardening_problems);
    let (_log_guard, mut warning) = match logging::init() {
        Ok(guard) => (guard, None),
        Err(reason) => (None, Some(reason)),
    };
    // The profile in use, to go back to when a switch cannot start.
    let mut current = flags.clone();
    loop {
        let switching = flags != current;
        match run_session(
            global.demo,
            &flags,
            &env,
            &mut stash,
            problems.take(),
            warning.take(),
        ) {
            Ended::Exit(code) => return code,
            Ended::Refused(reason) if switching => {
                // The chosen profile cannot start (its token command failed, say): back to
                // the one in use, saying why.
                warning = Some(format!("Did not switch profile: {reason}"));
                flags = current.clone();
            }
            Ended::Refused(reason) => return usage_error(&reason),
            Ended::Switch(profile) => {
                current = flags.clone();
                // The chosen profile uses its own base URL, never one given for another.
                flags.profile = Some(profile);
                flags.base_url = None;
                env.base_url = None;
            }
        }
    }
}

enum Ended {
    Exit(ExitCode),
    /// Refused before the terminal was touched: the sentence to print (exit status 2).
    Refused(String),
    Switch(String),
}

/// Tokens read from environment variables, kept (as secrets) once the variables are removed
/// from the environment, so switching back to a profile finds its token again.
#[derive(Default)]
struct TokenStash(std::collections::HashMap<String, secrecy::SecretString>);

fn run_session(
    demo: bool,
    flags: &sdx_keys::config::Flags,
    env: &Environment,
    stash: &mut TokenStash,
    hardening_problems: Option<Vec<String>>,
    warning: Option<String>,
) -> Ended {
    let settings = match config::resolve::load(flags, env) {
        Ok(settings) => settings,
        Err(err) => return Ended::Refused(err.to_string()),
    };
    let target = if demo {
        Target::Demo
    } else {
        if let Err(err) = sdx_keys::launch::client_options(&settings) {
            return Ended::Refused(err.to_string());
        }
        let lookup = |name: &str| {
            use secrecy::ExposeSecret;
            match stash.0.get(name) {
                Some(token) => Some(std::ffi::OsString::from(token.expose_secret())),
                None => std::env::var_os(name),
            }
        };
        let token = match settings.token.read(&lookup) {
            Ok(token) => token,
            Err(err) => return Ended::Refused(err.to_string()),
        };
        if let Err(err) = sdx_keys::launch::check_plain_http(&settings.base_url, &token) {
            return Ended::Refused(err.to_string());
        }
        if let TokenSource::Env(name) = &settings.token {
            stash.0.insert(name.clone(), token.clone());
            // SAFETY: no other thread exists (the async runtime of a session is shut down
            // before the next starts), so nothing reads the environment concurrently. Child
            // processes must not inherit the token.
            unsafe { std::env::remove_var(name) };
        }
        Target::Api {
            base_url: settings.base_url.clone(),
            token,
        }
    };
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        return Ended::Refused(
            "sdx-keys is interactive and needs a terminal on stdin and stdout. Run it in a \
             terminal (or tmux), not through a pipe."
                .to_owned(),
        );
    }
    for problem in hardening_problems.unwrap_or_default() {
        tracing::warn!("{problem}");
    }
    let runtime = match build_runtime() {
        Ok(runtime) => runtime,
        Err(code) => return Ended::Exit(code),
    };
    let result = runtime.block_on(session::run(target, &settings, warning));
    // Never wait for in-flight HTTP requests or the terminal reader thread on the way out.
    runtime.shutdown_background();
    Ended::Exit(match result {
        Ok(Outcome::SwitchProfile(profile)) => return Ended::Switch(profile),
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
    })
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
