//! The client against the emulator: every endpoint, every contract error class, every fault
//! kind, and the retry rules (GETs recover; POST and DELETE are attempted exactly once).

use std::time::{Duration, Instant};

use sdx_keys::api::{ApiClient, ApiError, ClientOptions, KeyId, NewKey};
use sdx_keys::emulator::{self, Emulator, EmulatorConfig, ValidationStatus};
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

const TOKEN: &str = "test-token";

async fn emulator_with(
    validation_status: ValidationStatus,
    fixtures_toml: Option<&str>,
) -> Emulator {
    emulator::start(EmulatorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: if fixtures_toml.is_some() {
            vec![]
        } else {
            vec![TOKEN.into()]
        },
        seed: Some(1),
        names_seed: None,
        generate_keys: 0,
        fixtures_toml: fixtures_toml.map(str::to_owned),
        validation_status,
        admin_token: None,
    })
    .await
    .expect("start the emulator")
}

async fn emulator() -> Emulator {
    emulator_with(ValidationStatus::BadRequest, None).await
}

fn client_for(emulator: &Emulator, token: &str) -> ApiClient {
    client_with(emulator, token, |_| {})
}

fn client_with(
    emulator: &Emulator,
    token: &str,
    adjust: impl FnOnce(&mut ClientOptions),
) -> ApiClient {
    let mut options = ClientOptions {
        base_url: emulator.base_url(),
        ..ClientOptions::default()
    };
    adjust(&mut options);
    ApiClient::new(options, SecretString::from(token.to_owned())).expect("client")
}

fn example() -> NewKey {
    NewKey::new(
        "Production automation",
        &["sites:read".to_owned(), "scripts:write".to_owned()],
    )
    .unwrap()
}

async fn add_fault(emulator: &Emulator, rule: serde_json::Value) {
    let response = reqwest::Client::new()
        .post(format!("{}/__emulator/faults", emulator.base_url()))
        .json(&rule)
        .send()
        .await
        .expect("post a fault rule");
    assert!(
        response.status().is_success(),
        "fault rule refused: {}",
        response.text().await.unwrap()
    );
}

async fn clear_faults(emulator: &Emulator) {
    reqwest::Client::new()
        .delete(format!("{}/__emulator/faults", emulator.base_url()))
        .send()
        .await
        .expect("clear faults");
}

async fn whoami_status(emulator: &Emulator, bearer: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{}/__emulator/whoami", emulator.base_url()))
        .bearer_auth(bearer)
        .send()
        .await
        .expect("whoami")
        .status()
        .as_u16()
}

#[tokio::test]
async fn every_endpoint_round_trips() {
    let emulator = emulator().await;
    let client = client_for(&emulator, TOKEN);
    assert!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .is_empty()
    );

    let issued = client.create_key(&example()).await.unwrap();
    let secret = issued.secret.expose_secret().to_owned();
    assert_eq!(issued.key.name, "Production automation");
    let permissions: Vec<&str> = issued.key.permissions.iter().map(|p| &**p).collect();
    assert_eq!(permissions, ["sites:read", "scripts:write"]);
    assert_eq!(issued.key.key_prefix, secret[..13]);
    assert_eq!(issued.key.last_used_at, None);
    assert_eq!(whoami_status(&emulator, &secret).await, 200);

    let listed = client.list_keys().await.map(|list| list.keys).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, issued.key.id);
    let fetched = client.get_key(&issued.key.id).await.unwrap();
    assert_eq!(fetched.id, issued.key.id);
    assert!(
        fetched.last_used_at.is_some(),
        "whoami stamped last_used_at"
    );

    let rotated = client.rotate_key(&issued.key.id).await.unwrap();
    assert_eq!(rotated.key.id, issued.key.id);
    assert_eq!(rotated.key.client_id, issued.key.client_id);
    assert_ne!(rotated.secret.expose_secret(), secret);
    assert_eq!(rotated.key.key_prefix, rotated.secret.expose_secret()[..13]);
    assert_eq!(
        whoami_status(&emulator, &secret).await,
        401,
        "the old secret still works"
    );

    client.delete_key(&issued.key.id).await.unwrap();
    assert!(matches!(
        client.get_key(&issued.key.id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert!(matches!(
        client.rotate_key(&issued.key.id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert!(matches!(
        client.delete_key(&issued.key.id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_permission_the_caller_cannot_grant_is_a_validation_error_with_the_field_map() {
    for status in [
        ValidationStatus::BadRequest,
        ValidationStatus::Unprocessable,
    ] {
        let emulator = emulator_with(status, None).await;
        let client = client_for(&emulator, TOKEN);
        let request = NewKey::new("Monitoring", &["nope:write".to_owned()]).unwrap();
        match client.create_key(&request).await {
            Err(ApiError::Validation { errors, .. }) => {
                assert!(
                    errors.keys().any(|field| field.starts_with("permissions")),
                    "{errors:?}"
                );
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_wrong_token_is_unauthorized_and_never_echoed() {
    let emulator = emulator().await;
    let client = client_for(&emulator, "wrong-token-value");
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(matches!(err, ApiError::Unauthorized { .. }), "{err:?}");
    for text in [err.to_string(), format!("{err:?}"), err.user_message()] {
        assert!(!text.contains("wrong-token-value"), "{text}");
    }
}

const FIXTURES: &str = r#"
[[org]]
id = "org_acme"
[[org.token]]
token = "acme-admin"
manage_keys = true
grantable = ["sites:read", "scripts:write"]
[[org.token]]
token = "acme-viewer"
manage_keys = false
[[org.key]]
name = "Acme automation"
permissions = ["sites:read"]
created_at = "2026-04-20T00:00:00Z"

[[org]]
id = "org_other"
[[org.token]]
token = "other-admin"
manage_keys = true
"#;

#[tokio::test]
async fn forbidden_and_organisation_isolation() {
    let emulator = emulator_with(ValidationStatus::BadRequest, Some(FIXTURES)).await;
    let viewer = client_for(&emulator, "acme-viewer");
    assert!(matches!(
        viewer.list_keys().await.map(|list| list.keys),
        Err(ApiError::Forbidden { .. })
    ));

    let acme = client_for(&emulator, "acme-admin");
    let other = client_for(&emulator, "other-admin");
    let acme_keys = acme.list_keys().await.map(|list| list.keys).unwrap();
    assert_eq!(acme_keys.len(), 1);
    assert!(
        other
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .is_empty()
    );
    let id = &acme_keys[0].id;
    assert!(matches!(
        other.get_key(id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert!(matches!(
        other.rotate_key(id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert!(matches!(
        other.delete_key(id).await,
        Err(ApiError::NotFound { .. })
    ));
    assert_eq!(
        acme.list_keys().await.map(|list| list.keys).unwrap().len(),
        1,
        "another org deleted our key"
    );
}

#[tokio::test]
async fn a_get_recovers_from_one_503_and_a_429_with_retry_after() {
    let emulator = emulator().await;
    let client = client_for(&emulator, TOKEN);
    add_fault(
        &emulator,
        json!({"kind": "status", "method": "GET", "path": "/api/keys", "status": 503}),
    )
    .await;
    assert!(client.list_keys().await.map(|list| list.keys).is_ok());

    add_fault(&emulator, json!({"kind": "status", "method": "GET", "path": "/api/keys", "status": 429, "retry_after": 1})).await;
    let start = Instant::now();
    assert!(client.list_keys().await.map(|list| list.keys).is_ok());
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn a_get_gives_up_after_three_attempts() {
    let emulator = emulator().await;
    let client = client_with(&emulator, TOKEN, |o| {
        o.retry_budget = Duration::from_secs(5)
    });
    add_fault(
        &emulator,
        json!({"kind": "html", "method": "GET", "path": "/api/keys", "count": 3}),
    )
    .await;
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(
        matches!(err, ApiError::Server { status: 502, .. }),
        "{err:?}"
    );
    // The fourth request is not faulted: the three attempts used the rule up.
    assert!(client.list_keys().await.map(|list| list.keys).is_ok());
}

#[tokio::test]
async fn a_create_is_attempted_exactly_once_on_503_reset_and_commit_then_reset() {
    let emulator = emulator().await;
    let client = client_for(&emulator, TOKEN);

    add_fault(
        &emulator,
        json!({"kind": "status", "method": "POST", "path": "/api/keys", "status": 503}),
    )
    .await;
    let err = client.create_key(&example()).await.unwrap_err();
    assert!(
        matches!(err, ApiError::Server { status: 503, .. }),
        "{err:?}"
    );
    assert!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .is_empty(),
        "a retry created a key"
    );

    add_fault(
        &emulator,
        json!({"kind": "reset", "method": "POST", "path": "/api/keys"}),
    )
    .await;
    let err = client.create_key(&example()).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .is_empty(),
        "a retry created a key"
    );

    add_fault(
        &emulator,
        json!({"kind": "commit_then_reset", "method": "POST", "path": "/api/keys"}),
    )
    .await;
    let err = client.create_key(&example()).await.unwrap_err();
    assert!(matches!(err, ApiError::Network { .. }), "{err:?}");
    assert_eq!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .len(),
        1,
        "the create ran more than once"
    );
}

#[tokio::test]
async fn a_delete_is_attempted_once() {
    let emulator = emulator().await;
    let client = client_for(&emulator, TOKEN);
    let issued = client.create_key(&example()).await.unwrap();
    add_fault(
        &emulator,
        json!({"kind": "status", "method": "DELETE", "path": "/api/keys/{id}", "status": 503}),
    )
    .await;
    assert!(client.delete_key(&issued.key.id).await.is_err());
    assert_eq!(
        client
            .list_keys()
            .await
            .map(|list| list.keys)
            .unwrap()
            .len(),
        1,
        "a retry deleted the key"
    );
}

#[tokio::test]
async fn malformed_truncated_huge_slow_and_late_answers() {
    let emulator = emulator().await;
    let client = client_with(&emulator, TOKEN, |o| {
        o.list_body_limit = 1024 * 1024;
        o.request_timeout = Duration::from_secs(2);
        o.retry_budget = Duration::from_secs(3);
    });
    let id = client.create_key(&example()).await.unwrap().key.id;

    add_fault(
        &emulator,
        json!({"kind": "malformed", "method": "GET", "path": "/api/keys/{id}"}),
    )
    .await;
    assert!(matches!(
        client.get_key(&id).await,
        Err(ApiError::Decode { .. })
    ));

    add_fault(
        &emulator,
        json!({"kind": "truncate", "method": "GET", "path": "/api/keys", "count": 0}),
    )
    .await;
    let err = client.list_keys().await.map(|list| list.keys).unwrap_err();
    assert!(
        matches!(err, ApiError::Network { .. } | ApiError::Decode { .. }),
        "{err:?}"
    );
    clear_faults(&emulator).await;

    add_fault(
        &emulator,
        json!({"kind": "huge", "method": "GET", "path": "/api/keys", "bytes": 2 * 1024 * 1024}),
    )
    .await;
    assert!(matches!(
        client.list_keys().await.map(|list| list.keys),
        Err(ApiError::TooLarge { .. })
    ));
    add_fault(&emulator, json!({"kind": "huge", "method": "GET", "path": "/api/keys/{id}", "bytes": 2 * 1024 * 1024})).await;
    assert!(matches!(
        client.get_key(&id).await,
        Err(ApiError::TooLarge { .. })
    ));

    add_fault(&emulator, json!({"kind": "slow_body", "method": "GET", "path": "/api/keys/{id}", "bytes_per_sec": 100_000})).await;
    assert_eq!(client.get_key(&id).await.unwrap().id, id);
    add_fault(&emulator, json!({"kind": "slow_body", "method": "GET", "path": "/api/keys/{id}", "bytes_per_sec": 20, "count": 0})).await;
    assert!(matches!(client.get_key(&id).await, Err(ApiError::Timeout)));
    clear_faults(&emulator).await;

    add_fault(&emulator, json!({"kind": "latency", "method": "GET", "path": "/api/keys/{id}", "ms": 5000, "count": 0})).await;
    assert!(matches!(client.get_key(&id).await, Err(ApiError::Timeout)));
    clear_faults(&emulator).await;
    add_fault(
        &emulator,
        json!({"kind": "latency", "method": "GET", "path": "/api/keys/{id}", "ms": 100}),
    )
    .await;
    assert_eq!(client.get_key(&id).await.unwrap().id, id);
}

#[tokio::test]
async fn an_unknown_id_is_not_found_whatever_its_shape() {
    let emulator = emulator().await;
    let client = client_for(&emulator, TOKEN);
    for id in [
        "api_key_000000000000000000000000000",
        "short",
        "../../etc",
        "a/b?c#d",
    ] {
        let err = client.get_key(&KeyId::from(id)).await.unwrap_err();
        assert!(matches!(err, ApiError::NotFound { .. }), "{id}: {err:?}");
    }
}
