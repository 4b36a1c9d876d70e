//! The emulator against a neighbour who can reach its port (issue 8): admin routes refuse
//! before reading a body, bodies are capped by their declared length, and connections beyond
//! the cap are closed while the API keeps answering. Raw sockets, so the test controls
//! exactly which bytes are sent and when.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use sdx_keys::emulator::{self, Emulator, EmulatorConfig, ValidationStatus};

const TOKEN: &str = "limits-token";
const ADMIN: &str = "limits-admin";

async fn start() -> Emulator {
    emulator::start(EmulatorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![TOKEN.to_owned()],
        seed: None,
        names_seed: None,
        generate_keys: 3,
        fixtures_toml: None,
        validation_status: ValidationStatus::BadRequest,
        admin_token: Some(ADMIN.to_owned()),
    })
    .await
    .unwrap()
}

fn addr(emulator: &Emulator) -> String {
    emulator.base_url().trim_start_matches("http://").to_owned()
}

/// Sends `head` (and no body), then reads the status line; the read gives up after 5 s, so a
/// server that waits for the body it was promised fails the test instead of hanging it.
fn status_without_body(addr: &str, head: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = [0u8; 64];
    let read = stream.read(&mut answer).unwrap_or(0);
    String::from_utf8_lossy(&answer[..read])
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_routes_refuse_before_reading_a_body_and_cap_what_they_read() {
    let emulator = start().await;
    let addr = addr(&emulator);
    let promised = 1_900_000;
    let answered = tokio::task::spawn_blocking(move || {
        let anonymous = status_without_body(
            &addr,
            &format!(
                "POST /__emulator/faults HTTP/1.1\r\nHost: x\r\nContent-Type: \
                 application/json\r\nContent-Length: {promised}\r\n\r\n"
            ),
        );
        let admin_too_big = status_without_body(
            &addr,
            &format!(
                "POST /__emulator/faults HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \
                 {ADMIN}\r\nContent-Type: application/json\r\nContent-Length: \
                 {promised}\r\n\r\n"
            ),
        );
        let api_too_big = status_without_body(
            &addr,
            &format!(
                "POST /api/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n\
                 Content-Type: application/json\r\nContent-Length: 2000000\r\n\r\n"
            ),
        );
        (anonymous, admin_too_big, api_too_big)
    })
    .await
    .unwrap();
    assert!(answered.0.contains(" 401 "), "{answered:?}");
    assert!(answered.1.contains(" 413 "), "{answered:?}");
    assert!(answered.2.contains(" 413 "), "{answered:?}");
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connections_beyond_the_cap_are_closed_and_the_api_still_answers_after() {
    let emulator = start().await;
    let addr = addr(&emulator);
    let cap = sdx_keys::emulator::server::MAX_CONNECTIONS;
    let base = emulator.base_url();
    let (held, extra_closed) = tokio::task::spawn_blocking(move || {
        let held: Vec<TcpStream> = (0..cap)
            .map(|_| TcpStream::connect(&addr).unwrap())
            .collect();
        // Connections are accepted in the order they were made, so this one comes after the
        // cap is reached: it is closed (EOF) without an answer.
        let mut extra = TcpStream::connect(&addr).unwrap();
        extra
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let _ = extra.write_all(b"GET /__emulator/permissions HTTP/1.1\r\nHost: x\r\n\r\n");
        let mut buf = [0u8; 16];
        let closed = matches!(extra.read(&mut buf), Ok(0) | Err(_));
        (held, closed)
    })
    .await
    .unwrap();
    assert!(extra_closed, "a connection past the cap was served");
    drop(held);
    // Once the held connections are gone, the API answers again.
    let client = reqwest::Client::new();
    let mut answered = false;
    for _ in 0..100 {
        let response = client
            .get(format!("{base}/api/keys"))
            .bearer_auth(TOKEN)
            .send()
            .await;
        if response.is_ok_and(|r| r.status().is_success()) {
            answered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered, "the API did not answer after the flood went away");
    emulator.shutdown().await;
}
