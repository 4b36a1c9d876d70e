//! The write actions and their bookkeeping: create (from the wizard), rotate and delete
//! (behind their confirmations), the journal records around every secret the API issues,
//! the reveal screen's deliveries, and the recovery of secrets never confirmed saved.
//!
//! One write is in flight at a time ([`Pending`]). Before a create or rotate request the
//! journal's intent record is asked for in the same batch of effects, ahead of the request:
//! the runtime runs no later effect of a batch whose journal write failed, and answers with
//! `Msg::JournalFailed`, so no secret is ever issued that the journal could not account for.
//!
//! A create whose answer was lost (a timeout or a broken connection after sending) is never
//! sent again: the list is fetched, and the keys with the intended name that were not in the
//! list held before sending are offered on the recovery screen.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};

use crate::api::{
    ApiError, ApiReply, ApiRequest, ApiResponse, IssuedSecret, KeyId, NewKey, RequestId,
};
use crate::catalogue::Catalogue;
use crate::journal::{self, Entry, Operation, Outcome, RecordId, Unresolved};
use crate::keymap::{Command, Mode};

use super::confirm::{Confirm, ConfirmAction, Destructive};
use super::notice::Severity;
use super::recovery::{Item, ItemState, Recovery};
use super::reveal::{Reveal, RevealAction};
use super::wizard::{Wizard, WizardAction};
use super::{App, Effect, Screen};

/// How far before the intent a key's `created_at` may lie and still be a candidate for a
/// create whose answer was lost (whole seconds and clock drift).
const CLOCK_SLACK: SignedDuration = SignedDuration::from_secs(120);

/// The write request in flight.
#[derive(Debug)]
pub struct Pending {
    pub request: RequestId,
    pub kind: PendingKind,
}

#[derive(Debug)]
pub enum PendingKind {
    Create {
        record: RecordId,
        new_key: NewKey,
        sent_at: Timestamp,
        /// Ids of the list held when it was sent (`None`: no list was loaded).
        known_ids: Option<HashSet<KeyId>>,
    },
    Rotate {
        record: RecordId,
        key_id: KeyId,
        name: String,
        /// The unresolved record this rotate settles (from the recovery screen).
        settles: Option<RecordId>,
    },
    Delete {
        key_id: KeyId,
        name: String,
        settles: Option<RecordId>,
    },
}

/// A create whose answer was lost, waiting for the list that tells what happened.
#[derive(Debug)]
pub struct LostCreate {
    pub list_request: RequestId,
    pub record: RecordId,
    pub name: String,
    pub sent_at: Timestamp,
    pub known_ids: Option<HashSet<KeyId>>,
}

impl App {
    pub(super) fn new_request_id(&mut self) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        id
    }

    fn record_id(&self, request: RequestId) -> RecordId {
        journal::new_record_id(&self.context.session_tag, request.0)
    }

    fn busy_writing(&mut self) -> bool {
        if let Some(pending) = &self.pending {
            let what = match pending.kind {
                PendingKind::Create { .. } => "create",
                PendingKind::Rotate { .. } => "rotate",
                PendingKind::Delete { .. } => "delete",
            };
            self.raise(
                Severity::Warning,
                format!("A {what} is still on its way; wait for its answer first."),
            );
            true
        } else {
            false
        }
    }

    // ----- the wizard -----

    /// `n` (fresh) or `c` (a copy of the selected key).
    pub(super) fn open_wizard(&mut self, clone: bool) {
        let (name, scopes) = match (clone, self.selected_key()) {
            (true, Some(key)) => (
                format!("{} (copy)", key.name),
                key.permissions.iter().map(|s| s.to_string()).collect(),
            ),
            (true, None) => return,
            (false, _) => (String::new(), Vec::new()),
        };
        let mut seen: Vec<&str> = Vec::new();
        let mut unique = HashSet::new();
        for key in self.keys() {
            for scope in &key.permissions {
                if unique.insert(scope.as_ref()) {
                    seen.push(scope.as_ref());
                }
            }
        }
        let wizard = Wizard::new(
            Catalogue::builtin(),
            self.context.grantable.as_deref(),
            &seen,
            &name,
            &scopes,
        );
        self.screen = Screen::Wizard(Box::new(wizard));
    }

    pub(super) fn wizard_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let page = self.picker_rows();
        let Screen::Wizard(wizard) = &mut self.screen else {
            return;
        };
        match wizard.command(command, page) {
            WizardAction::Stay => {}
            WizardAction::Close => self.screen = Screen::List,
            WizardAction::Quit => effects.push(Effect::Quit),
            WizardAction::Help(mode) => self.open_help(mode),
            WizardAction::Submit(new_key) => self.submit_create(new_key, effects),
        }
    }

    fn submit_create(&mut self, new_key: NewKey, effects: &mut Vec<Effect>) {
        if self.busy_writing() {
            return;
        }
        let request = self.new_request_id();
        let record = self.record_id(request);
        effects.push(Effect::Journal(Entry::Intent {
            record: record.clone(),
            op: Operation::Create,
            api_host: self.context.api_host.clone(),
            demo: self.context.demo,
            name: new_key.name().to_owned(),
            scopes: new_key.permissions().to_vec(),
            key_id: None,
            at: self.now,
        }));
        effects.push(Effect::Api(request, ApiRequest::CreateKey(new_key.clone())));
        let known_ids = self
            .keys
            .value()
            .map(|keys| keys.iter().map(|k| k.id.clone()).collect());
        self.pending = Some(Pending {
            request,
            kind: PendingKind::Create {
                record,
                new_key,
                sent_at: self.now,
                known_ids,
            },
        });
        if let Screen::Wizard(wizard) = &mut self.screen {
            wizard.submitted(request);
        }
    }

    // ----- rotate and delete -----

    pub(super) fn ask(&mut self, action: Destructive) {
        if let Some(key) = self.selected_key() {
            self.confirm = Some(Confirm::new(action, key, None));
        }
    }

    pub(super) fn confirm_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let Some(confirm) = self.confirm.as_mut() else {
            return;
        };
        match confirm.command(command) {
            ConfirmAction::Stay => {}
            ConfirmAction::Cancel => self.confirm = None,
            ConfirmAction::Help(mode) => self.open_help(mode),
            ConfirmAction::Proceed => {
                if self.busy_writing() {
                    self.confirm = None;
                    return;
                }
                let Some(confirm) = self.confirm.take() else {
                    return;
                };
                match confirm.action {
                    Destructive::Rotate => self.send_rotate(confirm, effects),
                    Destructive::Delete => self.send_delete(confirm, effects),
                }
            }
        }
    }

    fn send_rotate(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        let request = self.new_request_id();
        let record = self.record_id(request);
        let scopes = self
            .keys()
            .iter()
            .find(|k| k.id == confirm.key_id)
            .map(|k| k.permissions.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        effects.push(Effect::Journal(Entry::Intent {
            record: record.clone(),
            op: Operation::Rotate,
            api_host: self.context.api_host.clone(),
            demo: self.context.demo,
            name: confirm.key_name.clone(),
            scopes,
            key_id: Some(confirm.key_id.clone()),
            at: self.now,
        }));
        effects.push(Effect::Api(
            request,
            ApiRequest::RotateKey(confirm.key_id.clone()),
        ));
        self.mark_recovery(&confirm.key_id, ItemState::Working);
        self.raise(Severity::Info, format!("Rotating {} ...", confirm.key_name));
        self.pending = Some(Pending {
            request,
            kind: PendingKind::Rotate {
                record,
                key_id: confirm.key_id,
                name: confirm.key_name,
                settles: confirm.record,
            },
        });
    }

    fn send_delete(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        let request = self.new_request_id();
        effects.push(Effect::Api(
            request,
            ApiRequest::DeleteKey(confirm.key_id.clone()),
        ));
        self.mark_recovery(&confirm.key_id, ItemState::Working);
        self.raise(Severity::Info, format!("Deleting {} ...", confirm.key_name));
        self.pending = Some(Pending {
            request,
            kind: PendingKind::Delete {
                key_id: confirm.key_id,
                name: confirm.key_name,
                settles: confirm.record,
            },
        });
    }

    fn mark_recovery(&mut self, key_id: &KeyId, state: ItemState) {
        if let Screen::Recovery(recovery) = &mut self.screen {
            recovery.set_state(key_id, state.clone());
        }
        if let Some(recovery) = self.parked_recovery.as_mut() {
            recovery.set_state(key_id, state);
        }
    }

    // ----- replies to writes -----

    /// Takes a reply if it answers the write in flight; gives it back when it is not one.
    pub(super) fn on_write_reply(
        &mut self,
        reply: ApiReply,
        effects: &mut Vec<Effect>,
    ) -> Option<ApiReply> {
        match &self.pending {
            Some(pending) if pending.request == reply.id => {}
            _ => return Some(reply),
        }
        let Some(pending) = self.pending.take() else {
            return Some(reply);
        };
        match (pending.kind, reply.result) {
            (PendingKind::Create { record, .. }, Ok(ApiResponse::Secret(issued))) => {
                self.issued(record, Operation::Create, None, issued, effects);
            }
            (
                PendingKind::Create {
                    record,
                    new_key,
                    sent_at,
                    known_ids,
                },
                Err(error),
            ) if is_lost_answer(&error) => {
                let list_request = self.fetch(effects);
                self.lost_create = Some(LostCreate {
                    list_request,
                    record,
                    name: new_key.name().to_owned(),
                    sent_at,
                    known_ids,
                });
                self.raise(
                    Severity::Warning,
                    "The create request got no answer; checking the list for the key before \
                     anything is sent again.",
                );
            }
            (PendingKind::Create { record, .. }, result) => {
                let error = into_error(result);
                self.journal_outcome(&record, Outcome::NotCreated, effects);
                if let Screen::Wizard(wizard) = &mut self.screen {
                    wizard.failed(&error);
                } else {
                    self.raise(
                        Severity::Error,
                        format!("Create failed: {}", error.user_message()),
                    );
                }
            }
            (
                PendingKind::Rotate {
                    record,
                    key_id,
                    settles,
                    ..
                },
                Ok(ApiResponse::Secret(issued)),
            ) => {
                self.mark_recovery(&key_id, ItemState::Rotated);
                self.issued(record, Operation::Rotate, settles, issued, effects);
            }
            (
                PendingKind::Rotate {
                    record,
                    key_id,
                    name,
                    ..
                },
                result,
            ) => {
                let error = into_error(result);
                if is_lost_answer(&error) {
                    // The old secret may already be dead: leave the intent open, so the next
                    // start (or the recovery screen now) offers the rotate again.
                    self.mark_recovery(&key_id, ItemState::Failed(error.user_message()));
                    self.offer_lost_rotate(record, key_id, name);
                } else {
                    self.journal_outcome(&record, Outcome::NotCreated, effects);
                    self.mark_recovery(&key_id, ItemState::Failed(error.user_message()));
                    self.raise(
                        Severity::Error,
                        format!("Rotating {name} failed: {}", error.user_message()),
                    );
                    if matches!(error, ApiError::NotFound { .. }) {
                        self.fetch(effects);
                    }
                }
            }
            (
                PendingKind::Delete {
                    key_id,
                    name,
                    settles,
                },
                result,
            ) => {
                let gone = match into_error_or_ok(result) {
                    Ok(()) => {
                        self.raise(Severity::Info, format!("Deleted {name}."));
                        true
                    }
                    Err(ApiError::NotFound { .. }) => {
                        self.raise(
                            Severity::Warning,
                            format!("{name} was already gone (deleted elsewhere); the list is refreshed."),
                        );
                        true
                    }
                    Err(error) => {
                        self.mark_recovery(&key_id, ItemState::Failed(error.user_message()));
                        self.raise(
                            Severity::Error,
                            format!("Deleting {name} failed: {}", error.user_message()),
                        );
                        false
                    }
                };
                if gone {
                    if let Some(record) = settles {
                        self.journal_outcome(&record, Outcome::Deleted, effects);
                    }
                    self.mark_recovery(&key_id, ItemState::Deleted);
                    self.remove_key(&key_id);
                    self.fetch(effects);
                    self.leave_recovery_if_done();
                }
            }
        }
        None
    }

    fn offer_lost_rotate(&mut self, record: RecordId, key_id: KeyId, name: String) {
        self.raise(
            Severity::Error,
            format!(
                "The rotate of {name} got no answer: its old secret may already be dead. Rotate \
                 it again from the recovery screen."
            ),
        );
        let item = Item {
            record,
            op: Operation::Rotate,
            key_id,
            name,
            at: self.now,
            guessed: false,
            state: ItemState::Open,
        };
        self.push_recovery(vec![item], true);
    }

    fn push_recovery(&mut self, items: Vec<Item>, after_lost_answer: bool) {
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

    fn remove_key(&mut self, key_id: &KeyId) {
        if let Some(keys) = self.keys.value_mut() {
            keys.retain(|k| &k.id != key_id);
            self.view.set_preferred(None);
            self.resort();
        }
    }

    /// A secret arrived: record it, then show the reveal screen.
    fn issued(
        &mut self,
        record: RecordId,
        op: Operation,
        settles: Option<RecordId>,
        issued: IssuedSecret,
        effects: &mut Vec<Effect>,
    ) {
        effects.push(Effect::Journal(Entry::Created {
            record: record.clone(),
            key_id: issued.key.id.clone(),
            name: issued.key.name.clone(),
            at: self.now,
        }));
        if let Some(old) = settles {
            self.journal_outcome(&old, Outcome::Rotated, effects);
        }
        self.notice = None;
        if let Screen::Recovery(recovery) = std::mem::replace(&mut self.screen, Screen::List) {
            self.parked_recovery = Some(recovery);
        }
        let reveal = Reveal::new(
            issued,
            op,
            record,
            self.context.sink.clone(),
            self.context.recorded,
        );
        self.screen = Screen::Reveal(Box::new(reveal));
        self.fetch(effects);
    }

    fn journal_outcome(&self, record: &RecordId, outcome: Outcome, effects: &mut Vec<Effect>) {
        effects.push(Effect::Journal(Entry::Outcome {
            record: record.clone(),
            outcome,
            at: self.now,
        }));
    }

    // ----- the reveal screen -----

    pub(super) fn reveal_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let task = RequestId(self.next_request);
        let Screen::Reveal(reveal) = &mut self.screen else {
            return;
        };
        match reveal.command(command, task) {
            RevealAction::Stay => {}
            RevealAction::Help(mode) => self.open_help(mode),
            RevealAction::Deliver(task, delivery) => {
                self.next_request += 1;
                effects.push(Effect::Deliver(task, delivery));
            }
            RevealAction::Leave(outcome) => {
                let record = reveal.record().clone();
                let used_clipboard = reveal.clipboard_sent();
                // A file or sink delivery was recorded when it succeeded (so a drop after it
                // loses nothing); the clipboard counts only now, and so does a discard.
                if matches!(outcome, Outcome::Discarded | Outcome::DeliveredClipboard) {
                    self.journal_outcome(&record, outcome, effects);
                }
                if used_clipboard {
                    effects.push(Effect::ForgetClipboard);
                }
                // Dropping the reveal state zeroizes the secret.
                self.screen = match self.parked_recovery.take() {
                    Some(recovery) if !recovery.is_done() => Screen::Recovery(recovery),
                    _ => Screen::List,
                };
                if outcome == Outcome::Discarded {
                    self.raise(Severity::Warning, "The secret was discarded; nobody holds it. Rotate the key to get a new one.");
                }
            }
        }
    }

    pub(super) fn on_delivered(
        &mut self,
        task: RequestId,
        result: Result<String, String>,
        effects: &mut Vec<Effect>,
    ) {
        let Screen::Reveal(reveal) = &mut self.screen else {
            return;
        };
        if let Some(kind) = reveal.delivered_result(task, result) {
            let record = reveal.record().clone();
            let outcome = match kind {
                super::reveal::DeliveryKind::File => Outcome::DeliveredFile,
                super::reveal::DeliveryKind::Sink => Outcome::DeliveredSink,
                super::reveal::DeliveryKind::Clipboard => Outcome::DeliveredClipboard,
            };
            self.journal_outcome(&record, outcome, effects);
        }
    }

    /// A journal write failed; the effects after it in its batch were not run.
    pub(super) fn on_journal_failed(&mut self, reason: String) {
        let blocked = match &self.pending {
            Some(Pending {
                kind: PendingKind::Create { .. } | PendingKind::Rotate { .. },
                ..
            }) => self.pending.take(),
            _ => None,
        };
        let text = format!(
            "{reason} Nothing was sent: without the journal a lost connection could leave a key \
             whose secret nobody holds."
        );
        match blocked {
            Some(Pending {
                kind: PendingKind::Create { .. },
                ..
            }) => {
                if let Screen::Wizard(wizard) = &mut self.screen {
                    wizard.blocked(text);
                } else {
                    self.raise(Severity::Error, text);
                }
            }
            Some(Pending {
                kind: PendingKind::Rotate { key_id, .. },
                ..
            }) => {
                self.mark_recovery(&key_id, ItemState::Open);
                self.raise(Severity::Error, text);
            }
            _ => self.raise(
                Severity::Warning,
                format!("{reason} The key itself is fine; only its journal record is missing."),
            ),
        }
    }

    // ----- recovery -----

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
                        self.confirm = Some(Confirm::for_id(
                            Destructive::Rotate,
                            item.key_id,
                            item.name,
                            Some(item.record),
                        ));
                    }
                    _ => {
                        self.confirm = Some(Confirm::for_id(
                            Destructive::Delete,
                            item.key_id,
                            item.name,
                            Some(item.record),
                        ));
                    }
                }
            }
            _ => {}
        }
    }

    fn leave_recovery_if_done(&mut self) {
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

    /// A list arrived: settle a lost create, or offer the start-up journal's open records.
    /// The list asked for after a lost create failed too: nothing can be settled now.
    pub(super) fn list_failed(&mut self, list_request: RequestId, error: &ApiError) {
        if let Some(lost) = self
            .lost_create
            .take_if(|lost| lost.list_request == list_request)
        {
            let text = format!(
                "The create request for {} got no answer, and the list could not be fetched to                  check whether the key exists ({}). Check the list before trying again; the                  next start offers the key if it was created.",
                lost.name,
                error.user_message()
            );
            if let Screen::Wizard(wizard) = &mut self.screen {
                wizard.blocked(text);
            } else {
                self.raise(Severity::Error, text);
            }
        }
    }

    pub(super) fn after_list(&mut self, list_request: RequestId) {
        if let Some(lost) = self
            .lost_create
            .take_if(|lost| lost.list_request == list_request)
        {
            self.settle_lost_create(lost);
        }
        if !self.startup_unresolved.is_empty() && matches!(self.screen, Screen::List) {
            let unresolved = std::mem::take(&mut self.startup_unresolved);
            let items = self.items_from_journal(unresolved);
            if !items.is_empty() {
                self.push_recovery(items, false);
            }
        }
    }

    fn settle_lost_create(&mut self, lost: LostCreate) {
        let candidates: Vec<Item> = self
            .keys()
            .iter()
            .filter(|key| key.name == lost.name)
            .filter(|key| match &lost.known_ids {
                Some(known) => !known.contains(&key.id),
                None => key.created_at >= lost.sent_at - CLOCK_SLACK,
            })
            .map(|key| Item {
                record: lost.record.clone(),
                op: Operation::Create,
                key_id: key.id.clone(),
                name: key.name.clone(),
                at: lost.sent_at,
                guessed: true,
                state: ItemState::Open,
            })
            .collect();
        if candidates.is_empty() {
            let text = format!(
                "The create request got no answer, and no new key named {} is in the list: it \
                 was not created. Press Enter to try again.",
                lost.name
            );
            if let Screen::Wizard(wizard) = &mut self.screen {
                wizard.blocked(text);
            } else {
                self.raise(Severity::Warning, text);
            }
            // Leave the journal's intent open: a later list may still show the key.
            return;
        }
        self.raise(
            Severity::Warning,
            "The create request got no answer, but the key was created: its secret is lost. \
             Rotate it to get a new secret, or delete it.",
        );
        self.push_recovery(candidates, true);
    }

    /// Recovery items for start-up records: those with a key id directly, those without by
    /// name among the keys created after the intent (minus clock slack).
    fn items_from_journal(&self, unresolved: Vec<Unresolved>) -> Vec<Item> {
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

/// The request was sent and no answer came: it may or may not have been carried out.
/// A connection that was never made (`could not connect`, our own wording in `api::http`)
/// carried no request, so that one is not lost.
fn is_lost_answer(error: &ApiError) -> bool {
    match error {
        ApiError::Timeout => true,
        ApiError::Network { detail } => !detail.starts_with("could not connect"),
        _ => false,
    }
}

fn into_error(result: Result<ApiResponse, ApiError>) -> ApiError {
    match result {
        Err(error) => error,
        Ok(_) => ApiError::Decode {
            detail: "the answer did not carry the expected key and secret".into(),
        },
    }
}

fn into_error_or_ok(result: Result<ApiResponse, ApiError>) -> Result<(), ApiError> {
    match result {
        Ok(ApiResponse::Deleted(_)) => Ok(()),
        other => Err(into_error(other)),
    }
}
