//! Configuration: the settings of one run, from built-in defaults, the config file, the
//! environment and the flags, in that order of precedence (a later source wins).
//!
//! - [`file`] reads `config.toml` (its shape, and errors that name the file and the line);
//! - [`resolve`] picks the profile and applies the precedence, producing [`Settings`];
//! - this module holds the vocabulary both share.
//!
//! It reads no token: a profile names where its token comes from ([`TokenSource`]), and the
//! caller reads it only once everything else is known to be usable. Nothing here touches the
//! terminal; every refusal is a [`ConfigError`] sentence, printed by `main` with exit status 2.

pub mod file;
pub mod resolve;

use std::path::PathBuf;
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

use crate::credentials::TokenSource;
use crate::keymap::Keymap;

pub use resolve::{Environment, Flags, resolve};

/// The name of the implicit profile formed by the settings at the top level of the file.
pub const DEFAULT_PROFILE: &str = "default";
/// The built-in API base URL.
pub const DEFAULT_BASE_URL: &str = "https://v1.api.altostrat.io";
/// The environment variable a profile's token is read from unless it names another source.
pub const DEFAULT_TOKEN_ENV: &str = "ALTOSTRAT_TOKEN";

/// A reason not to start, worded for the operator (file and line when the file is at fault).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// What a profile allows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Access {
    /// Everything, behind the usual confirmations.
    #[default]
    Normal,
    /// Rotate and delete need `PROFILE/KEYNAME` typed (the CLI: `--confirm PROFILE/KEYNAME`).
    Protected,
    /// Create, rotate and delete are hidden in the TUI and refused by the CLI.
    ReadOnly,
}

impl Access {
    /// The word the config file uses.
    pub fn word(self) -> &'static str {
        match self {
            Access::Normal => "normal",
            Access::Protected => "protected",
            Access::ReadOnly => "read-only",
        }
    }

    pub fn allows_writes(self) -> bool {
        self != Access::ReadOnly
    }
}

/// How the reveal screen treats a new secret.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevealPolicy {
    /// Masked, with `v` to show it whole.
    #[default]
    Show,
    /// Never drawn whole; sent to the clipboard at once.
    Copy,
    /// Never drawn at all; only the sink or a file can take it.
    SinkOnly,
}

/// How the secret reaches the clipboard.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClipboardPolicy {
    /// tmux's buffer inside tmux, OSC 52 elsewhere (not inside GNU screen).
    #[default]
    Auto,
    Osc52,
    Tmux,
    Off,
}

/// The colour of the header band that names the profile (red for production, say).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BandColor {
    /// No band: the header looks as it always does.
    #[default]
    None,
    Red,
    Yellow,
    Green,
    Blue,
    Magenta,
    Cyan,
}

/// How the screen is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Look {
    /// Colours (off with `NO_COLOR`, `--no-color` or `no_color = true`).
    pub color: bool,
    /// No box-drawing characters (`--ascii`; also when the locale is not UTF-8).
    pub ascii: bool,
    /// The cursor on the focused row, no animation (`--accessible`, `ACCESSIBLE=1`).
    pub accessible: bool,
}

/// Everything one run needs to know, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The profile in use (`default` for the top level of the file, or no file).
    pub profile: String,
    /// Every profile the file defines, `default` first; for switching inside the TUI.
    pub profiles: Vec<String>,
    /// The config file read, if any.
    pub config_file: Option<PathBuf>,
    pub base_url: Url,
    /// `--base-url` or `SDX_KEYS_BASE_URL` replaced the base URL the profile names: its
    /// token goes to a host the profile does not name.
    pub base_url_overridden: bool,
    pub token: TokenSource,
    pub band: BandColor,
    pub access: Access,
    /// The secret sink's command template, if any.
    pub sink: Option<String>,
    pub reveal: RevealPolicy,
    pub clipboard: ClipboardPolicy,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// An extra root certificate (PEM) to trust.
    pub ca_file: Option<PathBuf>,
    pub keymap: Keymap,
    pub look: Look,
}
