//! The confirmations that stand before a destructive request: rotating a key (its current
//! secret stops working at once; `y` confirms) and deleting one (the operator types the key's
//! name, or its id for names that cannot be typed; Enter with an exact match confirms).
//! On a protected profile both ask for `PROFILE/KEYNAME` typed out instead.
//! Two-phase confirmation as data: nothing is sent until `command` says so.

use crate::api::{ApiKey, KeyId};
use crate::journal::RecordId;
use crate::keymap::{Command, Mode};

use super::field::TextField;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destructive {
    Rotate,
    Delete,
}

#[derive(Debug, Clone)]
pub struct Confirm {
    pub action: Destructive,
    pub key_id: KeyId,
    pub key_name: String,
    /// The unresolved journal record this acts on (from the recovery screen), if any.
    pub record: Option<RecordId>,
    typed: TextField,
    /// Enter was pressed with text that does not match.
    mismatch: bool,
    /// On a protected profile: the `PROFILE/KEYNAME` that must be typed.
    phrase: Option<String>,
}

/// What the confirmation asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfirmAction {
    Stay,
    Cancel,
    Proceed,
    Help(Mode),
}

impl Confirm {
    pub fn new(action: Destructive, key: &ApiKey, record: Option<RecordId>) -> Confirm {
        Confirm::for_id(action, key.id.clone(), key.name.clone(), record)
    }

    pub fn for_id(
        action: Destructive,
        key_id: KeyId,
        key_name: String,
        record: Option<RecordId>,
    ) -> Confirm {
        Confirm {
            action,
            key_id,
            key_name,
            record,
            typed: TextField::new(256),
            mismatch: false,
            phrase: None,
        }
    }

    /// The same question for a protected profile: `profile/name` must be typed.
    pub fn protected(mut self, profile: &str) -> Confirm {
        self.phrase = Some(format!("{profile}/{}", self.key_name));
        self
    }

    /// What a protected profile asks to type, if it is one.
    pub fn phrase(&self) -> Option<&str> {
        self.phrase.as_deref()
    }

    /// A text must be typed (a delete, or anything on a protected profile).
    fn typing(&self) -> bool {
        self.phrase.is_some() || self.action == Destructive::Delete
    }

    pub fn mode(&self) -> Mode {
        match (self.action, &self.phrase) {
            (_, Some(_)) => Mode::ConfirmProtected,
            (Destructive::Rotate, None) => Mode::ConfirmRotate,
            (Destructive::Delete, None) => Mode::ConfirmDelete,
        }
    }

    pub fn typed(&self) -> &TextField {
        &self.typed
    }

    pub fn mismatch(&self) -> bool {
        self.mismatch
    }

    /// The typed text names the key exactly (its name, or its id); on a protected profile,
    /// it is the phrase exactly.
    pub fn matches(&self) -> bool {
        let typed = self.typed.text();
        match &self.phrase {
            Some(phrase) => typed == phrase,
            None => !typed.is_empty() && (typed == self.key_name || typed == self.key_id.as_str()),
        }
    }

    pub fn type_text(&mut self, text: &str) {
        if self.typing() && self.typed.insert_str(text) {
            self.mismatch = false;
        }
    }

    pub fn command(&mut self, command: Command) -> ConfirmAction {
        if command == Command::ToggleHelp {
            return ConfirmAction::Help(self.mode());
        }
        match (self.typing(), command) {
            (_, Command::Back) => ConfirmAction::Cancel,
            (false, Command::Confirm) => ConfirmAction::Proceed,
            (true, Command::Submit) => {
                if self.matches() {
                    ConfirmAction::Proceed
                } else {
                    self.mismatch = true;
                    ConfirmAction::Stay
                }
            }
            (true, command) => {
                if self.typed.edit(command) == Some(true) {
                    self.mismatch = false;
                }
                ConfirmAction::Stay
            }
            _ => ConfirmAction::Stay,
        }
    }
}
