//! The real binary: `sdx-keys emulator` prints where it listens (and a token), serves, and
//! exits 0 on SIGTERM or SIGINT; bad arguments and bad fixtures files fail with a reason.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process};

/// A generous bound so a broken binary fails the test instead of hanging it.
const PATIENCE: Duration = Duration::from_secs(20);

struct Running {
    child: Child,
    lines: mpsc::Receiver<String>,
}

fn spawn(args: &[&str]) -> Running {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sdx-keys"))
        .arg("emulator")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Running { child, lines }
}

impl Running {
    fn line(&self) -> String {
        self.lines.recv_timeout(PATIENCE).expect("a line on stdout")
    }

    fn stop(mut self, signal: Signal) -> std::process::ExitStatus {
        kill_process(Pid::from_child(&self.child), signal).unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(self.child.wait());
        });
        rx.recv_timeout(PATIENCE)
            .expect("exits after the signal")
            .unwrap()
    }
}

fn base_url(line: &str) -> String {
    let url = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("first line: {line}"));
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .expect("the loopback address")
        .parse()
        .unwrap();
    assert_ne!(port, 0, "the real port is printed");
    url.to_owned()
}

async fn list(base: &str, token: &str) -> (u16, serde_json::Value) {
    let response = reqwest::Client::new()
        .get(format!("{base}/api/keys"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn prints_address_and_token_serves_and_exits_0_on_sigterm() {
    let running = spawn(&["--listen", "127.0.0.1:0"]);
    let base = base_url(&running.line());
    let token = running
        .line()
        .strip_prefix("token: ")
        .expect("second line")
        .to_owned();
    assert!(!token.is_empty());
    assert_eq!(list(&base, &token).await, (200, serde_json::json!([])));
    assert_eq!(list(&base, "other").await.0, 401);
    assert!(running.stop(Signal::TERM).success());
}

#[tokio::test]
async fn given_tokens_fixtures_and_generated_keys() {
    let mut fixtures = tempfile::NamedTempFile::new().unwrap();
    write!(
        fixtures,
        "[[org]]\nid = \"org_a\"\n[[org.token]]\ntoken = \"a-jwt\"\ngrantable = [\"sites:read\"]\njwt = true\n"
    )
    .unwrap();
    let path = fixtures.path().to_str().unwrap().to_owned();
    let running = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--token",
        "mine",
        "--generate-keys",
        "7",
        "--seed",
        "3",
        "--fixtures",
        &path,
        "--validation-status",
        "422",
    ]);
    let base = base_url(&running.line());
    let jwt = sdx_keys::emulator::fixture_jwt("org_a", "a-jwt", &["sites:read".to_owned()]);
    assert_eq!(running.line(), format!("token: {jwt}"));
    let (status, keys) = list(&base, "mine").await;
    assert_eq!((status, keys.as_array().unwrap().len()), (200, 7));
    assert_eq!(list(&base, &jwt).await, (200, serde_json::json!([])));
    let response = reqwest::Client::new()
        .post(format!("{base}/api/keys"))
        .bearer_auth("mine")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 422);
    assert!(running.stop(Signal::INT).success());
}

#[tokio::test]
async fn a_seed_makes_the_made_up_token_and_keys_reproducible() {
    let mut seen = Vec::new();
    for _ in 0..2 {
        let running = spawn(&[
            "--listen",
            "127.0.0.1:0",
            "--seed",
            "11",
            "--generate-keys",
            "4",
        ]);
        let base = base_url(&running.line());
        let token = running.line();
        let token = token.strip_prefix("token: ").unwrap().to_owned();
        let (_, keys) = list(&base, &token).await;
        let ids: Vec<String> = keys
            .as_array()
            .unwrap()
            .iter()
            .map(|k| format!("{} {}", k["id"], k["client_id"]))
            .collect();
        seen.push((token, ids));
        assert!(running.stop(Signal::TERM).success());
    }
    assert_eq!(seen[0], seen[1]);
}

fn fails(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_sdx-keys"))
        .arg("emulator")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(output.stdout.is_empty(), "nothing on stdout for {args:?}");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn bad_arguments_and_fixtures_fail_with_a_reason() {
    let stderr = fails(&["--listen", "127.0.0.1:0", "--validation-status", "401"]);
    assert!(stderr.contains("400 or 422"), "{stderr}");
    let stderr = fails(&["--listen", "not-an-address"]);
    assert!(stderr.contains("--listen"), "{stderr}");
    let stderr = fails(&[
        "--listen",
        "127.0.0.1:0",
        "--fixtures",
        "/nonexistent/fixtures.toml",
    ]);
    assert!(
        stderr.contains("cannot read the fixtures file /nonexistent/fixtures.toml"),
        "{stderr}"
    );

    let mut bad = tempfile::NamedTempFile::new().unwrap();
    write!(
        bad,
        "[[org]]\nid = \"a\"\n[[org.key]]\nname = \"k\"\ncreated_at = \"yesterday\"\n"
    )
    .unwrap();
    let path = bad.path().to_str().unwrap();
    let stderr = fails(&["--listen", "127.0.0.1:0", "--fixtures", path]);
    assert!(
        stderr.contains(path) && stderr.contains("created_at"),
        "{stderr}"
    );
    let mut broken = tempfile::NamedTempFile::new().unwrap();
    write!(broken, "[[org]\nid = ").unwrap();
    let path = broken.path().to_str().unwrap();
    let stderr = fails(&["--listen", "127.0.0.1:0", "--fixtures", path]);
    assert!(
        stderr.contains(path) && stderr.contains("not valid"),
        "{stderr}"
    );
}
