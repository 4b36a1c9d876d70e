//! The creation journal: how a secret shown once is not lost without trace. Before a create or
//! rotate request is sent an `intent` line is appended, after success a `created` line, and once
//! the secret is delivered, discarded or made moot an `outcome` line. If the SSH link drops or
//! the process dies while a secret is on screen, the next start finds the record without an
//! outcome ([`Journal::unresolved`]) and can tell the user that a live key exists that nobody
//! holds. The file is JSON lines (`v: 1`), appended and fsynced one line per write, in the state
//! directory (a 0700 directory, a 0600 file, never through a symlink).
//!
//! The same file is the action journal: an `action` line after every create, rotate and
//! delete, from the TUI and the CLI alike, with the equivalent CLI command ([`history`]).
//!
//! It must NEVER hold a key secret or the user's token: no type here has a field for one, and
//! none may gain one. The pure model builds [`Entry`] values; the runtime appends them.

mod history;

pub use history::{ActionKind, ActionRecord, os_user};

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use rustix::io::Errno;
use serde::{Deserialize, Serialize};

use crate::api::KeyId;
use crate::private_files::{
    HardLinked, LinkedDir, NotOurs, NotRegular, open_existing, open_private_append, state_dir,
};

/// The format version written on every line; lines of any other version are skipped.
const VERSION: u64 = 1;
/// Lines longer than this are skipped without being held in memory (ours are ~1 KiB).
const MAX_LINE: usize = 1 << 20;

/// One journal record's id, unique across runs (see [`new_record_id`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RecordId(pub String);

impl fmt::Display for RecordId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `"{session}-{request}"`: the session tag is random (made by the runtime), the request
/// number counts within the session.
pub fn new_record_id(session: &str, request: u64) -> RecordId {
    RecordId(format!("{session}-{request}"))
}

/// The request an intent announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    Create,
    Rotate,
}

/// How a record ended: the secret went somewhere, or nobody needs it any more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    DeliveredFile,
    DeliveredSink,
    DeliveredClipboard,
    /// Printed on the standard output of `sdx-keys create` or `rotate` (not a terminal).
    DeliveredStdout,
    Discarded,
    Kept,
    Deleted,
    /// Superseded by a newer rotate of the same key.
    Rotated,
    /// The request definitely failed: no key exists.
    NotCreated,
}

/// One line of the journal, as the model asks the runtime to append it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Entry {
    /// Appended before a create or rotate request is sent.
    Intent {
        record: RecordId,
        op: Operation,
        api_host: String,
        demo: bool,
        name: String,
        scopes: Vec<String>,
        /// The key rotated; absent for a create.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        key_id: Option<KeyId>,
        at: Timestamp,
    },
    /// Appended after success: the key the secret belongs to.
    Created {
        record: RecordId,
        key_id: KeyId,
        name: String,
        at: Timestamp,
    },
    Outcome {
        record: RecordId,
        outcome: Outcome,
        at: Timestamp,
    },
    /// Appended after every create, rotate and delete, whatever its result.
    Action(ActionRecord),
}

#[derive(Serialize)]
struct Line<'a> {
    v: u64,
    #[serde(flatten)]
    entry: &'a Entry,
}

/// A record whose intent has no outcome: maybe a live key whose secret nobody holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    pub record: RecordId,
    pub op: Operation,
    /// The intent's name, or the `created` record's when there is one.
    pub name: String,
    pub scopes: Vec<String>,
    /// From `created`; else, for a rotate, the key rotated; else none.
    pub key_id: Option<KeyId>,
    /// A `created` record exists: the key certainly exists.
    pub created: bool,
    /// When the intent was written.
    pub at: Timestamp,
}

/// What a read of the journal found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scan {
    /// In the order their intents were written.
    pub unresolved: Vec<Unresolved>,
    /// Lines that could not be understood (torn, edited, too long or of another version).
    pub skipped: usize,
}

/// The journal could not be used, said in a full sentence naming the file and what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct JournalError(pub String);

/// The journal file at one path.
#[derive(Debug, Clone)]
pub struct Journal {
    path: PathBuf,
}

impl Journal {
    /// `<state dir>/journal.jsonl`, if the platform gives a state directory.
    pub fn default_path() -> Option<PathBuf> {
        Some(state_dir()?.join("journal.jsonl"))
    }

    pub fn at(path: PathBuf) -> Journal {
        Journal { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line and waits until it is on disk (`fsync`).
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let mut line = serde_json::to_vec(&Line { v: VERSION, entry })
            .map_err(|e| JournalError(format!("A journal record could not be encoded: {e}.")))?;
        line.push(b'\n');
        self.write_line(line).map_err(|e| self.error("written", &e))
    }

    fn write_line(&self, mut line: Vec<u8>) -> io::Result<()> {
        let mut file = open_private_append(&self.path)?;
        let len = file.metadata()?.len();
        if len > 0 {
            // A line torn by a crash must not swallow this one: start on a fresh line.
            let mut last = [0u8];
            if file.read_at(&mut last, len - 1)? == 1 && last[0] != b'\n' {
                line.insert(0, b'\n');
            }
        }
        // One write per line: with O_APPEND, concurrent writers never interleave within it.
        file.write_all(&line)?;
        file.sync_data()?;
        if len == 0 {
            // A new file: make its directory entry durable too (not every fs can; ignored).
            if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
                let _ = File::open(dir).and_then(|d| d.sync_all());
            }
        }
        Ok(())
    }

    /// The records for `api_host` (never demo ones) whose intent has no outcome.
    pub fn unresolved(&self, api_host: &str) -> Result<Vec<Unresolved>, JournalError> {
        Ok(self.scan(api_host)?.unresolved)
    }

    /// [`Journal::unresolved`], with the count of lines skipped. A missing file is empty.
    pub fn scan(&self, api_host: &str) -> Result<Scan, JournalError> {
        let file = match open_existing(&self.path) {
            Ok(Some(file)) => file,
            Ok(None) => return Ok(Scan::default()),
            Err(e) => return Err(self.error("read", &e)),
        };
        let mut reader = BufReader::new(file);
        let mut scan = Scan::default();
        let mut order: HashMap<RecordId, u64> = HashMap::new();
        let mut open: BTreeMap<u64, Unresolved> = BTreeMap::new();
        let mut buf = Vec::new();
        let mut next = 0u64;
        while let Some(fits) =
            read_line_capped(&mut reader, &mut buf).map_err(|e| self.error("read", &e))?
        {
            if fits && buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let Some(entry) = fits.then(|| parse_line(&buf)).flatten() else {
                scan.skipped += 1;
                continue;
            };
            match entry {
                Entry::Intent {
                    record,
                    op,
                    api_host: host,
                    demo,
                    name,
                    scopes,
                    key_id,
                    at,
                } if host == api_host && !demo && !order.contains_key(&record) => {
                    order.insert(record.clone(), next);
                    let created = false;
                    let found = Unresolved {
                        record,
                        op,
                        name,
                        scopes,
                        key_id,
                        created,
                        at,
                    };
                    open.insert(next, found);
                    next += 1;
                }
                Entry::Intent { .. } => {}
                Entry::Created {
                    record,
                    key_id,
                    name,
                    ..
                } => {
                    if let Some(found) = order.get(&record).and_then(|n| open.get_mut(n)) {
                        found.key_id = Some(key_id);
                        found.name = name;
                        found.created = true;
                    }
                }
                Entry::Outcome { record, .. } => {
                    // Forgotten entirely: memory stays bounded by the unresolved records.
                    if let Some(n) = order.remove(&record) {
                        open.remove(&n);
                    }
                }
                Entry::Action(_) => {}
            }
        }
        if scan.skipped > 0 {
            let (skipped, path) = (scan.skipped, self.path.display());
            tracing::warn!(skipped, %path, "journal lines skipped");
        }
        scan.unresolved = open.into_values().collect();
        Ok(scan)
    }

    /// Every action line, oldest first (`sdx-keys history`). A missing file is empty.
    pub fn history(&self) -> Result<Vec<ActionRecord>, JournalError> {
        let file = match open_existing(&self.path) {
            Ok(Some(file)) => file,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => return Err(self.error("read", &e)),
        };
        let mut reader = BufReader::new(file);
        let mut buf = Vec::new();
        let mut actions = Vec::new();
        while let Some(fits) =
            read_line_capped(&mut reader, &mut buf).map_err(|e| self.error("read", &e))?
        {
            if let Some(Entry::Action(action)) = fits.then(|| parse_line(&buf)).flatten() {
                actions.push(action);
            }
        }
        Ok(actions)
    }

    fn error(&self, action: &str, err: &io::Error) -> JournalError {
        let path = self.path.display();
        let what = format!("The creation journal {path} could not be {action}");
        let is_link = fs::symlink_metadata(&self.path).is_ok_and(|m| m.file_type().is_symlink());
        let errno = Errno::from_io_error(err);
        let text = if is_link {
            format!(
                "{what}: it is a symbolic link, which sdx-keys refuses to follow. Remove the link (sdx-keys makes a real file), then try again."
            )
        } else if let Some(foreign) = err.get_ref().and_then(|e| e.downcast_ref::<NotOurs>()) {
            format!(
                "{what}: {foreign}. Remove it, or set XDG_STATE_HOME to a directory of your own, then try again."
            )
        } else if err.get_ref().is_some_and(|e| e.is::<HardLinked>()) {
            format!(
                "{what}: it has another hard link, so writing it could change another file. Move it out of the way (sdx-keys makes a new one), then try again."
            )
        } else if err.get_ref().is_some_and(|e| e.is::<LinkedDir>()) {
            format!(
                "{what}: its directory is a symbolic link, which sdx-keys refuses to follow. Remove the link, or set XDG_STATE_HOME to a directory of your own, then try again."
            )
        } else if err.get_ref().is_some_and(|e| e.is::<NotRegular>()) || errno == Some(Errno::ISDIR)
        {
            format!("{what}: it is not a regular file. Move it out of the way, then try again.")
        } else if errno == Some(Errno::NOSPC) || errno == Some(Errno::DQUOT) {
            format!("{what}: the disk (or your quota) is full. Free some space, then try again.")
        } else if errno == Some(Errno::ROFS) {
            format!(
                "{what}: the file system is read-only. Make it writable (or set XDG_STATE_HOME to a writable directory), then try again."
            )
        } else if err.kind() == io::ErrorKind::PermissionDenied {
            format!(
                "{what}: permission was denied. Check that you own the file and its directory and may write to them, then try again."
            )
        } else if errno == Some(Errno::NOTDIR) {
            format!(
                "{what}: part of its directory path is not a directory. Move that file out of the way (or set XDG_STATE_HOME), then try again."
            )
        } else {
            format!("{what}: {err}. Fix the cause, then try again.")
        };
        JournalError(text)
    }
}

/// Reads one line (without its `\n`) into `buf`; `Some(false)` when it was longer than
/// [`MAX_LINE`] (the rest is consumed, not kept); `None` at the end of the file.
fn read_line_capped<R: BufRead>(reader: &mut R, buf: &mut Vec<u8>) -> io::Result<Option<bool>> {
    buf.clear();
    let (mut any, mut fits) = (false, true);
    loop {
        let chunk = match reader.fill_buf() {
            Ok(chunk) => chunk,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(any.then_some(fits));
        }
        any = true;
        let (part, used, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        if fits && buf.len() + part.len() <= MAX_LINE {
            buf.extend_from_slice(part);
        } else {
            fits = false;
            buf.clear();
        }
        reader.consume(used);
        if done {
            return Ok(Some(fits));
        }
    }
}

fn parse_line(bytes: &[u8]) -> Option<Entry> {
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    if value.get("v")?.as_u64()? != VERSION {
        return None;
    }
    Entry::deserialize(value).ok()
}

#[cfg(test)]
mod tests;
