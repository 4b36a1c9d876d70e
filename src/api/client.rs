//! `ApiClient`: the five `/api/keys` operations over reqwest (rustls), with the contract's
//! error mapping, capped bodies, and retries for idempotent GETs only.

use std::time::Duration;

use secrecy::SecretString;

use super::{ApiError, ApiKey, ApiRequest, ApiResponse, IssuedSecret, KeyId, NewKey};

/// How the client talks to the API. `Default` gives the contract's values.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// e.g. `https://v1.api.altostrat.io` or `http://127.0.0.1:8787`; no trailing path needed.
    pub base_url: String,
    pub connect_timeout: Duration,
    pub request_timeout: Duration,
    /// Cap on a list response body, in bytes (64 MiB by default).
    pub list_body_limit: u64,
    /// Cap on any other response body, in bytes (1 MiB by default).
    pub body_limit: u64,
    /// Attempts for an idempotent GET, the first included (3 by default).
    pub max_attempts: u32,
    /// Upper bound on the time spent waiting between GET attempts (20 s by default).
    pub retry_budget: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: "https://v1.api.altostrat.io".into(),
            connect_timeout: Duration::from_secs(5),
            request_timeout: Duration::from_secs(30),
            list_body_limit: 64 * 1024 * 1024,
            body_limit: 1024 * 1024,
            max_attempts: 3,
            retry_budget: Duration::from_secs(20),
        }
    }
}

/// A configured client. Cheap to clone (shares the connection pool).
#[derive(Clone)]
pub struct ApiClient {
    _todo: (),
}

impl ApiClient {
    pub fn new(_options: ClientOptions, _token: SecretString) -> Result<ApiClient, ApiError> {
        todo!()
    }

    pub async fn list_keys(&self) -> Result<Vec<ApiKey>, ApiError> {
        todo!()
    }

    pub async fn get_key(&self, _id: &KeyId) -> Result<ApiKey, ApiError> {
        todo!()
    }

    pub async fn create_key(&self, _new_key: &NewKey) -> Result<IssuedSecret, ApiError> {
        todo!()
    }

    pub async fn rotate_key(&self, _id: &KeyId) -> Result<IssuedSecret, ApiError> {
        todo!()
    }

    pub async fn delete_key(&self, _id: &KeyId) -> Result<(), ApiError> {
        todo!()
    }

    /// Runs one request of the worker's vocabulary.
    pub async fn execute(&self, request: ApiRequest) -> Result<ApiResponse, ApiError> {
        match request {
            ApiRequest::ListKeys => self.list_keys().await.map(ApiResponse::Keys),
            ApiRequest::GetKey(id) => self.get_key(&id).await.map(ApiResponse::Key),
            ApiRequest::CreateKey(new_key) => {
                self.create_key(&new_key).await.map(ApiResponse::Secret)
            }
            ApiRequest::RotateKey(id) => self.rotate_key(&id).await.map(ApiResponse::Secret),
            ApiRequest::DeleteKey(id) => self
                .delete_key(&id)
                .await
                .map(|()| ApiResponse::Deleted(id)),
        }
    }
}
