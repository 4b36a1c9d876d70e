//! Fault injection (contract §6.9 item 35) as a client sees it: every kind, whether the
//! operation was performed, counts, order, and that faults come after authentication and
//! never touch `/__emulator/*`.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use sdx_keys::emulator::{self, Emulator, EmulatorConfig, ValidationStatus};
use serde_json::{Value, json};

const TOKEN: &str = "fault-token";

struct Api {
    base: String,
    emulator: Emulator,
}

async fn start() -> Api {
    let emulator = emulator::start(EmulatorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![TOKEN.to_owned()],
        seed: None,
        names_seed: None,
        generate_keys: 3,
        fixtures_toml: None,
        validation_status: ValidationStatus::BadRequest,
        admin_token: None,
    })
    .await
    .unwrap();
    Api {
        base: emulator.base_url(),
        emulator,
    }
}

impl Api {
    /// A fresh client per request, so a dropped connection cannot affect the next call.
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> reqwest::Result<reqwest::Response> {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(TOKEN);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await
    }

    async fn fault(&self, rule: Value) {
        let response = reqwest::Client::new()
            .post(format!("{}/__emulator/faults", self.base))
            .json(&rule)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED, "{rule}");
    }

    async fn clear(&self) {
        let response = reqwest::Client::new()
            .delete(format!("{}/__emulator/faults", self.base))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
    }

    async fn ids(&self) -> Vec<String> {
        let response = self.send(Method::GET, "/api/keys", None).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let keys: Vec<Value> = response.json().await.unwrap();
        keys.iter()
            .map(|k| k["id"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn first_id(&self) -> String {
        self.ids().await.remove(0)
    }
}

fn new_key() -> Option<Value> {
    Some(json!({"name": "Faulty", "permissions": ["sites:read"]}))
}

#[tokio::test]
async fn latency_delays_the_normal_answer() {
    let api = start().await;
    api.fault(json!({"kind": "latency", "ms": 300, "method": "GET", "path": "/api/keys"}))
        .await;
    let started = Instant::now();
    let response = api.send(Method::GET, "/api/keys", None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Vec<Value>>().await.unwrap().len(), 3);
    assert!(started.elapsed() >= Duration::from_millis(300));
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn status_faults_answer_without_performing() {
    let api = start().await;
    api.fault(json!({"kind": "status", "status": 429, "retry_after": 7, "method": "post", "path": "/api/keys"})).await;
    let response = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.headers()["content-type"], "application/json");
    assert_eq!(
        response.json::<Value>().await.unwrap(),
        json!({"message": "Too Many Attempts."})
    );
    assert_eq!(api.ids().await.len(), 3, "not performed");
    // count defaulted to 1: the next create goes through.
    let response = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);

    let id = api.first_id().await;
    api.fault(json!({"kind": "status", "status": 503, "message": "Down for maintenance.", "method": "DELETE", "path": "/api/keys/{id}"})).await;
    let response = api
        .send(Method::DELETE, &format!("/api/keys/{id}"), None)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(response.headers().get("retry-after").is_none());
    assert_eq!(
        response.json::<Value>().await.unwrap()["message"],
        "Down for maintenance."
    );
    assert!(api.ids().await.contains(&id));
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn html_and_malformed_bodies() {
    let api = start().await;
    api.fault(json!({"kind": "html", "path": "/api/keys"}))
        .await;
    let response = api.send(Method::GET, "/api/keys", None).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_GATEWAY);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(response.text().await.unwrap().contains("<html>"));
    api.fault(json!({"kind": "html", "status": 504})).await;
    assert_eq!(
        api.send(Method::GET, "/api/keys", None)
            .await
            .unwrap()
            .status(),
        StatusCode::GATEWAY_TIMEOUT
    );

    api.fault(json!({"kind": "malformed", "method": "POST", "path": "/api/keys"}))
        .await;
    let response = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let body = response.bytes().await.unwrap();
    assert!(serde_json::from_slice::<Value>(&body).is_err());
    assert_eq!(api.ids().await.len(), 3, "not performed");
    let id = api.first_id().await;
    api.fault(json!({"kind": "malformed", "path": "/api/keys/{id}"}))
        .await;
    let response = api
        .send(Method::GET, &format!("/api/keys/{id}"), None)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(serde_json::from_slice::<Value>(&response.bytes().await.unwrap()).is_err());
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn truncate_sends_half_and_closes_but_performs() {
    let api = start().await;
    api.fault(json!({"kind": "truncate", "method": "POST", "path": "/api/keys"}))
        .await;
    let response = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(length > 100);
    let mut response = response;
    let mut received = 0;
    let error = loop {
        match response.chunk().await {
            Ok(Some(chunk)) => received += chunk.len(),
            Ok(None) => panic!("the body completed"),
            Err(error) => break error,
        }
    };
    assert_eq!(received, length / 2, "{error}");
    assert_eq!(api.ids().await.len(), 4, "performed");

    api.fault(json!({"kind": "truncate", "method": "GET", "path": "/api/keys"}))
        .await;
    let response = api.send(Method::GET, "/api/keys", None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.bytes().await.is_err());
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn huge_is_a_valid_array_of_the_exact_size() {
    let api = start().await;
    api.fault(json!({"kind": "huge", "bytes": 3_000_001, "path": "/api/keys"}))
        .await;
    let response = api.send(Method::GET, "/api/keys", None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-length"], "3000001");
    let body = response.bytes().await.unwrap();
    assert_eq!(body.len(), 3_000_001);
    assert!(serde_json::from_slice::<Value>(&body).unwrap().is_array());
    api.fault(json!({"kind": "huge", "bytes": 10, "method": "POST"}))
        .await;
    let response = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.bytes().await.unwrap().len(), 10);
    assert_eq!(api.ids().await.len(), 3, "not performed");
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn slow_body_trickles_a_performed_answer() {
    let api = start().await;
    let id = api.first_id().await;
    let path = format!("/api/keys/{id}/rotate");
    api.fault(json!({"kind": "slow_body", "bytes_per_sec": 1000, "path": "/api/keys/{id}/rotate"}))
        .await;
    let started = Instant::now();
    let mut response = api.send(Method::POST, &path, None).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = response.chunk().await.unwrap() {
        chunks += 1;
        body.extend_from_slice(&chunk);
    }
    let value: Value = serde_json::from_slice(&body).unwrap();
    assert!(
        value["data"]["secret"]
            .as_str()
            .unwrap()
            .starts_with("alto_sk_")
    );
    assert!(chunks >= 3, "{chunks} chunks");
    // About 400 bytes at 1000 bytes a second.
    assert!(
        started.elapsed() >= Duration::from_millis(200),
        "{:?}",
        started.elapsed()
    );
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn reset_drops_the_connection_without_performing() {
    let api = start().await;
    api.fault(json!({"kind": "reset", "method": "POST", "path": "/api/keys"}))
        .await;
    let error = api
        .send(Method::POST, "/api/keys", new_key())
        .await
        .unwrap_err();
    assert!(!error.is_status(), "{error}");
    assert_eq!(api.ids().await.len(), 3, "not performed");
    let id = api.first_id().await;
    api.fault(json!({"kind": "reset", "method": "DELETE", "path": "/api/keys/{id}"}))
        .await;
    assert!(
        api.send(Method::DELETE, &format!("/api/keys/{id}"), None)
            .await
            .is_err()
    );
    assert!(api.ids().await.contains(&id));
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn commit_then_reset_performs_then_drops() {
    let api = start().await;
    api.fault(json!({"kind": "commit_then_reset", "method": "POST", "path": "/api/keys"}))
        .await;
    assert!(
        api.send(Method::POST, "/api/keys", new_key())
            .await
            .is_err()
    );
    assert_eq!(api.ids().await.len(), 4, "performed");
    let id = api.first_id().await;
    api.fault(json!({"kind": "commit_then_reset", "path": "/api/keys/{id}"}))
        .await;
    assert!(
        api.send(Method::DELETE, &format!("/api/keys/{id}"), None)
            .await
            .is_err()
    );
    assert!(!api.ids().await.contains(&id), "performed");
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn counts_order_auth_and_scope_of_rules() {
    let api = start().await;
    // count 0: until cleared; rules tried in the order added.
    api.fault(
        json!({"kind": "status", "status": 500, "count": 0, "method": "GET", "path": "/api/keys"}),
    )
    .await;
    api.fault(json!({"kind": "status", "status": 418, "count": 0}))
        .await;
    for _ in 0..3 {
        assert_eq!(
            api.send(Method::GET, "/api/keys", None)
                .await
                .unwrap()
                .status(),
            StatusCode::INTERNAL_SERVER_ERROR
        );
    }
    // After authentication: an anonymous call is a 401 and spends nothing.
    let anonymous = reqwest::Client::new()
        .get(format!("{}/api/keys", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    // Never on /__emulator/*.
    let who = reqwest::Client::new()
        .get(format!("{}/__emulator/whoami", api.base))
        .bearer_auth(TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(who.status(), StatusCode::OK);
    assert_eq!(
        api.send(
            Method::DELETE,
            "/api/keys/api_key_000000000000000000000000000",
            None
        )
        .await
        .unwrap()
        .status(),
        StatusCode::IM_A_TEAPOT
    );
    let listed: Value = reqwest::get(format!("{}/__emulator/faults", api.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["rules"].as_array().unwrap().len(), 2);
    api.clear().await;
    assert_eq!(
        api.send(Method::GET, "/api/keys", None)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // A count of 2 is spent by two matching calls only.
    api.fault(
        json!({"kind": "status", "status": 500, "count": 2, "method": "GET", "path": "/api/keys"}),
    )
    .await;
    assert_eq!(
        api.send(Method::POST, "/api/keys", new_key())
            .await
            .unwrap()
            .status(),
        StatusCode::CREATED
    );
    for expected in [500, 500, 200] {
        assert_eq!(
            api.send(Method::GET, "/api/keys", None)
                .await
                .unwrap()
                .status()
                .as_u16(),
            expected
        );
    }

    // Bad rules are refused and add nothing.
    for bad in [
        json!({"kind": "explode"}),
        json!({"kind": "status"}),
        json!({"kind": "status", "status": 42}),
        json!({"kind": "latency", "ms": 5, "path": "/__emulator/whoami"}),
        json!([{"kind": "reset"}, {"kind": "nope"}]),
    ] {
        let response = reqwest::Client::new()
            .post(format!("{}/__emulator/faults", api.base))
            .json(&bad)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        assert!(response.json::<Value>().await.unwrap()["message"].is_string());
    }
    assert_eq!(
        api.send(Method::GET, "/api/keys", None)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    // reset clears the rules too.
    api.fault(json!({"kind": "status", "status": 500, "count": 0}))
        .await;
    reqwest::Client::new()
        .post(format!("{}/__emulator/reset", api.base))
        .send()
        .await
        .unwrap();
    assert_eq!(
        api.send(Method::GET, "/api/keys", None)
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    api.emulator.shutdown().await;
}

#[tokio::test]
async fn with_an_admin_token_reset_and_faults_need_it() {
    let emulator = emulator::start(EmulatorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        tokens: vec![TOKEN.to_owned()],
        seed: None,
        names_seed: None,
        generate_keys: 0,
        fixtures_toml: None,
        validation_status: ValidationStatus::BadRequest,
        admin_token: Some("admin-secret".to_owned()),
    })
    .await
    .unwrap();
    let base = emulator.base_url();
    let http = reqwest::Client::new();
    let rule = serde_json::json!({"kind": "status", "status": 503});
    let refused = http
        .post(format!("{base}/__emulator/faults"))
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    for (method, path) in [
        (reqwest::Method::GET, "faults"),
        (reqwest::Method::DELETE, "faults"),
        (reqwest::Method::POST, "reset"),
    ] {
        let status = http
            .request(method.clone(), format!("{base}/__emulator/{path}"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 401, "{method} {path} with a key-managing token");
    }
    let accepted = http
        .post(format!("{base}/__emulator/faults"))
        .bearer_auth("admin-secret")
        .json(&rule)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 201);
    let permissions = http
        .get(format!("{base}/__emulator/permissions"))
        .send()
        .await
        .unwrap();
    assert_eq!(permissions.status(), 200, "the catalogue stays open");
    emulator.shutdown().await;
}
