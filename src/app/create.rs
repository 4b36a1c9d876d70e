//! Creating a key: opening the wizard (fresh, or a copy of the selected key), handing it the
//! keys, sending what it submits, and its answer. A create whose answer was lost (a timeout
//! or a broken connection after sending) is never sent again: the list is fetched, and the
//! keys with the intended name that were not in the list held before sending are offered on
//! the recovery screen.

use std::collections::HashSet;

use jiff::{SignedDuration, Timestamp};

use crate::api::{ApiError, ApiRequest, ApiResponse, KeyId, NewKey, RequestId};
use crate::catalogue::Catalogue;
use crate::journal::{Operation, Outcome, RecordId};
use crate::keymap::Command;

use super::notice::Severity;
use super::recovery::{Item, ItemState};
use super::wizard::{Wizard, WizardAction};
use super::writes::{Pending, PendingKind, into_error};
use super::{App, Effect, Screen};

/// How far before the intent a key's `created_at` may lie and still be a candidate for a
/// create whose answer was lost (whole seconds and clock drift).
pub(super) const CLOCK_SLACK: SignedDuration = SignedDuration::from_secs(120);

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
    /// `n` (fresh) or `c` (a copy of the selected key).
    pub(super) fn open_wizard(&mut self, clone: bool) {
        // A rotate or delete answered while the wizard is open would replace it.
        if self.busy_writing() {
            return;
        }
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

    pub(super) fn submit_create(&mut self, new_key: NewKey, effects: &mut Vec<Effect>) {
        if self.busy_writing() {
            return;
        }
        let request = self.new_request_id();
        let record = self.record_id(request);
        let intent = self.intent(
            &record,
            Operation::Create,
            new_key.name(),
            new_key.permissions().to_vec(),
            None,
        );
        effects.push(Effect::SendRecorded {
            intent,
            id: request,
            request: ApiRequest::CreateKey(new_key.clone()),
        });
        let known_ids = self
            .keys
            .value()
            .map(|keys| keys.iter().map(|k| k.id.clone()).collect());
        self.pending = Some(Pending {
            request,
            started: self.now,
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

    /// A list arrived: settle a lost create, or offer the start-up journal's open records.
    /// The list asked for after a lost create failed too: nothing can be settled now.
    /// The answer to the create in flight.
    pub(super) fn create_answered(
        &mut self,
        record: RecordId,
        new_key: NewKey,
        sent_at: Timestamp,
        known_ids: Option<HashSet<KeyId>>,
        result: Result<ApiResponse, ApiError>,
        effects: &mut Vec<Effect>,
    ) {
        let error = match result {
            Ok(ApiResponse::Secret(issued)) => {
                self.issued(record, Operation::Create, None, issued, effects);
                return;
            }
            other => into_error(other),
        };
        if is_lost_answer(&error) {
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
            return;
        }
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

    pub(super) fn list_failed(&mut self, list_request: RequestId, error: &ApiError) {
        if let Some(lost) = self
            .lost_create
            .take_if(|lost| lost.list_request == list_request)
        {
            let text = format!(
                "The create request for {} got no answer, and the list could not be fetched to \
                 check whether the key exists ({}). Check the list before trying again; the \
                 next start offers the key if it was created.",
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

    pub(super) fn settle_lost_create(&mut self, lost: LostCreate, effects: &mut Vec<Effect>) {
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
            // The list fetched after the lost answer has no such key: nothing was created,
            // so the record is closed (a retried create is not mistaken for this one later).
            self.journal_outcome(&lost.record, Outcome::NotCreated, effects);
            return;
        }
        self.raise(
            Severity::Warning,
            "The create request got no answer, but the key was created: its secret is lost. \
             Rotate it to get a new secret, or delete it.",
        );
        self.push_recovery(candidates, true);
    }
}

/// The request was sent and no answer came: see [`ApiError::answer_lost`].
pub(super) fn is_lost_answer(error: &ApiError) -> bool {
    error.answer_lost()
}
