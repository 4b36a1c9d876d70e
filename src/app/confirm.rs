//! The confirmations that stand before a destructive request: rotating a key (its current
//! secret stops working at once; `y` confirms) and deleting one (the operator types the key's
//! name, or its id for names that cannot be typed; Enter with an exact match confirms).
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
        }
    }

    pub fn mode(&self) -> Mode {
        match self.action {
            Destructive::Rotate => Mode::ConfirmRotate,
            Destructive::Delete => Mode::ConfirmDelete,
        }
    }

    pub fn typed(&self) -> &TextField {
        &self.typed
    }

    pub fn mismatch(&self) -> bool {
        self.mismatch
    }

    /// The typed text names the key exactly (its name, or its id).
    pub fn matches(&self) -> bool {
        let typed = self.typed.text();
        !typed.is_empty() && (typed == self.key_name || typed == self.key_id.as_str())
    }

    pub fn type_text(&mut self, text: &str) {
        if self.action == Destructive::Delete && self.typed.insert_str(text) {
            self.mismatch = false;
        }
    }

    pub fn command(&mut self, command: Command) -> ConfirmAction {
        if command == Command::ToggleHelp {
            return ConfirmAction::Help(self.mode());
        }
        match (self.action, command) {
            (_, Command::Back) => ConfirmAction::Cancel,
            (Destructive::Rotate, Command::Confirm) => ConfirmAction::Proceed,
            (Destructive::Delete, Command::Submit) => {
                if self.matches() {
                    ConfirmAction::Proceed
                } else {
                    self.mismatch = true;
                    ConfirmAction::Stay
                }
            }
            (Destructive::Delete, command) => {
                if self.typed.edit(command) == Some(true) {
                    self.mismatch = false;
                }
                ConfirmAction::Stay
            }
            _ => ConfirmAction::Stay,
        }
    }
}
