//! The write in flight and its bookkeeping: one create, rotate or delete at a time
//! ([`Pending`]), the request ids and journal record ids, routing the answer to the action
//! it belongs to, and what a journal write that failed means.
//!
//! The journal's rule: a create or rotate goes out as `Effect::SendRecorded`, which the
//! runtime sends only once its intent record is on disk; every other record is best effort.
//! A failed append comes back as `Msg::JournalFailed`, naming the request it held back, if
//! any, so no secret is ever issued that the journal could not account for, and nothing else
//! (a list refresh, clearing the clipboard) waits on the journal.

use std::collections::HashSet;

use jiff::Timestamp;

use crate::api::{ApiError, ApiReply, ApiResponse, KeyId, NewKey, RequestId};
use crate::config::Access;
use crate::journal::{self, ActionKind, ActionRecord, Entry, Operation, Outcome, RecordId};

use super::notice::Severity;
use super::recovery::ItemState;
use super::{App, Effect, Screen};

/// The write request in flight.
#[derive(Debug)]
pub struct Pending {
    pub request: RequestId,
    /// When it was sent (the spinner's phase).
    pub started: Timestamp,
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

impl App {
    pub(super) fn new_request_id(&mut self) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request += 1;
        id
    }

    pub(super) fn record_id(&self, request: RequestId) -> RecordId {
        journal::new_record_id(&self.context.session_tag, request.0)
    }

    /// The journal's intent record for a create or rotate about to be sent.
    pub(super) fn intent(
        &self,
        record: &RecordId,
        op: Operation,
        name: &str,
        scopes: Vec<String>,
        key_id: Option<KeyId>,
    ) -> Entry {
        Entry::Intent {
            record: record.clone(),
            op,
            api_host: self.context.api_host.clone(),
            demo: self.context.demo,
            name: name.to_owned(),
            scopes,
            key_id,
            at: self.now,
        }
    }

    /// The write in flight, as the header says it: `creating`, `rotating`, `deleting`.
    pub fn writing(&self) -> Option<&'static str> {
        self.pending.as_ref().map(|pending| match pending.kind {
            PendingKind::Create { .. } => "creating",
            PendingKind::Rotate { .. } => "rotating",
            PendingKind::Delete { .. } => "deleting",
        })
    }

    /// True (and says so) when a write is in flight: one at a time.
    pub(super) fn busy_writing(&mut self) -> bool {
        let Some(doing) = self.writing() else {
            return false;
        };
        self.raise(
            Severity::Warning,
            format!("Still {doing} a key; wait for the answer first."),
        );
        true
    }

    /// Takes a reply if it answers the write in flight; gives it back when it is not one.
    pub(super) fn on_write_reply(
        &mut self,
        reply: ApiReply,
        effects: &mut Vec<Effect>,
    ) -> Option<ApiReply> {
        let Some(pending) = self.pending.take_if(|p| p.request == reply.id) else {
            return Some(reply);
        };
        let action = self.action_record(&pending.kind, &reply.result);
        let command = action.ok.then(|| action.command.clone());
        match pending.kind {
            PendingKind::Create {
                record,
                new_key,
                sent_at,
                known_ids,
            } => self.create_answered(record, new_key, sent_at, known_ids, reply.result, effects),
            PendingKind::Rotate {
                record,
                key_id,
                name,
                settles,
            } => self.rotate_answered(record, key_id, name, settles, reply.result, effects),
            PendingKind::Delete {
                key_id,
                name,
                settles,
            } => self.delete_answered(key_id, name, settles, reply.result, effects),
        }
        effects.push(Effect::Journal(Entry::Action(action)));
        if let Some(command) = command {
            self.show_command(&command);
        }
        None
    }

    /// The action-journal line for a write's answer, with its equivalent CLI command.
    fn action_record(
        &self,
        kind: &PendingKind,
        result: &Result<ApiResponse, ApiError>,
    ) -> ActionRecord {
        let issued = match result {
            Ok(ApiResponse::Secret(issued)) => Some(&issued.key),
            _ => None,
        };
        let profile = &self.context.profile;
        let confirm = |name: &str| {
            (profile.access == Access::Protected).then(|| format!("{}/{name}", profile.name))
        };
        let (action, key_id, name, command) = match kind {
            PendingKind::Create { new_key, .. } => (
                ActionKind::Create,
                issued.map(|key| key.id.clone()),
                issued
                    .map_or(new_key.name(), |key| key.name.as_str())
                    .to_owned(),
                profile.prefix.create(new_key.name(), new_key.permissions()),
            ),
            PendingKind::Rotate { key_id, name, .. } => (
                ActionKind::Rotate,
                Some(key_id.clone()),
                name.clone(),
                profile.prefix.rotate(&key_id.0, confirm(name).as_deref()),
            ),
            PendingKind::Delete { key_id, name, .. } => (
                ActionKind::Delete,
                Some(key_id.clone()),
                name.clone(),
                profile.prefix.delete(&key_id.0, confirm(name).as_deref()),
            ),
        };
        let error = match result {
            Ok(ApiResponse::Secret(_)) | Ok(ApiResponse::Deleted(_)) => None,
            Ok(_) => Some(ApiError::Decode {
                detail: "the answer did not carry what the request asks for".into(),
            }),
            Err(error) => Some(error.clone()),
        };
        ActionRecord {
            at: self.now,
            action,
            user: self.context.user.clone(),
            profile: profile.name.clone(),
            api_host: self.context.api_host.clone(),
            key_id,
            name,
            ok: error.is_none(),
            result: match error {
                None => "ok".to_owned(),
                Some(e) if e.answer_lost() => format!(
                    "unknown (no answer came; it may have been carried out): {}",
                    e.user_message()
                ),
                Some(e) => e.user_message(),
            },
            command,
            via: "tui".to_owned(),
        }
    }

    /// Adds the equivalent CLI command to the notice the action left (or shows it alone), and
    /// keeps that notice until it is dismissed or replaced, so it can be copied. While a
    /// secret is on screen it waits (it would push the secret's warning out of a short
    /// terminal) and is shown once the secret screen is left.
    pub(super) fn show_command(&mut self, command: &str) {
        if matches!(self.screen, Screen::Reveal(_)) {
            self.held_command = Some(command.to_owned());
            return;
        }
        let line = format!("As a command: {command}");
        match &mut self.notice {
            Some(notice) if notice.severity == Severity::Info => {
                notice.text = format!("{} {line}", notice.text);
                notice.expires_at = None;
            }
            Some(_) => {}
            None => {
                self.raise(Severity::Info, line);
                if let Some(notice) = &mut self.notice {
                    notice.expires_at = None;
                }
            }
        }
    }

    pub(super) fn journal_outcome(
        &self,
        record: &RecordId,
        outcome: Outcome,
        effects: &mut Vec<Effect>,
    ) {
        effects.push(Effect::Journal(Entry::Outcome {
            record: record.clone(),
            outcome,
            at: self.now,
        }));
    }

    /// A journal write failed; the effects after it in its batch were not run.
    /// A journal append failed. `held_back` is the create or rotate request that was not sent
    /// because its intent record is not on disk; any other record is only missing.
    pub(super) fn on_journal_failed(&mut self, reason: String, held_back: Option<RequestId>) {
        let Some(pending) = held_back.and_then(|id| self.pending.take_if(|p| p.request == id))
        else {
            self.raise(
                Severity::Warning,
                format!("{reason} The key itself is fine; only its journal record is missing."),
            );
            return;
        };
        let text = format!(
            "{reason} Nothing was sent: without the journal a lost connection could leave a key \
             whose secret nobody holds."
        );
        match pending.kind {
            PendingKind::Create { .. } => {
                if let Screen::Wizard(wizard) = &mut self.screen {
                    wizard.blocked(text);
                } else {
                    self.raise(Severity::Error, text);
                }
            }
            PendingKind::Rotate { key_id, .. } | PendingKind::Delete { key_id, .. } => {
                self.mark_recovery(&key_id, ItemState::Open);
                self.raise(Severity::Error, text);
            }
        }
    }

    pub(super) fn remove_key(&mut self, key_id: &KeyId) {
        if let Some(keys) = self.keys.value_mut() {
            keys.retain(|k| &k.id != key_id);
            self.view.set_preferred(None);
            self.resort();
        }
    }
}

pub(super) fn into_error(result: Result<ApiResponse, ApiError>) -> ApiError {
    match result {
        Err(error) => error,
        Ok(_) => ApiError::Decode {
            detail: "the answer did not carry the expected key and secret".into(),
        },
    }
}

pub(super) fn into_error_or_ok(result: Result<ApiResponse, ApiError>) -> Result<(), ApiError> {
    match result {
        Ok(ApiResponse::Deleted(_)) => Ok(()),
        other => Err(into_error(other)),
    }
}
