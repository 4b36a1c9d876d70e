//! The harness of `tests/cli.rs`: an in-process emulator of the API (with direct HTTP calls
//! to check its state: the keys, and whether a secret authenticates), a private temporary
//! HOME with its XDG directories, and running the real `sdx-keys` binary in a clean
//! environment with stdin null and stdout and stderr piped (so neither is a terminal), with a
//! deadline so a hanging binary fails the test instead of blocking it.
#![allow(dead_code)]

use std::ffi::OsString;
use std::io::Read;
use std::net::SocketAddr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, kill_process};
use sdx_keys::emulator::{self, EmulatorConfig, ValidationStatus};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_sdx-keys");
/// The bearer token the emulator accepts. Long and distinctive, so a leak is easy to find.
pub const TOKEN: &str = "tok_CLI_test_7a6b5c4d3e2f_DO_NOT_LEAK";
/// The OS user the binary is told it runs as (`USER`), as the action journal records it.
pub const USER: &str = "clitester";
/// A generous bound so a broken binary fails the test instead of hanging it.
pub const LONG: Duration = Duration::from_secs(30);

// ----- the emulator -----

/// An emulator served by its own runtime; stopped when dropped.
pub struct Api {
    runtime: tokio::runtime::Runtime,
    emulator: Option<emulator::Emulator>,
    base: String,
}

impl Api {
    /// An organisation without keys, managed by [`TOKEN`].
    pub fn start() -> Api {
        Api::with_generated(0)
    }

    /// An organisation with `n` plausible generated keys (as `--generate-keys N`).
    pub fn with_generated(n: usize) -> Api {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the emulator");
        let config = EmulatorConfig {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            tokens: vec![TOKEN.to_owned()],
            seed: None,
            names_seed: None,
            generate_keys: n,
            fixtures_toml: None,
            validation_status: ValidationStatus::default(),
            admin_token: None,
        };
        let emulator = runtime
            .block_on(emulator::start(config))
            .expect("the emulator starts");
        let base = emulator.base_url();
        Api {
            runtime,
            emulator: Some(emulator),
            base,
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// `127.0.0.1:PORT`, as the journal names the API host.
    pub fn host(&self) -> &str {
        self.base.strip_prefix("http://").unwrap()
    }

    /// One HTTP request to the emulator: (status, body).
    pub fn call(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
    ) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        let method: reqwest::Method = method.parse().unwrap();
        self.runtime.block_on(async move {
            let client = reqwest::Client::builder()
                .no_proxy()
                .timeout(LONG)
                .build()
                .unwrap();
            let mut request = client.request(method, url);
            if let Some(bearer) = bearer {
                request = request.bearer_auth(bearer);
            }
            if let Some(body) = body {
                request = request.json(&body);
            }
            let response = request.send().await.expect("the emulator answers");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        })
    }

    /// `GET /__emulator/whoami` with `bearer`: 200 for a live secret (whose `last_used_at`
    /// it stamps) or a token, else 401.
    pub fn whoami(&self, bearer: &str) -> u16 {
        self.call("GET", "/__emulator/whoami", Some(bearer), None).0
    }

    /// The organisation's keys, from `GET /api/keys`.
    pub fn keys(&self) -> Vec<Value> {
        let (status, body) = self.call("GET", "/api/keys", Some(TOKEN), None);
        assert_eq!(status, 200, "GET /api/keys: {body}");
        let value: Value = serde_json::from_str(&body).expect("a JSON list");
        value.as_array().expect("a bare array").clone()
    }

    pub fn keys_named(&self, name: &str) -> Vec<Value> {
        self.keys()
            .into_iter()
            .filter(|k| k["name"] == name)
            .collect()
    }

    /// The key with this id, if it exists.
    pub fn key(&self, id: &str) -> Option<Value> {
        self.keys().into_iter().find(|k| k["id"] == id)
    }

    /// Creates a key straight through the API (test setup): (id, secret).
    pub fn create_key(&self, name: &str, scopes: &[&str]) -> (String, String) {
        let (status, body) = self.call(
            "POST",
            "/api/keys",
            Some(TOKEN),
            Some(serde_json::json!({ "name": name, "permissions": scopes })),
        );
        assert!(
            (200..300).contains(&status),
            "POST /api/keys: {status} {body}"
        );
        let value: Value = serde_json::from_str(&body).expect("a JSON envelope");
        let id = value["data"]["key"]["id"]
            .as_str()
            .expect("an id")
            .to_owned();
        let secret = value["data"]["secret"]
            .as_str()
            .expect("a secret")
            .to_owned();
        (id, secret)
    }
}

impl Drop for Api {
    fn drop(&mut self) {
        if let Some(emulator) = self.emulator.take() {
            self.runtime.block_on(emulator.shutdown());
        }
    }
}

// ----- the temporary home -----

/// A temporary directory holding HOME, the XDG directories and files the tests make.
pub struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    pub fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temp dir");
        for sub in ["home", "state", "config", "out"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        Sandbox { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_STATE_HOME/sdx-keys/journal.jsonl`, where `private_files::state_dir` (through
    /// `directories::ProjectDirs`) puts the journal on Linux.
    pub fn journal(&self) -> PathBuf {
        self.root()
            .join("state")
            .join("sdx-keys")
            .join("journal.jsonl")
    }

    /// `$XDG_CONFIG_HOME/sdx-keys/config.toml`, the default config file.
    pub fn default_config(&self) -> PathBuf {
        self.root()
            .join("config")
            .join("sdx-keys")
            .join("config.toml")
    }

    /// A path in the `out` folder (not created).
    pub fn out(&self, name: &str) -> PathBuf {
        self.root().join("out").join(name)
    }

    /// Writes `text` to `path` (making its folder) with `mode`.
    pub fn write_file(&self, path: &Path, text: &str, mode: u32) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    /// `sdx-keys ARGS` in this sandbox: no token, no base URL, nothing else set.
    pub fn cli(&self) -> Cli {
        let at = |sub: &str| self.root().join(sub);
        let mut command = Command::new(BIN);
        command
            .env_clear()
            .env(
                "PATH",
                std::env::var_os("PATH").unwrap_or_else(default_path),
            )
            .env("HOME", at("home"))
            .env("XDG_STATE_HOME", at("state"))
            .env("XDG_CONFIG_HOME", at("config"))
            .env("LANG", "C.UTF-8")
            .env("USER", USER)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        Cli { command }
    }

    /// `sdx-keys --base-url API ARGS` with `ALTOSTRAT_TOKEN` set to [`TOKEN`].
    pub fn against(&self, api: &Api) -> Cli {
        self.cli()
            .env("ALTOSTRAT_TOKEN", TOKEN)
            .args(["--base-url", api.base()])
    }

    /// The journal's text ("" when there is none yet).
    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).unwrap_or_default()
    }
}

fn default_path() -> OsString {
    OsString::from("/usr/local/bin:/usr/bin:/bin")
}

// ----- running the binary -----

/// One `sdx-keys` command line, ready to run.
pub struct Cli {
    command: Command,
}

impl Cli {
    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Cli {
        self.command.env(key, value);
        self
    }

    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Cli {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Cli
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.command.args(args);
        self
    }

    /// Runs it to the end (at most [`LONG`]).
    #[track_caller]
    pub fn run(mut self) -> Ran {
        let started = Instant::now();
        let child = self.command.spawn().expect("sdx-keys starts");
        let shown = format!("{:?}", self.command.get_args().collect::<Vec<_>>());
        let (code, stdout, stderr) = wait(child, &shown);
        Ran {
            args: shown,
            code,
            stdout,
            stderr,
            elapsed: started.elapsed(),
        }
    }

    /// Starts it and returns the child, for tests that drive its pipes themselves.
    pub fn spawn(mut self) -> Child {
        self.command.spawn().expect("sdx-keys starts")
    }
}

/// Waits for `child` (at most [`LONG`], then kills it and fails): (exit code, stdout,
/// stderr). A signal death is code `None`.
#[track_caller]
pub fn wait(child: Child, shown: &str) -> (Option<i32>, String, String) {
    let pid = Pid::from_child(&child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(child.wait_with_output());
    });
    match rx.recv_timeout(LONG) {
        Ok(output) => {
            let output = output.expect("waiting for sdx-keys");
            (
                output.status.code(),
                String::from_utf8_lossy(&output.stdout).into_owned(),
                String::from_utf8_lossy(&output.stderr).into_owned(),
            )
        }
        Err(_) => {
            let _ = kill_process(pid, Signal::KILL);
            panic!("sdx-keys {shown} did not finish within {LONG:?}");
        }
    }
}

/// Reads exactly one byte from a child's stdout.
pub fn read_one_byte(stdout: &mut impl Read) -> u8 {
    let mut byte = [0u8];
    stdout.read_exact(&mut byte).expect("one byte of output");
    byte[0]
}

/// How one run ended.
#[derive(Debug)]
pub struct Ran {
    pub args: String,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Ran {
    /// Fails unless the exit status is `code`, showing everything the run printed.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Ran {
        assert_eq!(
            self.code,
            Some(code),
            "sdx-keys {} exited {:?}, expected {code}\n--- stdout:\n{}\n--- stderr:\n{}",
            self.args,
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Exit 0.
    #[track_caller]
    pub fn ok(&self) -> &Ran {
        self.expect_code(0)
    }

    /// Fails with `code`: one `sdx-keys: ` line on stderr, nothing on stdout.
    #[track_caller]
    pub fn fails(&self, code: i32) -> &Ran {
        self.expect_code(code);
        assert!(
            self.stdout.is_empty(),
            "sdx-keys {} failed but printed on stdout:\n{}",
            self.args,
            self.stdout
        );
        assert!(
            self.stderr.starts_with("sdx-keys: ")
                && self.stderr.len() > "sdx-keys: ".len() + 10
                && self.stderr.trim_end().lines().count() == 1,
            "sdx-keys {}: expected one line `sdx-keys: SENTENCE` on stderr, got:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// Stderr contains `text`.
    #[track_caller]
    pub fn says(&self, text: &str) -> &Ran {
        assert!(
            self.stderr.contains(text),
            "sdx-keys {}: stderr does not say {text:?}:\n{}",
            self.args,
            self.stderr
        );
        self
    }

    /// Stdout parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|err| {
            panic!(
                "sdx-keys {}: stdout is not JSON ({err}):\n{}",
                self.args, self.stdout
            )
        })
    }

    /// The last non-empty line of stdout.
    #[track_caller]
    pub fn last_line(&self) -> String {
        self.stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_else(|| panic!("sdx-keys {}: nothing on stdout", self.args))
            .to_owned()
    }
}
