//! The model: `App` and the only place its state changes, `App::update`. No I/O, no clock
//! reads (the time arrives with every message), no channel sends: effects are returned and the
//! runtime executes them.

use std::time::Duration;

use jiff::Timestamp;
use ratatui::crossterm::event::KeyEvent;

use crate::api::{ApiReply, ApiRequest, RequestId};

/// Facts about the session the header shows.
#[derive(Debug, Clone)]
pub struct AppContext {
    /// Host of the API, e.g. `v1.api.altostrat.io` or `127.0.0.1:8787`.
    pub api_host: String,
    /// Talking to the in-process demo emulator.
    pub demo: bool,
    /// Use colours (false under `NO_COLOR`); the UI must stay usable without them.
    pub color: bool,
}

/// An input to the model.
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The timer asked for by `wake_after` fired.
    Tick,
    Api(ApiReply),
}

/// Work the runtime does for the model.
#[derive(Debug)]
pub enum Effect {
    Api(RequestId, ApiRequest),
    Quit,
}

pub struct App {
    _todo: (),
}

impl App {
    /// A new model for a terminal of `size` (columns, rows); `start` gives the first effects.
    pub fn new(_context: AppContext, _size: (u16, u16), _now: Timestamp) -> App {
        todo!()
    }

    /// The effects to run at start-up (the first list fetch).
    pub fn start(&mut self, _now: Timestamp) -> Vec<Effect> {
        todo!()
    }

    /// Applies one message at time `now`.
    pub fn update(&mut self, _now: Timestamp, _msg: Msg) -> Vec<Effect> {
        todo!()
    }

    /// How long the runtime may sleep before it must send `Msg::Tick`; `None` when nothing
    /// animates or ages on screen (idle means no wake-ups).
    pub fn wake_after(&self, _now: Timestamp) -> Option<Duration> {
        todo!()
    }
}
