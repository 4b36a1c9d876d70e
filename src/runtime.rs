//! The event loop. It holds no logic: it turns terminal events, API replies, delivery
//! results, signals and the model's own timer into `Msg`s, feeds them to `App::update`, has
//! the returned `Effect`s carried out (`effects::Executor`), and redraws. It sleeps until something happens: a timer exists only while the
//! model asks for one (`App::wake_after`), so an idle screen causes no wake-ups at all.

use std::time::Duration;

use futures_util::StreamExt;
use jiff::Timestamp;
use ratatui::crossterm::event::{
    Event, EventStream, KeyCode, KeyEvent, KeyEventKind, KeyModifiers,
};
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

use crate::api::ApiReply;
use crate::app::{App, Effect, Msg};
use crate::effects::Executor;
use crate::terminal::Tui;
use crate::ui;

/// Why the loop ended.
#[derive(Debug)]
pub enum Outcome {
    /// The user quit.
    Quit,
    /// SIGINT from outside (Ctrl-C itself arrives as a key in raw mode).
    Interrupted,
    /// SIGTERM.
    Terminated,
    /// SIGHUP, or reading the terminal failed or ended: the terminal is gone.
    TerminalGone,
    /// Drawing failed for another reason.
    DrawFailed(std::io::Error),
    /// The user chose another profile: start again with it.
    SwitchProfile(String),
}

/// What the loop reads besides the terminal: the API worker's replies and the results of
/// tasks the executor started.
pub struct Inbox {
    pub replies: mpsc::UnboundedReceiver<ApiReply>,
    pub results: mpsc::UnboundedReceiver<Msg>,
}

/// The signals the loop answers. Registered before the terminal is touched, so that a
/// signal arriving at any moment of the session finds the handler (and the restore).
pub struct Signals {
    interrupt: Signal,
    terminate: Signal,
    hangup: Signal,
}

impl Signals {
    pub fn register() -> std::io::Result<Signals> {
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
        })
    }
}

/// Runs the loop until the user quits, a signal arrives or the terminal goes away.
pub async fn run(
    tui: &mut Tui,
    app: &mut App,
    executor: Executor,
    mut inbox: Inbox,
    signals: Signals,
) -> std::io::Result<Outcome> {
    let Signals {
        mut interrupt,
        mut terminate,
        mut hangup,
    } = signals;
    let mut events = EventStream::new();

    let effects = app.start(Timestamp::now());
    if let Some(end) = execute(&executor, effects, tui, app) {
        return Ok(end);
    }
    if let Err(err) = tui.draw(|frame| ui::render(frame, app)) {
        return Ok(draw_failure(err));
    }

    loop {
        let wake = app.wake_after(Timestamp::now());
        let msgs = tokio::select! {
            event = events.next() => match event {
                Some(Ok(event)) => to_msgs(event),
                // A read error or the end of input: the pty is gone (even when a parent
                // ignored SIGHUP for us). Never retry, which would spin.
                Some(Err(_)) | None => return Ok(Outcome::TerminalGone),
            },
            Some(reply) = inbox.replies.recv() => vec![Msg::Api(reply)],
            Some(result) = inbox.results.recv() => vec![result],
            () = sleep_for(wake) => vec![Msg::Tick],
            _ = interrupt.recv() => return Ok(Outcome::Interrupted),
            _ = terminate.recv() => return Ok(Outcome::Terminated),
            _ = hangup.recv() => return Ok(Outcome::TerminalGone),
        };
        if msgs.is_empty() {
            continue;
        }
        for msg in msgs {
            let effects = app.update(Timestamp::now(), msg);
            if let Some(end) = execute(&executor, effects, tui, app) {
                return Ok(end);
            }
        }
        if let Err(err) = tui.draw(|frame| ui::render(frame, app)) {
            return Ok(draw_failure(err));
        }
    }
}

/// Turns a terminal event into the messages it means (none, one, or two).
///
/// sdx-keys binds no Alt chords, and an Esc typed just before another key often reaches us in
/// the same read (over SSH, in tmux), where it is indistinguishable from Alt+key. Such a chord
/// is therefore taken as what the operator typed: Esc, then the key.
fn to_msgs(event: Event) -> Vec<Msg> {
    match event {
        Event::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
        Event::Key(key) if key.modifiers == KeyModifiers::ALT => {
            let escape = KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE);
            let plain = KeyEvent::new(key.code, KeyModifiers::NONE);
            vec![Msg::Key(escape), Msg::Key(plain)]
        }
        Event::Key(key) => vec![Msg::Key(key)],
        Event::Paste(text) => vec![Msg::Paste(text)],
        Event::Resize(columns, rows) => vec![Msg::Resize(columns, rows)],
        _ => Vec::new(),
    }
}

/// Carries out effects, feeding journal failures back to the model at once (and running
/// what it answers); true when the model asked to quit.
/// Runs effects (and the effects of the messages they produce); `Some` when the session ends.
fn execute(
    executor: &Executor,
    effects: Vec<Effect>,
    tui: &mut Tui,
    app: &mut App,
) -> Option<Outcome> {
    let mut effects = effects;
    loop {
        let done = executor.run(effects, tui.backend_mut().writer_mut());
        if done.quit {
            return Some(Outcome::Quit);
        }
        if let Some(profile) = done.switch {
            return Some(Outcome::SwitchProfile(profile));
        }
        if done.messages.is_empty() {
            return None;
        }
        effects = Vec::new();
        for msg in done.messages {
            effects.extend(app.update(Timestamp::now(), msg));
        }
    }
}

async fn sleep_for(wake: Option<Duration>) {
    match wake {
        Some(duration) => tokio::time::sleep(duration).await,
        None => std::future::pending().await,
    }
}

/// A write to a closed pty fails with EIO (or EPIPE): that is a hang-up, not a bug.
fn draw_failure(err: std::io::Error) -> Outcome {
    use std::io::ErrorKind;
    let gone = matches!(
        err.kind(),
        ErrorKind::BrokenPipe | ErrorKind::ConnectionReset | ErrorKind::UnexpectedEof
    ) || err.raw_os_error() == Some(5); // EIO
    if gone {
        Outcome::TerminalGone
    } else {
        Outcome::DrawFailed(err)
    }
}
