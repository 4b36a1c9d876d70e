//! Issue 8's first finding, played as the other user would: a thread that becomes uid 65534
//! (as root, with `set_thread_res_uid`, which changes only that thread) binds a loopback
//! port; sdx-keys pointed at it with a real-looking token must send it no byte, refuse with
//! exit 2 before anything else, and say whose port it is. The client's own per-connection
//! check is tested too, without the start-up check in front of it.
//!
//! It needs root to become another user. Under `CI=true` it fails when it cannot run (CI runs
//! as root); elsewhere it says it skipped.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use sdx_keys::api::{ApiClient, ApiError, ClientOptions};
use secrecy::SecretString;

const NOBODY: u32 = 65534;
const TOKEN: &str = "a-real-looking-token-0123456789";

/// A listener owned by uid 65534: its port, and a channel that reports every byte it got.
fn foreign_listener() -> Option<(u16, mpsc::Receiver<usize>)> {
    if !rustix::process::getuid().is_root() {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v != "true"),
            "this test must run as root under CI=true, to become another user"
        );
        eprintln!("skipped: becoming another user (uid {NOBODY}) needs root");
        return None;
    }
    let (port_tx, port_rx) = mpsc::channel();
    let (bytes_tx, bytes_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let nobody = rustix::process::Uid::from_raw(NOBODY);
        rustix::thread::set_thread_res_uid(nobody, nobody, nobody).expect("become nobody");
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        port_tx.send(listener.local_addr().unwrap().port()).unwrap();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 4096];
            let mut got = 0;
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                got += n;
            }
            if bytes_tx.send(got).is_err() {
                break;
            }
        }
    });
    let port = port_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    Some((port, bytes_rx))
}

#[test]
fn the_cli_refuses_another_users_loopback_listener_before_sending_a_byte() {
    let Some((port, bytes)) = foreign_listener() else {
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_sdx-keys"))
        .args(["--base-url", &format!("http://127.0.0.1:{port}"), "list"])
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.to_lowercase().contains(&format!("port {port}")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&NOBODY.to_string()),
        "names the owner: {stderr}"
    );
    assert!(stderr.contains("https"), "says the fix: {stderr}");
    assert!(!stderr.contains(TOKEN));
    // The connection was checked before anything was written to it.
    let got: usize = bytes.try_iter().sum();
    assert_eq!(got, 0, "the foreign listener received {got} bytes");
}

#[tokio::test]
async fn the_client_checks_every_connection_itself() {
    let Some((port, bytes)) = foreign_listener() else {
        return;
    };
    let options = ClientOptions {
        base_url: format!("http://127.0.0.1:{port}"),
        max_attempts: 1,
        ..ClientOptions::default()
    };
    let client = ApiClient::new(options, SecretString::from(TOKEN)).unwrap();
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    let ApiError::Refused { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(detail.contains("held by another user"), "{detail}");
    // The connection was closed without a byte: the listener saw it end with nothing.
    let got = bytes.recv_timeout(Duration::from_secs(5)).unwrap();
    assert_eq!(got, 0, "the foreign listener received {got} bytes");
}

#[test]
fn a_signed_jwt_never_goes_over_plain_http() {
    let home = tempfile::tempdir().unwrap();
    // header {"alg":"HS256"}, payload {}, a signature.
    let jwt = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl";
    let output = Command::new(env!("CARGO_BIN_EXE_sdx-keys"))
        .args(["--base-url", "http://127.0.0.1:1", "list"])
        .env_clear()
        .env("HOME", home.path())
        .env("ALTOSTRAT_TOKEN", jwt)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("signed JWT"), "{stderr}");
    assert!(!stderr.contains(jwt));
}
