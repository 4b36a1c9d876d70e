//! The emulator over real HTTP (reqwest against `emulator::start` on 127.0.0.1:0): the
//! documented shapes, the key life cycle, validation, auth, organisations, JWT fixture tokens,
//! list order, reset and whoami. Fault injection is in `emulator_faults.rs`, the binary in
//! `emulator_cli.rs`.

use std::collections::BTreeSet;

use base64::Engine;
use reqwest::StatusCode;
use sdx_keys::emulator::{self, Emulator, EmulatorConfig, ValidationStatus};
use serde_json::{Value, json};

const TOKEN: &str = "test-token";

const FIXTURES: &str = r#"
[[org]]
id = "org_acme"
[[org.token]]
token = "acme-admin"
grantable = ["sites:read", "sites:write", "scripts:write"]
[[org.token]]
token = "acme-viewer"
manage_keys = false
[[org.token]]
token = "acme-jwt"
grantable = ["sites:read"]
jwt = true
[[org.key]]
name = "Zeta late"
permissions = ["sites:read"]
created_at = "2026-05-01T00:00:00Z"
[[org.key]]
name = "Production automation"
permissions = ["sites:read", "scripts:write"]
created_at = "2026-04-20T00:00:00Z"
last_used_at = "2026-11-20T08:00:00Z"
[[org.key]]
id = "api_key_000000000000000000000000001"
name = "Same second B"
permissions = ["sites:read"]
created_at = "2026-04-25T00:00:00Z"
[[org.key]]
id = "api_key_000000000000000000000000000"
name = "Same second A"
permissions = ["sites:read"]
created_at = "2026-04-25T00:00:00Z"

[[org]]
id = "org_globex"
[[org.token]]
token = "globex-admin"
[[org.key]]
name = "Globex backup runner"
permissions = ["backups:write"]
created_at = "2025-01-01T00:00:00Z"
"#;

fn config() -> EmulatorConfig {
    EmulatorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![TOKEN.to_owned()],
        seed: Some(42),
        names_seed: None,
        generate_keys: 0,
        fixtures_toml: Some(FIXTURES.to_owned()),
        validation_status: ValidationStatus::BadRequest,
        admin_token: None,
    }
}

async fn start(config: EmulatorConfig) -> (Emulator, Api) {
    let emulator = emulator::start(config).await.expect("the emulator starts");
    let api = Api {
        base: emulator.base_url(),
        http: reqwest::Client::new(),
    };
    (emulator, api)
}

struct Api {
    base: String,
    http: reqwest::Client,
}

impl Api {
    fn req(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.http.request(method, format!("{}{path}", self.base));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    async fn call(&self, method: reqwest::Method, path: &str, token: &str) -> (StatusCode, Value) {
        let response = self.req(method, path, Some(token)).send().await.unwrap();
        read(response).await
    }

    async fn create(&self, token: &str, body: Value) -> (StatusCode, Value) {
        let response = self
            .req(reqwest::Method::POST, "/api/keys", Some(token))
            .json(&body)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    async fn list(&self, token: &str) -> Vec<Value> {
        let (status, body) = self.call(reqwest::Method::GET, "/api/keys", token).await;
        assert_eq!(status, StatusCode::OK);
        body.as_array().expect("a bare array").clone()
    }

    async fn whoami(&self, token: &str) -> (StatusCode, Value) {
        self.call(reqwest::Method::GET, "/__emulator/whoami", token)
            .await
    }
}

async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.bytes().await.unwrap();
    let value = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("not JSON: {bytes:?}"))
    };
    (status, value)
}

fn keys_of(value: &Value) -> BTreeSet<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

fn base62(text: &str, len: usize) -> bool {
    text.len() == len && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

const KEY_FIELDS: [&str; 9] = [
    "client_id",
    "created_at",
    "id",
    "key_prefix",
    "last_used_at",
    "name",
    "object",
    "permissions",
    "status",
];

#[tokio::test]
async fn the_documented_create_example_gets_the_documented_envelope() {
    let (emulator, api) = start(config()).await;
    let response = api
        .req(reqwest::Method::POST, "/api/keys", Some(TOKEN))
        .header("content-type", "application/json")
        .body(
            r#"{"name": "Production automation", "permissions": ["sites:read", "scripts:write"]}"#,
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (_, body) = read(response).await;
    assert_eq!(keys_of(&body), BTreeSet::from(["status", "data"]));
    assert_eq!(body["status"], "success");
    assert_eq!(
        keys_of(&body["data"]),
        BTreeSet::from(["message", "key", "secret"])
    );
    assert_eq!(
        body["data"]["message"],
        "API Key created successfully. This is the only time the secret key will be shown."
    );
    let key = &body["data"]["key"];
    assert_eq!(keys_of(key), BTreeSet::from(KEY_FIELDS));
    let id = key["id"].as_str().unwrap();
    assert!(id.starts_with("api_key_") && base62(&id[8..], 27), "{id}");
    let secret = body["data"]["secret"].as_str().unwrap();
    assert!(secret.starts_with("alto_sk_") && base62(&secret[8..], 48));
    assert_eq!(key["key_prefix"], secret[..13]);
    assert!(base62(key["client_id"].as_str().unwrap(), 20));
    assert_eq!(key["object"], "api_key");
    assert_eq!(key["status"], "active");
    assert_eq!(key["name"], "Production automation");
    assert_eq!(key["permissions"], json!(["sites:read", "scripts:write"]));
    assert_eq!(key["last_used_at"], Value::Null);
    let created = key["created_at"].as_str().unwrap();
    assert_eq!(created.len(), 20, "no fractional seconds: {created}");
    assert!(created.ends_with('Z') && created.parse::<jiff::Timestamp>().is_ok());

    // The secret is shown once: neither the list nor retrieve carries it.
    let list = api
        .req(reqwest::Method::GET, "/api/keys", Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(list.headers()["content-type"], "application/json");
    let list_text = list.text().await.unwrap();
    assert!(!list_text.contains(secret) && !list_text.contains("secret"));
    let one = api
        .req(
            reqwest::Method::GET,
            &format!("/api/keys/{id}"),
            Some(TOKEN),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(one.status(), StatusCode::OK);
    let one: Value = serde_json::from_str(&one.text().await.unwrap()).unwrap();
    assert_eq!(&one, key, "retrieve is the bare key, unchanged");
    emulator.shutdown().await;
}

#[tokio::test]
async fn rotate_replaces_the_secret_and_keeps_the_rest() {
    let (emulator, api) = start(config()).await;
    let (_, created) = api
        .create(
            TOKEN,
            json!({"name": "Rotating", "permissions": ["sites:read"]}),
        )
        .await;
    let old_secret = created["data"]["secret"].as_str().unwrap().to_owned();
    let id = created["data"]["key"]["id"].as_str().unwrap().to_owned();
    assert_eq!(api.whoami(&old_secret).await.0, StatusCode::OK);

    let response = api
        .req(
            reqwest::Method::POST,
            &format!("/api/keys/{id}/rotate"),
            Some(TOKEN),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let (_, rotated) = read(response).await;
    let new_secret = rotated["data"]["secret"].as_str().unwrap();
    assert_ne!(new_secret, old_secret);
    let (before, after) = (&created["data"]["key"], &rotated["data"]["key"]);
    for field in [
        "id",
        "name",
        "permissions",
        "client_id",
        "created_at",
        "status",
    ] {
        assert_eq!(before[field], after[field], "{field}");
    }
    assert_eq!(after["key_prefix"], new_secret[..13]);
    assert_eq!(api.whoami(&old_secret).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(api.whoami(new_secret).await.0, StatusCode::OK);
    emulator.shutdown().await;
}

#[tokio::test]
async fn delete_answers_204_and_then_404_everywhere() {
    let (emulator, api) = start(config()).await;
    let (_, created) = api
        .create(
            TOKEN,
            json!({"name": "Doomed", "permissions": ["sites:read"]}),
        )
        .await;
    let id = created["data"]["key"]["id"].as_str().unwrap();
    let secret = created["data"]["secret"].as_str().unwrap();
    let path = format!("/api/keys/{id}");
    let response = api
        .req(reqwest::Method::DELETE, &path, Some(TOKEN))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(response.bytes().await.unwrap().is_empty());
    let not_found = json!({"message": "The API key was not found.", "errors": {}});
    for (method, path) in [
        (reqwest::Method::GET, path.clone()),
        (reqwest::Method::POST, format!("{path}/rotate")),
        (reqwest::Method::DELETE, path.clone()),
        (reqwest::Method::GET, "/api/keys/not-an-id".to_owned()),
        (
            reqwest::Method::GET,
            "/api/keys/api_key_2m3h5n7k9j8g7f6e5d4c3b2a".to_owned(),
        ),
    ] {
        assert_eq!(
            api.call(method, &path, TOKEN).await,
            (StatusCode::NOT_FOUND, not_found.clone())
        );
    }
    assert!(api.list(TOKEN).await.iter().all(|k| k["id"] != id));
    assert_eq!(api.whoami(secret).await.0, StatusCode::UNAUTHORIZED);
    emulator.shutdown().await;
}

/// (description, content type, body, fields expected in `errors`)
type InvalidCase = (
    &'static str,
    Option<&'static str>,
    Option<String>,
    Vec<&'static str>,
);

fn invalid_requests() -> Vec<InvalidCase> {
    let ok_perms = r#""permissions":["sites:read"]"#;
    vec![
        (
            "malformed JSON",
            Some("application/json"),
            Some(r#"{"name": "abc", "permissions": ["#.into()),
            vec!["name", "permissions"],
        ),
        (
            "missing body",
            Some("application/json"),
            None,
            vec!["name", "permissions"],
        ),
        (
            "non-JSON content type",
            Some("text/plain"),
            Some(format!(r#"{{"name":"abc",{ok_perms}}}"#)),
            vec!["name", "permissions"],
        ),
        (
            "a JSON array",
            Some("application/json"),
            Some("[]".into()),
            vec!["name", "permissions"],
        ),
        (
            "name of 2",
            Some("application/json"),
            Some(format!(r#"{{"name":"ab",{ok_perms}}}"#)),
            vec!["name"],
        ),
        (
            "name of 101",
            Some("application/json"),
            Some(format!(r#"{{"name":"{}",{ok_perms}}}"#, "n".repeat(101))),
            vec!["name"],
        ),
        (
            "blank name",
            Some("application/json"),
            Some(format!(r#"{{"name":"    ",{ok_perms}}}"#)),
            vec!["name"],
        ),
        (
            "empty permissions",
            Some("application/json"),
            Some(r#"{"name":"abc","permissions":[]}"#.into()),
            vec!["permissions"],
        ),
        (
            "non-grantable permission",
            Some("application/json"),
            Some(r#"{"name":"abc","permissions":["sites:read","offline_access"]}"#.into()),
            vec!["permissions.1"],
        ),
    ]
}

async fn check_validation(status: ValidationStatus, expected: StatusCode) {
    let (emulator, api) = start(EmulatorConfig {
        validation_status: status,
        admin_token: None,
        ..config()
    })
    .await;
    for (what, content_type, body, fields) in invalid_requests() {
        let mut request = api.req(reqwest::Method::POST, "/api/keys", Some(TOKEN));
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        if let Some(body) = body {
            request = request.body(body);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), expected, "{what}");
        assert_eq!(
            response.headers()["content-type"],
            "application/json",
            "{what}"
        );
        let (_, body) = read(response).await;
        assert_eq!(
            keys_of(&body),
            BTreeSet::from(["message", "errors"]),
            "{what}"
        );
        let got: Vec<&str> = keys_of(&body["errors"]).into_iter().collect();
        assert_eq!(got, fields, "{what}");
        let first = &body["errors"][fields[0]][0];
        assert!(first.is_string(), "{what}");
        assert_eq!(
            &body["message"], first,
            "{what}: message is the first error"
        );
    }
    // Nothing was created along the way.
    assert_eq!(api.list(TOKEN).await.len(), 0);
    emulator.shutdown().await;
}

#[tokio::test]
async fn validation_failures_are_400_field_maps() {
    check_validation(ValidationStatus::BadRequest, StatusCode::BAD_REQUEST).await;
}

#[tokio::test]
async fn validation_failures_are_422_with_the_switch() {
    check_validation(
        ValidationStatus::Unprocessable,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
}

#[tokio::test]
async fn a_token_grants_only_its_grantable_scopes_and_names_are_trimmed() {
    let (emulator, api) = start(config()).await;
    let (status, body) = api
        .create(
            "acme-admin",
            json!({"name": "x", "permissions": ["backups:write"], "extra": true}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        keys_of(&body["errors"]),
        BTreeSet::from(["name", "permissions.0"])
    );
    let (status, body) = api
        .create(
            "acme-admin",
            json!({"name": "  Élan vital  ", "permissions": ["scripts:write", "sites:read", "scripts:write"], "extra": 1}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(body["data"]["key"]["name"], "Élan vital");
    assert_eq!(
        body["data"]["key"]["permissions"],
        json!(["scripts:write", "sites:read"])
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn auth_comes_first_401_then_403() {
    let (emulator, api) = start(config()).await;
    let unauthorized = json!({"message": "Unauthorized or invalid token provided."});
    let forbidden = json!({"message": "This action is unauthorized."});
    let routes = [
        (reqwest::Method::GET, "/api/keys"),
        (reqwest::Method::POST, "/api/keys"),
        (
            reqwest::Method::GET,
            "/api/keys/api_key_000000000000000000000000000",
        ),
        (
            reqwest::Method::POST,
            "/api/keys/api_key_000000000000000000000000000/rotate",
        ),
        (
            reqwest::Method::DELETE,
            "/api/keys/api_key_000000000000000000000000000",
        ),
    ];
    for (method, path) in routes {
        let response = api
            .req(method.clone(), path, None)
            .body("{")
            .send()
            .await
            .unwrap();
        assert_eq!(
            read(response).await,
            (StatusCode::UNAUTHORIZED, unauthorized.clone())
        );
        for bad in ["wrong-token", "Bearer"] {
            assert_eq!(
                api.call(method.clone(), path, bad).await,
                (StatusCode::UNAUTHORIZED, unauthorized.clone())
            );
        }
        let response = api
            .req(method.clone(), path, None)
            .header("authorization", format!("Basic {TOKEN}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(
            api.call(method, path, "acme-viewer").await,
            (StatusCode::FORBIDDEN, forbidden.clone())
        );
    }
    // The viewer's key still exists: the 403 delete did nothing.
    assert_eq!(api.list("acme-admin").await.len(), 4);
    emulator.shutdown().await;
}

#[tokio::test]
async fn organisations_are_isolated() {
    let (emulator, api) = start(config()).await;
    let acme = api.list("acme-admin").await;
    let globex = api.list("globex-admin").await;
    assert_eq!(acme.len(), 4);
    assert_eq!(globex.len(), 1);
    assert!(
        api.list(TOKEN).await.is_empty(),
        "the --token org starts empty"
    );
    let acme_id = acme[0]["id"].as_str().unwrap();
    for (method, path) in [
        (reqwest::Method::GET, format!("/api/keys/{acme_id}")),
        (reqwest::Method::POST, format!("/api/keys/{acme_id}/rotate")),
        (reqwest::Method::DELETE, format!("/api/keys/{acme_id}")),
    ] {
        assert_eq!(
            api.call(method.clone(), &path, "globex-admin").await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            api.call(method, &path, TOKEN).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(api.list("acme-admin").await, acme);
    let (_, made) = api
        .create(
            "globex-admin",
            json!({"name": "Globex new", "permissions": ["ai:chat"]}),
        )
        .await;
    assert_eq!(api.list("globex-admin").await.len(), 2);
    assert_eq!(api.list("acme-admin").await.len(), 4);
    let id = made["data"]["key"]["id"].as_str().unwrap();
    assert_eq!(
        api.call(
            reqwest::Method::GET,
            &format!("/api/keys/{id}"),
            "acme-admin"
        )
        .await
        .0,
        StatusCode::NOT_FOUND
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn jwt_fixture_tokens_are_unsigned_jwts() {
    let (emulator, api) = start(config()).await;
    let scopes = vec!["sites:read".to_owned()];
    let jwt = emulator::fixture_jwt("org_acme", "acme-jwt", &scopes);
    assert_eq!(
        emulator::jwt_bearers(FIXTURES).unwrap(),
        std::slice::from_ref(&jwt)
    );
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!((parts.len(), parts[2]), (3, ""));
    let decode = |part: &str| -> Value {
        serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .unwrap(),
        )
        .unwrap()
    };
    assert_eq!(decode(parts[0]), json!({"alg": "none", "typ": "JWT"}));
    assert_eq!(
        decode(parts[1]),
        json!({"id": "acme-jwt", "org_id": "org_acme", "scopes": ["sites:read"]})
    );

    assert_eq!(api.list(&jwt).await.len(), 4);
    assert_eq!(
        api.call(reqwest::Method::GET, "/api/keys", "acme-jwt")
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let forged_payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(br#"{"id":"acme-jwt","org_id":"org_acme","scopes":["sites:read","sites:write"]}"#);
    let forged = format!("{}.{forged_payload}.", parts[0]);
    assert_eq!(
        api.call(reqwest::Method::GET, "/api/keys", &forged).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (status, body) = api
        .create(
            &jwt,
            json!({"name": "jwt made", "permissions": ["sites:write"]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["errors"]["permissions.0"].is_array());
    let (whoami_status, who) = api.whoami(&jwt).await;
    assert_eq!(whoami_status, StatusCode::OK);
    assert_eq!(who["org_id"], "org_acme");
    emulator.shutdown().await;
}

fn assert_list_order(keys: &[Value]) {
    let order: Vec<(jiff::Timestamp, &str)> = keys
        .iter()
        .map(|k| {
            (
                k["created_at"].as_str().unwrap().parse().unwrap(),
                k["id"].as_str().unwrap(),
            )
        })
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[tokio::test]
async fn lists_are_ordered_by_creation_then_id() {
    let (emulator, api) = start(config()).await;
    let names: Vec<String> = api
        .list("acme-admin")
        .await
        .iter()
        .map(|k| k["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Production automation",
            "Same second A",
            "Same second B",
            "Zeta late"
        ]
    );
    for i in 0..5 {
        api.create(
            "acme-admin",
            json!({"name": format!("new {i}"), "permissions": ["sites:read"]}),
        )
        .await;
    }
    assert_list_order(&api.list("acme-admin").await);
    emulator.shutdown().await;

    let (emulator, api) = start(EmulatorConfig {
        generate_keys: 300,
        ..config()
    })
    .await;
    let generated = api.list(TOKEN).await;
    assert_eq!(generated.len(), 300);
    assert_list_order(&generated);
    emulator.shutdown().await;
}

#[tokio::test]
async fn reset_restores_the_start() {
    let (emulator, api) = start(EmulatorConfig {
        generate_keys: 20,
        ..config()
    })
    .await;
    let raw = |token: &'static str| {
        let request = api.req(reqwest::Method::GET, "/api/keys", Some(token));
        async move { request.send().await.unwrap().bytes().await.unwrap() }
    };
    let (start_default, start_acme) = (raw(TOKEN).await, raw("acme-admin").await);
    let acme = api.list("acme-admin").await;
    api.create(
        TOKEN,
        json!({"name": "temporary", "permissions": ["sites:read"]}),
    )
    .await;
    let first_id = acme[0]["id"].as_str().unwrap();
    api.call(
        reqwest::Method::DELETE,
        &format!("/api/keys/{first_id}"),
        "acme-admin",
    )
    .await;
    api.call(
        reqwest::Method::POST,
        &format!("/api/keys/{}/rotate", acme[1]["id"].as_str().unwrap()),
        "acme-admin",
    )
    .await;
    assert_ne!(raw("acme-admin").await, start_acme);
    let response = api
        .req(reqwest::Method::POST, "/__emulator/reset", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(raw(TOKEN).await, start_default);
    assert_eq!(raw("acme-admin").await, start_acme);
    emulator.shutdown().await;
}

#[tokio::test]
async fn whoami_identifies_and_stamps_last_used() {
    let (emulator, api) = start(config()).await;
    let (_, created) = api
        .create(
            TOKEN,
            json!({"name": "Stamped", "permissions": ["sites:read"]}),
        )
        .await;
    let id = created["data"]["key"]["id"].as_str().unwrap();
    let secret = created["data"]["secret"].as_str().unwrap();
    let path = format!("/api/keys/{id}");
    assert_eq!(
        api.call(reqwest::Method::GET, &path, TOKEN).await.1["last_used_at"],
        Value::Null
    );
    let (status, who) = api.whoami(secret).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(who["kind"], "api_key");
    assert_eq!(who["id"], id);
    assert_eq!(who["org_id"], emulator::DEFAULT_ORG);
    assert!(!who.to_string().contains(secret));
    let stamped = api.call(reqwest::Method::GET, &path, TOKEN).await.1;
    let used: jiff::Timestamp = stamped["last_used_at"].as_str().unwrap().parse().unwrap();
    let created_at: jiff::Timestamp = stamped["created_at"].as_str().unwrap().parse().unwrap();
    assert!(used >= created_at);

    let (status, who) = api.whoami(TOKEN).await;
    assert_eq!((status, &who["kind"]), (StatusCode::OK, &json!("token")));
    assert!(!who.to_string().contains(TOKEN));
    assert_eq!(api.whoami("nope").await.0, StatusCode::UNAUTHORIZED);
    let anonymous = api
        .req(reqwest::Method::GET, "/__emulator/whoami", None)
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // A key secret is not a user token: recognised, but refused on /api/keys, and a refused
    // call is no use of the key: a key never used stays never used.
    let (_, other) = api
        .create(
            TOKEN,
            json!({"name": "Refused", "permissions": ["sites:read"]}),
        )
        .await;
    let other_id = other["data"]["key"]["id"].as_str().unwrap();
    let other_secret = other["data"]["secret"].as_str().unwrap();
    let other_path = format!("/api/keys/{other_id}");
    for (method, route) in [
        (reqwest::Method::GET, "/api/keys".to_owned()),
        (reqwest::Method::GET, other_path.clone()),
        (reqwest::Method::DELETE, other_path.clone()),
        (reqwest::Method::POST, format!("{other_path}/rotate")),
    ] {
        assert_eq!(
            api.call(method, &route, other_secret).await.0,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        api.call(reqwest::Method::GET, &other_path, TOKEN).await.1["last_used_at"],
        Value::Null,
        "a refused call stamped the key"
    );
    emulator.shutdown().await;
}

#[tokio::test]
async fn the_catalogue_and_odd_requests() {
    let (emulator, api) = start(config()).await;
    let response = api
        .req(reqwest::Method::GET, "/__emulator/permissions", None)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let catalogue: sdx_keys::catalogue::Catalogue =
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
    assert_eq!(&catalogue, sdx_keys::catalogue::Catalogue::builtin());

    let (status, body) = api.call(reqwest::Method::PUT, "/api/keys", TOKEN).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(body["message"].is_string());
    let (status, body) = api
        .call(reqwest::Method::GET, "/api/nothing/here", TOKEN)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body["message"].is_string());

    let huge = vec![b' '; (1 << 20) + 10];
    let response = api
        .req(reqwest::Method::POST, "/api/keys", Some(TOKEN))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    let (status, body) = read(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(body["message"].is_string());
    emulator.shutdown().await;
}

#[tokio::test]
async fn invalid_fixtures_are_refused_with_a_reason() {
    let err = emulator::start(EmulatorConfig {
        fixtures_toml: Some(
            "[[org]]\nid = \"a\"\n[[org.key]]\nname = \"x\"\ncreated_at = \"soon\"\n".into(),
        ),
        ..config()
    })
    .await
    .err()
    .expect("refused");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
    assert!(err.to_string().contains("created_at"), "{err}");
}
