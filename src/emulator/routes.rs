//! The five API routes of contract §1 under `/api/keys`, and the router that joins them with
//! the `/__emulator/*` routes (see `admin`). Per request: authenticate (401), check the
//! manage-keys flag (403), apply a fault rule if one matches, then perform the operation.
//!
//! Choices where the contract leaves room: 401/403/429 bodies carry only `message` (the exact
//! bodies of items 2, 3 and 29); 404 and validation bodies also carry `errors`. A live key
//! secret used as the bearer of an `/api/keys` call is recognised (and its `last_used_at`
//! stamped) but answered 403, since the docs ask for a user token. Create bodies are capped at
//! 1 MiB (413). Unknown paths answer a JSON 404 and known paths with another method a JSON 405.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde::Serialize;

use super::ValidationStatus;
use super::faults::{self, FaultKind, Faults};
use super::server::ConnCtl;
use super::state::{Caller, Issued, KeyView, Principal, Store};
use super::validate;

/// Largest create body read.
pub const MAX_BODY: usize = 1 << 20;
/// A body that has not fully arrived after this long ends its connection's request (the
/// same stall ends a request head; see `server`).
pub const BODY_STALL: std::time::Duration = std::time::Duration::from_secs(10);

/// Reads a request body of at most `limit` bytes (refused by its declared length before a
/// byte is read), within [`BODY_STALL`]; the refusal is the answer to send.
pub async fn read_body(
    body: axum::body::Body,
    headers: &HeaderMap,
    limit: usize,
) -> Result<axum::body::Bytes, Response> {
    let too_large = || {
        message(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("The request body is larger than {} KiB.", limit / 1024),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    match tokio::time::timeout(BODY_STALL, axum::body::to_bytes(body, limit)).await {
        Ok(Ok(bytes)) => Ok(bytes),
        Ok(Err(_)) => Err(too_large()),
        Err(_) => Err(message(
            StatusCode::REQUEST_TIMEOUT,
            "The request body did not arrive in time.",
        )),
    }
}

const CREATED_MESSAGE: &str =
    "API Key created successfully. This is the only time the secret key will be shown.";

/// Everything the handlers share.
pub struct App {
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    pub validation_status: StatusCode,
    /// The bearer the admin routes require, if any (see `EmulatorConfig::admin_token`).
    pub admin_token: Option<String>,
}

pub type Shared = Arc<App>;

impl App {
    pub fn new(store: Store, validation: ValidationStatus, admin_token: Option<String>) -> App {
        App {
            admin_token,
            store: Mutex::new(store),
            faults: Mutex::new(Faults::default()),
            validation_status: match validation {
                ValidationStatus::BadRequest => StatusCode::BAD_REQUEST,
                ValidationStatus::Unprocessable => StatusCode::UNPROCESSABLE_ENTITY,
            },
        }
    }

    /// The store; a poisoned lock (a panic elsewhere) is recovered, not propagated.
    pub fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// "Now" in whole seconds, as the contract's timestamps are.
pub fn now() -> Timestamp {
    let now = Timestamp::now();
    Timestamp::from_second(now.as_second()).unwrap_or(now)
}

pub fn router(app: Shared) -> Router {
    Router::new()
        .route("/api/keys", get(list).post(create))
        .route("/api/keys/{id}", get(retrieve).delete(delete))
        .route("/api/keys/{id}/rotate", post(rotate))
        .merge(super::admin::routes())
        .fallback(no_route)
        .method_not_allowed_fallback(wrong_method)
        .with_state(app)
}

pub fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response(),
        Err(_) => message(StatusCode::INTERNAL_SERVER_ERROR, "Server Error."),
    }
}

/// `{"message": ...}`.
pub fn message(status: StatusCode, text: &str) -> Response {
    json(status, &serde_json::json!({ "message": text }))
}

pub fn unauthorized() -> Response {
    message(
        StatusCode::UNAUTHORIZED,
        "Unauthorized or invalid token provided.",
    )
}

fn key_not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({"message": "The API key was not found.", "errors": {}}),
    )
}

async fn no_route() -> Response {
    json(
        StatusCode::NOT_FOUND,
        &serde_json::json!({"message": "Not found.", "errors": {}}),
    )
}

async fn wrong_method(method: Method) -> Response {
    json(
        StatusCode::METHOD_NOT_ALLOWED,
        &serde_json::json!({
            "message": format!("The {method} method is not supported for this route."),
            "errors": {}
        }),
    )
}

/// The bearer value of `Authorization: Bearer <token>`, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Why an API call was refused before anything else happened.
enum Denied {
    /// 401: no, an empty or an unknown bearer.
    Unauthorized,
    /// 403: a token that may not manage keys, or a key secret.
    Forbidden,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::Unauthorized => unauthorized(),
            Denied::Forbidden => message(StatusCode::FORBIDDEN, "This action is unauthorized."),
        }
    }
}

fn authorize(app: &App, headers: &HeaderMap) -> Result<Principal, Denied> {
    let token = bearer(headers).ok_or(Denied::Unauthorized)?;
    match app.store().authenticate(token) {
        Some(Caller::Token(principal)) if principal.manage_keys => Ok(principal),
        Some(_) => Err(Denied::Forbidden),
        None => Err(Denied::Unauthorized),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    List,
    Create,
    Retrieve,
    Rotate,
    Delete,
}

/// The id segment of `/api/keys/{id}[/rotate]`.
fn path_id(path: &str) -> &str {
    path.strip_prefix("/api/keys/")
        .map(|rest| rest.split('/').next().unwrap_or(""))
        .unwrap_or("")
}

async fn list(State(app): State<Shared>, request: Request) -> Response {
    api(app, Op::List, request).await
}
async fn create(State(app): State<Shared>, request: Request) -> Response {
    api(app, Op::Create, request).await
}
async fn retrieve(State(app): State<Shared>, request: Request) -> Response {
    api(app, Op::Retrieve, request).await
}
async fn rotate(State(app): State<Shared>, request: Request) -> Response {
    api(app, Op::Rotate, request).await
}
async fn delete(State(app): State<Shared>, request: Request) -> Response {
    api(app, Op::Delete, request).await
}

/// Auth, faults, then the operation, for every API route.
async fn api(app: Shared, op: Op, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let principal = match authorize(&app, &parts.headers) {
        Ok(principal) => principal,
        Err(denied) => return denied.into_response(),
    };
    let ctl = parts
        .extensions
        .get::<ConnCtl>()
        .cloned()
        .unwrap_or_default();
    let fault = app.faults().take(parts.method.as_str(), parts.uri.path());
    if let Some(kind) = &fault {
        if let Some(response) = faults::short_circuit(kind, op == Op::Create, &ctl).await {
            return response;
        }
        if let FaultKind::Latency { ms } = kind {
            tokio::time::sleep(std::time::Duration::from_millis(*ms)).await;
        }
    }
    let id = path_id(parts.uri.path());
    let response = match op {
        Op::List => {
            let body = app.store().list_body(&principal.org_id);
            (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response()
        }
        Op::Create => create_key(&app, &principal, &parts.headers, body).await,
        Op::Retrieve => match app.store().get(&principal.org_id, id) {
            Some(key) => json(StatusCode::OK, &key.view()),
            None => key_not_found(),
        },
        Op::Rotate => match app.store().rotate(&principal.org_id, id) {
            Some(issued) => secret_envelope(StatusCode::OK, &issued),
            None => key_not_found(),
        },
        Op::Delete => {
            if app.store().delete(&principal.org_id, id) {
                StatusCode::NO_CONTENT.into_response()
            } else {
                key_not_found()
            }
        }
    };
    match fault {
        Some(FaultKind::Truncate) => faults::truncate(response, &ctl).await,
        Some(FaultKind::SlowBody { bytes_per_sec }) => faults::slow_body(response, bytes_per_sec),
        Some(FaultKind::CommitThenReset) => ctl.drop_connection().await,
        _ => response,
    }
}

async fn create_key(app: &App, principal: &Principal, headers: &HeaderMap, body: Body) -> Response {
    let bytes = match read_body(body, headers, MAX_BODY).await {
        Ok(bytes) => bytes,
        Err(refusal) => return refusal,
    };
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    match validate::validate_create(content_type, &bytes, |s| principal.may_grant(s)) {
        Ok(valid) => {
            let issued =
                app.store()
                    .create(&principal.org_id, valid.name, valid.permissions, now());
            secret_envelope(StatusCode::CREATED, &issued)
        }
        Err(errors) => validation_failed(app.validation_status, errors),
    }
}

fn validation_failed(status: StatusCode, errors: validate::Errors) -> Response {
    let first = errors
        .first()
        .map(|(_, m)| m.clone())
        .unwrap_or_else(|| "The given data was invalid.".to_owned());
    let mut map = serde_json::Map::new();
    for (field, text) in errors {
        let entry = map
            .entry(field)
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let serde_json::Value::Array(items) = entry {
            items.push(serde_json::Value::String(text));
        }
    }
    #[derive(Serialize)]
    struct Body {
        message: String,
        errors: serde_json::Map<String, serde_json::Value>,
    }
    json(
        status,
        &Body {
            message: first,
            errors: map,
        },
    )
}

#[derive(Serialize)]
struct Envelope<'a> {
    status: &'static str,
    data: EnvelopeData<'a>,
}

#[derive(Serialize)]
struct EnvelopeData<'a> {
    message: &'static str,
    key: KeyView<'a>,
    secret: &'a str,
}

/// The `ApiKeySecretEnvelope` of create and rotate, never cached.
fn secret_envelope(status: StatusCode, issued: &Issued) -> Response {
    let mut response = json(
        status,
        &Envelope {
            status: "success",
            data: EnvelopeData {
                message: CREATED_MESSAGE,
                key: issued.key.view(),
                secret: &issued.secret,
            },
        },
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
