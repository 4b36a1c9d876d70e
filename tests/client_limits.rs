//! Body caps, timeouts and broken bodies: `TooLarge` with and without `Content-Length` (an
//! endless chunked body must be cut off, not buffered), `Timeout` from a server that never
//! answers, and `Network` when the connection closes in the middle of a body.

mod common;

use std::convert::Infallible;
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::routing::{any, get};
use common::*;
use sdx_keys::api::{ApiError, ClientOptions, KeyId, NewKey};

fn small_limits(base: &str) -> ClientOptions {
    ClientOptions {
        list_body_limit: 100_000,
        body_limit: 10_000,
        request_timeout: Duration::from_secs(20),
        ..options(base)
    }
}

#[tokio::test]
async fn a_body_over_the_cap_with_content_length_is_too_large() {
    let router = Router::new()
        .route(
            "/api/keys",
            get(|| async { vec![b' '; 100_001] }).post(|| async { vec![b' '; 10_001] }),
        )
        .route("/api/keys/{id}", get(|| async { vec![b' '; 10_001] }));
    let client = client_with(small_limits(&serve(router).await));
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap_err(),
        ApiError::TooLarge { limit: 100_000 }
    );
    assert_eq!(
        client.get_key(&KeyId::from("k")).await.unwrap_err(),
        ApiError::TooLarge { limit: 10_000 }
    );
    let new_key = NewKey::new("abc", &["sites:read".into()]).unwrap();
    assert_eq!(
        client.create_key(&new_key).await.unwrap_err(),
        ApiError::TooLarge { limit: 10_000 }
    );
}

#[tokio::test]
async fn a_body_exactly_at_the_cap_is_read() {
    // `[` + spaces + `]`: valid JSON of exactly the limit.
    let router = Router::new().route(
        "/api/keys",
        get(|| async {
            let mut body = vec![b' '; 100_000];
            body[0] = b'[';
            body[99_999] = b']';
            body
        }),
    );
    let client = client_with(small_limits(&serve(router).await));
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap(),
        vec![]
    );
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_cap() {
    let router = Router::new().route(
        "/api/keys",
        get(|| async {
            let chunks = futures_util::stream::repeat_with(|| {
                Ok::<_, Infallible>(Bytes::from_static(&[b' '; 8192]))
            });
            Body::from_stream(chunks)
        }),
    );
    let client = client_with(small_limits(&serve(router).await));
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap_err(),
        ApiError::TooLarge { limit: 100_000 }
    );
}

#[tokio::test]
async fn a_content_length_over_the_cap_is_refused_before_the_body_arrives() {
    // The server announces 1 GB and then sends nothing: only an early refusal avoids waiting
    // for the (long) request timeout.
    let (base, _) = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000000000\r\n\r\n[",
        true,
    )
    .await;
    let client = client_with(ClientOptions {
        request_timeout: Duration::from_secs(30),
        ..small_limits(&base)
    });
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap_err(),
        ApiError::TooLarge { limit: 100_000 }
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let router = Router::new().fallback(any(std::future::pending::<&'static str>));
    let client = client_with(ClientOptions {
        request_timeout: Duration::from_millis(300),
        ..options(&serve(router).await)
    });
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap_err(),
        ApiError::Timeout
    );
    let new_key = NewKey::new("abc", &["sites:read".into()]).unwrap();
    assert_eq!(
        client.create_key(&new_key).await.unwrap_err(),
        ApiError::Timeout
    );
}

#[tokio::test]
async fn a_body_that_stops_coming_times_out() {
    let (base, attempts) = raw_server(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 50\r\n\r\n[",
        true,
    )
    .await;
    let client = client_with(ClientOptions {
        request_timeout: Duration::from_millis(300),
        ..options(&base)
    });
    assert_eq!(
        client.list_keys().await.map(|list| list.keys).unwrap_err(),
        ApiError::Timeout
    );
    assert_eq!(attempts.get(), 1, "a whole-request timeout is not retried");
}

#[tokio::test]
async fn a_connection_closed_mid_body_is_a_network_error() {
    let (base, attempts) = raw_server(
        b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"status\":\"success\",\"data\":{",
        false,
    )
    .await;
    let client = client(&base);
    let new_key = NewKey::new("abc", &["sites:read".into()]).unwrap();
    let err = client.create_key(&new_key).await.unwrap_err();
    let ApiError::Network { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(detail.contains("while the answer was arriving"), "{detail}");
    assert_eq!(attempts.get(), 1);
    // The GET variant is retried (idempotent), then fails the same way.
    let err = client.get_key(&KeyId::from("k")).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(attempts.get(), 4);
}

#[tokio::test]
async fn an_oversized_error_body_keeps_the_status() {
    let router = Router::new().fallback(any(|| async {
        (axum::http::StatusCode::BAD_GATEWAY, vec![b'x'; 2_000_000])
    }));
    let client = client(&serve(router).await);
    let new_key = NewKey::new("abc", &["sites:read".into()]).unwrap();
    assert_eq!(
        client.create_key(&new_key).await.unwrap_err(),
        ApiError::Server {
            status: 502,
            message: None
        }
    );
}

#[tokio::test]
async fn delete_accepts_any_success_body() {
    let router = Router::new().fallback(any(|| async {
        (axum::http::StatusCode::OK, vec![b'x'; 2_000_000])
    }));
    let client = client(&serve(router).await);
    client.delete_key(&KeyId::from("k")).await.unwrap();
}
