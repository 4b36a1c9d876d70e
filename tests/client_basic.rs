//! ApiClient against small axum servers: the headers it sends, the success shapes it accepts,
//! the status mapping of contract §3.4/§6.10, the id encoding, the base URL rules, and that
//! the token never shows in an error or in the client's `Debug`.

mod common;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::routing::{any, get, post};
use common::*;
use sdx_keys::api::{ApiClient, ApiError, ClientOptions, KeyId, NewKey};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

/// What a handler saw of one request: method, headers, body.
type Seen = (String, HeaderMap, Vec<u8>);

fn new_key() -> NewKey {
    NewKey::new("Production automation", &["sites:read".into()]).unwrap()
}

#[tokio::test]
async fn sends_bearer_accept_and_user_agent_on_every_request() {
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let log = seen.clone();
    let router = Router::new().fallback(any(
        move |method: axum::http::Method, headers: HeaderMap, body: axum::body::Bytes| {
            let log = log.clone();
            async move {
                log.lock()
                    .unwrap()
                    .push((method.to_string(), headers, body.to_vec()));
                match method.as_str() {
                    "GET" => axum::Json(json!([key_json("api_key_1")])).into_response(),
                    "DELETE" => StatusCode::NO_CONTENT.into_response(),
                    _ => {
                        (StatusCode::CREATED, axum::Json(issued_json("api_key_1"))).into_response()
                    }
                }
            }
        },
    ));
    let base = serve(router).await;
    let client = client(&base);
    client.list_keys().await.map(|list| list.keys).unwrap();
    client.create_key(&new_key()).await.unwrap();
    client.rotate_key(&KeyId::from("api_key_1")).await.unwrap();
    client.delete_key(&KeyId::from("api_key_1")).await.unwrap();

    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 4);
    for (method, headers, body) in seen.iter() {
        assert_eq!(
            headers[header::AUTHORIZATION],
            format!("Bearer {TOKEN}").as_str(),
            "{method}"
        );
        assert_eq!(headers[header::ACCEPT], "application/json", "{method}");
        assert_eq!(
            headers[header::USER_AGENT],
            concat!("sdx-keys/", env!("CARGO_PKG_VERSION")),
            "{method}"
        );
        if method == "POST" && !body.is_empty() {
            assert_eq!(headers[header::CONTENT_TYPE], "application/json");
            let sent: serde_json::Value = serde_json::from_slice(body).unwrap();
            assert_eq!(
                sent,
                json!({"name": "Production automation", "permissions": ["sites:read"]})
            );
        }
    }
}

#[tokio::test]
async fn success_shapes_of_every_operation() {
    let router = Router::new()
        .route(
            "/api/keys",
            get(|| async {
                axum::Json(json!({"status": "success", "data": [key_json("a"), key_json("b")]}))
            })
            .post(|| async { (StatusCode::OK, axum::Json(issued_json("new"))) }),
        )
        .route(
            "/api/keys/{id}",
            get(|| async { axum::Json(json!({"data": key_json("one")})) })
                .delete(|| async { (StatusCode::OK, "{\"status\":\"success\"}") }),
        )
        .route(
            "/api/keys/{id}/rotate",
            post(|| async { (StatusCode::ACCEPTED, axum::Json(issued_json("one"))) }),
        );
    let base = serve(router).await;
    let client = client(&format!("{base}/"));
    let keys = client.list_keys().await.map(|list| list.keys).unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[1].id.as_str(), "b");
    assert_eq!(
        client
            .get_key(&KeyId::from("one"))
            .await
            .unwrap()
            .id
            .as_str(),
        "one"
    );
    let created = client.create_key(&new_key()).await.unwrap();
    assert_eq!(created.secret.expose_secret(), SECRET);
    assert_eq!(created.key.id.as_str(), "new");
    let rotated = client.rotate_key(&KeyId::from("one")).await.unwrap();
    assert_eq!(rotated.secret.expose_secret(), SECRET);
    client.delete_key(&KeyId::from("one")).await.unwrap();
    // The IssuedSecret's Debug redacts the secret.
    assert!(!format!("{created:?}").contains(SECRET));
}

async fn status_server(status: u16, content_type: &'static str, body: &'static str) -> ApiClient {
    let router = Router::new().fallback(any(move || async move {
        (
            StatusCode::from_u16(status).unwrap(),
            [(header::CONTENT_TYPE, content_type)],
            body,
        )
    }));
    client(&serve(router).await)
}

#[tokio::test]
async fn validation_errors_for_400_and_422_keep_the_field_map() {
    let body = r#"{"message":"The name field must be at least 3 characters.","errors":{"name":["The name field must be at least 3 characters."],"permissions.0":"The selected permissions.0 is invalid."}}"#;
    for status in [400, 422] {
        let client = status_server(status, "application/json", body).await;
        let err = client.create_key(&new_key()).await.unwrap_err();
        assert_no_token(&err);
        let ApiError::Validation { message, errors } = &err else {
            panic!("{status}: {err:?}");
        };
        assert_eq!(message, "The name field must be at least 3 characters.");
        assert_eq!(errors.len(), 2);
        assert_eq!(
            errors["permissions.0"],
            vec!["The selected permissions.0 is invalid."]
        );
        assert!(err.user_message().contains("permissions.0"));
    }
    // No message at all: a generic sentence stands in.
    let client = status_server(422, "application/json", "{}").await;
    match client.create_key(&new_key()).await.unwrap_err() {
        ApiError::Validation { message, errors } => {
            assert!(message.contains("422"), "{message}");
            assert!(errors.is_empty());
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn auth_and_not_found_statuses_map_to_their_variants() {
    let body = r#"{"message":"Unauthorized or invalid token provided."}"#;
    let err = status_server(401, "application/json", body)
        .await
        .list_keys()
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Unauthorized {
            message: Some("Unauthorized or invalid token provided.".into())
        }
    );
    assert_no_token(&err);
    let err = status_server(
        403,
        "application/json",
        r#"{"message":"This action is unauthorized."}"#,
    )
    .await
    .delete_key(&KeyId::from("k"))
    .await
    .unwrap_err();
    assert!(
        matches!(err, ApiError::Forbidden { message: Some(_) }),
        "{err:?}"
    );
    let err = status_server(
        404,
        "application/json",
        r#"{"message":"The API key was not found.","errors":{}}"#,
    )
    .await
    .get_key(&KeyId::from("k"))
    .await
    .unwrap_err();
    assert!(
        matches!(err, ApiError::NotFound { message: Some(_) }),
        "{err:?}"
    );
    let err = status_server(404, "text/plain", "")
        .await
        .rotate_key(&KeyId::from("k"))
        .await
        .unwrap_err();
    assert_eq!(err, ApiError::NotFound { message: None });
}

#[tokio::test]
async fn server_errors_with_html_pages_carry_no_message() {
    let html = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let err = status_server(500, "text/html", html)
        .await
        .list_keys()
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Server {
            status: 500,
            message: None
        }
    );
    let err = status_server(409, "application/json", r#"{"message":"Conflict"}"#)
        .await
        .create_key(&new_key())
        .await
        .unwrap_err();
    assert_eq!(
        err,
        ApiError::Server {
            status: 409,
            message: Some("Conflict".into())
        }
    );
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_that_quotes_nothing() {
    let client = status_server(
        200,
        "application/json",
        r#"{"data": [{"id": "x", "name": "SECRETISH_VALUE""#,
    )
    .await;
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    assert!(!format!("{err:?}").contains("SECRETISH_VALUE"));

    // A create response whose secret has the wrong shape: the detail must not echo values.
    let client = status_server(
        201,
        "application/json",
        r#"{"status":"success","data":{"key":"alto_sk_LEAKED_SECRET","secret":"alto_sk_LEAKED_SECRET"}}"#,
    )
    .await;
    let err = client.create_key(&new_key()).await.unwrap_err();
    assert!(matches!(err, ApiError::Decode { .. }), "{err:?}");
    for text in [format!("{err:?}"), err.to_string(), err.user_message()] {
        assert!(!text.contains("LEAKED"), "{text}");
    }
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let followed = Counter::default();
    let seen = followed.clone();
    let router = Router::new()
        .route(
            "/api/keys",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/elsewhere")], "") }),
        )
        .route(
            "/elsewhere",
            get(move || {
                seen.hit();
                async { axum::Json(json!([])) }
            }),
        );
    let client = client(&serve(router).await);
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert_eq!(
        err,
        ApiError::Server {
            status: 302,
            message: None
        }
    );
    assert!(err.user_message().contains("redirect"));
    assert_eq!(followed.get(), 0);
}

#[tokio::test]
async fn a_hostile_id_stays_one_path_segment() {
    let paths: Arc<Mutex<Vec<String>>> = Arc::default();
    let log = paths.clone();
    let router = Router::new().fallback(any(move |uri: Uri| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(uri.to_string());
            axum::Json(key_json("x"))
        }
    }));
    let base = serve(router).await;
    let client = client(&format!("{base}/gateway/"));
    for id in [
        "../a/b?c=1#frag",
        "%2e%2e",
        "a b\u{e9}",
        "api_key_2m3h5n7k9j8g7f6e5d4c3b2a",
    ] {
        client.get_key(&KeyId::from(id)).await.unwrap();
    }
    client
        .rotate_key(&KeyId::from("x/../../y"))
        .await
        .unwrap_err(); // body is a bare key
    assert_eq!(
        *paths.lock().unwrap(),
        vec![
            "/gateway/api/keys/..%2Fa%2Fb%3Fc%3D1%23frag",
            "/gateway/api/keys/%252e%252e",
            "/gateway/api/keys/a%20b%C3%A9",
            "/gateway/api/keys/api_key_2m3h5n7k9j8g7f6e5d4c3b2a",
            "/gateway/api/keys/x%2F..%2F..%2Fy/rotate",
        ]
    );
    // Ids no URL can carry are refused locally, without a request.
    for id in ["", ".", ".."] {
        let err = client.delete_key(&KeyId::from(id)).await.unwrap_err();
        assert!(matches!(err, ApiError::NotFound { .. }), "{id:?}: {err:?}");
    }
    assert_eq!(paths.lock().unwrap().len(), 5);
}

#[tokio::test]
async fn base_urls_are_checked_and_never_quoted() {
    for (bad, words) in [
        ("", "empty"),
        ("v1.api.altostrat.io", "relative"),
        ("ftp://example.com", "http"),
        ("https://user:hunter2secret@example.com", "password"),
        ("https://example.com/?x=1", "query"),
    ] {
        let err = ApiClient::new(
            ClientOptions {
                base_url: bad.into(),
                ..ClientOptions::default()
            },
            SecretString::from(TOKEN),
        )
        .unwrap_err();
        let ApiError::Network { detail } = &err else {
            panic!("{bad}: {err:?}");
        };
        assert!(detail.contains(words), "{bad}: {detail}");
        assert!(detail.contains("https://v1.api.altostrat.io"), "{detail}");
        assert!(!err.user_message().contains("hunter2"), "{detail}");
    }
    let client = ApiClient::new(
        ClientOptions {
            base_url: "http://127.0.0.1:8787/".into(),
            ..ClientOptions::default()
        },
        SecretString::from(TOKEN),
    )
    .unwrap();
    assert_eq!(client.base_url(), "http://127.0.0.1:8787");
    // A token that cannot be a header value is refused without quoting it.
    let err = ApiClient::new(
        ClientOptions::default(),
        SecretString::from("abc\ndef-DO_NOT_LEAK"),
    )
    .unwrap_err();
    assert!(!format!("{err:?}").contains("DO_NOT_LEAK"));
}

#[tokio::test]
async fn the_client_debug_shows_the_base_url_only() {
    let client = client("http://127.0.0.1:9/");
    let debug = format!("{client:?}");
    assert!(debug.contains("127.0.0.1:9"), "{debug}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(!debug.contains("Bearer"), "{debug}");
    let debug = format!("{client:#?}");
    assert!(!debug.contains(TOKEN), "{debug}");
}

#[tokio::test]
async fn a_server_echoing_the_token_does_not_bring_it_into_errors() {
    let router = Router::new().fallback(any(|headers: HeaderMap| async move {
        let auth = headers[header::AUTHORIZATION].to_str().unwrap().to_owned();
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({
                "message": format!("bad header {auth}"),
                "errors": {"authorization": [auth.clone()], auth.clone(): ["x"]}
            })),
        )
    }));
    let client = client(&serve(router).await);
    let err = client.create_key(&new_key()).await.unwrap_err();
    assert!(matches!(err, ApiError::Validation { .. }));
    assert_no_token(&err);
}
