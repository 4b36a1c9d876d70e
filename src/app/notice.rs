//! Notices: one message with a severity for the status line.
//!
//! Owns the lifetime rules: info notices expire after [`INFO_LIFETIME`] (the model asks the
//! runtime to wake it then); warnings and errors stay until the user dismisses them (Esc) or a
//! later notice replaces them, so a failure never vanishes before it can be read.

use std::time::Duration;

use jiff::{SignedDuration, Timestamp};

/// How long an info notice stays on screen.
pub const INFO_LIFETIME: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub severity: Severity,
    pub text: String,
    /// When it disappears by itself; `None` means it stays until dismissed or replaced.
    pub expires_at: Option<Timestamp>,
}

impl Notice {
    pub fn new(severity: Severity, text: impl Into<String>, now: Timestamp) -> Notice {
        let expires_at = match severity {
            Severity::Info => SignedDuration::try_from(INFO_LIFETIME)
                .ok()
                .and_then(|d| now.checked_add(d).ok()),
            Severity::Warning | Severity::Error => None,
        };
        Notice {
            severity,
            text: text.into(),
            expires_at,
        }
    }

    /// The label and text the status line shows (see [`crate::layout::Status`]).
    pub fn status(&self) -> (&str, &str) {
        (self.severity.label(), &self.text)
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_some_and(|at| now >= at)
    }

    /// Time left before it expires (zero when due), `None` for notices that stay.
    pub fn time_left(&self, now: Timestamp) -> Option<Duration> {
        let at = self.expires_at?;
        Some(Duration::try_from(at.duration_since(now)).unwrap_or(Duration::ZERO))
    }
}
