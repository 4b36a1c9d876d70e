//! The API worker: a tokio task between the UI and `ApiClient`. It receives
//! `(RequestId, ApiRequest)` on an mpsc channel and sends one `ApiReply` per request back.
//!
//! - GETs (list, retrieve) run concurrently, each in its own task; a list read that a newer
//!   list request supersedes is cancelled without a reply (the model waits only for the
//!   newest list, so its answer would be stale), so one list body is read at a time.
//! - Writes (create, rotate, delete) go through one sequential queue, in arrival order: a
//!   rotate sent after a create never overtakes it, and two writes never overlap.
//! - When the request sender is dropped, the worker stops taking requests, finishes every
//!   request it already accepted (each still gets its reply), then ends.
//! - When `cancel` fires (the app is quitting), in-flight and queued requests are aborted
//!   without a reply and the worker ends at once; every task it spawned has ended when its
//!   `JoinHandle` resolves.
//! - A closed reply channel is not an error: replies are then dropped.
//!
//! Nothing here looks into requests or replies beyond `is_idempotent`; no secret is logged.

use std::panic::AssertUnwindSafe;

use futures_util::FutureExt;
use tokio::sync::mpsc;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;

use super::{ApiClient, ApiError, ApiReply, ApiRequest, RequestId};

/// Starts the worker. It stops when `requests` is closed or `cancel` fires.
pub fn spawn(
    client: ApiClient,
    requests: mpsc::UnboundedReceiver<(RequestId, ApiRequest)>,
    replies: mpsc::UnboundedSender<ApiReply>,
    cancel: CancellationToken,
) -> JoinHandle<()> {
    tokio::spawn(run(client, requests, replies, cancel))
}

async fn run(
    client: ApiClient,
    mut requests: mpsc::UnboundedReceiver<(RequestId, ApiRequest)>,
    replies: mpsc::UnboundedSender<ApiReply>,
    cancel: CancellationToken,
) {
    let (write_tx, write_rx) = mpsc::unbounded_channel();
    let mut writer = tokio::spawn(write_queue(client.clone(), write_rx, replies.clone()));
    let mut reads: JoinSet<()> = JoinSet::new();
    // The list read in flight: a newer one supersedes it (its answer would be stale), so it
    // is cancelled, and at most one list body is being read at a time.
    let mut list_read: Option<tokio::task::AbortHandle> = None;

    // Accept requests until the sender is gone or we are cancelled.
    let cancelled = loop {
        tokio::select! {
            biased;
            () = cancel.cancelled() => break true,
            next = requests.recv() => match next {
                None => break false,
                Some((id, request)) if request.is_idempotent() => {
                    let is_list = matches!(request, ApiRequest::ListKeys);
                    let read = reads.spawn(answer(client.clone(), id, request, replies.clone()));
                    if is_list && let Some(superseded) = list_read.replace(read) {
                        superseded.abort();
                    }
                }
                Some(write) => {
                    // The writer only ends when `write_tx` is dropped, below; were it gone
                    // (it panicked), the request would get no reply, so answer here instead.
                    if let Err(mpsc::error::SendError((id, request))) = write_tx.send(write) {
                        reads.spawn(answer(client.clone(), id, request, replies.clone()));
                    }
                }
            },
            Some(_) = reads.join_next(), if !reads.is_empty() => {}
        }
    };

    drop(write_tx);
    if !cancelled {
        // Drain: every accepted request still gets its reply, unless cancel fires meanwhile.
        let drained = async {
            while reads.join_next().await.is_some() {}
            let _ = (&mut writer).await;
        };
        tokio::select! {
            biased;
            () = cancel.cancelled() => {}
            () = drained => return,
        }
    }
    writer.abort();
    let _ = writer.await;
    reads.shutdown().await;
}

/// The sequential queue of writes.
async fn write_queue(
    client: ApiClient,
    mut writes: mpsc::UnboundedReceiver<(RequestId, ApiRequest)>,
    replies: mpsc::UnboundedSender<ApiReply>,
) {
    while let Some((id, request)) = writes.recv().await {
        answer(client.clone(), id, request, replies.clone()).await;
    }
}

async fn answer(
    client: ApiClient,
    id: RequestId,
    request: ApiRequest,
    replies: mpsc::UnboundedSender<ApiReply>,
) {
    // A panic while answering would otherwise leave the UI waiting for this reply forever.
    let result = match AssertUnwindSafe(client.execute(request))
        .catch_unwind()
        .await
    {
        Ok(result) => result,
        Err(_) => {
            tracing::error!("a request panicked; answering it with an internal error");
            Err(ApiError::Internal)
        }
    };
    // The UI may be gone; a reply nobody reads is simply dropped.
    let _ = replies.send(ApiReply { id, result });
}
