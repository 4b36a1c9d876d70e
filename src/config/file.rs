//! The config file: where it is, its shape, and reading it. Every setting a profile can hold
//! is declared once (in `profile_settings!`) and appears both at the top level (the implicit
//! profile `default`) and in each `[profiles.NAME]`. Unknown settings and bad values are
//! refused with the file, the line and a fix; a file another user could have written is
//! refused before anything in it (a `token_command` runs a program) is trusted.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use super::{Access, BandColor, ClipboardPolicy, ConfigError, RevealPolicy};
use crate::keymap::KeyOverrides;
use crate::shell_words;

/// Config files larger than this are refused (a real one is a few KiB).
const MAX_FILE_BYTES: u64 = 1 << 20;

/// A command given as an array of words, or as one string split like a shell would (without
/// any expansion; it is never run by a shell).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Words {
    List(Vec<String>),
    Line(String),
}

impl Words {
    /// The words, or a sentence saying why the line cannot be split.
    pub fn split(&self) -> Result<Vec<String>, String> {
        match self {
            Words::List(words) => Ok(words.clone()),
            Words::Line(line) => shell_words::split(line),
        }
    }
}

macro_rules! profile_settings {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$extra_meta:meta])* pub $extra:ident: $extra_ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            pub base_url: Option<Spanned<String>>,
            pub token_env: Option<Spanned<String>>,
            pub token_command: Option<Spanned<Words>>,
            pub token_file: Option<Spanned<PathBuf>>,
            pub color: Option<BandColor>,
            pub mode: Option<Access>,
            pub sink: Option<Spanned<String>>,
            pub reveal: Option<RevealPolicy>,
            pub clipboard: Option<ClipboardPolicy>,
            pub connect_timeout_secs: Option<Spanned<u64>>,
            pub request_timeout_secs: Option<Spanned<u64>>,
            pub ca_file: Option<Spanned<PathBuf>>,
            $($(#[$extra_meta])* pub $extra: $extra_ty,)*
        }
    };
}

profile_settings! {
    /// The settings of one profile.
    pub struct ProfileSection {}
}

profile_settings! {
    /// The whole file: the implicit profile `default` at the top level, plus the rest.
    pub struct ConfigFile {
        /// The profile used when neither `--profile` nor `SDX_KEYS_PROFILE` names one.
        pub default_profile: Option<Spanned<String>>,
        #[serde(default)]
        pub profiles: BTreeMap<String, Spanned<ProfileSection>>,
        #[serde(default)]
        pub keys: Option<Spanned<KeyOverrides>>,
        #[serde(default)]
        pub ui: UiSection,
    }
}

/// How the screen is drawn, for every profile.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UiSection {
    pub no_color: Option<bool>,
    /// Unset: chosen from the locale (ASCII when it is not UTF-8).
    pub ascii: Option<bool>,
    pub accessible: Option<bool>,
}

impl ConfigFile {
    /// The top level as a profile of its own.
    pub fn top_level(&self) -> ProfileSection {
        ProfileSection {
            base_url: self.base_url.clone(),
            token_env: self.token_env.clone(),
            token_command: self.token_command.clone(),
            token_file: self.token_file.clone(),
            color: self.color,
            mode: self.mode,
            sink: self.sink.clone(),
            reveal: self.reveal,
            clipboard: self.clipboard,
            connect_timeout_secs: self.connect_timeout_secs.clone(),
            request_timeout_secs: self.request_timeout_secs.clone(),
            ca_file: self.ca_file.clone(),
        }
    }
}

/// A config file's text and where it came from, for error sentences.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub text: String,
}

impl Source {
    /// The 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        let end = offset.min(self.text.len());
        self.text.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// `PATH:LINE: ` for a setting at `span`.
    pub fn at(&self, span: std::ops::Range<usize>) -> String {
        format!("{}:{}: ", self.path.display(), self.line_of(span.start))
    }
}

/// The default config file: `config.toml` in the user's config directory
/// (`~/.config/sdx-keys/` on Linux).
pub fn default_path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("io", "altostrat", "sdx-keys")?;
    Some(dirs.config_dir().join("config.toml"))
}

/// Reads the file at `path`. `required`: it was named explicitly, so a missing file is an
/// error; the default path may simply not exist (`Ok(None)`).
pub fn load(path: &Path, required: bool) -> Result<Option<Source>, ConfigError> {
    let shown = path.display();
    let file = match File::open(path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError(format!(
                "The config file {shown} does not exist. Create it (config.example.toml in \
                 the source shows every setting) or name another with --config."
            )));
        }
        Err(err) => {
            return Err(ConfigError(format!(
                "Cannot read the config file {shown}: {err}. Check its permissions."
            )));
        }
    };
    let meta = file.metadata().map_err(|err| {
        ConfigError(format!(
            "Cannot read the config file {shown}: {err}. Check its permissions."
        ))
    })?;
    check_trusted(path, &meta)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(ConfigError(format!(
            "The config file {shown} is larger than 1 MiB, which no config file needs. Check \
             that --config names the right file."
        )));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|err| {
            ConfigError(format!(
                "Cannot read the config file {shown}: {err}. Check its permissions."
            ))
        })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        ConfigError(format!(
            "The config file {shown} is not UTF-8 text. Save it as UTF-8."
        ))
    })?;
    Ok(Some(Source {
        path: path.to_owned(),
        text,
    }))
}

/// A config file may run programs (`token_command`, `sink`), so, like ssh with its own
/// config, only a regular file that no other user can write is trusted.
fn check_trusted(path: &Path, meta: &std::fs::Metadata) -> Result<(), ConfigError> {
    let shown = path.display();
    if !meta.is_file() {
        return Err(ConfigError(format!(
            "The config file {shown} is not a regular file. Name a file with --config."
        )));
    }
    let me = rustix::process::getuid().as_raw();
    if meta.uid() != me && meta.uid() != 0 {
        return Err(ConfigError(format!(
            "The config file {shown} belongs to another user (uid {}), who could make \
             sdx-keys run any program. Use a config file of your own.",
            meta.uid()
        )));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(ConfigError(format!(
            "The config file {shown} can be written by other users (mode {:04o}), who could \
             make sdx-keys run any program. Run: chmod go-w {}",
            meta.mode() & 0o7777,
            shell_words::quote(&path.to_string_lossy())
        )));
    }
    Ok(())
}

/// Parses a file's text; a TOML or shape error names the line and says how to fix it.
pub fn parse(source: &Source) -> Result<ConfigFile, ConfigError> {
    toml::from_str(&source.text).map_err(|err| {
        let at = match err.span() {
            Some(span) => source.at(span),
            None => format!("{}: ", source.path.display()),
        };
        let message = err.message().trim_end().trim_end_matches('.');
        ConfigError(format!("{at}{message}. {}", fix_for(message)))
    })
}

fn fix_for(message: &str) -> &'static str {
    if message.starts_with("unknown field") {
        "Remove it or correct its spelling; config.example.toml lists every setting."
    } else if message.starts_with("unknown variant") {
        "Use one of the values listed; config.example.toml explains each."
    } else if message.contains("duplicate key") {
        "Keep only one of the two."
    } else {
        "Correct the value; config.example.toml shows the form of every setting."
    }
}
