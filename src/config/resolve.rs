//! From the sources to [`Settings`]: which config file, which profile, and for each setting
//! the source that wins (built-in defaults < file < environment < flags). Pure: the process
//! environment arrives as an [`Environment`] value and the flags as [`Flags`], so the
//! precedence is pinned by table-driven tests without touching the real environment.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use super::file::{self, ConfigFile, ProfileSection, Source};
use super::{ConfigError, DEFAULT_BASE_URL, DEFAULT_PROFILE, DEFAULT_TOKEN_ENV, Look, Settings};
use crate::credentials::TokenSource;
use crate::delivery::sink::SinkCommand;
use crate::keymap::Keymap;
use crate::launch::validate_base_url;

/// The largest timeout a profile may set, in seconds.
const MAX_TIMEOUT_SECS: u64 = 600;

/// The flags that take part in configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flags {
    pub config: Option<PathBuf>,
    pub profile: Option<String>,
    pub base_url: Option<String>,
    pub no_color: bool,
    pub ascii: bool,
    pub accessible: bool,
}

/// The environment variables that take part in configuration (the token's own variable is
/// read later, by the token source).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Environment {
    /// `SDX_KEYS_CONFIG`
    pub config: Option<PathBuf>,
    /// `SDX_KEYS_PROFILE`
    pub profile: Option<String>,
    /// `SDX_KEYS_BASE_URL`
    pub base_url: Option<String>,
    /// `SDX_KEYS_SINK`
    pub sink: Option<String>,
    /// `NO_COLOR` set to anything but the empty string.
    pub no_color: bool,
    /// `ACCESSIBLE` set to anything but the empty string or `0`.
    pub accessible: bool,
    /// The locale (`LC_ALL`, else `LC_CTYPE`, else `LANG`) names UTF-8.
    pub utf8_locale: bool,
    /// `HOME`, for `~/` in paths.
    pub home: Option<PathBuf>,
}

impl Environment {
    /// Reads the variables of this process.
    pub fn from_process() -> Environment {
        Environment::from_lookup(&|name| std::env::var_os(name))
    }

    /// Reads the variables through `lookup` (tests pass a table).
    pub fn from_lookup(lookup: &dyn Fn(&str) -> Option<OsString>) -> Environment {
        let text = |name: &str| {
            lookup(name)
                .filter(|value| !value.is_empty())
                .map(|value| value.to_string_lossy().into_owned())
        };
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|name| text(name))
            .unwrap_or_default()
            .to_ascii_lowercase();
        Environment {
            config: text("SDX_KEYS_CONFIG").map(PathBuf::from),
            profile: text("SDX_KEYS_PROFILE"),
            base_url: text("SDX_KEYS_BASE_URL"),
            sink: text("SDX_KEYS_SINK"),
            no_color: text("NO_COLOR").is_some(),
            accessible: text("ACCESSIBLE").is_some_and(|value| value != "0"),
            utf8_locale: locale.contains("utf-8") || locale.contains("utf8"),
            home: text("HOME").map(PathBuf::from),
        }
    }
}

/// Finds and reads the config file, then resolves the settings.
pub fn load(flags: &Flags, env: &Environment) -> Result<Settings, ConfigError> {
    let (path, required) = match (&flags.config, &env.config) {
        (Some(path), _) | (None, Some(path)) => (Some(path.clone()), true),
        (None, None) => (file::default_path(), false),
    };
    let source = match path {
        Some(path) => file::load(&path, required)?,
        None => None,
    };
    let parsed = match source {
        Some(source) => {
            let config = file::parse(&source)?;
            Some((source, config))
        }
        None => None,
    };
    resolve(
        flags,
        env,
        parsed.as_ref().map(|(source, config)| (source, config)),
    )
}

/// Applies the precedence to a parsed file (or none).
pub fn resolve(
    flags: &Flags,
    env: &Environment,
    file: Option<(&Source, &ConfigFile)>,
) -> Result<Settings, ConfigError> {
    let empty = ConfigFile::default();
    let (source, config) = match file {
        Some((source, config)) => (Some(source), config),
        None => (None, &empty),
    };
    let at = |span: std::ops::Range<usize>| source.map(|s| s.at(span)).unwrap_or_default();

    if let Some(section) = config.profiles.get(DEFAULT_PROFILE) {
        return Err(ConfigError(format!(
            "{}[profiles.default] is not allowed: the settings at the top of the file are the \
             profile \"default\". Move them there, or rename the section.",
            at(section.span())
        )));
    }
    let mut profiles = vec![DEFAULT_PROFILE.to_owned()];
    profiles.extend(config.profiles.keys().cloned());

    // Every profile is checked, not only the one in use: a mistake shows the day it is made.
    let no_override = Environment {
        base_url: None,
        sink: None,
        ..env.clone()
    };
    for (name, section) in &config.profiles {
        check_section(section.get_ref(), name, &no_override, &at)?;
    }
    check_section(&config.top_level(), DEFAULT_PROFILE, &no_override, &at)?;

    let profile = chosen_profile(flags, env, config, &profiles, source)?;
    let section = if profile == DEFAULT_PROFILE {
        config.top_level()
    } else {
        config.profiles[&profile].get_ref().clone()
    };

    let (base_url, base_url_overridden) = base_url(flags, env, &section, &at)?;
    let token = token_source(&section, &profile, env, &at)?;
    let sink = match (&env.sink, &section.sink) {
        (Some(sink), _) => {
            SinkCommand::parse(sink).map_err(|err| ConfigError(format!("SDX_KEYS_SINK: {err}")))?;
            Some(sink.clone())
        }
        (None, Some(sink)) => {
            SinkCommand::parse(sink.get_ref())
                .map_err(|err| ConfigError(format!("{}{err}", at(sink.span()))))?;
            Some(sink.get_ref().clone())
        }
        (None, None) => None,
    };
    let keymap = match &config.keys {
        Some(keys) => Keymap::with_overrides(keys.get_ref())
            .map_err(|err| ConfigError(format!("{}{err}", at(keys.span()))))?,
        None => Keymap::default(),
    };
    // The client's own defaults: one place says what they are.
    let defaults = crate::api::ClientOptions::default();
    let connect_timeout = timeout(
        &section.connect_timeout_secs,
        "connect_timeout_secs",
        defaults.connect_timeout.as_secs(),
        &at,
    )?;
    let request_timeout = timeout(
        &section.request_timeout_secs,
        "request_timeout_secs",
        defaults.request_timeout.as_secs(),
        &at,
    )?;
    let ca_file = section
        .ca_file
        .as_ref()
        .map(|path| expand_home(path.get_ref(), env));

    let look = Look {
        color: !(flags.no_color || env.no_color || config.ui.no_color == Some(true)),
        ascii: flags.ascii || config.ui.ascii.unwrap_or(!env.utf8_locale),
        accessible: flags.accessible || env.accessible || config.ui.accessible == Some(true),
    };
    Ok(Settings {
        profile,
        profiles,
        config_file: source.map(|s| s.path.clone()),
        base_url,
        base_url_overridden,
        token,
        band: section.color.unwrap_or_default(),
        access: section.mode.unwrap_or_default(),
        sink,
        reveal: section.reveal.unwrap_or_default(),
        clipboard: section.clipboard.unwrap_or_default(),
        connect_timeout,
        request_timeout,
        ca_file,
        keymap,
        look,
    })
}

/// Checks what can be checked of a profile without using it.
fn check_section(
    section: &ProfileSection,
    profile: &str,
    env: &Environment,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
) -> Result<(), ConfigError> {
    base_url(&Flags::default(), env, section, at)?;
    token_source(section, profile, env, at)?;
    if let Some(sink) = &section.sink {
        SinkCommand::parse(sink.get_ref())
            .map_err(|err| ConfigError(format!("{}{err}", at(sink.span()))))?;
    }
    for (value, name) in [
        (&section.connect_timeout_secs, "connect_timeout_secs"),
        (&section.request_timeout_secs, "request_timeout_secs"),
    ] {
        timeout(value, name, 1, at)?;
    }
    Ok(())
}

/// A timeout in seconds, 1 to [`MAX_TIMEOUT_SECS`], or `default` when unset.
fn timeout(
    value: &Option<toml::Spanned<u64>>,
    name: &str,
    default: u64,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
) -> Result<Duration, ConfigError> {
    let Some(value) = value else {
        return Ok(Duration::from_secs(default));
    };
    let secs = *value.get_ref();
    if secs == 0 || secs > MAX_TIMEOUT_SECS {
        return Err(ConfigError(format!(
            "{}{name} is {secs}; give a number of seconds from 1 to {MAX_TIMEOUT_SECS}.",
            at(value.span())
        )));
    }
    Ok(Duration::from_secs(secs))
}

/// `--profile`, else `SDX_KEYS_PROFILE`, else the file's `default_profile`, else `default`.
fn chosen_profile(
    flags: &Flags,
    env: &Environment,
    config: &ConfigFile,
    profiles: &[String],
    source: Option<&Source>,
) -> Result<String, ConfigError> {
    let (name, from) = if let Some(name) = &flags.profile {
        (name.clone(), "--profile".to_owned())
    } else if let Some(name) = &env.profile {
        (name.clone(), "SDX_KEYS_PROFILE".to_owned())
    } else if let Some(name) = &config.default_profile {
        let from = match source {
            Some(source) => format!("{}default_profile", source.at(name.span())),
            None => "default_profile".to_owned(),
        };
        (name.get_ref().clone(), from)
    } else {
        return Ok(DEFAULT_PROFILE.to_owned());
    };
    if profiles.contains(&name) {
        return Ok(name);
    }
    let file = match source {
        Some(source) => format!("the config file {}", source.path.display()),
        None => "the config (there is no config file)".to_owned(),
    };
    Err(ConfigError(format!(
        "{from} names the profile \"{}\", which {file} does not define. The profiles are: {}. \
         Add [profiles.{}] to the file, or choose one of these.",
        crate::layout::text::printable(&name),
        profiles.join(", "),
        crate::layout::text::printable(&name),
    )))
}

/// The profile's base URL unless `--base-url` or `SDX_KEYS_BASE_URL` replace it; `true` when
/// they replace one the profile names.
fn base_url(
    flags: &Flags,
    env: &Environment,
    section: &ProfileSection,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
) -> Result<(Url, bool), ConfigError> {
    let named = match &section.base_url {
        Some(raw) => Some(
            validate_base_url(raw.get_ref())
                .map_err(|err| ConfigError(format!("{}base_url: {err}", at(raw.span()))))?,
        ),
        None => None,
    };
    let replacement = match (&flags.base_url, &env.base_url) {
        (Some(raw), _) => {
            Some(validate_base_url(raw).map_err(|err| ConfigError(format!("--base-url: {err}")))?)
        }
        (None, Some(raw)) => Some(
            validate_base_url(raw)
                .map_err(|err| ConfigError(format!("SDX_KEYS_BASE_URL: {err}")))?,
        ),
        (None, None) => None,
    };
    Ok(match (named, replacement) {
        (Some(named), Some(url)) => {
            let overridden = url != named;
            (url, overridden)
        }
        (None, Some(url)) | (Some(url), None) => (url, false),
        (None, None) => (
            Url::parse(DEFAULT_BASE_URL).expect("the built-in base URL parses"),
            false,
        ),
    })
}

/// The one token source a profile names (`ALTOSTRAT_TOKEN` when it names none).
fn token_source(
    section: &ProfileSection,
    profile: &str,
    env: &Environment,
    at: &dyn Fn(std::ops::Range<usize>) -> String,
) -> Result<TokenSource, ConfigError> {
    let mut named = Vec::new();
    if let Some(name) = &section.token_env {
        named.push(("token_env", name.span()));
    }
    if let Some(command) = &section.token_command {
        named.push(("token_command", command.span()));
    }
    if let Some(path) = &section.token_file {
        named.push(("token_file", path.span()));
    }
    if let [(first, _), (second, span), ..] = named.as_slice() {
        return Err(ConfigError(format!(
            "{}The profile \"{profile}\" names two token sources, {first} and {second}. Keep \
             one of them.",
            at(span.clone())
        )));
    }
    if let Some(name) = &section.token_env {
        let var = name.get_ref().trim();
        if var.is_empty() || var.contains(['=', '\0']) {
            return Err(ConfigError(format!(
                "{}token_env must name an environment variable, such as \"{DEFAULT_TOKEN_ENV}\".",
                at(name.span())
            )));
        }
        return Ok(TokenSource::Env(var.to_owned()));
    }
    if let Some(command) = &section.token_command {
        let words = command.get_ref().split().map_err(|problem| {
            ConfigError(format!("{}token_command: {problem}", at(command.span())))
        })?;
        if words.first().is_none_or(|program| program.is_empty()) {
            return Err(ConfigError(format!(
                "{}token_command is empty. Give the program and its arguments, such as \
                 [\"pass\", \"show\", \"sdx/prod\"].",
                at(command.span())
            )));
        }
        return Ok(TokenSource::Command(words));
    }
    if let Some(path) = &section.token_file {
        return Ok(TokenSource::File(expand_home(path.get_ref(), env)));
    }
    Ok(TokenSource::Env(DEFAULT_TOKEN_ENV.to_owned()))
}

/// `~/rest` becomes `$HOME/rest`; anything else is kept as written.
fn expand_home(path: &Path, env: &Environment) -> PathBuf {
    match (path.strip_prefix("~"), &env.home) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_owned(),
    }
}
