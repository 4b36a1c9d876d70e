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
