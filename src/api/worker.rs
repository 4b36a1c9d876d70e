//! The API worker: a tokio task between the UI and `ApiClient`. It receives
//! `(RequestId, ApiRequest)` on an mpsc channel and sends one `ApiReply` per request back.

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{ApiClient, ApiReply, ApiRequest, RequestId};

/// Starts the worker. It stops when `requests` is closed or `cancel` fires.
pub fn spawn(
    _client: ApiClient,
    _requests: mpsc::UnboundedReceiver<(RequestId, ApiRequest)>,
    _replies: mpsc::UnboundedSender<ApiReply>,
    _cancel: CancellationToken,
) -> JoinHandle<()> {
    todo!()
}
