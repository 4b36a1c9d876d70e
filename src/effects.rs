//! Carries out the model's effects, for the event loop: requests go to the API worker,
//! journal records are appended (synchronously, in order), and secret deliveries run as tasks
//! whose results come back as messages. Holds no state of the model and makes no decisions
//! of its own beyond the journal's one rule: a request sent as `SendRecorded` (create,
//! rotate) goes out only once its intent record is on disk. Every failed append is reported
//! to the model, naming the request it held back, if any.

use std::io::Write;
use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::api::{ApiRequest, RequestId};
use crate::app::reveal::Delivery;
use crate::app::{Effect, Msg};
use crate::delivery::clipboard::{self, ClipboardRoute};
use crate::delivery::file;
use crate::delivery::sink::{SINK_TIMEOUT, SinkCommand};
use crate::journal::{Entry, Journal};

/// What the loop must do after a batch.
#[derive(Debug, Default)]
pub struct Done {
    pub quit: bool,
    /// The session ends to start again with this profile.
    pub switch: Option<String>,
    /// Messages for the model right away (journal appends that failed).
    pub messages: Vec<Msg>,
}

pub struct Executor {
    pub requests: mpsc::UnboundedSender<(RequestId, ApiRequest)>,
    /// Results of deliveries, read by the loop.
    pub results: mpsc::UnboundedSender<Msg>,
    /// `None` when there is no state directory to keep one in.
    pub journal: Option<Journal>,
    pub clipboard: ClipboardRoute,
    pub home: Option<PathBuf>,
}

impl Executor {
    /// Runs `effects` in order. `terminal` receives OSC 52 clipboard sequences.
    pub fn run(&self, effects: Vec<Effect>, terminal: &mut impl Write) -> Done {
        let mut done = Done::default();
        for effect in effects {
            match effect {
                Effect::Api(id, request) => self.send(id, request),
                Effect::Journal(entry) => {
                    if let Err(reason) = self.append(&entry) {
                        done.messages.push(Msg::JournalFailed {
                            reason,
                            held_back: None,
                        });
                    }
                }
                Effect::SendRecorded {
                    intent,
                    id,
                    request,
                } => match self.append(&intent) {
                    Ok(()) => self.send(id, request),
                    Err(reason) => done.messages.push(Msg::JournalFailed {
                        reason,
                        held_back: Some(id),
                    }),
                },
                Effect::Deliver(task, delivery) => self.deliver(task, delivery, terminal),
                Effect::ForgetClipboard => {
                    if let ClipboardRoute::Tmux { socket } = &self.clipboard {
                        let socket = socket.clone();
                        tokio::spawn(async move {
                            if let Err(err) = clipboard::tmux_delete_buffer(socket.as_deref()).await
                            {
                                tracing::warn!("{err}");
                            }
                        });
                    }
                }
                Effect::SwitchProfile(name) => done.switch = Some(name),
                Effect::Quit => done.quit = true,
            }
        }
        done
    }

    fn send(&self, id: RequestId, request: ApiRequest) {
        // The worker only stops when we drop the sender; a failed send means it died, and
        // the reply will never come (the model shows it pending).
        if self.requests.send((id, request)).is_err() {
            tracing::error!("the API worker has stopped");
        }
    }

    fn append(&self, entry: &Entry) -> Result<(), String> {
        let result = match &self.journal {
            Some(journal) => journal.append(entry).map_err(|err| err.0),
            None => Err(
                "sdx-keys has no state directory for its creation journal (is HOME \
                         set?)."
                    .to_owned(),
            ),
        };
        if let Err(reason) = &result {
            tracing::error!("journal append failed: {reason}");
        }
        result
    }

    fn deliver(&self, task: RequestId, delivery: Delivery, terminal: &mut impl Write) {
        let results = self.results.clone();
        let send = move |result: Result<String, String>| {
            let _ = results.send(Msg::Delivered { task, result });
        };
        match delivery {
            Delivery::File { path, secret } => {
                let home = self.home.clone();
                tokio::task::spawn_blocking(move || {
                    let result = file::expand_path(&path, home.as_deref())
                        .and_then(|path| file::write_new(&path, &secret).map(|()| path))
                        .map(|path| {
                            format!(
                                "Written to {} (mode 0600).",
                                crate::layout::text::printable(&path.display().to_string())
                            )
                        })
                        .map_err(|err| err.0);
                    send(result);
                });
            }
            Delivery::Sink {
                command,
                key_id,
                key_name,
                secret,
            } => {
                tokio::spawn(async move {
                    let result = match SinkCommand::parse(&command) {
                        Ok(sink) => sink
                            .run(&secret, &key_id, &key_name, SINK_TIMEOUT)
                            .await
                            .map(|report| {
                                format!("Sent to the sink ({}); it exited 0.", report.program)
                            })
                            .map_err(|err| err.0),
                        Err(err) => Err(err.0),
                    };
                    send(result);
                });
            }
            Delivery::Clipboard { secret } => match &self.clipboard {
                ClipboardRoute::Tmux { socket } => {
                    let socket = socket.clone();
                    tokio::spawn(async move {
                        let result = clipboard::tmux_load(socket.as_deref(), &secret)
                            .await
                            .map(|()| {
                                "Sent to the terminal clipboard through tmux; your terminal \
                                 cannot confirm it. Paste it, then press p."
                                    .to_owned()
                            })
                            .map_err(|err| err.0);
                        send(result);
                    });
                }
                ClipboardRoute::Osc52 { screen } => {
                    let sequence = clipboard::osc52_sequence(&secret, *screen);
                    let result = terminal
                        .write_all(&sequence)
                        .and_then(|()| terminal.flush())
                        .map(|()| {
                            "Sent to the terminal clipboard; your terminal cannot confirm it. \
                             Paste it, then press p."
                                .to_owned()
                        })
                        .map_err(|err| format!("Could not write to the terminal: {err}."));
                    send(result);
                }
                ClipboardRoute::Off => send(Err(
                    "The clipboard is off for this profile (clipboard = \"off\"). Write the \
                     secret to a file or a sink instead."
                        .to_owned(),
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Operation, RecordId};

    fn intent() -> Entry {
        Entry::Intent {
            record: RecordId("t-1".into()),
            op: Operation::Create,
            api_host: "127.0.0.1:1".into(),
            demo: false,
            name: "k".into(),
            scopes: vec!["sites:read".into()],
            key_id: None,
            at: jiff::Timestamp::UNIX_EPOCH,
        }
    }

    /// An executor whose journal sits under a regular file, so every append fails.
    fn executor(
        dir: &std::path::Path,
    ) -> (Executor, mpsc::UnboundedReceiver<(RequestId, ApiRequest)>) {
        let blocker = dir.join("not-a-directory");
        std::fs::write(&blocker, b"").unwrap();
        let (requests, sent) = mpsc::unbounded_channel();
        let (results, _) = mpsc::unbounded_channel();
        let executor = Executor {
            requests,
            results,
            journal: Some(Journal::at(blocker.join("journal.jsonl"))),
            clipboard: ClipboardRoute::Osc52 { screen: false },
            home: None,
        };
        (executor, sent)
    }

    #[test]
    fn a_recorded_request_is_held_back_when_its_intent_cannot_be_written_and_nothing_else_is() {
        let dir = tempfile::tempdir().unwrap();
        let (executor, mut sent) = executor(dir.path());
        let done = executor.run(
            vec![
                Effect::SendRecorded {
                    intent: intent(),
                    id: RequestId(7),
                    request: ApiRequest::ListKeys,
                },
                Effect::Journal(intent()),
                Effect::Api(RequestId(8), ApiRequest::ListKeys),
            ],
            &mut Vec::new(),
        );
        assert!(!done.quit);
        let held: Vec<Option<RequestId>> = done
            .messages
            .iter()
            .map(|m| match m {
                Msg::JournalFailed { held_back, .. } => *held_back,
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(held, [Some(RequestId(7)), None]);
        assert_eq!(sent.try_recv().map(|(id, _)| id), Ok(RequestId(8)));
        assert!(sent.try_recv().is_err(), "the held-back request went out");
    }

    #[test]
    fn a_recorded_request_goes_out_once_its_intent_is_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let (mut executor, mut sent) = executor(dir.path());
        let path = dir.path().join("state").join("journal.jsonl");
        executor.journal = Some(Journal::at(path.clone()));
        let done = executor.run(
            vec![Effect::SendRecorded {
                intent: intent(),
                id: RequestId(7),
                request: ApiRequest::ListKeys,
            }],
            &mut Vec::new(),
        );
        assert!(done.messages.is_empty());
        assert_eq!(sent.try_recv().map(|(id, _)| id), Ok(RequestId(7)));
        assert!(
            std::fs::read_to_string(path)
                .unwrap()
                .contains("\"intent\"")
        );
    }
}
