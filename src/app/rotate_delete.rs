//! Rotating and deleting a key: the confirmation before each (from the list or the recovery
//! screen), the request, and its answer. A rotate whose answer was lost is offered again on
//! the recovery screen: the old secret may already be dead.

use crate::api::{ApiError, ApiRequest, ApiResponse, KeyId};
use crate::journal::{Operation, Outcome, RecordId};
use crate::keymap::Command;

use super::confirm::{Confirm, ConfirmAction, Destructive};
use super::create::is_lost_answer;
use super::notice::Severity;
use super::recovery::{Item, ItemState};
use super::writes::{Pending, PendingKind, into_error, into_error_or_ok};
use super::{App, Effect};

impl App {
    pub(super) fn ask(&mut self, action: Destructive) {
        if let Some(key) = self.selected_key() {
            let confirm = Confirm::new(action, key, None);
            self.confirm = Some(self.guarded(confirm));
        }
    }

    /// The question as the profile wants it: typed `PROFILE/KEYNAME` when it is protected.
    pub(super) fn guarded(&self, confirm: Confirm) -> Confirm {
        let profile = &self.context.profile;
        if profile.access == crate::config::Access::Protected {
            confirm.protected(&profile.name)
        } else {
            confirm
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

    pub(super) fn send_rotate(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        let request = self.new_request_id();
        let record = self.record_id(request);
        let scopes = self
            .keys()
            .iter()
            .find(|k| k.id == confirm.key_id)
            .map(|k| k.permissions.iter().map(|s| s.to_string()).collect())
            .unwrap_or_default();
        let intent = self.intent(
            &record,
            Operation::Rotate,
            &confirm.key_name,
            scopes,
            Some(confirm.key_id.clone()),
        );
        effects.push(Effect::SendRecorded {
            intent,
            id: request,
            request: ApiRequest::RotateKey(confirm.key_id.clone()),
        });
        self.mark_recovery(&confirm.key_id, ItemState::Working);
        self.pending = Some(Pending {
            request,
            started: self.now,
            kind: PendingKind::Rotate {
                record,
                key_id: confirm.key_id,
                name: confirm.key_name,
                settles: confirm.record,
            },
        });
    }

    pub(super) fn send_delete(&mut self, confirm: Confirm, effects: &mut Vec<Effect>) {
        let request = self.new_request_id();
        effects.push(Effect::Api(
            request,
            ApiRequest::DeleteKey(confirm.key_id.clone()),
        ));
        self.mark_recovery(&confirm.key_id, ItemState::Working);
        self.pending = Some(Pending {
            request,
            started: self.now,
            kind: PendingKind::Delete {
                key_id: confirm.key_id,
                name: confirm.key_name,
                settles: confirm.record,
            },
        });
    }

    /// The answer to the rotate in flight.
    pub(super) fn rotate_answered(
        &mut self,
        record: RecordId,
        key_id: KeyId,
        name: String,
        settles: Option<RecordId>,
        result: Result<ApiResponse, ApiError>,
        effects: &mut Vec<Effect>,
    ) {
        let error = match result {
            Ok(ApiResponse::Secret(issued)) => {
                self.mark_recovery(&key_id, ItemState::Rotated);
                self.issued(record, Operation::Rotate, settles, issued, effects);
                return;
            }
            other => into_error(other),
        };
        self.mark_recovery(&key_id, ItemState::Failed(error.user_message()));
        if is_lost_answer(&error) {
            // The old secret may already be dead: leave the intent open, so the next start
            // (or the recovery screen now) offers the rotate again.
            self.offer_lost_rotate(record, key_id, name);
            return;
        }
        self.journal_outcome(&record, Outcome::NotCreated, effects);
        self.raise(
            Severity::Error,
            format!("Rotating {name} failed: {}", error.user_message()),
        );
        if matches!(error, ApiError::NotFound { .. }) {
            self.fetch(effects);
        }
    }

    /// The answer to the delete in flight; a key already gone counts as deleted.
    pub(super) fn delete_answered(
        &mut self,
        key_id: KeyId,
        name: String,
        settles: Option<RecordId>,
        result: Result<ApiResponse, ApiError>,
        effects: &mut Vec<Effect>,
    ) {
        match into_error_or_ok(result) {
            Ok(()) => self.raise(Severity::Info, format!("Deleted {name}.")),
            Err(ApiError::NotFound { .. }) => self.raise(
                Severity::Warning,
                format!("{name} was already gone (deleted elsewhere); the list is refreshed."),
            ),
            Err(error) => {
                self.mark_recovery(&key_id, ItemState::Failed(error.user_message()));
                self.raise(
                    Severity::Error,
                    format!("Deleting {name} failed: {}", error.user_message()),
                );
                return;
            }
        }
        if let Some(record) = settles {
            self.journal_outcome(&record, Outcome::Deleted, effects);
        }
        self.mark_recovery(&key_id, ItemState::Deleted);
        self.remove_key(&key_id);
        self.fetch(effects);
        self.leave_recovery_if_done();
    }

    pub(super) fn offer_lost_rotate(&mut self, record: RecordId, key_id: KeyId, name: String) {
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
}
