//! HTTP plumbing for `ApiClient`: body reading with a size cap (and wiping of bodies that held
//! a secret), the mapping of HTTP statuses to `ApiError` (contract §3.4, §6.10), the wording of
//! transport failures, and `Retry-After` parsing.
//!
//! Nothing here ever looks at request headers; error details are built from status codes, the
//! server's `message`/`errors` fields and transport error kinds, never from a body verbatim.

use std::error::Error as StdError;
use std::io;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use secrecy::zeroize::Zeroize;

use super::ApiError;
use super::models::parse_error_body;

/// Largest error body worth reading: it only ever carries a short `message` and `errors`.
pub(crate) const ERROR_BODY_LIMIT: u64 = 64 * 1024;

/// A response body held in memory. A sensitive body (create, rotate: it holds a key secret) is
/// zeroized when dropped, including every buffer it outgrew.
pub(crate) struct Body {
    bytes: Vec<u8>,
    sensitive: bool,
}

impl Body {
    fn new(sensitive: bool, capacity: usize) -> Body {
        Body {
            bytes: Vec::with_capacity(capacity),
            sensitive,
        }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes
    }

    fn extend(&mut self, chunk: &[u8]) {
        let needed = self.bytes.len() + chunk.len();
        if self.sensitive && needed > self.bytes.capacity() {
            // Grow by hand so the old allocation is wiped instead of freed with a secret in it.
            let mut grown = Vec::with_capacity(needed.max(self.bytes.capacity() * 2));
            grown.extend_from_slice(&self.bytes);
            self.bytes.zeroize();
            self.bytes = grown;
        }
        self.bytes.extend_from_slice(chunk);
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        if self.sensitive {
            self.bytes.zeroize();
        }
    }
}

/// Reads the whole body, refusing more than `limit` bytes: at once when `Content-Length` says
/// so, otherwise as soon as the chunks received pass the cap (so at most `limit` bytes plus
/// the chunk in hand are ever held).
pub(crate) async fn read_body(
    response: &mut reqwest::Response,
    limit: u64,
    sensitive: bool,
    target: &str,
) -> Result<Body, ApiError> {
    if let Some(length) = response.content_length()
        && length > limit
    {
        return Err(ApiError::TooLarge { limit });
    }
    // Sized from Content-Length (already checked against the limit), so a large list is
    // read without the copies of a doubling buffer; untouched capacity costs no memory.
    let initial = response.content_length().unwrap_or(0).min(limit);
    let mut body = Body::new(sensitive, usize::try_from(initial).unwrap_or(0));
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if (body.bytes.len() + chunk.len()) as u64 > limit {
                    return Err(ApiError::TooLarge { limit });
                }
                body.extend(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(err) => return Err(transport_error(&err, target, Phase::Body)),
        }
    }
}

/// Where a transport error happened, for the wording of `Network { detail }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Connecting, sending, or waiting for the status line.
    Request,
    /// Reading the body after the status line arrived.
    Body,
}

/// Turns a reqwest error into `Timeout` or a `Network` sentence naming `host:port` and the
/// cause in plain words. reqwest's own `Display` names the URL, never headers; even so only
/// known kinds are worded here, and unknown causes say so without quoting anything.
pub(crate) fn transport_error(err: &reqwest::Error, target: &str, phase: Phase) -> ApiError {
    if err.is_timeout() {
        return ApiError::Timeout;
    }
    let cause = describe_cause(err);
    if cause == Cause::TimedOut {
        return ApiError::Timeout;
    }
    if let Cause::Foreign(words) = cause {
        return ApiError::Refused { detail: words };
    }
    let words = cause.words();
    let detail = if err.is_connect() {
        format!("could not connect to {target}: {words}")
    } else if phase == Phase::Body || err.is_body() || err.is_decode() {
        format!("the connection to {target} broke while the answer was arriving: {words}")
    } else {
        format!("the connection to {target} failed before an answer arrived: {words}")
    };
    ApiError::Network { detail }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Cause {
    Refused,
    Reset,
    Aborted,
    ClosedEarly,
    ClosedMidBody,
    NoSuchHost,
    Unreachable,
    TimedOut,
    Tls(Option<&'static str>),
    /// A loopback listener of another user (the words say whose and what to do).
    Foreign(String),
    Other,
}

impl Cause {
    fn words(&self) -> String {
        match self {
            Cause::Refused => "connection refused (is the server running on that port?)".into(),
            Cause::Reset => "connection reset by the server".into(),
            Cause::Aborted => "connection aborted".into(),
            Cause::ClosedEarly => "the server closed the connection without answering".into(),
            Cause::ClosedMidBody => "the server closed the connection before the whole \
                                     answer arrived"
                .into(),
            Cause::NoSuchHost => "no such host (the name could not be resolved)".into(),
            Cause::Unreachable => "the network or host is unreachable".into(),
            Cause::TimedOut => "timed out".into(),
            Cause::Tls(None) => "TLS handshake failed".into(),
            Cause::Tls(Some(why)) => format!("TLS handshake failed ({why})"),
            Cause::Foreign(words) => words.clone(),
            Cause::Other => "the connection failed for an unrecognised reason".into(),
        }
    }
}

fn describe_cause(err: &reqwest::Error) -> Cause {
    let mut source: Option<&(dyn StdError + 'static)> = Some(err);
    let mut found = Cause::Other;
    while let Some(current) = source {
        if let Some(foreign) = current.downcast_ref::<super::own_listener::ForeignListener>() {
            return Cause::Foreign(foreign.to_string());
        }
        if let Some(io_err) = current.downcast_ref::<io::Error>() {
            match io_err.kind() {
                io::ErrorKind::ConnectionRefused => return Cause::Refused,
                io::ErrorKind::ConnectionReset => return Cause::Reset,
                io::ErrorKind::ConnectionAborted | io::ErrorKind::BrokenPipe => {
                    return Cause::Aborted;
                }
                io::ErrorKind::TimedOut => return Cause::TimedOut,
                io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                    return Cause::Unreachable;
                }
                io::ErrorKind::UnexpectedEof => found = Cause::ClosedMidBody,
                _ => {}
            }
        }
        // Kinds that only show in the messages of hyper, hyper-util and rustls (not direct
        // dependencies, so their types cannot be named here). Only fixed words are kept.
        let text = current.to_string().to_ascii_lowercase();
        if text.contains("dns error")
            || text.contains("failed to lookup address")
            || text.contains("name or service not known")
            || text.contains("no address associated")
        {
            return Cause::NoSuchHost;
        }
        if text.contains("certificate") {
            let why = if text.contains("expired") {
                "the server's certificate has expired"
            } else if text.contains("notvalidforname") || text.contains("not valid for") {
                "the server's certificate is not valid for this host name"
            } else if text.contains("unknownissuer") || text.contains("unknown issuer") {
                "the server's certificate is not signed by a trusted authority"
            } else {
                "the server's certificate was not accepted"
            };
            return Cause::Tls(Some(why));
        }
        if text.contains("invalidcontenttype") || text.contains("corrupt message") {
            return Cause::Tls(Some("the server does not seem to speak TLS on that port"));
        }
        if text.contains("tls") || text.contains("handshake") {
            return Cause::Tls(None);
        }
        if text.contains("connection closed before message completed") {
            found = Cause::ClosedEarly;
        } else if text.contains("end of file before message length reached") {
            found = Cause::ClosedMidBody;
        }
        source = current.source();
    }
    found
}

/// Maps a non-2xx answer to the contract's error (§3.4, §6.10). `body` is the (possibly
/// empty or partial) error body; HTML or garbage simply gives no message.
pub(crate) fn status_error(status: u16, headers: &HeaderMap, body: &[u8]) -> ApiError {
    let parsed = parse_error_body(body);
    let message = parsed.message;
    match status {
        400 | 422 => ApiError::Validation {
            message: message.unwrap_or_else(|| format!("no reason was given (HTTP {status})")),
            errors: parsed.errors,
        },
        401 => ApiError::Unauthorized { message },
        403 => ApiError::Forbidden { message },
        404 => ApiError::NotFound { message },
        429 => ApiError::RateLimited {
            retry_after: retry_after(headers, jiff::Timestamp::now()),
            message,
        },
        _ => ApiError::Server { status, message },
    }
}

/// `Retry-After` as delay-seconds or as an HTTP date (RFC 9110 §10.2.3), relative to `now`.
/// A date in the past means "now" (zero); anything unreadable is ignored.
pub(crate) fn retry_after(headers: &HeaderMap, now: jiff::Timestamp) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, now)
}

/// Parses one `Retry-After` value; see [`retry_after`].
pub fn parse_retry_after(value: &str, now: jiff::Timestamp) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long digit strings saturate instead of failing.
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds));
    }
    let date = jiff::fmt::rfc2822::DateTimeParser::new()
        .parse_timestamp(value)
        .ok()?;
    let delta = date.duration_since(now);
    Some(Duration::try_from(delta).unwrap_or(Duration::ZERO))
}

/// Defence in depth: a server that echoes the Authorization header into its error message
/// must not bring the token into an `ApiError`. Tokens shorter than 8 characters are not
/// scrubbed (they would match ordinary words).
pub(crate) fn scrub(error: ApiError, authorization: &HeaderValue) -> ApiError {
    let Ok(header) = authorization.to_str() else {
        return error;
    };
    let token = header.trim_start_matches("Bearer ").trim();
    if token.len() < 8 {
        return error;
    }
    let clean = |text: String| -> String {
        if text.contains(token) {
            text.replace(token, "[redacted]")
        } else {
            text
        }
    };
    let clean_opt = |text: Option<String>| text.map(clean);
    match error {
        ApiError::Unauthorized { message } => ApiError::Unauthorized {
            message: clean_opt(message),
        },
        ApiError::Forbidden { message } => ApiError::Forbidden {
            message: clean_opt(message),
        },
        ApiError::NotFound { message } => ApiError::NotFound {
            message: clean_opt(message),
        },
        ApiError::Validation { message, errors } => ApiError::Validation {
            message: clean(message),
            errors: errors
                .into_iter()
                .map(|(field, texts)| (clean(field), texts.into_iter().map(clean).collect()))
                .collect(),
        },
        ApiError::RateLimited {
            retry_after,
            message,
        } => ApiError::RateLimited {
            retry_after,
            message: clean_opt(message),
        },
        ApiError::Server { status, message } => ApiError::Server {
            status,
            message: clean_opt(message),
        },
        other => other,
    }
}

/// The variant name only, for logs.
pub(crate) fn error_kind(error: &ApiError) -> &'static str {
    match error {
        ApiError::Unauthorized { .. } => "unauthorized",
        ApiError::Forbidden { .. } => "forbidden",
        ApiError::NotFound { .. } => "not_found",
        ApiError::Validation { .. } => "validation",
        ApiError::RateLimited { .. } => "rate_limited",
        ApiError::Server { .. } => "server",
        ApiError::Network { .. } => "network",
        ApiError::Timeout => "timeout",
        ApiError::Decode { .. } => "decode",
        ApiError::TooLarge { .. } => "too_large",
        ApiError::Refused { .. } => "refused",
        ApiError::Internal => "internal",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now: jiff::Timestamp = "2026-04-20T00:00:00Z".parse().unwrap();
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Mon, 20 Apr 2026 00:00:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun, 19 Apr 2026 23:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn sensitive_body_grows_and_keeps_content() {
        let mut body = Body::new(true, 1);
        for _ in 0..100 {
            body.extend(b"abc");
        }
        assert_eq!(body.as_slice().len(), 300);
        assert!(body.as_slice().starts_with(b"abcabc"));
    }
}
