//! The reveal screen's state: the one-time secret of a created or rotated key, whether it is
//! shown or masked, the deliveries asked for and their results, and the acknowledgement gate.
//!
//! The gate: Enter leaves only after a delivery succeeded (a new file written, the sink
//! exited 0, or a clipboard copy the operator says was pasted). Esc, `q` and Ctrl-C, and Enter
//! without a delivery, ask the operator to type `discard`; only that word leaves with the
//! secret undelivered, and Esc at the question returns here unchanged.
//!
//! The profile's `reveal` setting limits the screen: `copy` never draws the secret whole
//! (it is sent to the clipboard at once), `sink-only` never draws it at all and offers no
//! clipboard.
//!
//! The secret lives in the [`IssuedSecret`] held here and nowhere else in the model; dropping
//! the `Reveal` (leaving the screen) zeroizes it. It is exposed only by the reveal rendering
//! and by the delivery writers the runtime runs.

use secrecy::SecretString;

use crate::api::{ApiKey, IssuedSecret, RequestId};
use crate::config::RevealPolicy;
use crate::journal::{Operation, Outcome, RecordId};
use crate::keymap::{Command, Mode};

use super::field::TextField;

/// The word that leaves the screen without a delivery.
pub const DISCARD_WORD: &str = "discard";

/// A way the secret is to leave the process, asked of the runtime.
#[derive(Debug)]
pub enum Delivery {
    /// A new file, mode 0600, at the path as typed (`~` is expanded by the writer).
    File { path: String, secret: SecretString },
    /// The sink command template, run with the secret on its stdin.
    Sink {
        command: String,
        key_id: String,
        key_name: String,
        secret: SecretString,
    },
    /// The terminal clipboard (tmux's buffer inside tmux, else OSC 52).
    Clipboard { secret: SecretString },
}

/// Which kind of delivery a task was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryKind {
    File,
    Sink,
    Clipboard,
}

impl DeliveryKind {
    fn outcome(self) -> Outcome {
        match self {
            DeliveryKind::File => Outcome::DeliveredFile,
            DeliveryKind::Sink => Outcome::DeliveredSink,
            DeliveryKind::Clipboard => Outcome::DeliveredClipboard,
        }
    }
}

/// A line of feedback on the reveal screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub ok: bool,
    pub text: String,
}

/// The prompt open on the reveal screen, if any.
#[derive(Debug, Clone)]
pub enum Prompt {
    Path(TextField),
    Discard(TextField),
}

/// What the app must do after a key on the reveal screen.
#[derive(Debug)]
pub enum RevealAction {
    Stay,
    /// Run this delivery as task `RequestId`.
    Deliver(RequestId, Delivery),
    /// Leave; the outcome goes to the journal.
    Leave(Outcome),
    Help(Mode),
}

pub struct Reveal {
    issued: IssuedSecret,
    op: Operation,
    record: RecordId,
    shown: bool,
    prompt: Option<Prompt>,
    /// The delivery that made leaving safe, if any.
    delivered: Option<DeliveryKind>,
    /// The clipboard was sent to; counts once the operator says it was pasted.
    clipboard_sent: bool,
    /// The delivery in flight: its task id and kind.
    busy: Option<(RequestId, DeliveryKind)>,
    reports: Vec<Report>,
    /// The sink command template, if one is configured.
    sink: Option<String>,
    /// The session may be recorded (tmux, screen, SSH): say so once.
    recorded: bool,
    /// The profile's `reveal`: whether the secret may be drawn, and how.
    policy: RevealPolicy,
}

impl Reveal {
    pub fn new(
        issued: IssuedSecret,
        op: Operation,
        record: RecordId,
        sink: Option<String>,
        recorded: bool,
        policy: RevealPolicy,
    ) -> Reveal {
        Reveal {
            issued,
            op,
            record,
            shown: false,
            prompt: None,
            delivered: None,
            clipboard_sent: false,
            busy: None,
            reports: Vec::new(),
            sink,
            recorded,
            policy,
        }
    }

    // ----- reading -----

    pub fn key(&self) -> &ApiKey {
        &self.issued.key
    }

    /// The secret, for the reveal rendering only (which exposes it when `is_shown`).
    pub fn secret(&self) -> &SecretString {
        &self.issued.secret
    }

    /// The API's own `data.message`, if it sent one.
    pub fn server_message(&self) -> Option<&str> {
        self.issued.message.as_deref()
    }

    pub fn op(&self) -> Operation {
        self.op
    }

    pub fn record(&self) -> &RecordId {
        &self.record
    }

    /// The whole secret is drawn (only ever with `reveal = "show"`).
    pub fn is_shown(&self) -> bool {
        self.shown && self.policy == RevealPolicy::Show
    }

    /// With `reveal = "sink-only"` not even the masked secret is drawn.
    pub fn is_drawn(&self) -> bool {
        self.policy != RevealPolicy::SinkOnly
    }

    pub fn policy(&self) -> RevealPolicy {
        self.policy
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    pub fn delivered(&self) -> Option<DeliveryKind> {
        self.delivered
    }

    pub fn clipboard_sent(&self) -> bool {
        self.clipboard_sent
    }

    pub fn busy(&self) -> Option<DeliveryKind> {
        self.busy.map(|(_, kind)| kind)
    }

    pub fn reports(&self) -> &[Report] {
        &self.reports
    }

    pub fn sink(&self) -> Option<&str> {
        self.sink.as_deref()
    }

    pub fn recorded(&self) -> bool {
        self.recorded
    }

    pub fn mode(&self) -> Mode {
        match self.prompt {
            Some(Prompt::Path(_)) => Mode::RevealPath,
            Some(Prompt::Discard(_)) => Mode::RevealDiscard,
            None => Mode::Reveal,
        }
    }

    // ----- changing -----

    fn report(&mut self, ok: bool, text: impl Into<String>) {
        self.reports.push(Report {
            ok,
            text: text.into(),
        });
        // The newest few are enough; the screen has room for them.
        if self.reports.len() > 3 {
            self.reports.remove(0);
        }
    }

    pub fn type_text(&mut self, text: &str) {
        match self.prompt.as_mut() {
            Some(Prompt::Path(field) | Prompt::Discard(field)) => {
                field.insert_str(text);
            }
            None => {}
        }
    }

    /// Applies a command of the current mode; `task` is the id a delivery would run under.
    pub fn command(&mut self, command: Command, task: RequestId) -> RevealAction {
        if command == Command::ToggleHelp {
            return RevealAction::Help(self.mode());
        }
        match self.prompt.take() {
            Some(Prompt::Path(field)) => self.path_command(field, command, task),
            Some(Prompt::Discard(field)) => self.discard_command(field, command),
            None => self.screen_command(command, task),
        }
    }

    fn screen_command(&mut self, command: Command, task: RequestId) -> RevealAction {
        match command {
            Command::ToggleSecret if self.policy != RevealPolicy::Show => self.report(
                false,
                "This profile never shows a secret whole; deliver it with a sink, a file or the \
                 clipboard.",
            ),
            Command::ToggleSecret => self.shown = !self.shown,
            Command::CopySecret if self.policy == RevealPolicy::SinkOnly => self.report(
                false,
                "This profile delivers secrets only to a sink or a new file, never the \
                 clipboard.",
            ),
            Command::WriteSecret => self.prompt = Some(Prompt::Path(TextField::new(4096))),
            Command::SinkSecret => return self.send_to_sink(task),
            Command::CopySecret => {
                return self.start(
                    task,
                    DeliveryKind::Clipboard,
                    Delivery::Clipboard {
                        secret: self.issued.secret.clone(),
                    },
                );
            }
            Command::ConfirmPasted => {
                if self.clipboard_sent {
                    self.delivered.get_or_insert(DeliveryKind::Clipboard);
                    self.report(true, "Noted: you pasted the secret from the clipboard.");
                } else {
                    self.report(
                        false,
                        "Nothing was sent to the clipboard yet: press c first.",
                    );
                }
            }
            Command::Submit => match self.delivered {
                Some(kind) => return RevealAction::Leave(kind.outcome()),
                None => self.ask_discard(),
            },
            Command::LeaveReveal => match self.delivered {
                Some(kind) => return RevealAction::Leave(kind.outcome()),
                None => self.ask_discard(),
            },
            _ => {}
        }
        RevealAction::Stay
    }

    fn ask_discard(&mut self) {
        self.prompt = Some(Prompt::Discard(TextField::new(32)));
    }

    fn send_to_sink(&mut self, task: RequestId) -> RevealAction {
        let Some(command) = self.sink.clone() else {
            self.report(
                false,
                "No sink is configured. Set the profile's sink (or SDX_KEYS_SINK) to a command \
                 that reads the secret on stdin, e.g. pass insert -m sdx/{id}, and start \
                 sdx-keys again; or write it to a file.",
            );
            return RevealAction::Stay;
        };
        let delivery = Delivery::Sink {
            command,
            key_id: self.issued.key.id.0.clone(),
            key_name: self.issued.key.name.clone(),
            secret: self.issued.secret.clone(),
        };
        self.start(task, DeliveryKind::Sink, delivery)
    }

    fn start(&mut self, task: RequestId, kind: DeliveryKind, delivery: Delivery) -> RevealAction {
        if self.busy.is_some() {
            self.report(false, "A delivery is still running; wait for its result.");
            return RevealAction::Stay;
        }
        self.busy = Some((task, kind));
        RevealAction::Deliver(task, delivery)
    }

    fn path_command(
        &mut self,
        mut field: TextField,
        command: Command,
        task: RequestId,
    ) -> RevealAction {
        if field.edit(command).is_some() {
            self.prompt = Some(Prompt::Path(field));
            return RevealAction::Stay;
        }
        match command {
            Command::Submit if field.text().trim().is_empty() => {
                self.prompt = Some(Prompt::Path(field));
                RevealAction::Stay
            }
            Command::Submit => {
                let delivery = Delivery::File {
                    path: field.text().trim().to_owned(),
                    secret: self.issued.secret.clone(),
                };
                self.start(task, DeliveryKind::File, delivery)
            }
            Command::Back => RevealAction::Stay,
            _ => {
                self.prompt = Some(Prompt::Path(field));
                RevealAction::Stay
            }
        }
    }

    fn discard_command(&mut self, mut field: TextField, command: Command) -> RevealAction {
        if field.edit(command).is_some() {
            self.prompt = Some(Prompt::Discard(field));
            return RevealAction::Stay;
        }
        match command {
            Command::Submit if field.text().trim() == DISCARD_WORD => {
                RevealAction::Leave(Outcome::Discarded)
            }
            Command::Back => RevealAction::Stay,
            _ => {
                self.prompt = Some(Prompt::Discard(field));
                RevealAction::Stay
            }
        }
    }

    /// The result of delivery task `task`: `Ok` with what happened, or `Err` with why not.
    /// Returns the kind when it made leaving safe (for the journal).
    pub fn delivered_result(
        &mut self,
        task: RequestId,
        result: Result<String, String>,
    ) -> Option<DeliveryKind> {
        let (id, kind) = self.busy?;
        if id != task {
            return None;
        }
        self.busy = None;
        match result {
            Ok(text) => {
                self.report(true, text);
                if kind == DeliveryKind::Clipboard {
                    self.clipboard_sent = true;
                    None
                } else {
                    self.delivered = Some(kind);
                    Some(kind)
                }
            }
            Err(text) => {
                self.report(false, text);
                None
            }
        }
    }
}
