//! Where the API token comes from: an environment variable, a program's standard output (a
//! secret manager such as `pass show sdx/prod`, run directly, never by a shell), or a file
//! only its owner can read (as ssh insists for keys). The value becomes a `SecretString` the
//! moment it is read and is trimmed; it never appears in an error, and no error quotes the
//! command's standard output. Runs before the async runtime starts, so it is synchronous.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::io::{self, Read};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::{Duration, Instant};

use rustix::fs::OFlags;
use secrecy::SecretString;
use secrecy::zeroize::Zeroizing;

use crate::delivery::{describe_duration, describe_status, stderr_excerpt};
use crate::layout::text::printable;
use crate::shell_words;

/// A token larger than this is refused (real ones are a few KiB at most).
const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// How much of a token command's stderr is kept for the error sentence.
const MAX_STDERR_BYTES: usize = 8 * 1024;
/// How many characters of a token command's stderr an error sentence quotes.
const STDERR_EXCERPT_CHARS: usize = 300;
/// How long a token command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a token command's output may still take once it has exited (a helper it
/// started in the background may hold the pipe open; what came before is the token).
const OUTPUT_GRACE: Duration = Duration::from_secs(1);
/// How often a running token command is looked at.
const POLL: Duration = Duration::from_millis(10);

/// Where one profile's token comes from. Exactly one per profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// The value of an environment variable (default `ALTOSTRAT_TOKEN`).
    Env(String),
    /// A program run directly (never by a shell) whose standard output is the token, e.g.
    /// `["pass", "show", "sdx/prod"]`.
    Command(Vec<String>),
    /// A file holding the token; refused unless owned by the user and mode 0600 or stricter.
    File(PathBuf),
}

/// A token source that cannot give a token, said in a sentence with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

impl TokenSource {
    /// For sentences and the journal: `the environment variable ALTOSTRAT_TOKEN`, `the token
    /// command `pass show sdx/prod``, `the token file /path`.
    pub fn describe(&self) -> String {
        match self {
            TokenSource::Env(name) => format!("the environment variable {}", printable(name)),
            TokenSource::Command(words) => format!("the token command {}", shown_command(words)),
            TokenSource::File(path) => format!("the token file {}", shown_path(path)),
        }
    }

    /// Reads the token; `env` looks a variable up (tests pass a table).
    pub fn read(
        &self,
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Result<SecretString, CredentialError> {
        let raw = match self {
            TokenSource::Env(name) => from_env(name, env)?,
            TokenSource::Command(words) => from_command(words, COMMAND_TIMEOUT)?,
            TokenSource::File(path) => from_file(path)?,
        };
        checked(raw, &self.describe())
    }
}

/// A `token_command` given as one line, split into words the way a POSIX shell's quoting
/// would (no expansion of any kind; the words are run directly, never by a shell).
pub fn parse_command(text: &str) -> Result<Vec<String>, CredentialError> {
    let words = shell_words::split(text).map_err(|problem| {
        CredentialError(format!(
            "The token_command cannot be split into words: {problem}"
        ))
    })?;
    if words.first().is_none_or(|program| program.is_empty()) {
        return Err(empty_command());
    }
    Ok(words)
}

fn empty_command() -> CredentialError {
    CredentialError(
        "The token command is empty. Give a program and its arguments, such as \
         [\"pass\", \"show\", \"sdx/prod\"]."
            .into(),
    )
}

fn from_env(
    name: &str,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let Some(value) = env(name) else {
        let name = printable(name);
        return Err(CredentialError(format!(
            "{name} is not set. Export an SDX user access token that may manage API keys, \
             e.g. `read -rs {name} && export {name}`, give the profile a token_command or a \
             token_file instead, or try `sdx-keys --demo`."
        )));
    };
    Ok(Zeroizing::new(value.into_encoded_bytes()))
}

/// Runs the token command (directly, stdin from /dev/null) and returns its standard output;
/// it is stopped after `limit`. Errors quote its stderr, never its stdout.
fn from_command(words: &[String], limit: Duration) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let Some((program, args)) = words.split_first().filter(|(p, _)| !p.is_empty()) else {
        return Err(empty_command());
    };
    let shown = shown_command(words);
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| not_started(&shown, program, &err))?;
    let (pieces, output) = pump_output(&mut child);
    let ran = wait_for(&mut child, pieces, output, limit).map_err(|err| {
        CredentialError(format!(
            "The token command {shown} could not be waited for: {err}. Run it yourself to \
             see what it does."
        ))
    })?;
    let Some((status, output)) = ran else {
        return Err(CredentialError(format!(
            "The token command {shown} did not finish within {} and was stopped. It may be \
             waiting for a passphrase or the network; unlock the secret manager first, or run \
             the command yourself to see.",
            describe_duration(limit)
        )));
    };
    if !status.success() {
        let said = stderr_said(&output.stderr.bytes, &output.stdout.bytes);
        return Err(CredentialError(format!(
            "The token command {shown} {}{said}. Run it yourself to see what is wrong, or \
             give the profile another token source.",
            describe_status(status)
        )));
    }
    if output.stdout.overflowed {
        return Err(CredentialError(format!(
            "The token command {shown} printed more than 64 KiB, which is no token. Make it \
             print the token alone."
        )));
    }
    Ok(output.stdout.bytes)
}

/// The sentence for a program that could not be started.
fn not_started(command: &str, program: &str, err: &io::Error) -> CredentialError {
    let program = printable(program);
    CredentialError(match err.kind() {
        io::ErrorKind::NotFound => format!(
            "The token command {command} cannot start: the program \"{program}\" was not found. \
             Check the PATH, or give the program's full path."
        ),
        io::ErrorKind::PermissionDenied => format!(
            "The token command {command} cannot start: the program \"{program}\" is not \
             executable ({err}). Check the path and its permissions."
        ),
        _ => format!(
            "The token command {command} cannot start: the program \"{program}\" failed to \
             run ({err}). Check the path in the config file."
        ),
    })
}

/// ` and printed no error`, or `: "the first lines of stderr"` (cleaned, cut, and with any
/// line of stdout blanked out, should the program have repeated it there).
fn stderr_said(stderr: &[u8], stdout: &[u8]) -> String {
    let mut text = Zeroizing::new(String::from_utf8_lossy(stderr).into_owned());
    let stdout = Zeroizing::new(String::from_utf8_lossy(stdout).into_owned());
    for line in stdout
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
    {
        text = Zeroizing::new(text.replace(line, "(its output)"));
    }
    let excerpt = Zeroizing::new(stderr_excerpt(text.as_bytes(), 3, None));
    if excerpt.is_empty() {
        return " and printed no error".to_owned();
    }
    let mut cut: String = excerpt.chars().take(STDERR_EXCERPT_CHARS).collect();
    if excerpt.chars().nth(STDERR_EXCERPT_CHARS).is_some() {
        cut.push('…');
    }
    format!(": \"{cut}\"")
}

/// Which pipe of the child a piece of output came from.
#[derive(Clone, Copy)]
enum Pipe {
    Stdout,
    Stderr,
}

/// What a reader thread sends: some bytes, or the end of its pipe.
enum Piece {
    Bytes(Pipe, Zeroizing<Vec<u8>>),
    End(Pipe),
}

/// What was kept of one pipe: at most `cap` bytes, in a buffer that never reallocates (no
/// stray copies of the token) and is zeroed when dropped.
struct Kept {
    bytes: Zeroizing<Vec<u8>>,
    cap: usize,
    overflowed: bool,
    ended: bool,
}

impl Kept {
    fn new(cap: usize) -> Self {
        Kept {
            bytes: Zeroizing::new(Vec::with_capacity(cap)),
            cap,
            overflowed: false,
            ended: false,
        }
    }

    fn keep(&mut self, piece: &[u8]) {
        let room = self.cap - self.bytes.len();
        if piece.len() > room {
            self.overflowed = true;
        }
        self.bytes
            .extend_from_slice(&piece[..piece.len().min(room)]);
    }
}

/// The child's stdout and stderr as far as they were read.
struct Output {
    stdout: Kept,
    stderr: Kept,
}

/// Starts a thread per pipe that sends what it reads (to its end) to the returned receiver,
/// so the caller can wait for the child and its output with one clock.
fn pump_output(child: &mut Child) -> (Receiver<Piece>, Output) {
    let (sender, pieces) = mpsc::channel();
    let mut output = Output {
        stdout: Kept::new(MAX_TOKEN_BYTES),
        stderr: Kept::new(MAX_STDERR_BYTES),
    };
    match child.stdout.take() {
        Some(pipe) => pump(pipe, Pipe::Stdout, sender.clone()),
        None => output.stdout.ended = true,
    }
    match child.stderr.take() {
        Some(pipe) => pump(pipe, Pipe::Stderr, sender),
        None => output.stderr.ended = true,
    }
    (pieces, output)
}

fn pump<R: Read + Send + 'static>(mut pipe: R, which: Pipe, sender: Sender<Piece>) {
    std::thread::spawn(move || {
        let mut chunk = Zeroizing::new([0u8; 8192]);
        loop {
            match pipe.read(&mut chunk[..]) {
                Ok(0) => break,
                Ok(read) => {
                    let bytes = Zeroizing::new(chunk[..read].to_vec());
                    if sender.send(Piece::Bytes(which, bytes)).is_err() {
                        return;
                    }
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = sender.send(Piece::End(which));
    });
}

/// Waits for the child and its output: `None` (the child killed and reaped) when it has not
/// exited after `limit`; once it has exited, its output is awaited for [`OUTPUT_GRACE`] more.
fn wait_for(
    child: &mut Child,
    pieces: Receiver<Piece>,
    mut output: Output,
    limit: Duration,
) -> io::Result<Option<(ExitStatus, Output)>> {
    let started = Instant::now();
    let mut exited: Option<(ExitStatus, Instant)> = None;
    loop {
        if exited.is_none() {
            exited = child.try_wait()?.map(|status| (status, Instant::now()));
        }
        let all_read = output.stdout.ended && output.stderr.ended;
        match exited {
            Some((status, at)) if all_read || at.elapsed() >= OUTPUT_GRACE => {
                return Ok(Some((status, output)));
            }
            None if started.elapsed() >= limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Ok(None);
            }
            _ => {}
        }
        if all_read {
            std::thread::sleep(POLL);
            continue;
        }
        match pieces.recv_timeout(POLL) {
            Ok(Piece::Bytes(Pipe::Stdout, bytes)) => output.stdout.keep(&bytes),
            Ok(Piece::Bytes(Pipe::Stderr, bytes)) => output.stderr.keep(&bytes),
            Ok(Piece::End(Pipe::Stdout)) => output.stdout.ended = true,
            Ok(Piece::End(Pipe::Stderr)) => output.stderr.ended = true,
            Err(_) => {}
        }
    }
}

/// A token command for a sentence: its words as a shell would read them, in backticks.
fn shown_command(words: &[String]) -> String {
    format!("`{}`", printable(&shell_words::join(words)))
}

/// A path for a sentence, with unshowable characters as `?`.
fn shown_path(path: &Path) -> String {
    printable(&path.display().to_string())
}

/// Reads a token file: opened first (following links, as ssh does for keys, and without
/// blocking should it be a FIFO), then the opened file itself is checked: a regular file,
/// owned by the user, readable by no one else.
fn from_file(path: &Path) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let shown = shown_path(path);
    let unreadable = |err: io::Error| {
        CredentialError(format!(
            "The token file {shown} cannot be read: {err}. Check the file and the path in the \
             config file."
        ))
    };
    let flags = OFlags::NONBLOCK | OFlags::CLOEXEC;
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(flags.bits() as i32)
        .open(path)
        .map_err(|err| match err.kind() {
            io::ErrorKind::NotFound => CredentialError(format!(
                "The token file {shown} does not exist. Create it with mode 0600, or fix the \
                 path in the config file."
            )),
            _ => unreadable(err),
        })?;
    let meta = file.metadata().map_err(unreadable)?;
    if !meta.is_file() {
        return Err(CredentialError(format!(
            "The token file {shown} is not a regular file. Point token_file at the file that \
             holds the token."
        )));
    }
    let me = rustix::process::getuid().as_raw();
    if meta.uid() != me {
        return Err(CredentialError(format!(
            "The token file {shown} is owned by uid {}, not you (uid {me}). Use a token file \
             of your own.",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        let quoted = printable(&shell_words::quote(&path.to_string_lossy()));
        return Err(CredentialError(format!(
            "The token file {shown} has mode {mode:04o}, so other users may read it. Run \
             `chmod 600 {quoted}`."
        )));
    }
    let mut buffer = Zeroizing::new(Vec::with_capacity(MAX_TOKEN_BYTES + 1));
    file.take(MAX_TOKEN_BYTES as u64 + 1)
        .read_to_end(&mut buffer)
        .map_err(unreadable)?;
    if buffer.len() > MAX_TOKEN_BYTES {
        return Err(CredentialError(format!(
            "The token file {shown} is larger than 64 KiB, which is no token. Check the path."
        )));
    }
    Ok(buffer)
}

/// Trims the value and refuses what cannot be a token; the value is never quoted.
fn checked(raw: Zeroizing<Vec<u8>>, source: &str) -> Result<SecretString, CredentialError> {
    let Ok(text) = std::str::from_utf8(&raw) else {
        return Err(CredentialError(format!(
            "The token from {source} is not valid UTF-8. Give the token exactly as issued."
        )));
    };
    let token = text.trim();
    if token.is_empty() {
        return Err(CredentialError(format!(
            "The token from {source} is empty. Give an SDX user access token."
        )));
    }
    if token.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(CredentialError(format!(
            "The token from {source} contains spaces or control characters, so it cannot be a \
             token. It must be the token alone, without `Bearer ` or quotes."
        )));
    }
    Ok(SecretString::from(token.to_owned()))
}

#[cfg(test)]
mod tests;
