//! End-to-end tests of the write paths of the real binary in a pseudo-terminal, against a
//! standalone emulator (`sdx-keys emulator`) or `--demo`: the creation wizard, the reveal
//! screen and its file delivery, rotate, delete, the creation journal and its recovery screen
//! (after a SIGKILL on the reveal screen and after a create whose answer was lost), and that no
//! secret or token ends up in any file sdx-keys writes besides the delivery files.
//!
//! Every test has its own temporary HOME and XDG directories and its own emulator on port 0;
//! the emulator and the TUI are killed by Drop guards, so a failing assertion leaves nothing
//! running.

mod pass_store;
mod pty;

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use pty::PtySession;
use rustix::process::Signal;

const BIN: &str = env!("CARGO_BIN_EXE_sdx-keys");
/// A generous bound so a broken binary fails the test instead of hanging it.
const LONG: Duration = Duration::from_secs(20);
/// The bearer token the emulator accepts and the TUI sends. Long and distinctive, so a leak
/// into a file is easy to find (a one-letter token would match everywhere).
const TOKEN: &str = "tok_E2E_create_9f8e7d6c5b4a_DO_NOT_LEAK";
const COLS: u16 = 120;
const ROWS: u16 = 40;

// ----- the standalone emulator -----

/// `sdx-keys emulator --listen 127.0.0.1:0 --token TOKEN`, killed when dropped.
struct Emulator {
    child: Child,
    base: String,
}

impl Emulator {
    fn start() -> Emulator {
        let mut child = Command::new(BIN)
            .args(["emulator", "--listen", "127.0.0.1:0", "--token", TOKEN])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the emulator starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            // Keep draining stdout until the emulator exits, so it never blocks on a write.
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let _ = tx.send(line);
            }
        });
        // Guard first, so the child is killed even if the first line is wrong.
        let mut emulator = Emulator {
            child,
            base: String::new(),
        };
        let first = lines
            .recv_timeout(LONG)
            .expect("the emulator prints where it listens");
        let base = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first}"));
        assert!(
            base.starts_with("http://127.0.0.1:") && !base.ends_with(":0"),
            "{first}"
        );
        emulator.base = base.to_owned();
        emulator
    }

    fn base(&self) -> &str {
        &self.base
    }

    /// `127.0.0.1:PORT`, as the journal and the header name the API host.
    fn host(&self) -> &str {
        self.base.strip_prefix("http://").unwrap()
    }

    /// One HTTP request to the emulator: (status, body).
    fn call(
        &self,
        method: &str,
        path: &str,
        bearer: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> (u16, String) {
        let url = format!("{}{path}", self.base);
        let method: reqwest::Method = method.parse().unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime for one request");
        runtime.block_on(async move {
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

    /// `GET /__emulator/whoami` with `bearer`: 200 for a live secret or a token, else 401.
    fn whoami(&self, bearer: &str) -> u16 {
        self.call("GET", "/__emulator/whoami", Some(bearer), None).0
    }

    /// The organisation's keys, from `GET /api/keys`.
    fn keys(&self) -> Vec<serde_json::Value> {
        let (status, body) = self.call("GET", "/api/keys", Some(TOKEN), None);
        assert_eq!(status, 200, "GET /api/keys: {body}");
        let value: serde_json::Value = serde_json::from_str(&body).expect("a JSON list");
        value.as_array().expect("a bare array").clone()
    }

    fn keys_named(&self, name: &str) -> Vec<serde_json::Value> {
        self.keys()
            .into_iter()
            .filter(|k| k["name"] == name)
            .collect()
    }

    fn add_fault(&self, rule: serde_json::Value) {
        let (status, body) = self.call("POST", "/__emulator/faults", None, Some(rule));
        assert!(
            (200..300).contains(&status),
            "adding a fault: {status} {body}"
        );
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ----- the temporary home -----

/// A temporary directory holding HOME, every XDG directory and the delivery files.
struct Sandbox {
    dir: tempfile::TempDir,
}

impl Sandbox {
    fn new() -> Sandbox {
        let dir = tempfile::tempdir().expect("a temp dir");
        for sub in ["home", "state", "config", "data", "cache", "runtime", "out"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::set_permissions(
            dir.path().join("runtime"),
            std::fs::Permissions::from_mode(0o700),
        )
        .unwrap();
        Sandbox { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_STATE_HOME/sdx-keys`, where `directories` puts the journal and the log on Linux.
    fn state_dir(&self) -> PathBuf {
        self.root().join("state").join("sdx-keys")
    }

    fn journal(&self) -> PathBuf {
        self.state_dir().join("journal.jsonl")
    }

    fn log(&self) -> PathBuf {
        self.state_dir().join("sdx-keys.log")
    }

    /// A path for a delivery file (not created).
    fn out(&self, name: &str) -> PathBuf {
        self.root().join("out").join(name)
    }

    fn env(&self) -> Vec<(String, String)> {
        let at = |sub: &str| self.root().join(sub).to_str().unwrap().to_owned();
        vec![
            ("HOME".into(), at("home")),
            ("XDG_STATE_HOME".into(), at("state")),
            ("XDG_CONFIG_HOME".into(), at("config")),
            ("XDG_DATA_HOME".into(), at("data")),
            ("XDG_CACHE_HOME".into(), at("cache")),
            ("XDG_RUNTIME_DIR".into(), at("runtime")),
        ]
    }

    /// The journal's lines, parsed.
    fn journal_lines(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.journal()).expect("the journal exists");
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).expect("a JSON journal line"))
            .collect()
    }
}

// ----- the TUI -----

/// sdx-keys against the emulator (`Some(base)`) or `--demo` (`None`), in a 120x40 pty.
fn tui(sandbox: &Sandbox, base: Option<&str>, extra: &[(&str, &str)]) -> PtySession {
    let mut env = sandbox.env();
    let mut args = Vec::new();
    match base {
        Some(base) => {
            env.push(("ALTOSTRAT_TOKEN".into(), TOKEN.into()));
            args.extend(["--base-url", base]);
        }
        None => args.push("--demo"),
    }
    for (key, value) in extra {
        env.push(((*key).into(), (*value).into()));
    }
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    PtySession::spawn(BIN, &args, &env, COLS, ROWS)
}

/// Waits for `text` on the screen, or fails the test showing the screen.
#[track_caller]
fn expect(session: &PtySession, text: &str) {
    assert!(
        session.wait_for(text, LONG),
        "waited {LONG:?} for {text:?}; the screen:\n{}",
        session.screen()
    );
}

/// Waits until the list table (its column header) is on screen, then for the frame to end.
#[track_caller]
fn expect_list(session: &PtySession) {
    expect(session, "Name ^");
    session.settle(Duration::from_millis(100), LONG);
}

/// Runs the wizard for `name`: types it, toggles the first group (Sites, 2 scopes) and
/// presses Enter on the review, which sends the create request.
#[track_caller]
fn run_wizard(session: &mut PtySession, name: &str) {
    session.send(b"n");
    expect(session, "New key, step 1 of 3: name");
    session.send(name.as_bytes());
    expect(session, &format!("{} of 3 to 100 characters", name.len()));
    session.send(b"\r");
    expect(session, "New key, step 2 of 3: permissions");
    // The focus starts on the first row, the Sites group header: Space toggles the group.
    session.send(b" ");
    expect(session, "2 selected");
    session.send(b"\r");
    expect(session, "New key, step 3 of 3: review and create");
    expect(session, "sites:write");
    session.send(b"\r");
}

/// Creates `name` through the wizard and waits for its reveal screen.
#[track_caller]
fn create_key(session: &mut PtySession, name: &str) {
    run_wizard(session, name);
    expect(session, &format!("New key {name}"));
    expect(session, "Not delivered yet");
    session.settle(Duration::from_millis(50), LONG);
}

/// The row of the reveal screen holding the secret (masked or shown).
fn secret_row(screen: &str) -> Option<String> {
    let line = screen.lines().find(|l| l.contains("Secret   "))?;
    let after = line.split_once("Secret   ")?.1;
    after.split_whitespace().next().map(str::to_owned)
}

/// Presses `v` on the reveal screen and reads the whole secret off the screen.
#[track_caller]
fn show_secret(session: &mut PtySession) -> String {
    let masked = secret_row(&session.screen()).expect("a secret row on the reveal screen");
    assert!(
        masked.starts_with("alto_sk_") && masked.contains('*'),
        "the secret is masked except its prefix at first: {masked}"
    );
    session.send(b"v");
    let deadline = Instant::now() + LONG;
    loop {
        if let Some(row) = secret_row(&session.screen())
            && !row.contains('*')
        {
            assert_eq!(
                row.chars().count(),
                masked.chars().count(),
                "shown and masked secrets differ in length"
            );
            return row;
        }
        assert!(
            Instant::now() < deadline,
            "v did not show the secret:\n{}",
            session.screen()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Writes the secret with `w` to `path` (a new file) and returns the file's trimmed content.
#[track_caller]
fn write_secret(session: &mut PtySession, path: &Path) -> String {
    assert!(!path.exists(), "{} exists already", path.display());
    session.send(b"w");
    expect(session, "Write to a file");
    session.send(path.to_str().unwrap().as_bytes());
    session.send(b"\r");
    expect(session, "Delivered to the file");
    let meta = std::fs::metadata(path).expect("the delivery file exists");
    assert!(meta.is_file());
    assert_eq!(
        meta.permissions().mode() & 0o777,
        0o600,
        "{} has mode {:o}",
        path.display(),
        meta.permissions().mode() & 0o777
    );
    let content = std::fs::read_to_string(path).unwrap();
    content.trim().to_owned()
}

/// Enter on the reveal screen (after a delivery) returns to the list.
#[track_caller]
fn back_to_list(session: &mut PtySession) {
    session.send(b"\r");
    assert!(
        session.wait_gone("Delivered to the file", LONG),
        "Enter after a delivery did not leave the reveal screen:\n{}",
        session.screen()
    );
    expect_list(session);
}

/// `q` from the list ends the program with status 0.
#[track_caller]
fn quit(mut session: PtySession) {
    session.send(b"q");
    let status = session.wait_exit(LONG);
    assert!(
        status.as_ref().is_some_and(|s| s.success()),
        "q did not end the program cleanly: {status:?}\n{}",
        session.screen()
    );
}

/// SIGKILL, then wait for the process to be gone.
#[track_caller]
fn kill_9(session: &mut PtySession) {
    session.signal(Signal::KILL);
    assert!(
        session.wait_exit(LONG).is_some(),
        "still running after SIGKILL"
    );
}

fn contains_bytes(haystack: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every regular file under `dir` (symlinks are not followed).
fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            files_under(&entry.path(), out);
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

// ----- the tests -----

#[test]
fn a_key_created_in_the_wizard_is_written_to_a_0600_file_that_authenticates() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let mut session = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&session, "No API keys yet");

    let name = "e2e file delivery";
    create_key(&mut session, name);
    let masked_screen = session.screen();
    // Enter before any delivery does not leave: it asks for the word discard; a wrong word
    // keeps asking, and Esc returns to the secret unchanged.
    session.send(b"\r");
    expect(&session, "Discard the secret?");
    session.send(b"nope\r");
    session.settle(Duration::from_millis(100), LONG);
    assert!(
        session.screen().contains("Discard the secret?"),
        "a wrong word left the question:\n{}",
        session.screen()
    );
    session.send(b"\x1b");
    assert!(
        session.wait_gone("Discard the secret?", LONG),
        "{}",
        session.screen()
    );
    expect(&session, "Not delivered yet");
    assert!(session.screen().contains(&format!("New key {name}")));
    let shown = show_secret(&mut session);
    let path = sandbox.out("first-secret.txt");
    let secret = write_secret(&mut session, &path);
    assert_eq!(secret, shown, "the file holds the secret the screen showed");
    assert!(
        !masked_screen.contains(&secret),
        "the secret was on screen before v:\n{masked_screen}"
    );
    assert_eq!(
        emulator.whoami(&secret),
        200,
        "the delivered secret does not authenticate"
    );

    back_to_list(&mut session);
    let screen = session.screen();
    assert!(
        screen.contains(name),
        "the list lacks the new key:\n{screen}"
    );
    assert!(screen.contains("1 key"), "{screen}");
    assert!(
        !screen.contains(&secret),
        "the secret is still on screen after leaving the reveal:\n{screen}"
    );
    assert_eq!(emulator.keys_named(name).len(), 1);

    let journal = sandbox.journal();
    assert!(journal.is_file(), "no journal at {}", journal.display());
    assert_eq!(mode(&journal), 0o600, "journal mode");
    assert_eq!(mode(&sandbox.state_dir()), 0o700, "state directory mode");
    let bytes = std::fs::read(&journal).unwrap();
    assert!(
        !contains_bytes(&bytes, &secret),
        "the journal holds the secret"
    );
    assert!(
        !contains_bytes(&bytes, TOKEN),
        "the journal holds the token"
    );
    // It is the real journal of this create: intent, created and the file outcome.
    let kinds: Vec<String> = sandbox
        .journal_lines()
        .iter()
        .map(|l| match l["kind"].as_str().unwrap() {
            "outcome" => format!("outcome:{}", l["outcome"].as_str().unwrap()),
            kind => kind.to_owned(),
        })
        .collect();
    assert_eq!(
        kinds,
        ["intent", "created", "action", "outcome:delivered_file"],
        "{kinds:?}"
    );
    // The action journal holds the command that does the same from a shell.
    let action = sandbox
        .journal_lines()
        .into_iter()
        .find(|l| l["kind"] == "action")
        .unwrap();
    let command = action["command"].as_str().unwrap();
    assert!(
        command.starts_with("sdx-keys create --name ") && command.contains("--permission"),
        "{command}"
    );
    assert_eq!(action["ok"], true);
    quit(session);
}

#[test]
fn rotate_shows_a_new_secret_and_the_old_one_stops_authenticating() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let mut session = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&session, "No API keys yet");

    let name = "e2e rotate me";
    create_key(&mut session, name);
    let old = write_secret(&mut session, &sandbox.out("old-secret.txt"));
    back_to_list(&mut session);
    assert_eq!(emulator.whoami(&old), 200);
    let id_before = emulator.keys_named(name)[0]["id"].clone();

    session.send(b"R");
    expect(&session, &format!("Rotate {name}?"));
    session.send(b"y");
    expect(&session, &format!("New secret of {name}"));
    expect(&session, "Not delivered yet");
    let new = write_secret(&mut session, &sandbox.out("new-secret.txt"));
    assert_ne!(old, new, "rotate issued the same secret");
    assert_eq!(
        emulator.whoami(&old),
        401,
        "the old secret still authenticates after rotate"
    );
    assert_eq!(
        emulator.whoami(&new),
        200,
        "the new secret does not authenticate"
    );
    back_to_list(&mut session);
    assert!(!session.screen().contains(&new));
    let keys = emulator.keys_named(name);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0]["id"], id_before, "rotate keeps the key id");
    quit(session);
}

#[test]
fn delete_after_typing_the_name_removes_the_key_from_the_list_and_the_api() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let mut session = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&session, "No API keys yet");

    let name = "e2e delete me";
    create_key(&mut session, name);
    let secret = write_secret(&mut session, &sandbox.out("secret.txt"));
    back_to_list(&mut session);
    assert_eq!(emulator.keys_named(name).len(), 1);

    session.send(b"d");
    expect(&session, &format!("Delete {name}?"));
    session.send(name.as_bytes());
    session.send(b"\r");
    expect(&session, "No API keys yet");
    let screen = session.screen();
    assert!(screen.contains("0 keys"), "{screen}");
    assert!(
        !screen.contains("alto_sk_"),
        "a key row is still listed:\n{screen}"
    );
    assert!(
        emulator.keys_named(name).is_empty(),
        "the emulator still holds the key: {:?}",
        emulator.keys()
    );
    assert_eq!(
        emulator.whoami(&secret),
        401,
        "a deleted key's secret still authenticates"
    );
    quit(session);
}

#[test]
fn sigkill_on_the_reveal_screen_is_offered_for_recovery_at_the_next_start_once() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let name = "e2e killed reveal";

    let mut first = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&first, "No API keys yet");
    create_key(&mut first, name);
    kill_9(&mut first);
    drop(first);
    assert_eq!(emulator.keys_named(name).len(), 1);
    // The journal holds the create without an outcome.
    let lines = sandbox.journal_lines();
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "created" && l["name"] == name),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l["kind"] == "outcome"), "{lines:?}");
    assert!(
        lines.iter().any(|l| l["kind"] == "intent"
            && l["api_host"] == emulator.host()
            && l["demo"] == false),
        "the intent names this API host: {lines:?}"
    );

    // Second start: the recovery screen names the key.
    let mut second = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&second, "Recovery: secrets never confirmed saved");
    expect(&second, &format!("{name} was created at"));
    expect(&second, "never confirmed saved.");
    let key_id = emulator.keys_named(name)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        second.screen().contains(&key_id),
        "the recovery screen does not show the key's id {key_id}:\n{}",
        second.screen()
    );
    second.send(b"K");
    expect_list(&second);
    assert!(!second.screen().contains("Recovery"), "{}", second.screen());
    quit(second);
    let lines = sandbox.journal_lines();
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "outcome" && l["outcome"] == "kept"),
        "K did not record the key as kept: {lines:?}"
    );
    // The key is still there, untouched.
    assert_eq!(emulator.keys_named(name).len(), 1);

    // Third start: nothing to recover.
    let third = tui(&sandbox, Some(emulator.base()), &[]);
    expect_list(&third);
    let screen = third.screen();
    assert!(screen.contains(name), "{screen}");
    assert!(
        !screen.contains("Recovery") && !screen.contains("never confirmed saved"),
        "the recovery screen came back after K:\n{screen}"
    );
    quit(third);
}

#[test]
fn a_demo_journal_record_is_never_offered_for_recovery() {
    let sandbox = Sandbox::new();
    let name = "e2e demo killed";

    let mut first = tui(&sandbox, None, &[]);
    expect(&first, "alto_sk_");
    expect_list(&first);
    create_key(&mut first, name);
    kill_9(&mut first);
    drop(first);
    // The demo's create is journalled (so the check below means something), marked demo.
    let lines = sandbox.journal_lines();
    let intent = lines
        .iter()
        .find(|l| l["kind"] == "intent" && l["name"] == name)
        .unwrap_or_else(|| panic!("no intent for the demo create: {lines:?}"));
    assert_eq!(intent["demo"], true, "{intent}");
    assert!(!lines.iter().any(|l| l["kind"] == "outcome"), "{lines:?}");
    let host = intent["api_host"].as_str().unwrap();
    let unresolved = sdx_keys::journal::Journal::at(sandbox.journal())
        .unresolved(host)
        .expect("the journal reads");
    assert!(
        unresolved.is_empty(),
        "a demo record counts as unresolved: {unresolved:?}"
    );

    let second = tui(&sandbox, None, &[]);
    expect_list(&second);
    let screen = second.screen();
    assert!(
        !screen.contains("Recovery") && !screen.contains("never confirmed saved"),
        "a --demo start offered a demo record:\n{screen}"
    );
    quit(second);
}

#[test]
fn a_create_whose_answer_is_lost_is_found_by_name_and_not_sent_again() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let mut session = tui(&sandbox, Some(emulator.base()), &[]);
    expect(&session, "No API keys yet");
    emulator.add_fault(serde_json::json!({
        "kind": "commit_then_reset",
        "method": "POST",
        "path": "/api/keys",
    }));

    let name = "e2e lost answer";
    run_wizard(&mut session, name);
    expect(&session, "Recovery: secrets never confirmed saved");
    expect(&session, "A request got no answer, but the key exists");
    expect(&session, &format!("{name} was created at"));
    expect(&session, "Found by its name");
    let keys = emulator.keys_named(name);
    assert_eq!(
        keys.len(),
        1,
        "the emulator should hold exactly one key named {name:?}: {keys:?}"
    );
    let key_id = keys[0]["id"].as_str().unwrap();
    assert!(
        session.screen().contains(key_id),
        "the recovery screen does not show {key_id}:\n{}",
        session.screen()
    );
    // The journal has the intent, and no `created` (the answer never came).
    let lines = sandbox.journal_lines();
    assert!(
        lines
            .iter()
            .any(|l| l["kind"] == "intent" && l["name"] == name),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l["kind"] == "created"), "{lines:?}");

    session.send(b"K");
    expect_list(&session);
    assert_eq!(
        emulator.keys_named(name).len(),
        1,
        "a create was sent again"
    );
    quit(session);
    assert_eq!(emulator.keys().len(), 1, "{:?}", emulator.keys());
}

#[test]
fn no_secret_or_token_reaches_any_file_but_the_deliveries_even_at_trace_level() {
    let sandbox = Sandbox::new();
    let emulator = Emulator::start();
    let mut session = tui(
        &sandbox,
        Some(emulator.base()),
        &[("SDX_KEYS_LOG", "trace")],
    );
    expect(&session, "No API keys yet");

    let name = "e2e hygiene";
    create_key(&mut session, name);
    show_secret(&mut session);
    let first_path = sandbox.out("created.txt");
    let first = write_secret(&mut session, &first_path);
    back_to_list(&mut session);
    session.send(b"R");
    expect(&session, &format!("Rotate {name}?"));
    session.send(b"y");
    expect(&session, &format!("New secret of {name}"));
    expect(&session, "Not delivered yet");
    show_secret(&mut session);
    let second_path = sandbox.out("rotated.txt");
    let second = write_secret(&mut session, &second_path);
    back_to_list(&mut session);
    quit(session);
    assert_eq!(emulator.whoami(&second), 200);

    // The log was really written at trace level (else this test proves nothing about it).
    let log = std::fs::read(sandbox.log()).expect("the log file exists");
    assert!(
        log.len() > 1000,
        "the trace log is nearly empty ({} bytes)",
        log.len()
    );
    assert_eq!(mode(&sandbox.log()), 0o600, "log mode");

    // Each secret, its part after the 13-character prefix (a partial leak), and the token.
    let mut needles = vec![TOKEN.to_owned()];
    for secret in [&first, &second] {
        assert!(secret.len() > 20, "{secret}");
        needles.push(secret.clone());
        needles.push(secret[13..].to_owned());
    }
    let mut files = Vec::new();
    files_under(sandbox.root(), &mut files);
    assert!(files.contains(&sandbox.journal()), "{files:?}");
    let mut leaks = Vec::new();
    for file in &files {
        if file == &first_path || file == &second_path {
            continue;
        }
        let bytes = std::fs::read(file).unwrap();
        for needle in &needles {
            if contains_bytes(&bytes, needle) {
                let what = if needle == TOKEN {
                    "the token"
                } else {
                    "a secret"
                };
                leaks.push(format!("{} holds {what}", file.display()));
            }
        }
    }
    assert!(leaks.is_empty(), "leaks: {leaks:#?}\nfiles: {files:#?}");
}

/// `s` with `SDX_KEYS_SINK` set to a real `pass` store: the binary pipes the secret to
/// `pass insert`, reports the sink's exit 0, lets Enter leave, and `pass show` prints the
/// secret the screen showed. Skipped without pass and gpg, except under `CI=true`.
#[test]
fn the_sink_in_sdx_keys_sink_stores_the_secret_in_a_real_pass_store() {
    if !pass_store::pass_and_gpg_are_installed() {
        return;
    }
    let store = pass_store::Store::create();
    let sandbox = Sandbox::new();
    let sink = pass_store::pass_sink(&store);
    let mut session = tui(&sandbox, None, &[("SDX_KEYS_SINK", &sink)]);
    expect_list(&session);
    create_key(&mut session, "pass delivered");
    let secret = show_secret(&mut session);
    let id = session
        .screen()
        .lines()
        .find_map(|line| line.split_whitespace().find(|w| w.starts_with("api_key_")))
        .map(str::to_owned)
        .expect("the key id on the reveal screen");
    session.send(b"s");
    expect(&session, "Delivered to the sink");
    expect(&session, "it exited 0");
    session.send(b"\r");
    assert!(
        session.wait_gone("Delivered to the sink", LONG),
        "Enter after the sink did not leave:\n{}",
        session.screen()
    );
    expect_list(&session);
    let shown = store.run("pass", &["show", &format!("sdx/{id}")]);
    assert!(shown.status.success(), "pass show: {shown:?}");
    assert_eq!(
        String::from_utf8_lossy(&shown.stdout),
        format!("{secret}\n")
    );
    quit(session);
}
