//! The model: `App` and the only place its state changes, `App::update`. No I/O, no clock
//! reads (the time arrives with every message), no channel sends: effects are returned and the
//! runtime executes them.
//!
//! Keys are resolved to a [`Command`] by the [`Keymap`] for the current [`Mode`], then one
//! `match` per mode applies them. `App` grows by screens, not by fields: the list is the
//! ground, and the creation wizard (`wizard`, with the permission picker `multiselect`), the
//! one-time secret (`reveal`) and the recovery of unsaved secrets (`recovery`) each own their
//! state and their `update`; the confirmations (`confirm`) and the help sit over a screen.
//! The write actions each have a file (`create`, `rotate_delete`, the issued `secret`,
//! `recovering`), and `writes` keeps the one request in flight and the journal's rules. The list's parts live in small modules: the fetched list (`remote`), the view of
//! it (`list`), `filter`, `sort`, `notice`, the text fields (`field`) and the scroll state of
//! the text panels (`details`).

pub mod confirm;
mod create;
pub mod details;
pub mod field;
pub mod filter;
mod input;
mod key_list;
pub mod list;
pub mod multiselect;
pub mod notice;
mod profile;
mod recovering;
pub mod recovery;
pub mod remote;
pub mod reveal;
mod rotate_delete;
mod secret;
pub mod sort;
pub mod switch;
pub mod viewport;
pub mod wizard;
mod writes;

use std::time::Duration;

use jiff::Timestamp;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind};

use crate::api::{ApiKey, ApiReply, ApiRequest, KeyId, RequestId};
use crate::journal::{Entry, Unresolved};
use crate::keymap::{Keymap, Mode};
use crate::layout::{self, time};
use confirm::Confirm;
use create::LostCreate;
use details::{Help, Scroll};
use field::TextField;
use filter::Filter;
use list::ListView;
use notice::{Notice, Severity};
pub use profile::ProfileInfo;
use profile::for_profile;
use recovery::Recovery;
use remote::Remote;
use reveal::{Delivery, Reveal};
use sort::Sort;
use wizard::Wizard;
use writes::Pending;

/// Facts about the session: what the header shows, and what the screens need to know of the
/// world outside the model.
#[derive(Debug, Clone, Default)]
pub struct AppContext {
    /// Host of the API, e.g. `v1.api.altostrat.io` or `127.0.0.1:8787`.
    pub api_host: String,
    /// Talking to the in-process demo emulator.
    pub demo: bool,
    /// Use colours (false under `NO_COLOR`); the UI must stay usable without them.
    pub color: bool,
    /// A tag unique to this run, the first part of every journal record id.
    pub session_tag: String,
    /// The scopes the token's claims say the user may grant, when it is a JWT that says so.
    pub grantable: Option<Vec<String>>,
    /// The secret sink command template (`SDX_KEYS_SINK`), if any.
    pub sink: Option<String>,
    /// Inside tmux, screen or an SSH session: the screen may be recorded.
    pub recorded: bool,
    /// The profile in use.
    pub profile: ProfileInfo,
    /// The OS user, for the action journal.
    pub user: String,
    /// Every profile of the config file (`default` first), for switching.
    pub profiles: Vec<String>,
    /// No box-drawing characters.
    pub ascii: bool,
    /// The terminal cursor on the focused row, no animation.
    pub accessible: bool,
}

/// The screen on top (the list is always underneath).
pub enum Screen {
    List,
    Wizard(Box<Wizard>),
    Reveal(Box<Reveal>),
    Recovery(Box<Recovery>),
}

/// An input to the model.
// `ApiReply` is large, but a message is moved once; boxing it would change the runtime's API.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Paste(String),
    Resize(u16, u16),
    /// The timer asked for by `wake_after` fired.
    Tick,
    Api(ApiReply),
    /// The result of a delivery task: what happened, or why it did not.
    Delivered {
        task: RequestId,
        result: Result<String, String>,
    },
    /// A journal append failed (`reason` says why, in a sentence); `held_back` is the request
    /// of an `Effect::SendRecorded` that was therefore not sent.
    JournalFailed {
        reason: String,
        held_back: Option<RequestId>,
    },
}

/// Work the runtime does for the model.
#[derive(Debug)]
pub enum Effect {
    Api(RequestId, ApiRequest),
    /// Append a record to the creation journal (best effort: a failure comes back as
    /// `Msg::JournalFailed` and holds nothing back).
    Journal(Entry),
    /// Append `intent` to the journal, then send the request only if the record is on disk
    /// (create and rotate: no secret is issued that the journal cannot account for).
    SendRecorded {
        intent: Entry,
        id: RequestId,
        request: ApiRequest,
    },
    /// Deliver a secret; the result comes back as `Msg::Delivered` with this id.
    Deliver(RequestId, Delivery),
    /// Remove the secret from tmux's buffer list (the reveal screen was left).
    ForgetClipboard,
    /// End the session and start again with this profile (the user chose it and said yes).
    SwitchProfile(String),
    Quit,
}

/// Which part of the main screen has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Filter,
    Details,
}

/// How often the in-flight spinner advances.
pub const SPINNER_INTERVAL: Duration = Duration::from_millis(250);
/// A refresh asked for while a list request younger than this is in flight is not sent.
pub const REFRESH_COALESCE: Duration = Duration::from_secs(3);
const SPINNER_FRAMES: [char; 4] = ['|', '/', '-', '\\'];

pub struct App {
    context: AppContext,
    keymap: Keymap,
    size: (u16, u16),
    now: Timestamp,
    next_request: u64,
    keys: Remote<Vec<ApiKey>>,
    /// When the request in flight was sent (the spinner's phase).
    fetch_started: Option<Timestamp>,
    view: ListView,
    sort: Sort,
    filter: Filter,
    notice: Option<Notice>,
    focus: Focus,
    details: Scroll,
    help: Option<Help>,
    screen: Screen,
    confirm: Option<Confirm>,
    pending: Option<Pending>,
    lost_create: Option<LostCreate>,
    /// Journal records of earlier runs still open, offered once the list is loaded.
    startup_unresolved: Vec<Unresolved>,
    /// The recovery screen, while a rotate it asked for shows the new secret.
    parked_recovery: Option<Box<Recovery>>,
    /// The equivalent command of a create or rotate, shown once its secret screen is left.
    held_command: Option<String>,
    /// The profile picker (`P`), if open.
    switch: Option<switch::ProfileSwitch>,
    /// The key to select once the next list arrives (one just created).
    select_on_load: Option<KeyId>,
}

impl App {
    /// The same model showing `text` as a warning from the start, if any.
    pub fn with_warning(mut self, text: Option<String>) -> App {
        if let Some(text) = text {
            self.raise(Severity::Warning, text);
        }
        self
    }

    /// The same model with keys remapped (the config file's `[keys]`).
    pub fn with_keymap(mut self, keymap: Keymap) -> App {
        self.keymap = for_profile(keymap, &self.context.profile);
        self
    }

    /// A new model for a terminal of `size` (columns, rows); `start` gives the first effects.
    pub fn new(context: AppContext, size: (u16, u16), now: Timestamp) -> App {
        App {
            keymap: for_profile(Keymap::default(), &context.profile),
            context,
            size,
            now,
            next_request: 1,
            keys: Remote::Idle,
            fetch_started: None,
            view: ListView::default(),
            sort: Sort::default(),
            filter: Filter::default(),
            notice: None,
            focus: Focus::List,
            details: Scroll::default(),
            help: None,
            screen: Screen::List,
            confirm: None,
            pending: None,
            lost_create: None,
            startup_unresolved: Vec::new(),
            parked_recovery: None,
            held_command: None,
            switch: None,
            select_on_load: None,
        }
    }

    /// Journal records of earlier runs whose secret was never confirmed saved: once the list
    /// is loaded, the recovery screen offers them.
    pub fn with_unresolved(mut self, unresolved: Vec<Unresolved>) -> App {
        self.startup_unresolved = unresolved;
        self
    }

    /// The effects to run at start-up (the first list fetch).
    pub fn start(&mut self, now: Timestamp) -> Vec<Effect> {
        self.now = now;
        let mut effects = Vec::new();
        self.fetch(&mut effects);
        effects
    }

    /// Applies one message at time `now`.
    pub fn update(&mut self, now: Timestamp, msg: Msg) -> Vec<Effect> {
        self.now = now;
        if self.notice.as_ref().is_some_and(|n| n.is_expired(now)) {
            self.notice = None;
        }
        let mut effects = Vec::new();
        match msg {
            Msg::Key(key) => {
                if key.kind != KeyEventKind::Release {
                    self.on_key(&key, &mut effects);
                }
            }
            Msg::Paste(text) => self.on_text(&text),
            Msg::Resize(width, height) => self.size = (width, height),
            Msg::Tick => {}
            Msg::Api(reply) => {
                if let Some(reply) = self.on_write_reply(reply, &mut effects) {
                    self.on_reply(reply, &mut effects);
                }
            }
            Msg::Delivered { task, result } => self.on_delivered(task, result, &mut effects),
            Msg::JournalFailed { reason, held_back } => self.on_journal_failed(reason, held_back),
        }
        let page = self.picker_rows();
        if let Screen::Wizard(wizard) = &mut self.screen {
            wizard.fit(page);
        }
        let rows = self.list_rows();
        self.view.fit(rows);
        if self.focus == Focus::Details && self.selected_key().is_none() {
            self.focus = Focus::List; // the key went away (refresh or filter)
        }
        effects
    }

    /// How long the runtime may sleep before it must send `Msg::Tick`; `None` when nothing
    /// animates or ages on screen (idle means no wake-ups).
    pub fn wake_after(&self, now: Timestamp) -> Option<Duration> {
        if layout::too_small(self.size) {
            return None;
        }
        let mut wake: Option<Duration> = None;
        let mut consider = |d: Option<Duration>| {
            if let Some(d) = d {
                wake = Some(wake.map_or(d, |w| w.min(d)));
            }
        };
        if let (false, Some(started)) = (self.context.accessible, self.busy_since()) {
            let period = SPINNER_INTERVAL.as_millis() as i64;
            let elapsed = now.duration_since(started).as_millis().max(0) as i64;
            let left = period - elapsed % period;
            consider(Some(Duration::from_millis(left as u64)));
        }
        consider(self.notice.as_ref().and_then(|n| n.time_left(now)));
        let keys = self.keys();
        for &index in self.on_screen() {
            let key = &keys[index];
            consider(time::next_change(key.created_at, now));
            consider(key.last_used_at.and_then(|t| time::next_change(t, now)));
        }
        wake
    }

    // ----- reading the state (for `ui` and tests) -----

    pub fn context(&self) -> &AppContext {
        &self.context
    }

    pub fn keymap(&self) -> &Keymap {
        &self.keymap
    }

    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    /// The time of the last message (what relative times are measured against).
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The mode keys are resolved in.
    pub fn mode(&self) -> Mode {
        if layout::too_small(self.size) {
            Mode::TooSmall
        } else if self.help.is_some() {
            Mode::Help
        } else if let Some(confirm) = &self.confirm {
            confirm.mode()
        } else if let Some(switch) = &self.switch {
            switch.mode()
        } else {
            match &self.screen {
                Screen::Wizard(wizard) => return wizard.mode(),
                Screen::Reveal(reveal) => return reveal.mode(),
                Screen::Recovery(_) => return Mode::Recovery,
                Screen::List => {}
            }
            match self.focus {
                Focus::List => Mode::List,
                Focus::Filter => Mode::Filter,
                Focus::Details => Mode::Details,
            }
        }
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    /// A secret is on the reveal screen (possibly under the recovery or a too-small screen).
    pub fn holds_secret(&self) -> bool {
        matches!(self.screen, Screen::Reveal(_))
    }

    pub fn confirm(&self) -> Option<&Confirm> {
        self.confirm.as_ref()
    }

    /// The write request in flight, if any.
    pub fn pending(&self) -> Option<&Pending> {
        self.pending.as_ref()
    }

    /// Rows of the permission picker at the current size.
    pub fn picker_rows(&self) -> usize {
        layout::wizard::picker_rows(self.size, self.notice.as_ref().map(Notice::status))
    }

    pub fn focus(&self) -> Focus {
        self.focus
    }

    pub fn remote(&self) -> &Remote<Vec<ApiKey>> {
        &self.keys
    }

    /// The server's list in its order (empty until loaded).
    pub fn keys(&self) -> &[ApiKey] {
        self.keys.value().map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn view(&self) -> &ListView {
        &self.view
    }

    /// The keys shown, in display order.
    pub fn visible_keys(&self) -> impl Iterator<Item = &ApiKey> {
        let keys = self.keys();
        self.view.visible.iter().map(move |&i| &keys[i])
    }

    /// Server-list indices of the rows on screen.
    pub fn on_screen(&self) -> &[usize] {
        let visible = &self.view.visible;
        let start = self.view.offset().min(visible.len());
        let end = (start + self.list_rows()).min(visible.len());
        &visible[start..end]
    }

    pub fn selected_key(&self) -> Option<&ApiKey> {
        self.view.selected_key().map(|i| &self.keys()[i])
    }

    pub fn sort(&self) -> Sort {
        self.sort
    }

    pub fn filter_editor(&self) -> &TextField {
        &self.filter.editor
    }

    /// The filter in effect (trimmed; empty when none).
    /// The quick filters in force, in words (`unused`, `write/admin`).
    pub fn quick_filters(&self) -> Vec<&'static str> {
        self.filter.quick_label()
    }

    /// Any filter narrows the list (typed words or quick filters).
    pub fn filter_active(&self) -> bool {
        self.filter.is_active()
    }

    pub fn filter_query(&self) -> &str {
        self.filter.query()
    }

    pub fn notice(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    pub fn help(&self) -> Option<&Help> {
        self.help.as_ref()
    }

    pub fn details_scroll(&self) -> usize {
        self.details.pos
    }

    /// Whether the details are on screen (beside the list, or opened over it).
    pub fn details_shown(&self) -> bool {
        layout::is_wide(self.size) || self.focus == Focus::Details
    }

    /// The spinner character while a request is in flight.
    pub fn spinner(&self) -> Option<char> {
        if self.context.accessible {
            return None;
        }
        let started = self.busy_since()?;
        let elapsed = self.now.duration_since(started).as_millis().max(0) as u128;
        let frame = (elapsed / SPINNER_INTERVAL.as_millis()) as usize % SPINNER_FRAMES.len();
        Some(SPINNER_FRAMES[frame])
    }

    /// A request is in flight (the list, or a write).
    pub fn is_busy(&self) -> bool {
        self.busy_since().is_some()
    }

    /// Since when a request has been in flight (the list, or a write), if one is: the phase
    /// of the spinner.
    fn busy_since(&self) -> Option<Timestamp> {
        let list = self
            .keys
            .awaiting()
            .map(|_| self.fetch_started.unwrap_or(self.now));
        let write = self.pending.as_ref().map(|p| p.started);
        list.into_iter().chain(write).min()
    }

    /// Rows of keys the list shows at the current size.
    pub fn list_rows(&self) -> usize {
        if layout::too_small(self.size) {
            // No list is drawn: nothing to keep in view (and the viewport is left alone).
            return 0;
        }
        layout::list_rows(self.size, self.notice.as_ref().map(Notice::status))
    }

    // ----- changing the state (the list's part is in `key_list`) -----

    pub(super) fn raise(&mut self, severity: Severity, text: impl Into<String>) {
        self.notice = Some(Notice::new(severity, text, self.now));
    }
}
