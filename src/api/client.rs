//! `ApiClient`: the five `/api/keys` operations over reqwest (rustls), with the contract's
//! error mapping, capped bodies, and retries for idempotent GETs only.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode, Url, redirect};
use secrecy::{ExposeSecret, SecretString};

use super::http::{
    ERROR_BODY_LIMIT, Phase, error_kind, read_body, scrub, status_error, transport_error,
};
use super::models::{DecodeError, parse_issued_secret, parse_key, parse_key_list};
use super::retry::{Decision, RetryPolicy, jitter};
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
    /// Root certificates trusted besides the system's (a profile's `ca_file`).
    pub extra_roots: Vec<reqwest::Certificate>,
    /// Talk to this Unix socket instead of the base URL's host (the `--demo` emulator, in a
    /// directory only we can enter).
    pub unix_socket: Option<std::path::PathBuf>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            base_url: "https://v1.api.altostrat.io".into(),
            connect_timeout: Duration::from_secs(5),
            // With the retries, a host that accepts and never answers is given up on within
            // 25 s.
            request_timeout: Duration::from_secs(20),
            list_body_limit: 64 * 1024 * 1024,
            body_limit: 1024 * 1024,
            max_attempts: 3,
            retry_budget: Duration::from_secs(20),
            extra_roots: Vec::new(),
            unix_socket: None,
        }
    }
}

/// A configured client. Cheap to clone (shares the connection pool).
///
/// Not `Debug`-derived: it holds the bearer token. The manual `Debug` shows the base URL only.
#[derive(Clone)]
pub struct ApiClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    /// Validated base URL; its path has no trailing slash (may be empty or a gateway prefix).
    base: Url,
    /// `host:port`, for error sentences.
    target: String,
    /// `Bearer <token>`, marked sensitive (hidden from hyper's and http's `Debug`).
    authorization: HeaderValue,
    options: ClientOptions,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("base_url", &self.inner.base.as_str())
            .finish_non_exhaustive()
    }
}

/// The base URL names this machine (`localhost`, 127.0.0.0/8, `::1`).
fn is_loopback(url: &Url) -> bool {
    match url.host_str() {
        Some(host) if host.eq_ignore_ascii_case("localhost") => true,
        Some(host) => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback()),
        None => false,
    }
}

/// The `User-Agent` sent on every request.
pub const USER_AGENT: &str = concat!("sdx-keys/", env!("CARGO_PKG_VERSION"));

/// The three request paths, as logged (never with the id).
#[derive(Debug, Clone, Copy)]
enum Route {
    Keys,
    Key,
    Rotate,
}

impl Route {
    fn template(self) -> &'static str {
        match self {
            Route::Keys => "/api/keys",
            Route::Key => "/api/keys/{id}",
            Route::Rotate => "/api/keys/{id}/rotate",
        }
    }
}

impl ApiClient {
    /// Checks the options and builds the connection pool. An unusable base URL or token is
    /// reported as `ApiError::Network` whose detail says what to fix (the variant the UI
    /// already shows as "check the base URL"); the detail never quotes the URL or the token.
    pub fn new(options: ClientOptions, token: SecretString) -> Result<ApiClient, ApiError> {
        let base = parse_base_url(&options.base_url)?;
        let target = match (base.host_str(), base.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => String::new(),
        };
        let mut authorization =
            HeaderValue::try_from(format!("Bearer {}", token.expose_secret().trim())).map_err(
                |_| ApiError::Network {
                    detail: "the token contains characters that cannot be sent in an HTTP \
                             header (a line break or another control character); check the \
                             token you configured"
                        .into(),
                },
            )?;
        authorization.set_sensitive(true);
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut builder = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .connect_timeout(options.connect_timeout)
            .timeout(options.request_timeout)
            .user_agent(USER_AGENT)
            .default_headers(headers);
        if is_loopback(&base) {
            // A proxy from HTTP_PROXY/ALL_PROXY (common on jump hosts) cannot reach our own
            // loopback, and would receive the token in clear over plain http.
            builder = builder.no_proxy();
        }
        if base.scheme() == "http" {
            if crate::claims::is_signed_jwt(&token) {
                return Err(ApiError::Network {
                    detail: "the token is a signed JWT (a real user token), which is never sent \
                             over plain http; use https, or the emulator's own token"
                        .into(),
                });
            }
            match &options.unix_socket {
                // Our own socket, in a directory only we can enter.
                Some(path) => builder = builder.unix_socket(path.clone()),
                // Plain http carries the token in clear: only to a socket of our own user.
                None => {
                    builder = builder.connector_layer(super::own_listener::OwnListenerLayer);
                }
            }
            // Plain http (a loopback emulator): this client never speaks TLS, so skip loading
            // the system's trust store (about a hundred certificate files, tens of ms at start).
            builder = builder.tls_certs_only(std::iter::empty());
        } else if !options.extra_roots.is_empty() {
            builder = builder.tls_certs_merge(options.extra_roots.iter().cloned());
        }
        let http = builder.build().map_err(|_| ApiError::Network {
            detail: "the HTTP client could not be set up (TLS initialisation failed)".into(),
        })?;
        Ok(ApiClient {
            inner: Arc::new(Inner {
                http,
                base,
                target,
                authorization,
                options,
            }),
        })
    }

    /// The validated base URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        self.inner.base.as_str().trim_end_matches('/')
    }

    /// The key list, within the bounds of [`super::caps`] (what was cut is in the result).
    pub async fn list_keys(&self) -> Result<super::KeyList, ApiError> {
        let url = self.url(None, false)?;
        let limit = self.inner.options.list_body_limit;
        self.get_with_retries(url, Route::Keys, limit, parse_key_list)
            .await
    }

    /// The key list as the API's own key objects, one compact JSON array (`list --json`), and
    /// how many keys past [`super::caps::MAX_KEYS`] were left out.
    pub async fn list_keys_json(&self) -> Result<(Vec<u8>, usize), ApiError> {
        let url = self.url(None, false)?;
        let limit = self.inner.options.list_body_limit;
        self.get_with_retries(url, Route::Keys, limit, super::list_json::key_list_json)
            .await
    }

    pub async fn get_key(&self, id: &KeyId) -> Result<ApiKey, ApiError> {
        let url = self.url(Some(id), false)?;
        let limit = self.inner.options.body_limit;
        self.get_with_retries(url, Route::Key, limit, parse_key)
            .await
    }

    pub async fn create_key(&self, new_key: &NewKey) -> Result<IssuedSecret, ApiError> {
        let url = self.url(None, false)?;
        let body = serde_json::to_vec(new_key).map_err(|_| ApiError::Decode {
            detail: "the create request could not be encoded as JSON".into(),
        })?;
        self.issue_secret(Method::POST, url, Route::Keys, body)
            .await
    }

    pub async fn rotate_key(&self, id: &KeyId) -> Result<IssuedSecret, ApiError> {
        let url = self.url(Some(id), true)?;
        self.issue_secret(Method::POST, url, Route::Rotate, Vec::new())
            .await
    }

    pub async fn delete_key(&self, id: &KeyId) -> Result<(), ApiError> {
        let url = self.url(Some(id), false)?;
        let started = Instant::now();
        let mut response = self.send(Method::DELETE, url, None, Route::Key).await?;
        let status = response.status();
        log_status("DELETE", Route::Key, status, 1, started);
        if status.is_success() {
            // Any body is accepted and ignored; the key is gone whatever follows.
            let _ = read_body(&mut response, ERROR_BODY_LIMIT, false, &self.inner.target).await;
            return Ok(());
        }
        Err(self.error_from(response).await)
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

impl ApiClient {
    /// `{base}/api/keys`, `{base}/api/keys/{id}` or `{base}/api/keys/{id}/rotate`, with the id
    /// percent-encoded as one path segment (see [`encode_segment`]).
    fn url(&self, id: Option<&KeyId>, rotate: bool) -> Result<Url, ApiError> {
        let mut path = self.inner.base.path().trim_end_matches('/').to_owned();
        path.push_str("/api/keys");
        if let Some(id) = id {
            let raw = id.as_str();
            if raw.is_empty() || raw == "." || raw == ".." {
                // No URL can carry these as a segment: "." and ".." are resolved away by every
                // URL parser (also when percent-encoded), and an empty one names another route.
                // No real key has such an id (pattern `api_key_...`).
                return Err(ApiError::NotFound {
                    message: Some("a key id cannot be empty, \".\" or \"..\"".into()),
                });
            }
            path.push('/');
            path.push_str(&encode_segment(raw));
            if rotate {
                path.push_str("/rotate");
            }
        }
        let mut url = self.inner.base.clone();
        url.set_path(&path);
        Ok(url)
    }

    /// Sends one request. Transport failures become `Timeout` or `Network`.
    async fn send(
        &self,
        method: Method,
        url: Url,
        body: Option<Vec<u8>>,
        route: Route,
    ) -> Result<reqwest::Response, ApiError> {
        let mut request = self
            .inner
            .http
            .request(method.clone(), url)
            .header(AUTHORIZATION, self.inner.authorization.clone());
        if let Some(body) = body {
            // Rotate sends an empty body (`Content-Length: 0`) and no content type.
            if !body.is_empty() {
                request = request.header(CONTENT_TYPE, "application/json");
            }
            request = request.body(body);
        }
        request.send().await.map_err(|err| {
            let error = transport_error(&err, &self.inner.target, Phase::Request);
            tracing::debug!(
                method = %method,
                path = route.template(),
                error = ?error_kind(&error),
                "request failed"
            );
            error
        })
    }

    /// Reads a non-2xx answer (its body capped at `ERROR_BODY_LIMIT`; an unreadable or
    /// oversized error body only loses the server's message) and maps it to an `ApiError`.
    async fn error_from(&self, mut response: reqwest::Response) -> ApiError {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let limit = self.inner.options.body_limit.min(ERROR_BODY_LIMIT);
        let body = read_body(&mut response, limit, false, &self.inner.target).await;
        let bytes = body.as_ref().map(|b| b.as_slice()).unwrap_or(&[]);
        scrub(
            status_error(status, &headers, bytes),
            &self.inner.authorization,
        )
    }

    /// One GET: status line, capped body, parse.
    async fn get_once<T>(
        &self,
        url: &Url,
        route: Route,
        limit: u64,
        parse: fn(&[u8]) -> Result<T, DecodeError>,
        attempt: u32,
    ) -> Result<T, ApiError> {
        let started = Instant::now();
        let mut response = self.send(Method::GET, url.clone(), None, route).await?;
        let status = response.status();
        log_status("GET", route, status, attempt, started);
        if !status.is_success() {
            return Err(self.error_from(response).await);
        }
        let body = read_body(&mut response, limit, false, &self.inner.target).await?;
        parse(body.as_slice()).map_err(decode_error)
    }

    /// A GET with the retry policy of `retry.rs`.
    async fn get_with_retries<T>(
        &self,
        url: Url,
        route: Route,
        limit: u64,
        parse: fn(&[u8]) -> Result<T, DecodeError>,
    ) -> Result<T, ApiError> {
        let policy = RetryPolicy {
            max_attempts: self.inner.options.max_attempts.max(1),
            budget: self.inner.options.retry_budget,
        };
        // The budget bounds the whole time spent since the first attempt began (attempts
        // and waits), not only the waits: no retry starts once it is spent.
        let first_started = Instant::now();
        let mut attempt = 1;
        loop {
            let error = match self.get_once(&url, route, limit, parse, attempt).await {
                Ok(value) => return Ok(value),
                Err(error) => error,
            };
            match policy.decide(&error, attempt, first_started.elapsed(), jitter()) {
                Decision::GiveUp => return Err(error),
                Decision::RetryAfter(delay) => {
                    tracing::debug!(
                        path = route.template(),
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        error = ?error_kind(&error),
                        "retrying GET"
                    );
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    /// Create or rotate: one attempt only (never retried), any 2xx accepted; the body, which
    /// holds the new secret, is zeroized once parsed.
    async fn issue_secret(
        &self,
        method: Method,
        url: Url,
        route: Route,
        body: Vec<u8>,
    ) -> Result<IssuedSecret, ApiError> {
        let started = Instant::now();
        let mut response = self.send(method.clone(), url, Some(body), route).await?;
        let status = response.status();
        log_status(method.as_str(), route, status, 1, started);
        if !status.is_success() {
            return Err(self.error_from(response).await);
        }
        let limit = self.inner.options.body_limit;
        let body = read_body(&mut response, limit, true, &self.inner.target).await?;
        let parsed = parse_issued_secret(body.as_slice()).map_err(decode_error);
        drop(body); // zeroizes the buffer
        parsed
    }
}

/// Percent-encodes one path segment: every byte outside RFC 3986's unreserved set
/// (`A-Z a-z 0-9 - . _ ~`) becomes `%XX`, so `/`, `?`, `#`, `%`, spaces and non-ASCII cannot
/// change the path, the query or the fragment.
pub fn encode_segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn parse_base_url(raw: &str) -> Result<Url, ApiError> {
    let fix = "use a form like https://v1.api.altostrat.io or http://127.0.0.1:8787";
    let invalid = |why: &str| ApiError::Network {
        detail: format!("the base URL is not usable: {why}; {fix}"),
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(invalid("it is empty"));
    }
    let url = Url::parse(trimmed).map_err(|err| invalid(&format!("{err}")))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("it must start with http:// or https://"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(invalid("it names no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "it must not contain a user name or password (the token is sent separately)",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid(
            "it must not contain a query (?...) or a fragment (#...)",
        ));
    }
    Ok(url)
}

/// A decode failure of a 2xx body. `DecodeError` never quotes the body (see models.rs).
fn decode_error(err: DecodeError) -> ApiError {
    ApiError::Decode { detail: err.0 }
}

fn log_status(method: &str, route: Route, status: StatusCode, attempt: u32, started: Instant) {
    tracing::debug!(
        method,
        path = route.template(),
        status = status.as_u16(),
        attempt,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "API answered"
    );
}
