//! The scriptable twin of the TUI: each subcommand runs once and exits with a documented
//! status. It shares the client, validation, journal and profiles with the TUI. Standard
//! output stays machine-readable; errors go to standard error as one sentence (details with
//! `--verbose`); a closed standard output (`| head -1`) ends quietly.
//!
//! - [`read`]: list, get, permissions, audit, history;
//! - [`write`]: create, rotate, delete, and the consent they need;
//! - [`secret_out`]: where a new secret goes;
//! - [`recover`]: the creation journal's unresolved records;
//! - [`output`]: writing to standard output, tables and JSON.

mod output;
mod read;
mod recover;
mod secret_out;
mod write;

use std::io::IsTerminal;
use std::process::ExitCode;

use secrecy::SecretString;

use crate::api::{ApiClient, ApiError};
use crate::cli::{Command, GlobalArgs};
use crate::config::{self, Environment, Settings};
use crate::equivalent::CommandPrefix;
use crate::journal::Journal;
use crate::launch;

/// The exit statuses of the CLI (documented in `--help` and the README).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Ok = 0,
    /// A network or server error.
    Failure = 1,
    /// A usage, configuration or validation error: nothing was changed.
    Usage = 2,
    NotFound = 3,
    /// 401 or 403.
    Auth = 4,
    /// `audit` found something.
    Findings = 5,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

/// Why a command stopped: its exit status, one sentence, and details for `--verbose`.
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub message: String,
    pub details: Option<String>,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Usage,
            message: message.into(),
            details: None,
        }
    }

    pub fn failed(message: impl Into<String>) -> Failure {
        Failure {
            exit: Exit::Failure,
            message: message.into(),
            details: None,
        }
    }
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        let exit = match &error {
            ApiError::Unauthorized { .. } | ApiError::Forbidden { .. } => Exit::Auth,
            ApiError::NotFound { .. } => Exit::NotFound,
            ApiError::Validation { .. } | ApiError::Refused { .. } => Exit::Usage,
            _ => Exit::Failure,
        };
        Failure {
            exit,
            message: error.user_message(),
            details: Some(format!("{error:?}")),
        }
    }
}

/// What every command of one run shares.
pub struct Context {
    pub settings: Settings,
    pub journal: Option<Journal>,
    pub prefix: CommandPrefix,
    /// Standard input and standard error are a terminal: a question can be asked.
    pub can_ask: bool,
    pub stdout_is_terminal: bool,
}

impl Context {
    /// `host[:port]` of the API, as the journal records it.
    pub fn api_host(&self) -> String {
        launch::display_host(&self.settings.base_url)
    }

    /// Reads the profile's token and builds the client. Before any request is made.
    fn client(&self) -> Result<ApiClient, Failure> {
        let token = self.token()?;
        // The listener's owner is checked on the connection itself (a refusal exits 2), so
        // no extra connection is made first.
        launch::check_signed_jwt(&self.settings.base_url, &token)
            .map_err(|err| Failure::usage(err.to_string()))?;
        let options = launch::client_options(&self.settings)
            .map_err(|err| Failure::usage(err.to_string()))?;
        ApiClient::new(options, token).map_err(Failure::from)
    }

    fn token(&self) -> Result<SecretString, Failure> {
        let token = self
            .settings
            .token
            .read(&|name| std::env::var_os(name))
            .map_err(|err| Failure::usage(err.to_string()))?;
        Ok(token)
    }

    /// Refuses a create, rotate or delete on a read-only profile.
    fn check_writable(&self, verb: &str) -> Result<(), Failure> {
        if self.settings.access.allows_writes() {
            return Ok(());
        }
        Err(Failure::usage(format!(
            "The profile \"{}\" is read-only (mode = \"read-only\"), so it cannot {verb} keys. \
             Use a profile whose mode allows it.",
            self.settings.profile
        )))
    }
}

/// Runs one subcommand (not `emulator`, which `main` starts itself) and returns its status.
pub fn run(global: &GlobalArgs, command: Command) -> ExitCode {
    if let Command::Completions(args) = &command {
        return output::finish(output::completions(&args.shell), global.verbose);
    }
    let settings = match config::resolve::load(&global.config_flags(), &Environment::from_process())
    {
        Ok(settings) => settings,
        Err(err) => return output::finish(Err(Failure::usage(err.to_string())), global.verbose),
    };
    let prefix = CommandPrefix {
        profile: (settings.profile != config::DEFAULT_PROFILE).then(|| settings.profile.clone()),
        base_url: settings
            .base_url_overridden
            .then(|| settings.base_url.as_str().trim_end_matches('/').to_owned()),
    };
    let context = Context {
        journal: Journal::default_path().map(Journal::at),
        prefix,
        can_ask: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
        stdout_is_terminal: std::io::stdout().is_terminal(),
        settings,
    };
    let result = match command {
        Command::Permissions(args) => read::permissions(args.json),
        Command::History(args) => read::history(&context, args.json),
        Command::Recover(args) if args.id.is_none() => recover::list(&context, args.output.json),
        command => match runtime() {
            Ok(runtime) => {
                let result = runtime.block_on(run_networked(&context, command));
                runtime.shutdown_background();
                result
            }
            Err(failure) => Err(failure),
        },
    };
    output::finish(result, global.verbose)
}

async fn run_networked(context: &Context, command: Command) -> Result<Exit, Failure> {
    match command {
        Command::List(args) => read::list(context, &context.client()?, args.json).await,
        Command::Get(args) => {
            read::get(context, &context.client()?, &args.id, args.output.json).await
        }
        Command::Audit(args) => {
            read::audit(&context.client()?, args.unused_days, args.output.json).await
        }
        Command::Create(args) => {
            context.check_writable("create")?;
            write::create(context, args).await
        }
        Command::Rotate(args) => {
            context.check_writable("rotate")?;
            write::rotate(context, args).await
        }
        Command::Delete(args) => {
            context.check_writable("delete")?;
            write::delete(context, args).await
        }
        Command::Recover(args) => recover::resolve(context, args).await,
        Command::Permissions(_)
        | Command::History(_)
        | Command::Completions(_)
        | Command::Emulator(_) => Err(Failure::failed(
            "This command does not reach the API (a bug: it should not get here).",
        )),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| Failure::failed(format!("Cannot start the async runtime: {err}.")))
}
