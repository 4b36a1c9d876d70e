//! Carries out the model's effects, for the event loop: requests go to the API worker,
//! journal records are appended (synchronously, before anything after them in the batch),
//! and secret deliveries run as tasks whose results come back as messages. Holds no state of
//! the model and makes no decisions of its own beyond the one rule of the journal: when an
//! append fails, nothing later in the same batch runs (a create or rotate is never sent
//! without its intent on disk), and the model is told why.

use std::io::Write;
use std::path::PathBuf;

use tokio::sync::mpsc;

use crate::api::{ApiRequest, RequestId};
use crate::app::reveal::Delivery;
use crate::app::{Effect, Msg};
use crate::delivery::clipboard::{self, ClipboardRoute};
use crate::delivery::file;
use crate::delivery::sink::{SINK_TIMEOUT, SinkCommand};
use crate::journal::Journal;

/// What the loop must do after a batch.
#[derive(Debug, Default)]
pub struct Done {
    pub quit: bool,
    /// A message for the model right away (a journal write that failed).
    pub message: Option<Msg>,
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
                Effect::Api(id, request) => {
                    // The worker only stops when we drop the sender; a failed send means it
                    // died, and the reply will never come (the model shows it pending).
                    if self.requests.send((id, request)).is_err() {
                        tracing::error!("the API worker has stopped");
                    }
                }
                Effect::Journal(entry) => {
                    let result = match &self.journal {
                        Some(journal) => journal.append(&entry).map_err(|err| err.0),
                        None => Err("sdx-keys has no state directory for its creation journal \
                                     (is HOME set?)."
                            .to_owned()),
                    };
                    if let Err(reason) = result {
                        tracing::error!("journal append failed: {reason}");
                        done.message = Some(Msg::JournalFailed(reason));
                        return done;
                    }
                }
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
                Effect::Quit => done.quit = true,
            }
        }
        done
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
                                crate::delivery::printable(&path.display().to_string())
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
            },
        }
    }
}
