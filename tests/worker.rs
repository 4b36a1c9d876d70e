//! The API worker against a scripted server: one reply per request, correlated by id; GETs run
//! concurrently; writes run one at a time in arrival order; it drains on sender drop, stops at
//! once on cancel, and shrugs off a closed reply channel. Ordering is proven with gates the
//! test opens, not with sleeps.

mod common;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use common::*;
use sdx_keys::api::worker;
use sdx_keys::api::{ApiReply, ApiRequest, ApiResponse, KeyId, NewKey, RequestId};
use tokio::sync::{Notify, mpsc};
use tokio_util::sync::CancellationToken;

#[derive(Clone, Default)]
struct Script {
    events: Arc<Mutex<Vec<String>>>,
    gate: Arc<Notify>,
}

impl Script {
    fn event(&self, text: impl Into<String>) {
        self.events.lock().unwrap().push(text.into());
    }
    fn events(&self) -> Vec<String> {
        self.events.lock().unwrap().clone()
    }
}

/// `GET /api/keys/slow` waits for the gate, `/api/keys/never` never answers; a create named
/// "slow create" waits for the gate (at most 300 ms, so a wrongly concurrent worker shows its
/// overlap instead of hanging); every write is logged as it starts and ends.
async fn scripted() -> (String, Script) {
    let script = Script::default();
    let router = Router::new()
        .route(
            "/api/keys",
            get(|| async { axum::Json(serde_json::json!([key_json("a")])) }).post(
                |State(s): State<Script>, body: axum::body::Bytes| async move {
                    let sent: serde_json::Value = serde_json::from_slice(&body).unwrap();
                    let name = sent["name"].as_str().unwrap().to_owned();
                    s.event(format!("create {name} start"));
                    if name == "slow create" {
                        let _ = tokio::time::timeout(Duration::from_millis(300), s.gate.notified())
                            .await;
                    }
                    if name == "never" {
                        std::future::pending::<()>().await;
                    }
                    s.event(format!("create {name} end"));
                    (StatusCode::CREATED, axum::Json(issued_json("new")))
                },
            ),
        )
        .route(
            "/api/keys/{id}",
            get(
                |State(s): State<Script>, Path(id): Path<String>| async move {
                    match id.as_str() {
                        "slow" => s.gate.notified().await,
                        "never" => std::future::pending::<()>().await,
                        _ => {}
                    }
                    axum::Json(key_json(&id))
                },
            )
            .delete(
                |State(s): State<Script>, Path(id): Path<String>| async move {
                    s.event(format!("delete {id}"));
                    StatusCode::NO_CONTENT
                },
            ),
        )
        .route(
            "/api/keys/{id}/rotate",
            post(
                |State(s): State<Script>, Path(id): Path<String>| async move {
                    s.event(format!("rotate {id}"));
                    axum::Json(issued_json(&id)).into_response()
                },
            ),
        )
        .with_state(script.clone());
    (serve(router).await, script)
}

struct Harness {
    requests: mpsc::UnboundedSender<(RequestId, ApiRequest)>,
    replies: mpsc::UnboundedReceiver<ApiReply>,
    cancel: CancellationToken,
    handle: tokio::task::JoinHandle<()>,
}

fn start(base: &str) -> Harness {
    let (requests, requests_rx) = mpsc::unbounded_channel();
    let (replies_tx, replies) = mpsc::unbounded_channel();
    let cancel = CancellationToken::new();
    let handle = worker::spawn(client(base), requests_rx, replies_tx, cancel.clone());
    Harness {
        requests,
        replies,
        cancel,
        handle,
    }
}

impl Harness {
    fn send(&self, id: u64, request: ApiRequest) {
        self.requests.send((RequestId(id), request)).unwrap();
    }
    async fn reply(&mut self) -> ApiReply {
        tokio::time::timeout(Duration::from_secs(30), self.replies.recv())
            .await
            .expect("a reply within 30 s")
            .expect("the worker is still running")
    }
}

fn create(name: &str) -> ApiRequest {
    ApiRequest::CreateKey(NewKey::new(name, &["sites:read".into()]).unwrap())
}

#[tokio::test]
async fn every_request_gets_exactly_one_reply_with_its_id() {
    let (base, _) = scripted().await;
    let mut h = start(&base);
    h.send(10, ApiRequest::ListKeys);
    h.send(11, ApiRequest::GetKey(KeyId::from("a")));
    h.send(12, ApiRequest::GetKey(KeyId::from("b")));
    h.send(13, ApiRequest::DeleteKey(KeyId::from("c")));
    h.send(14, create("fresh key"));
    h.send(15, ApiRequest::RotateKey(KeyId::from("d")));
    let mut replies = BTreeMap::new();
    for _ in 0..6 {
        let reply = h.reply().await;
        assert!(
            replies.insert(reply.id.0, reply.result).is_none(),
            "duplicate reply"
        );
    }
    assert!(matches!(&replies[&10], Ok(ApiResponse::Keys(list)) if list.keys.len() == 1));
    assert!(matches!(&replies[&11], Ok(ApiResponse::Key(key)) if key.id.as_str() == "a"));
    assert!(matches!(&replies[&12], Ok(ApiResponse::Key(key)) if key.id.as_str() == "b"));
    assert!(matches!(&replies[&13], Ok(ApiResponse::Deleted(id)) if id.as_str() == "c"));
    assert!(matches!(&replies[&14], Ok(ApiResponse::Secret(s)) if s.key.id.as_str() == "new"));
    assert!(matches!(&replies[&15], Ok(ApiResponse::Secret(s)) if s.key.id.as_str() == "d"));
    // Failures are replies too.
    let mut refused = start(&refused_base());
    refused.send(20, create("doomed key"));
    let reply = refused.reply().await;
    assert_eq!(reply.id, RequestId(20));
    assert!(reply.result.is_err());
    drop(h.requests);
    h.handle.await.unwrap();
    assert!(h.replies.recv().await.is_none(), "no extra reply");
}

#[tokio::test]
async fn a_slow_get_does_not_block_a_fast_one() {
    let (base, script) = scripted().await;
    let mut h = start(&base);
    h.send(1, ApiRequest::GetKey(KeyId::from("slow")));
    h.send(2, ApiRequest::GetKey(KeyId::from("fast")));
    h.send(3, ApiRequest::ListKeys);
    // The slow GET waits for the gate, which only opens after both others have answered.
    let mut first = vec![h.reply().await.id, h.reply().await.id];
    first.sort();
    assert_eq!(first, vec![RequestId(2), RequestId(3)]);
    script.gate.notify_one();
    assert_eq!(h.reply().await.id, RequestId(1));
}

#[tokio::test]
async fn writes_run_one_at_a_time_in_arrival_order() {
    let (base, script) = scripted().await;
    let mut h = start(&base);
    h.send(1, create("slow create"));
    h.send(2, ApiRequest::RotateKey(KeyId::from("new")));
    h.send(3, ApiRequest::DeleteKey(KeyId::from("new")));
    h.send(4, create("second"));
    // A GET sent after the writes is not held up by them.
    h.send(5, ApiRequest::ListKeys);
    assert_eq!(h.reply().await.id, RequestId(5));
    script.gate.notify_one();
    let order: Vec<RequestId> = [
        h.reply().await,
        h.reply().await,
        h.reply().await,
        h.reply().await,
    ]
    .iter()
    .map(|r| r.id)
    .collect();
    assert_eq!(
        order,
        vec![RequestId(1), RequestId(2), RequestId(3), RequestId(4)]
    );
    assert_eq!(
        script.events(),
        vec![
            "create slow create start",
            "create slow create end",
            "rotate new",
            "delete new",
            "create second start",
            "create second end",
        ]
    );
}

#[tokio::test]
async fn dropping_the_sender_drains_accepted_requests_then_stops() {
    let (base, script) = scripted().await;
    let mut h = start(&base);
    h.send(1, ApiRequest::GetKey(KeyId::from("slow")));
    h.send(2, ApiRequest::RotateKey(KeyId::from("k")));
    assert_eq!(h.reply().await.id, RequestId(2));
    drop(h.requests);
    script.gate.notify_one();
    let reply = tokio::time::timeout(Duration::from_secs(30), h.replies.recv())
        .await
        .unwrap()
        .expect("the in-flight GET is still answered");
    assert_eq!(reply.id, RequestId(1));
    tokio::time::timeout(Duration::from_secs(30), h.handle)
        .await
        .expect("the worker stops")
        .unwrap();
    // Every task the worker spawned is gone: no sender of replies is left.
    assert!(h.replies.recv().await.is_none());
}

#[tokio::test]
async fn cancel_stops_at_once_and_ends_every_task() {
    let (base, _) = scripted().await;
    let mut h = start(&base);
    h.send(1, ApiRequest::GetKey(KeyId::from("never")));
    h.send(2, create("never"));
    h.send(
        3,
        ApiRequest::RotateKey(KeyId::from("queued behind a stuck create")),
    );
    h.send(4, ApiRequest::ListKeys);
    assert_eq!(h.reply().await.id, RequestId(4));
    h.cancel.cancel();
    tokio::time::timeout(Duration::from_secs(30), h.handle)
        .await
        .expect("the worker stops although requests hang")
        .unwrap();
    // Aborted requests get no reply, and no task holding a reply sender survives.
    assert!(h.replies.recv().await.is_none());
    // The request channel is closed too.
    assert!(
        h.requests
            .send((RequestId(5), ApiRequest::ListKeys))
            .is_err()
    );
}

#[tokio::test]
async fn a_closed_reply_channel_is_not_a_panic() {
    let (base, _) = scripted().await;
    let Harness {
        requests,
        replies,
        handle,
        ..
    } = start(&base);
    drop(replies);
    requests.send((RequestId(1), ApiRequest::ListKeys)).unwrap();
    requests
        .send((RequestId(2), create("nobody listens")))
        .unwrap();
    requests
        .send((RequestId(3), ApiRequest::GetKey(KeyId::from("a"))))
        .unwrap();
    drop(requests);
    tokio::time::timeout(Duration::from_secs(30), handle)
        .await
        .expect("the worker stops")
        .expect("the worker did not panic");
}

#[tokio::test]
async fn a_list_superseded_by_a_newer_one_is_cancelled_without_a_reply() {
    let (base, _) = scripted().await;
    let mut h = start(&base);
    h.send(1, ApiRequest::ListKeys);
    h.send(2, ApiRequest::ListKeys);
    h.send(3, ApiRequest::GetKey(KeyId::from("a")));
    drop(h.requests);
    // The worker ends once every request it still serves is answered.
    tokio::time::timeout(Duration::from_secs(30), h.handle)
        .await
        .expect("the worker stops")
        .unwrap();
    let mut ids = Vec::new();
    while let Ok(reply) = h.replies.try_recv() {
        ids.push(reply.id.0);
    }
    ids.sort();
    assert_eq!(ids, [2, 3], "the first list was answered too");
}
