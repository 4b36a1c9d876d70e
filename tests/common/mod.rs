//! Small in-test HTTP servers for the client and worker tests: an axum router on
//! `127.0.0.1:0`, raw TCP servers for misbehaviour axum cannot produce (dropped sockets,
//! lying `Content-Length`), canned JSON bodies, and the token checks.
#![allow(dead_code)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use sdx_keys::api::{ApiClient, ApiError, ClientOptions};
use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The bearer token every test client sends. Long and distinctive, so a leak is easy to find.
pub const TOKEN: &str = "tok_TEST_a1b2c3d4e5f6_DO_NOT_LEAK";

/// Serves `router` on an ephemeral port; returns the base URL (`http://127.0.0.1:PORT`).
pub async fn serve(router: axum::Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    format!("http://{addr}")
}

pub fn options(base: &str) -> ClientOptions {
    ClientOptions {
        base_url: base.to_owned(),
        ..ClientOptions::default()
    }
}

pub fn client(base: &str) -> ApiClient {
    client_with(options(base))
}

pub fn client_with(options: ClientOptions) -> ApiClient {
    ApiClient::new(options, SecretString::from(TOKEN)).expect("client")
}

/// A counter shared with a handler.
#[derive(Clone, Default)]
pub struct Counter(Arc<AtomicUsize>);

impl Counter {
    pub fn hit(&self) -> usize {
        self.0.fetch_add(1, Ordering::SeqCst) + 1
    }
    pub fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// A base URL on which nothing listens (connection refused).
pub fn refused_base() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

/// A raw server: for each connection it reads the request head, counts it, writes `reply`
/// (possibly nothing) and closes the socket. `hold` keeps the socket open afterwards instead.
pub async fn raw_server(reply: &'static [u8], hold: bool) -> (String, Counter) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let counter = Counter::default();
    let seen = counter.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                seen.hit();
                let _ = socket.write_all(reply).await;
                if hold {
                    std::future::pending::<()>().await;
                }
                // Dropping the socket (with any unread request body) closes or resets it.
            });
        }
    });
    (format!("http://{addr}"), counter)
}

pub fn key_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "object": "api_key",
        "name": "Production automation",
        "key_prefix": "alto_sk_ab123",
        "client_id": "C3HqXo4o6Yb5Kp0oV9x8",
        "created_at": "2026-04-20T00:00:00Z",
        "status": "active",
        "permissions": ["sites:read", "scripts:write"],
        "last_used_at": null
    })
}

pub const SECRET: &str = "alto_sk_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV";

pub fn issued_json(id: &str) -> serde_json::Value {
    serde_json::json!({
        "status": "success",
        "data": {
            "message": "API Key created successfully. This is the only time the secret key will be shown.",
            "key": key_json(id),
            "secret": SECRET
        }
    })
}

/// Panics if the token shows in the error's Display, Debug or user message.
pub fn assert_no_token(error: &ApiError) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        error.user_message(),
    ] {
        assert!(!text.contains(TOKEN), "token leaked in {text:?}");
        assert!(
            !text.contains("DO_NOT_LEAK"),
            "token part leaked in {text:?}"
        );
    }
}
