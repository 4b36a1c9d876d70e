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
use crate::journal::{self, Entry, Operation, Outcome, RecordId};

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
        None
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
