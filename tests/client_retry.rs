//! The retry policy seen from a server that counts attempts: idempotent GETs retry on 503,
//! 429 and dropped connections within `max_attempts` and the budget; POST and DELETE are sent
//! exactly once whatever happens. Timing is only ever checked from below.

mod common;

use std::time::{Duration, Instant};

use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::any;
use common::*;
use sdx_keys::api::{ApiError, ClientOptions, KeyId, NewKey};
use serde_json::json;

/// A server that answers `failures` times with `status` (and `Retry-After` if given), then
/// succeeds; it counts every request.
async fn flaky(
    status: u16,
    failures: usize,
    retry_after: Option<&'static str>,
) -> (String, Counter) {
    let counter = Counter::default();
    let seen = counter.clone();
    let router = Router::new().fallback(any(move |method: axum::http::Method| {
        let n = seen.hit();
        async move {
            if n <= failures {
                let mut response = (
                    StatusCode::from_u16(status).unwrap(),
                    axum::Json(json!({"message": "Too Many Attempts."})),
                )
                    .into_response();
                if let Some(value) = retry_after {
                    response
                        .headers_mut()
                        .insert(header::RETRY_AFTER, value.parse().unwrap());
                }
                return response;
            }
            match method.as_str() {
                "GET" => axum::Json(json!([key_json("api_key_1")])).into_response(),
                "DELETE" => StatusCode::NO_CONTENT.into_response(),
                _ => (StatusCode::CREATED, axum::Json(issued_json("api_key_1"))).into_response(),
            }
        }
    }));
    (serve(router).await, counter)
}

fn new_key() -> NewKey {
    NewKey::new("Production automation", &["sites:read".into()]).unwrap()
}

#[tokio::test]
async fn a_get_recovers_from_one_503() {
    let (base, attempts) = flaky(503, 1, None).await;
    let keys = client(&base)
        .list_keys()
        .await
        .map(|list| list.keys)
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(attempts.get(), 2);
}

#[tokio::test]
async fn a_get_gives_up_after_three_attempts() {
    for status in [502, 503, 504] {
        let (base, attempts) = flaky(status, usize::MAX, None).await;
        let err = client(&base).get_key(&KeyId::from("k")).await.unwrap_err();
        assert_eq!(
            err,
            ApiError::Server {
                status,
                message: Some("Too Many Attempts.".into())
            }
        );
        assert_eq!(attempts.get(), 3, "{status}");
    }
}

#[tokio::test]
async fn a_500_is_not_retried() {
    let (base, attempts) = flaky(500, usize::MAX, None).await;
    client(&base)
        .list_keys()
        .await
        .map(|list| list.keys)
        .unwrap_err();
    assert_eq!(attempts.get(), 1);
}

#[tokio::test]
async fn writes_are_sent_once_on_503() {
    let (base, attempts) = flaky(503, usize::MAX, None).await;
    let client = client(&base);
    let err = client.create_key(&new_key()).await.unwrap_err();
    assert!(matches!(err, ApiError::Server { status: 503, .. }));
    assert_eq!(attempts.get(), 1);
    client.rotate_key(&KeyId::from("k")).await.unwrap_err();
    assert_eq!(attempts.get(), 2);
    client.delete_key(&KeyId::from("k")).await.unwrap_err();
    assert_eq!(attempts.get(), 3);
    // Not even a 429 with a short Retry-After brings a second attempt.
    let (base, attempts) = flaky(429, usize::MAX, Some("0")).await;
    let err = common::client(&base)
        .delete_key(&KeyId::from("k"))
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::RateLimited { .. }), "{err:?}");
    assert_eq!(attempts.get(), 1);
}

#[tokio::test]
async fn writes_are_sent_once_when_the_server_drops_the_connection() {
    let (base, attempts) = raw_server(b"", false).await;
    let client = client(&base);
    let err = client.create_key(&new_key()).await.unwrap_err();
    assert_no_token(&err);
    let ApiError::Network { detail } = &err else {
        panic!("{err:?}");
    };
    assert!(
        detail.contains(base.trim_start_matches("http://")),
        "{detail}"
    );
    assert!(
        detail.contains("closed the connection") || detail.contains("reset"),
        "{detail}"
    );
    assert_eq!(attempts.get(), 1, "create");
    client.rotate_key(&KeyId::from("k")).await.unwrap_err();
    assert_eq!(attempts.get(), 2, "rotate");
    client.delete_key(&KeyId::from("k")).await.unwrap_err();
    assert_eq!(attempts.get(), 3, "delete");
    // A GET on the same server is retried up to three times.
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(attempts.get(), 6, "list");
}

#[tokio::test]
async fn retry_after_one_second_is_honoured() {
    let (base, attempts) = flaky(429, 1, Some("1")).await;
    let started = Instant::now();
    let keys = client(&base)
        .list_keys()
        .await
        .map(|list| list.keys)
        .unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(attempts.get(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn retry_after_beyond_the_budget_stops_at_once() {
    let (base, attempts) = flaky(429, usize::MAX, Some("3600")).await;
    let err = client(&base)
        .list_keys()
        .await
        .map(|list| list.keys)
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(3600)),
            message: Some("Too Many Attempts.".into())
        }
    );
    assert!(
        err.user_message().contains("60 min"),
        "{}",
        err.user_message()
    );
    assert_eq!(attempts.get(), 1);

    // A budget smaller than the first backoff step: no retry either.
    let (base, attempts) = flaky(503, usize::MAX, None).await;
    let client = client_with(ClientOptions {
        retry_budget: Duration::from_millis(10),
        ..options(&base)
    });
    client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert_eq!(attempts.get(), 1);
}

#[tokio::test]
async fn max_attempts_is_configurable() {
    let (base, attempts) = flaky(503, usize::MAX, None).await;
    let client = client_with(ClientOptions {
        max_attempts: 1,
        ..options(&base)
    });
    client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert_eq!(attempts.get(), 1);
}

#[tokio::test]
async fn connection_refused_is_a_network_error_with_a_sentence() {
    let base = refused_base();
    let client = client(&base);
    let err = client.create_key(&new_key()).await.unwrap_err();
    let ApiError::Network { detail } = &err else {
        panic!("{err:?}");
    };
    let host_port = base.trim_start_matches("http://");
    assert!(detail.contains(host_port), "{detail}");
    assert!(detail.contains("connection refused"), "{detail}");
    assert!(
        err.user_message().starts_with("Could not reach the API"),
        "{}",
        err.user_message()
    );
    assert_no_token(&err);
    // A GET tries again, then reports the same.
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(matches!(&err, ApiError::Network { detail } if detail.contains("connection refused")));
}
