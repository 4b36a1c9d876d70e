//! The tmux clipboard route against a real tmux server on a private socket: the secret lands
//! in the `sdx-keys` buffer exactly (no newline), never on the screen, and is deleted again.
//! Skipped when tmux is missing, except under `CI=true`, where tmux is required. This file
//! must never touch the operator's own tmux server (the socket is always given).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sdx_keys::delivery::clipboard::{TMUX_BUFFER, tmux_delete_buffer, tmux_load};
use secrecy::SecretString;

/// A tmux server on a socket in a temporary folder, killed when dropped (also on failure).
struct TmuxServer {
    socket: PathBuf,
    _folder: tempfile::TempDir,
}

impl TmuxServer {
    fn start() -> TmuxServer {
        let folder = tempfile::tempdir().unwrap();
        let socket = folder.path().join("tmux.sock");
        let server = TmuxServer {
            socket,
            _folder: folder,
        };
        let output = server.tmux(&[
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            "80",
            "-y",
            "24",
        ]);
        assert!(output.status.success(), "tmux new-session: {output:?}");
        server
    }

    fn tmux(&self, args: &[&str]) -> Output {
        tmux_on(&self.socket, args)
    }
}

impl Drop for TmuxServer {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn tmux_on(socket: &Path, args: &[&str]) -> Output {
    Command::new("tmux")
        .arg("-S")
        .arg(socket)
        .args(args)
        .env_remove("TMUX")
        .output()
        .unwrap()
}

/// Whether tmux can run here; without it the test is skipped, or fails under CI.
fn tmux_is_installed() -> bool {
    if Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|out| out.status.success())
    {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "tmux is required for this test when CI=true (.ci/run installs it), but it is not installed."
    );
    eprintln!("skipped: tmux not installed");
    false
}

#[tokio::test]
async fn the_secret_goes_to_a_tmux_buffer_not_the_screen_and_is_deleted() {
    if !tmux_is_installed() {
        return;
    }
    let server = TmuxServer::start();
    let fake = "sdx_fake_tmux_5f4e3d2c1b0a";
    let secret = SecretString::from(fake);

    tmux_load(Some(&server.socket), &secret).await.unwrap();

    let shown = server.tmux(&["show-buffer", "-b", TMUX_BUFFER]);
    assert!(shown.status.success(), "{shown:?}");
    assert_eq!(String::from_utf8_lossy(&shown.stdout), fake);
    let screen = server.tmux(&["capture-pane", "-p"]);
    assert!(screen.status.success(), "{screen:?}");
    assert!(!String::from_utf8_lossy(&screen.stdout).contains(fake));

    tmux_delete_buffer(Some(&server.socket)).await.unwrap();
    let gone = server.tmux(&["show-buffer", "-b", TMUX_BUFFER]);
    assert!(
        !gone.status.success(),
        "the buffer is still there: {gone:?}"
    );

    // deleting again, or once the server is gone, is not an error
    tmux_delete_buffer(Some(&server.socket)).await.unwrap();
    let socket = server.socket.clone();
    drop(server);
    tmux_delete_buffer(Some(&socket)).await.unwrap();
}

#[tokio::test]
async fn a_failing_tmux_is_a_sentence_without_the_secret() {
    if !tmux_is_installed() {
        return;
    }
    let folder = tempfile::tempdir().unwrap();
    let no_server = folder.path().join("none.sock");
    let secret = SecretString::from("sdx_fake_tmux_never_shown");
    let err = tmux_load(Some(&no_server), &secret).await.unwrap_err();
    assert!(err.0.starts_with("tmux could not copy the secret"), "{err}");
    assert!(!err.0.contains("sdx_fake_tmux_never_shown"), "{err}");
}

/// Polls `capture-pane` (bounded) until the pane shows `text`; returns the last capture.
fn wait_for_pane(server: &TmuxServer, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let captured = server.tmux(&["capture-pane", "-p", "-t", "app"]);
        let screen = String::from_utf8_lossy(&captured.stdout).into_owned();
        if screen.contains(text) || std::time::Instant::now() > deadline {
            return screen;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// The real binary inside a tmux pane (so `$TMUX` points at this private server): `c` on the
/// reveal screen puts the secret in tmux's `sdx-keys` buffer and nowhere in the pane; leaving
/// the reveal screen deletes the buffer.
#[test]
fn the_binary_inside_tmux_copies_through_a_buffer_it_deletes_on_leaving() {
    if !tmux_is_installed() {
        return;
    }
    let server = TmuxServer::start();
    let state = tempfile::tempdir().unwrap();
    let started = server.tmux(&[
        "new-window",
        "-d",
        "-n",
        "app",
        "-e",
        &format!("XDG_STATE_HOME={}", state.path().display()),
        env!("CARGO_BIN_EXE_sdx-keys"),
        "--demo",
    ]);
    assert!(started.status.success(), "{started:?}");
    let _ = server.tmux(&["resize-window", "-t", "app", "-x", "100", "-y", "30"]);
    let keys = |keys: &[&str]| {
        let mut args = vec!["send-keys", "-t", "app"];
        args.extend_from_slice(keys);
        let sent = server.tmux(&args);
        assert!(sent.status.success(), "{sent:?}");
    };
    let screen = wait_for_pane(&server, "alto_sk_");
    assert!(screen.contains("DEMO"), "{screen}");
    keys(&["n"]);
    wait_for_pane(&server, "step 1 of 3");
    keys(&["-l", "tmux copy"]);
    keys(&["Enter"]);
    wait_for_pane(&server, "step 2 of 3");
    keys(&["Space", "Enter"]);
    wait_for_pane(&server, "step 3 of 3");
    keys(&["Enter"]);
    let screen = wait_for_pane(&server, "only time");
    assert!(screen.contains("only time"), "{screen}");
    keys(&["c"]);
    let screen = wait_for_pane(&server, "through tmux");
    assert!(screen.contains("cannot confirm it"), "{screen}");

    let buffer = server.tmux(&["show-buffer", "-b", TMUX_BUFFER]);
    assert!(buffer.status.success(), "{buffer:?}");
    let secret = String::from_utf8(buffer.stdout).unwrap();
    assert!(secret.starts_with("alto_sk_"), "{secret}");
    assert!(
        !screen.contains(&secret),
        "the secret is in the pane's text"
    );
    let history = server.tmux(&["capture-pane", "-p", "-S", "-", "-t", "app"]);
    assert!(!String::from_utf8_lossy(&history.stdout).contains(&secret));

    keys(&["p", "Enter"]);
    wait_for_pane(&server, "R rotate");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while server
        .tmux(&["show-buffer", "-b", TMUX_BUFFER])
        .status
        .success()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the tmux buffer is still there after leaving the reveal screen"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
