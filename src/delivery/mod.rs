//! Delivering a one-time API key secret to where the operator wants it: a new private file
//! ([`file`]), an operator-configured sink command that reads it on stdin ([`sink`]), or the
//! terminal clipboard through tmux or OSC 52 ([`clipboard`]). Besides the reveal rendering,
//! these are the only places that call `expose_secret()`: at the moment the bytes are
//! written, and to blank an echo of the secret out of a child's error output. This module
//! must never log, format or put a secret in an error, an argv or an environment variable;
//! every failure is a [`DeliveryError`] sentence for the operator.
//!
//! This file also holds what the submodules share: the error type, the scrubbing of text
//! that came from elsewhere before it is shown, and the running of a child process that
//! gets the secret on stdin, in its own session, bounded in time and in captured output.

mod child;
pub mod clipboard;
pub mod file;
pub mod sink;

use std::process::ExitStatus;
use std::time::Duration;

use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};

/// A delivery failure as one user-facing sentence (or two): what happened and what to do.
/// It never contains the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryError(pub String);

impl std::fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DeliveryError {}

/// Paths and commands in messages go through the one rule for text that must not reach
/// the terminal (each unshowable character shown as `?`).
pub(crate) use crate::layout::text::{is_unshowable, printable};
pub(crate) use child::{ChildEnd, run_child};

/// The first `count` non-blank lines of a child's stderr, for an error sentence: colour and
/// other escape sequences and unshowable characters dropped, each line cut to 200
/// characters, the secret (should the program have echoed it) replaced by "(the secret)",
/// joined by " / ".
pub(crate) fn stderr_excerpt(stderr: &[u8], count: usize, secret: Option<&SecretString>) -> String {
    let mut text = Zeroizing::new(String::from_utf8_lossy(stderr).into_owned());
    if let Some(secret) = secret.map(|s| s.expose_secret()).filter(|s| !s.is_empty()) {
        text = Zeroizing::new(text.replace(secret, "(the secret)"));
    }
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let kept: String = without_escapes(line).chars().take(200).collect();
            kept.trim().to_owned()
        })
        .filter(|line| !line.is_empty())
        .take(count)
        .collect();
    lines.join(" / ")
}

/// `line` without CSI sequences (`ESC [ ... final`, or C1 CSI), without the character after
/// any other ESC, and without unshowable characters.
fn without_escapes(line: &str) -> String {
    let mut kept = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        let csi = match c {
            '\x1b' if chars.peek() == Some(&'[') => chars.next().is_some(),
            '\x1b' => {
                chars.next();
                false
            }
            '\u{9b}' => true,
            c if is_unshowable(c) => false,
            c => {
                kept.push(c);
                false
            }
        };
        if csi {
            // parameters and intermediates, up to and including the final byte
            for c in chars.by_ref() {
                if ('\u{40}'..='\u{7e}').contains(&c) {
                    break;
                }
            }
        }
    }
    kept
}

/// "exited with status 1" or "was killed by signal 9 (SIGKILL)".
pub(crate) fn describe_status(status: ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    if let Some(code) = status.code() {
        return format!("exited with status {code}");
    }
    let Some(signal) = status.signal() else {
        return format!("ended abnormally ({status})");
    };
    let name = match signal {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        6 => " (SIGABRT)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        13 => " (SIGPIPE)",
        15 => " (SIGTERM)",
        _ => "",
    };
    format!("was killed by signal {signal}{name}")
}

/// "30 seconds", "1 second", "0.2 seconds".
pub(crate) fn describe_duration(duration: Duration) -> String {
    match (duration.as_secs(), duration.subsec_nanos()) {
        (1, 0) => "1 second".to_owned(),
        (seconds, 0) => format!("{seconds} seconds"),
        _ => format!("{:.1} seconds", duration.as_secs_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::process::Command;

    #[test]
    fn printable_replaces_escapes_and_overrides() {
        assert_eq!(printable("a\x1b[2Jb\u{9b}c\u{202E}d\x7f"), "a?[2Jb?c?d?");
        assert_eq!(printable("/home/ops/key.txt"), "/home/ops/key.txt");
    }

    #[test]
    fn stderr_excerpt_keeps_three_clean_lines_and_hides_the_secret() {
        let secret = SecretString::from("s3cr3t-value");
        let stderr = b"\n\x1b[31merror: bad\x1b[0m\ngot s3cr3t-value\n\nthird\nfourth\n";
        assert_eq!(
            stderr_excerpt(stderr, 3, Some(&secret)),
            "error: bad / got (the secret) / third"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(describe_duration(Duration::from_secs(30)), "30 seconds");
        assert_eq!(describe_duration(Duration::from_secs(1)), "1 second");
        assert_eq!(describe_duration(Duration::from_millis(200)), "0.2 seconds");
    }

    fn sh(script: &str) -> Command {
        let mut command = Command::new("sh");
        command.arg("-c").arg(script);
        command
    }

    fn nothing() -> Zeroizing<Vec<u8>> {
        Zeroizing::new(Vec::new())
    }

    #[tokio::test]
    async fn the_child_leads_its_own_session_without_a_terminal() {
        let leader = "read -r line < /proc/$$/stat; set -- $line; test \"$6\" = \"$$\"";
        let ended = run_child(sh(leader), nothing(), Duration::from_secs(5))
            .await
            .unwrap();
        assert!(matches!(ended, ChildEnd::Exited { status, .. } if status.success()));
        let tty = run_child(sh("exec 3</dev/tty"), nothing(), Duration::from_secs(5)).await;
        assert!(matches!(tty.unwrap(), ChildEnd::Exited { status, .. } if !status.success()));
    }

    #[tokio::test]
    async fn on_timeout_everything_the_child_started_is_killed() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("survived");
        let mut command = sh("(sleep 1; touch \"$0\") & sleep 10");
        command.arg(&marker);
        let ended = run_child(command, nothing(), Duration::from_millis(300)).await;
        assert!(matches!(ended.unwrap(), ChildEnd::TimedOut));
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            !marker.exists(),
            "a process started by the child survived the timeout"
        );
    }

    #[tokio::test]
    async fn a_daemon_holding_stderr_open_does_not_hold_up_success() {
        let started = std::time::Instant::now();
        let ended = run_child(sh("sleep 5 & exit 0"), nothing(), Duration::from_secs(4)).await;
        assert!(matches!(ended.unwrap(), ChildEnd::Exited { status, .. } if status.success()));
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
