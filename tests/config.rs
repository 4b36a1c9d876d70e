//! The configuration: the precedence of defaults < file < environment < flags as a table,
//! profiles, token sources, and refusals that name the file and the line.

use std::path::PathBuf;
use std::time::Duration;

use sdx_keys::config::file::{Source, parse};
use sdx_keys::config::{
    Access, BandColor, ClipboardPolicy, Environment, Flags, RevealPolicy, Settings, resolve,
};
use sdx_keys::credentials::TokenSource;

fn source(text: &str) -> Source {
    Source {
        path: PathBuf::from("/home/op/.config/sdx-keys/config.toml"),
        text: text.to_owned(),
    }
}

fn utf8_env() -> Environment {
    Environment {
        utf8_locale: true,
        home: Some(PathBuf::from("/home/op")),
        ..Environment::default()
    }
}

fn settle(text: Option<&str>, env: &Environment, flags: &Flags) -> Result<Settings, String> {
    match text {
        Some(text) => {
            let source = source(text);
            let config = parse(&source).map_err(|e| e.0)?;
            resolve(flags, env, Some((&source, &config))).map_err(|e| e.0)
        }
        None => resolve(flags, env, None).map_err(|e| e.0),
    }
}

const TWO_PROFILES: &str = r#"
default_profile = "staging"
base_url = "https://top.example"

[profiles.staging]
base_url = "https://staging.example"
color = "yellow"
sink = "pass insert -m staging/{id}"

[profiles.prod]
base_url = "https://prod.example"
color = "red"
mode = "read-only"
token_env = "PROD_TOKEN"
"#;

/// One row: the file, the environment, the flags, and what must win.
struct Row {
    what: &'static str,
    file: Option<&'static str>,
    env: Environment,
    flags: Flags,
    profile: &'static str,
    base_url: &'static str,
    overridden: bool,
}

#[test]
fn precedence_defaults_file_environment_flags() {
    let env_with = |f: fn(&mut Environment)| {
        let mut env = utf8_env();
        f(&mut env);
        env
    };
    let rows = vec![
        Row {
            what: "built-in defaults",
            file: None,
            env: utf8_env(),
            flags: Flags::default(),
            profile: "default",
            base_url: "https://v1.api.altostrat.io/",
            overridden: false,
        },
        Row {
            what: "no file, the environment's base URL is not an override",
            file: None,
            env: env_with(|e| e.base_url = Some("http://127.0.0.1:8787".into())),
            flags: Flags::default(),
            profile: "default",
            base_url: "http://127.0.0.1:8787/",
            overridden: false,
        },
        Row {
            what: "the file's default_profile",
            file: Some(TWO_PROFILES),
            env: utf8_env(),
            flags: Flags::default(),
            profile: "staging",
            base_url: "https://staging.example/",
            overridden: false,
        },
        Row {
            what: "SDX_KEYS_PROFILE beats default_profile",
            file: Some(TWO_PROFILES),
            env: env_with(|e| e.profile = Some("prod".into())),
            flags: Flags::default(),
            profile: "prod",
            base_url: "https://prod.example/",
            overridden: false,
        },
        Row {
            what: "--profile beats SDX_KEYS_PROFILE",
            file: Some(TWO_PROFILES),
            env: env_with(|e| e.profile = Some("prod".into())),
            flags: Flags {
                profile: Some("default".into()),
                ..Flags::default()
            },
            profile: "default",
            base_url: "https://top.example/",
            overridden: false,
        },
        Row {
            what: "SDX_KEYS_BASE_URL overrides the profile's base URL",
            file: Some(TWO_PROFILES),
            env: env_with(|e| e.base_url = Some("https://other.example".into())),
            flags: Flags::default(),
            profile: "staging",
            base_url: "https://other.example/",
            overridden: true,
        },
        Row {
            what: "--base-url beats SDX_KEYS_BASE_URL",
            file: Some(TWO_PROFILES),
            env: env_with(|e| e.base_url = Some("https://other.example".into())),
            flags: Flags {
                base_url: Some("https://flag.example".into()),
                ..Flags::default()
            },
            profile: "staging",
            base_url: "https://flag.example/",
            overridden: true,
        },
        Row {
            what: "the same URL as the profile's is no override",
            file: Some(TWO_PROFILES),
            env: utf8_env(),
            flags: Flags {
                base_url: Some("https://staging.example/".into()),
                ..Flags::default()
            },
            profile: "staging",
            base_url: "https://staging.example/",
            overridden: false,
        },
    ];
    for row in rows {
        let settings = settle(row.file, &row.env, &row.flags)
            .unwrap_or_else(|err| panic!("{}: {err}", row.what));
        assert_eq!(settings.profile, row.profile, "{}", row.what);
        assert_eq!(settings.base_url.as_str(), row.base_url, "{}", row.what);
        assert_eq!(settings.base_url_overridden, row.overridden, "{}", row.what);
    }
}

#[test]
fn look_precedence_file_then_environment_then_flags() {
    // (file, NO_COLOR, --no-color, expected colour)
    let colour = [
        ("", false, false, true),
        ("[ui]\nno_color = true", false, false, false),
        ("[ui]\nno_color = false", true, false, false),
        ("[ui]\nno_color = false", false, true, false),
    ];
    for (file, env_no_color, flag, expected) in colour {
        let env = Environment {
            no_color: env_no_color,
            ..utf8_env()
        };
        let flags = Flags {
            no_color: flag,
            ..Flags::default()
        };
        let settings = settle(Some(file), &env, &flags).unwrap();
        assert_eq!(
            settings.look.color, expected,
            "{file:?} {env_no_color} {flag}"
        );
    }
    // (file, UTF-8 locale, --ascii, expected ascii)
    let ascii = [
        ("", true, false, false),
        ("", false, false, true),
        ("[ui]\nascii = false", false, false, false),
        ("[ui]\nascii = true", true, false, true),
        ("[ui]\nascii = false", true, true, true),
    ];
    for (file, utf8, flag, expected) in ascii {
        let env = Environment {
            utf8_locale: utf8,
            ..utf8_env()
        };
        let flags = Flags {
            ascii: flag,
            ..Flags::default()
        };
        let settings = settle(Some(file), &env, &flags).unwrap();
        assert_eq!(settings.look.ascii, expected, "{file:?} {utf8} {flag}");
    }
    // (file, ACCESSIBLE, --accessible, expected)
    let accessible = [
        ("", false, false, false),
        ("[ui]\naccessible = true", false, false, true),
        ("", true, false, true),
        ("", false, true, true),
    ];
    for (file, env_on, flag, expected) in accessible {
        let env = Environment {
            accessible: env_on,
            ..utf8_env()
        };
        let flags = Flags {
            accessible: flag,
            ..Flags::default()
        };
        let settings = settle(Some(file), &env, &flags).unwrap();
        assert_eq!(settings.look.accessible, expected);
    }
}

#[test]
fn the_environment_reads_locale_no_color_and_accessible() {
    let table = |pairs: &'static [(&'static str, &'static str)]| {
        move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| std::ffi::OsString::from(v))
        }
    };
    let env = Environment::from_lookup(&table(&[
        ("LANG", "en_US.UTF-8"),
        ("NO_COLOR", "1"),
        ("ACCESSIBLE", "0"),
    ]));
    assert!(env.utf8_locale && env.no_color && !env.accessible);
    let env = Environment::from_lookup(&table(&[
        ("LC_ALL", "C"),
        ("LANG", "en_US.UTF-8"),
        ("NO_COLOR", ""),
        ("ACCESSIBLE", "1"),
    ]));
    assert!(!env.utf8_locale, "LC_ALL wins over LANG");
    assert!(!env.no_color, "an empty NO_COLOR is unset");
    assert!(env.accessible);
}

#[test]
fn profile_settings_and_the_sink_override() {
    let settings = settle(Some(TWO_PROFILES), &utf8_env(), &Flags::default()).unwrap();
    assert_eq!(settings.band, BandColor::Yellow);
    assert_eq!(settings.access, Access::Normal);
    assert_eq!(
        settings.sink.as_deref(),
        Some("pass insert -m staging/{id}")
    );
    assert_eq!(settings.profiles, ["default", "prod", "staging"]);
    let env = Environment {
        sink: Some("vault kv put x/{id} key=-".into()),
        profile: Some("prod".into()),
        ..utf8_env()
    };
    let settings = settle(Some(TWO_PROFILES), &env, &Flags::default()).unwrap();
    assert_eq!(settings.access, Access::ReadOnly);
    assert_eq!(settings.band, BandColor::Red);
    assert_eq!(settings.token, TokenSource::Env("PROD_TOKEN".into()));
    assert_eq!(settings.sink.as_deref(), Some("vault kv put x/{id} key=-"));
}

#[test]
fn token_sources_one_per_profile() {
    let settings = settle(
        Some("token_command = \"pass show 'sdx/prod key'\""),
        &utf8_env(),
        &Flags::default(),
    )
    .unwrap();
    assert_eq!(
        settings.token,
        TokenSource::Command(vec!["pass".into(), "show".into(), "sdx/prod key".into()])
    );
    let settings = settle(
        Some("token_command = [\"cat\", \"/run/token\"]"),
        &utf8_env(),
        &Flags::default(),
    )
    .unwrap();
    assert_eq!(
        settings.token,
        TokenSource::Command(vec!["cat".into(), "/run/token".into()])
    );
    let settings = settle(
        Some("token_file = \"~/.sdx/token\""),
        &utf8_env(),
        &Flags::default(),
    )
    .unwrap();
    assert_eq!(
        settings.token,
        TokenSource::File(PathBuf::from("/home/op/.sdx/token"))
    );
    let err = settle(
        Some("token_env = \"A\"\n\ntoken_file = \"/x\""),
        &utf8_env(),
        &Flags::default(),
    )
    .unwrap_err();
    assert!(err.contains("config.toml:3:"), "{err}");
    assert!(err.contains("token_env and token_file"), "{err}");
    let err = settle(
        Some("token_command = \"pass 'show\""),
        &utf8_env(),
        &Flags::default(),
    )
    .unwrap_err();
    assert!(err.contains(":1:") && err.contains("quote"), "{err}");
}

#[test]
fn refusals_name_the_file_the_line_and_a_fix() {
    let cases: &[(&str, &str, &str)] = &[
        ("color = \"red\"\ntoken_envv = \"X\"\n", ":2:", "token_envv"),
        ("mode = \"readonly\"\n", ":1:", "read-only"),
        (
            "[profiles.a]\nbase_url = \"http://example.com\"\n",
            ":2:",
            "https://",
        ),
        ("base_url = [\n", ":1:", "config.toml"),
        ("[ui]\nno_colour = true\n", ":2:", "no_colour"),
        ("connect_timeout_secs = 0\n", ":1:", "1 to 600"),
        (
            "[keys.list]\nno_such_command = \"x\"\n",
            ":2:",
            "no_such_command",
        ),
        (
            "[profiles.default]\ncolor = \"red\"\n",
            ":1:",
            "top of the file",
        ),
        ("default_profile = \"nope\"\n", ":1:", "does not define"),
        ("sink = \"   \"\n", ":1:", "sink"),
    ];
    for (text, line, word) in cases {
        let Err(err) = settle(Some(text), &utf8_env(), &Flags::default()) else {
            panic!("{text:?} was accepted");
        };
        assert!(
            err.contains(&format!("config.toml{line}")),
            "{text:?}: {err}"
        );
        assert!(err.contains(word), "{text:?}: {err}");
    }
    let err = settle(
        Some(TWO_PROFILES),
        &utf8_env(),
        &Flags {
            profile: Some("qa".into()),
            ..Flags::default()
        },
    )
    .unwrap_err();
    assert!(
        err.contains("--profile") && err.contains("default, prod, staging"),
        "{err}"
    );
    let err = settle(
        None,
        &Environment {
            base_url: Some("http://api.example.com".into()),
            ..utf8_env()
        },
        &Flags::default(),
    )
    .unwrap_err();
    assert!(
        err.starts_with("SDX_KEYS_BASE_URL:") && err.contains("unencrypted"),
        "{err}"
    );
}

#[test]
fn the_example_config_parses_and_holds_the_defaults() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml"))
        .unwrap();
    let example = settle(Some(&text), &utf8_env(), &Flags::default()).unwrap();
    let builtin = settle(None, &utf8_env(), &Flags::default()).unwrap();
    assert_eq!(example.profile, builtin.profile);
    assert_eq!(example.base_url, builtin.base_url);
    assert_eq!(example.token, builtin.token);
    assert_eq!(example.band, builtin.band);
    assert_eq!(example.access, builtin.access);
    assert_eq!(example.reveal, RevealPolicy::Show);
    assert_eq!(example.reveal, builtin.reveal);
    assert_eq!(example.clipboard, ClipboardPolicy::Auto);
    assert_eq!(example.clipboard, builtin.clipboard);
    assert_eq!(example.connect_timeout, Duration::from_secs(5));
    assert_eq!(example.connect_timeout, builtin.connect_timeout);
    assert_eq!(example.request_timeout, builtin.request_timeout);
    assert_eq!(example.look, builtin.look);
    assert_eq!(example.keymap, builtin.keymap);
    assert_eq!(example.sink, builtin.sink);
    assert_eq!(example.ca_file, builtin.ca_file);

    // Every commented example line is a valid setting too: uncomment the settings, the
    // [keys] table and the profiles (one token source per profile), and parse again.
    let mut seen_token = false;
    let uncommented: String = text
        .lines()
        .filter_map(|line| {
            let Some(rest) = line.strip_prefix("# ") else {
                return Some(line.to_owned());
            };
            let setting = rest.starts_with('[')
                || rest.split_once(" = ").is_some_and(|(name, _)| {
                    name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            if !setting {
                return None;
            }
            if rest.starts_with("token_") && !rest.starts_with("[") {
                // The top level already names token_env; each profile names one.
                if !seen_token {
                    return None;
                }
            }
            if rest.starts_with("[profiles.") {
                seen_token = true;
            }
            if rest.starts_with("[ui]") {
                return None;
            }
            Some(rest.to_owned())
        })
        .collect::<Vec<_>>()
        .join("\n");
    let source = source(&uncommented);
    let config = parse(&source).unwrap_or_else(|err| panic!("{err}\n{uncommented}"));
    assert_eq!(config.profiles.len(), 2, "{uncommented}");
    resolve(&Flags::default(), &utf8_env(), Some((&source, &config)))
        .unwrap_or_else(|err| panic!("{err}\n{uncommented}"));
}

#[test]
fn a_ca_file_must_exist_and_hold_a_pem_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("not-a-cert.pem");
    std::fs::write(&garbage, "hello\n").unwrap();
    let text = format!("ca_file = \"{}\"", garbage.display());
    let settings = settle(Some(&text), &utf8_env(), &Flags::default()).unwrap();
    let err = sdx_keys::launch::client_options(&settings).unwrap_err().0;
    assert!(err.contains("no PEM certificate"), "{err}");
    let text = format!("ca_file = \"{}\"", dir.path().join("missing.pem").display());
    let settings = settle(Some(&text), &utf8_env(), &Flags::default()).unwrap();
    let err = sdx_keys::launch::client_options(&settings).unwrap_err().0;
    assert!(err.contains("cannot be read"), "{err}");
    let settings = settle(None, &utf8_env(), &Flags::default()).unwrap();
    let options = sdx_keys::launch::client_options(&settings).unwrap();
    assert_eq!(options.request_timeout, std::time::Duration::from_secs(20));
}
