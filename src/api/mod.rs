//! The Altostrat SDX API-keys contract on the client side: typed models with tolerant parsing
//! (`models`), the error vocabulary the UI acts on (`error`), the HTTP client (`client`) and the
//! async worker task the UI talks to over channels (`worker`).
//!
//! This module knows HTTP and `api-contract.md`, and nothing of the UI: it must never import
//! from `app`, `ui` or `runtime`.

pub mod caps;
pub mod client;
pub mod error;
mod http;
pub mod list_json;
pub mod models;
pub mod new_key;
pub mod own_listener;
pub mod peer_owner;
mod retry;
pub mod sock_diag;
pub mod worker;

pub use caps::KeyList;
pub use client::{ApiClient, ClientOptions};
pub use error::ApiError;
pub use models::{ApiKey, FieldErrors, IssuedSecret, KeyId, NewKey};

/// Correlates a request sent to the worker with its reply. The UI keeps the id of the request
/// it waits for and drops replies carrying any other id (stale replies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// One operation of the API, as the UI asks for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiRequest {
    ListKeys,
    GetKey(KeyId),
    CreateKey(NewKey),
    RotateKey(KeyId),
    DeleteKey(KeyId),
}

impl ApiRequest {
    /// Safe to repeat and to run concurrently with other requests (GETs only).
    pub fn is_idempotent(&self) -> bool {
        matches!(self, ApiRequest::ListKeys | ApiRequest::GetKey(_))
    }
}

/// A successful answer to an [`ApiRequest`].
///
/// Not `Debug`-derived: `Secret` carries a key secret. The manual `Debug` redacts it.
pub enum ApiResponse {
    Keys(KeyList),
    Key(ApiKey),
    Secret(IssuedSecret),
    Deleted(KeyId),
}

impl std::fmt::Debug for ApiResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiResponse::Keys(list) => f.debug_tuple("Keys").field(&list.keys.len()).finish(),
            ApiResponse::Key(key) => f.debug_tuple("Key").field(key).finish(),
            ApiResponse::Secret(issued) => f.debug_tuple("Secret").field(issued).finish(),
            ApiResponse::Deleted(id) => f.debug_tuple("Deleted").field(id).finish(),
        }
    }
}

/// The worker's answer to one request.
#[derive(Debug)]
pub struct ApiReply {
    pub id: RequestId,
    pub result: Result<ApiResponse, ApiError>,
}
