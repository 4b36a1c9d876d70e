//! One interactive session: wires the API client, the worker task, the model and the terminal
//! together, runs the event loop, and takes everything down again in the right order (the
//! terminal is restored before anything is printed). In demo mode it first starts the
//! emulator in-process on a Unix socket in a private directory (no TCP port) with the demo
//! organisation.

use jiff::Timestamp;
use rand::Rng;
use rand::distr::Alphanumeric;
use reqwest::Url;
use secrecy::SecretString;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use crate::api::{ApiClient, ClientOptions, worker};
use crate::app::{App, AppContext, ProfileInfo};
use crate::config::Settings;
use crate::delivery::clipboard;
use crate::effects::Executor;
use crate::emulator;
use crate::journal::Journal;
use crate::launch::display_host;
use crate::runtime::{self, Inbox, Outcome, Signals};
use crate::terminal;

/// What the session talks to.
pub enum Target {
    /// The in-process demo emulator.
    Demo,
    /// A real (or separately started) API.
    Api { base_url: Url, token: SecretString },
}

/// A failure before or around the loop, worded for the operator.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error("could not start the demo emulator: {0}")]
    Demo(String),
    #[error("{}", .0.user_message())]
    Client(crate::api::ApiError),
    #[error("could not set up the terminal: {0}")]
    Terminal(std::io::Error),
}

/// Runs the TUI until it ends; the terminal is restored (unless gone) when this returns.
/// `notice`: a warning to show from the first frame (why a profile switch did not happen).
pub async fn run(
    target: Target,
    settings: &Settings,
    notice: Option<String>,
) -> Result<Outcome, SessionError> {
    let (base_url, token, demo, _emulator) = match target {
        Target::Demo => {
            let token: String = rand::rng()
                .sample_iter(&Alphanumeric)
                .take(40)
                .map(char::from)
                .collect();
            // On a Unix socket in a private directory: no TCP port another user could reach.
            let emulator = emulator::start_on_socket(emulator::demo_config(token.clone()))
                .await
                .map_err(|err| SessionError::Demo(err.to_string()))?;
            let url = Url::parse("http://localhost").expect("a fixed URL parses");
            (url, SecretString::from(token), true, Some(emulator))
        }
        Target::Api { base_url, token } => (base_url, token, false, None),
    };

    let options = if let Some(emulator) = &_emulator {
        ClientOptions {
            base_url: base_url.as_str().to_owned(),
            unix_socket: Some(emulator.socket()),
            ..ClientOptions::default()
        }
    } else {
        crate::launch::client_options(settings)
            .map_err(|err| SessionError::Demo(err.to_string()))?
    };
    let grantable = crate::claims::grantable_scopes(&token);
    let client = ApiClient::new(options, token).map_err(SessionError::Client)?;
    let (request_tx, request_rx) = mpsc::unbounded_channel();
    let (reply_tx, reply_rx) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let worker = worker::spawn(client, request_rx, reply_tx, cancel.clone());

    let env = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    let recorded = ["TMUX", "STY", "SSH_CONNECTION", "SSH_TTY"]
        .iter()
        .any(|name| env(name).is_some());
    let context = AppContext {
        api_host: if demo {
            "local socket".to_owned()
        } else {
            display_host(&base_url)
        },
        demo,
        color: settings.look.color,
        session_tag: rand::rng()
            .sample_iter(&Alphanumeric)
            .take(12)
            .map(char::from)
            .collect(),
        grantable,
        sink: settings.sink.clone(),
        recorded,
        profile: ProfileInfo {
            name: settings.profile.clone(),
            band: settings.band,
            host_overridden: settings.base_url_overridden && !demo,
            access: settings.access,
            reveal: settings.reveal,
            prefix: crate::equivalent::CommandPrefix {
                profile: (settings.profile != crate::config::DEFAULT_PROFILE)
                    .then(|| settings.profile.clone()),
                base_url: (settings.base_url_overridden && !demo)
                    .then(|| base_url.as_str().trim_end_matches('/').to_owned()),
            },
        },
        user: crate::journal::os_user(),
        profiles: settings.profiles.clone(),
        ascii: settings.look.ascii,
        accessible: settings.look.accessible,
    };
    let journal = Journal::default_path().map(Journal::at);
    // The demo organisation starts fresh each time: its records are never offered again.
    let unresolved = match (&journal, demo) {
        (Some(journal), false) => journal.unresolved(&context.api_host).unwrap_or_else(|err| {
            tracing::warn!("could not read the creation journal: {err}");
            Vec::new()
        }),
        _ => Vec::new(),
    };
    let size = ratatui::crossterm::terminal::size().unwrap_or((80, 24));
    let mut app = App::new(context, size, Timestamp::now())
        .with_keymap(settings.keymap.clone())
        .with_unresolved(unresolved)
        .with_warning(notice);
    let (results_tx, results_rx) = mpsc::unbounded_channel();
    let executor = Executor {
        requests: request_tx,
        results: results_tx,
        journal,
        clipboard: clipboard::route_for(
            settings.clipboard,
            std::env::var_os("TMUX").as_deref(),
            std::env::var_os("TERM").as_deref(),
            std::env::var_os("STY").as_deref(),
        ),
        home: std::env::var_os("HOME").map(std::path::PathBuf::from),
    };

    let signals = Signals::register().map_err(SessionError::Terminal)?;
    let (mut tui, guard) = terminal::enter().map_err(SessionError::Terminal)?;
    let inbox = Inbox {
        replies: reply_rx,
        results: results_rx,
    };
    let outcome = runtime::run(&mut tui, &mut app, executor, inbox, signals).await;
    if matches!(outcome, Ok(Outcome::TerminalGone)) {
        terminal::mark_gone();
        // ratatui's `Terminal` shows the cursor when dropped, and reports a failure with
        // `eprintln!`, which panics on a closed stderr. The terminal is gone: write nothing.
        std::mem::forget(tui);
    } else {
        drop(tui);
    }
    drop(guard);
    // Stop the worker; in-flight requests are abandoned (the runtime is shut down without
    // waiting for them).
    cancel.cancel();
    worker.abort();
    outcome.map_err(SessionError::Terminal)
}
