//! Where the API token comes from: an environment variable, a program's standard output (a
//! secret manager such as `pass show sdx/prod`, run directly, never by a shell), or a file
//! only its owner can read (as ssh insists for keys). The value becomes a `SecretString` the
//! moment it is read and is trimmed; it never appears in an error, and no error quotes the
//! command's standard output. Runs before the async runtime starts, so it is synchronous.

use std::ffi::OsString;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use secrecy::SecretString;
use secrecy::zeroize::Zeroizing;

use crate::delivery::{describe_status, stderr_excerpt};
use crate::layout::text::printable;
use crate::shell_words;

/// A token larger than this is refused (real ones are a few KiB at most).
const MAX_TOKEN_BYTES: u64 = 64 * 1024;
/// How long a token command may run.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(30);

/// Where one profile's token comes from. Exactly one per profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// The value of an environment variable (default `ALTOSTRAT_TOKEN`).
    Env(String),
    /// A program whose standard output is the token, e.g. `["pass", "show", "sdx/prod"]`.
    Command(Vec<String>),
    /// A file holding the token, owned by the user and not readable by anyone else.
    File(PathBuf),
}

/// A token source that cannot give a token, said in a sentence with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CredentialError(pub String);

impl TokenSource {
    /// For sentences: `the environment variable ALTOSTRAT_TOKEN`, `the token command `pass
    /// show sdx/prod``, `the token file /path`.
    pub fn describe(&self) -> String {
        match self {
            TokenSource::Env(name) => format!("the environment variable {name}"),
            TokenSource::Command(words) => {
                format!(
                    "the token command `{}`",
                    printable(&shell_words::join(words))
                )
            }
            TokenSource::File(path) => {
                format!("the token file {}", printable(&path.display().to_string()))
            }
        }
    }

    /// Reads the token; `env` looks a variable up (tests pass a table).
    pub fn read(
        &self,
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Result<SecretString, CredentialError> {
        let raw = match self {
            TokenSource::Env(name) => from_env(name, env)?,
            TokenSource::Command(words) => from_command(words)?,
            TokenSource::File(path) => from_file(path)?,
        };
        checked(raw, &self.describe())
    }
}

fn from_env(
    name: &str,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let Some(value) = env(name) else {
        return Err(CredentialError(format!(
            "{name} is not set. Export an SDX user access token that may manage API keys, \
             e.g. `read -rs {name} && export {name}`, give the profile a token_command or a \
             token_file, or try `sdx-keys --demo`."
        )));
    };
    Ok(Zeroizing::new(value.into_encoded_bytes()))
}

fn from_command(words: &[String]) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let Some((program, args)) = words.split_first().filter(|(p, _)| !p.is_empty()) else {
        return Err(CredentialError(
            "The token command is empty. Give a program and its arguments, such as \
             [\"pass\", \"show\", \"sdx/prod\"]."
                .into(),
        ));
    };
    let shown = printable(program);
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|err| {
            CredentialError(match err.kind() {
                std::io::ErrorKind::NotFound => format!(
                    "The token command's program \"{shown}\" was not found. Check that it is \
                     installed and on your PATH, or give its full path."
                ),
                _ => {
                    format!("The token command's program \"{shown}\" could not be started: {err}.")
                }
            })
        })?;
    let stdout = child.stdout.take();
    let stderr = child.stderr.take();
    let out_reader = std::thread::spawn(move || read_capped(stdout));
    let err_reader = std::thread::spawn(move || read_capped(stderr));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= COMMAND_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(CredentialError(format!(
                    "The token command \"{shown}\" did not finish in {} seconds and was stopped. \
                     It may be waiting for a passphrase; unlock the secret manager first.",
                    COMMAND_TIMEOUT.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(err) => {
                return Err(CredentialError(format!(
                    "The token command \"{shown}\" could not be waited for: {err}."
                )));
            }
        }
    };
    let stdout = out_reader.join().unwrap_or(None);
    let stderr = err_reader.join().unwrap_or(None).unwrap_or_default();
    if !status.success() {
        let said = stderr_excerpt(&stderr, 3, None);
        let said = if said.is_empty() {
            " and printed no error".to_owned()
        } else {
            format!(": \"{said}\"")
        };
        return Err(CredentialError(format!(
            "The token command \"{shown}\" {}{said}. Fix it (run it yourself to see), or use \
             another token source.",
            describe_status(status)
        )));
    }
    stdout.ok_or_else(|| {
        CredentialError(format!(
            "The token command \"{shown}\" printed more than 64 KiB, which is no token. Check \
             the command."
        ))
    })
}

/// Everything a stream gives, up to the cap; `None` when it gave more.
fn read_capped(stream: Option<impl Read>) -> Option<Zeroizing<Vec<u8>>> {
    let mut buffer = Zeroizing::new(Vec::new());
    let Some(stream) = stream else {
        return Some(buffer);
    };
    let mut limited = stream.take(MAX_TOKEN_BYTES + 1);
    if limited.read_to_end(&mut buffer).is_err() || buffer.len() as u64 > MAX_TOKEN_BYTES {
        // Drain the rest so the child is not blocked on a full pipe.
        let _ = std::io::copy(&mut limited.into_inner(), &mut std::io::sink());
        return None;
    }
    Some(buffer)
}

fn from_file(path: &PathBuf) -> Result<Zeroizing<Vec<u8>>, CredentialError> {
    let shown = printable(&path.display().to_string());
    let quoted = shell_words::quote(&path.to_string_lossy());
    let meta = std::fs::metadata(path).map_err(|err| {
        CredentialError(match err.kind() {
            std::io::ErrorKind::NotFound => format!(
                "The token file {shown} does not exist. Create it (mode 0600) or fix the path \
                 in the config file."
            ),
            _ => format!("The token file {shown} cannot be read: {err}."),
        })
    })?;
    if !meta.is_file() {
        return Err(CredentialError(format!(
            "The token file {shown} is not a regular file. Point token_file at the file that \
             holds the token."
        )));
    }
    let me = rustix::process::getuid().as_raw();
    if meta.uid() != me {
        return Err(CredentialError(format!(
            "The token file {shown} belongs to uid {}, not to you (uid {me}). Use a token \
             file of your own.",
            meta.uid()
        )));
    }
    let mode = meta.mode() & 0o7777;
    if mode & 0o077 != 0 {
        return Err(CredentialError(format!(
            "The token file {shown} has mode {mode:04o}, so other users may read it. Run: \
             chmod 600 {quoted}"
        )));
    }
    let mut file = File::open(path)
        .map_err(|err| CredentialError(format!("The token file {shown} cannot be read: {err}.")))?;
    let mut buffer = Zeroizing::new(Vec::new());
    (&mut file)
        .take(MAX_TOKEN_BYTES + 1)
        .read_to_end(&mut buffer)
        .map_err(|err| CredentialError(format!("The token file {shown} cannot be read: {err}.")))?;
    if buffer.len() as u64 > MAX_TOKEN_BYTES {
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
