//! The recovery of secrets never confirmed saved: the journal's open records of earlier runs
//! (offered once the list is loaded), the keys found after a lost answer, and what the
//! operator chooses for each (rotate, delete, keep).

use crate::api::{KeyId, RequestId};
use crate::journal::{Outcome, Unresolved};
use crate::keymap::{Command, Mode};

use super::confirm::{Confirm, Destructive};
use super::create::CLOCK_SLACK;
use super::notice::Severity;
use super::recovery::{Item, ItemState, Recovery};
use super::{App, Effect, Screen};

impl App {
    pub(super) fn mark_recovery(&mut self, key_id: &KeyId, state: ItemState) {
        if let Screen::Recovery(recovery) = &mut self.screen {
            recovery.set_state(key_id, state.clone());
        }
        if let Some(recovery) = self.parked_recovery.as_mut() {
            recovery.set_state(key_id, state);
        }
    }

    pub(super) fn push_recovery(&mut self, items: Vec<Item>, after_lost_answer: bool) {
        match &mut self.screen {
            Screen::Recovery(_) => {}
            _ => {
                if let Some(mut parked) = self.parked_recovery.take() {
                    parked.extend(items);
                    self.screen = Screen::Recovery(parked);
                } else {
                    self.screen =
                        Screen::Recovery(Box::new(Recovery::new(items, after_lost_answer)));
                }
            }
        }
    }

    pub(super) fn recovery_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let Screen::Recovery(recovery) = &mut self.screen else {
            return;
        };
        match command {
            Command::SelectNext => recovery.move_by(1),
            Command::SelectPrev => recovery.move_by(-1),
            Command::ToggleHelp => self.open_help(Mode::Recovery),
            Command::Quit => effects.push(Effect::Quit),
            Command::RotateKey | Command::DeleteKey | Command::KeepKey => {
                let Some(item) = recovery.selected_item().cloned() else {
                    return;
                };
                if matches!(item.state, ItemState::Working) || item.state.is_settled() {
                    return;
                }
                match command {
                    Command::KeepKey => {
                        recovery.set_state(&item.key_id, ItemState::Kept);
                        self.journal_outcome(&item.record, Outcome::Kept, effects);
                        self.leave_recovery_if_done();
                    }
                    Command::RotateKey => {
                        let confirm = Confirm::for_id(
                            Destructive::Rotate,
                            item.key_id,
                            item.name,
                            Some(item.record),
                        );
                        self.confirm = Some(self.guarded(confirm));
                    }
                    _ => {
                        let confirm = Confirm::for_id(
                            Destructive::Delete,
                            item.key_id,
                            item.name,
                            Some(item.record),
                        );
                        self.confirm = Some(self.guarded(confirm));
                    }
                }
            }
            _ => {}
        }
    }

    pub(super) fn leave_recovery_if_done(&mut self) {
        if let Screen::Recovery(recovery) = &self.screen
            && recovery.is_done()
        {
            self.screen = Screen::List;
            self.raise(
                Severity::Info,
                "Every key on the recovery screen is settled.",
            );
        }
    }

    pub(super) fn after_list(&mut self, list_request: RequestId, effects: &mut Vec<Effect>) {
        if let Some(lost) = self
            .lost_create
            .take_if(|lost| lost.list_request == list_request)
        {
            self.settle_lost_create(lost, effects);
        }
        if !self.startup_unresolved.is_empty() && matches!(self.screen, Screen::List) {
            let unresolved = std::mem::take(&mut self.startup_unresolved);
            let items = self.items_from_journal(unresolved);
            if !items.is_empty() {
                self.push_recovery(items, false);
            }
        }
    }

    /// Recovery items for start-up records: those with a key id directly, those without by
    /// name among the keys created after the intent (minus clock slack).
    pub(super) fn items_from_journal(&self, unresolved: Vec<Unresolved>) -> Vec<Item> {
        let mut items = Vec::new();
        for record in unresolved {
            let exists = |id: &KeyId| self.keys().iter().any(|k| &k.id == id);
            match (&record.key_id, record.op) {
                (Some(id), _) if exists(id) => items.push(Item {
                    record: record.record.clone(),
                    op: record.op,
                    key_id: id.clone(),
                    name: record.name.clone(),
                    at: record.at,
                    guessed: false,
                    state: ItemState::Open,
                }),
                (Some(_), _) => {} // the key is gone: nothing to recover
                (None, _) => items.extend(
                    self.keys()
                        .iter()
                        .filter(|k| {
                            k.name == record.name && k.created_at >= record.at - CLOCK_SLACK
                        })
                        .map(|k| Item {
                            record: record.record.clone(),
                            op: record.op,
                            key_id: k.id.clone(),
                            name: k.name.clone(),
                            at: record.at,
                            guessed: true,
                            state: ItemState::Open,
                        }),
                ),
            }
        }
        items
    }
}
