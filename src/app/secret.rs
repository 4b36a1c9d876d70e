//! The secret the API just issued: recording it, showing it on the reveal screen, carrying
//! out the deliveries asked for there, and leaving (the secret is dropped, zeroized, with the
//! reveal state).

use crate::api::{IssuedSecret, RequestId};
use crate::journal::{Entry, Operation, Outcome, RecordId};
use crate::keymap::Command;

use super::notice::Severity;
use super::reveal::{Reveal, RevealAction};
use super::{App, Effect, Screen};

impl App {
    /// A secret arrived: record it, then show the reveal screen.
    pub(super) fn issued(
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
        self.select_on_load = Some(issued.key.id.clone());
        if let Screen::Recovery(recovery) = std::mem::replace(&mut self.screen, Screen::List) {
            self.parked_recovery = Some(recovery);
        }
        let reveal = Reveal::new(
            issued,
            op,
            record,
            self.context.sink.clone(),
            self.context.recorded,
            self.context.profile.reveal,
        );
        self.screen = Screen::Reveal(Box::new(reveal));
        self.fetch(effects);
        if self.context.profile.reveal == crate::config::RevealPolicy::Copy {
            // The profile wants the secret in the clipboard, never on screen: send it now.
            self.reveal_command(Command::CopySecret, effects);
        }
    }

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
                } else if let Some(command) = self.held_command.take() {
                    self.show_command(&command);
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
}
