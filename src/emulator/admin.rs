//! The emulator-only routes under `/__emulator/` (contract §6.9 items 30–32 and 35):
//! `GET permissions`, `GET whoami`, `POST reset`, and `GET`/`POST`/`DELETE faults`.
//!
//! `permissions` and `whoami` need no bearer token. `reset` and `faults` need none either
//! unless the emulator was started with an admin token (`--demo` uses its session token):
//! the emulator is a local test server (it binds to loopback by default), so by default
//! anyone who can reach the port may reset it or inject faults.
//! `whoami` is the exception in spirit: it *is* the authentication check (200 for a configured
//! token or a live key secret, whose `last_used_at` it stamps; 401 otherwise). It never echoes
//! the bearer value. Faults never apply to these routes. `reset` also clears the fault rules,
//! so that the emulator is exactly as it was at start. A body is read only after the admin
//! token is checked, and never more than 64 KiB of it.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::faults::Rule;
use super::routes::{Shared, bearer, json, now, read_body, unauthorized};

/// The largest body an admin route reads (fault rules are a few hundred bytes).
const MAX_ADMIN_BODY: usize = 64 * 1024;
use super::state::Caller;

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/__emulator/permissions", get(permissions))
        .route("/__emulator/whoami", get(whoami))
        .route("/__emulator/reset", post(reset))
        .route(
            "/__emulator/faults",
            get(list_faults).post(add_faults).delete(clear_faults),
        )
}

/// The built-in catalogue in the serde shape of `catalogue::Catalogue`
/// (`{"group": [{"name", "title", "legacy", "permission": [{"scope", "description",
/// "risk"}]}]}`), so a client can deserialize it straight into that type.
async fn permissions() -> Response {
    json(StatusCode::OK, crate::catalogue::Catalogue::builtin())
}

async fn whoami(State(app): State<Shared>, headers: HeaderMap) -> Response {
    let Some(token) = bearer(&headers) else {
        return unauthorized();
    };
    let caller = app.store().authenticate(token);
    match caller {
        Some(Caller::Token(principal)) => {
            let grantable = match &principal.grantable {
                None => crate::catalogue::Catalogue::builtin()
                    .scopes()
                    .map(str::to_owned)
                    .collect::<Vec<_>>(),
                Some(set) => {
                    let mut scopes: Vec<String> = set.iter().cloned().collect();
                    scopes.sort();
                    scopes
                }
            };
            json(
                StatusCode::OK,
                &serde_json::json!({
                    "kind": "token",
                    "org_id": principal.org_id,
                    "manage_keys": principal.manage_keys,
                    "grantable": grantable,
                }),
            )
        }
        Some(Caller::Key { org_id, id }) => {
            // Accepted: this is the key's use.
            app.store().stamp_use(&org_id, &id, now());
            let key = app.store().get(&org_id, &id);
            json(
                StatusCode::OK,
                &serde_json::json!({
                    "kind": "api_key",
                    "id": id,
                    "org_id": org_id,
                    "permissions": key.as_ref().map(|k| k.permissions.clone()).unwrap_or_default(),
                    "last_used_at": key.and_then(|k| k.last_used_at),
                }),
            )
        }
        None => unauthorized(),
    }
}

/// `Some(401 response)` when an admin token is configured and the request lacks it.
fn refuse_without_admin_token(app: &Shared, headers: &HeaderMap) -> Option<Response> {
    let expected = app.admin_token.as_deref()?;
    match bearer(headers) {
        Some(given) if given.as_bytes() == expected.as_bytes() => None,
        _ => Some(unauthorized()),
    }
}

async fn reset(State(app): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_without_admin_token(&app, &headers) {
        return refusal;
    }
    app.store().reset();
    app.faults().clear();
    json(StatusCode::OK, &serde_json::json!({ "message": "Reset." }))
}

async fn list_faults(State(app): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_without_admin_token(&app, &headers) {
        return refusal;
    }
    let rules = app.faults().rules().to_vec();
    json(StatusCode::OK, &serde_json::json!({ "rules": rules }))
}

/// Adds one rule (a JSON object) or several (an array of them), all or none. The admin
/// token is checked before a byte of the body is read, and the body is capped.
async fn add_faults(State(app): State<Shared>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    if let Some(refusal) = refuse_without_admin_token(&app, &parts.headers) {
        return refusal;
    }
    let body = match read_body(body, &parts.headers, MAX_ADMIN_BODY).await {
        Ok(body) => body,
        Err(refusal) => return refusal,
    };
    let bad = |text: String| {
        json(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({ "message": text, "errors": {} }),
        )
    };
    let value: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(value) => value,
        Err(e) => return bad(format!("The fault rule is not valid JSON: {e}.")),
    };
    let items = match value {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let mut rules = Vec::with_capacity(items.len());
    for item in items {
        let rule: Rule = match serde_json::from_value(item) {
            Ok(rule) => rule,
            Err(e) => return bad(format!("The fault rule is not understood: {e}.")),
        };
        if let Err(text) = rule.check() {
            return bad(text);
        }
        rules.push(rule);
    }
    let mut faults = app.faults();
    for rule in rules {
        faults.add(rule);
    }
    let all = faults.rules().to_vec();
    drop(faults);
    json(StatusCode::CREATED, &serde_json::json!({ "rules": all }))
}

async fn clear_faults(State(app): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refusal) = refuse_without_admin_token(&app, &headers) {
        return refusal;
    }
    let cleared = app.faults().clear();
    json(StatusCode::OK, &serde_json::json!({ "cleared": cleared }))
}
