//! Fault injection (contract §6.9 item 35): the rule list behind `/__emulator/faults`, the
//! matching of API requests against it, and the answers each fault kind produces.
//!
//! A rule is one JSON object: `{"kind": ..., "method"?, "path"?, "count"?, ...kind fields}`.
//! `method` (any case) and `path` (e.g. `/api/keys/{id}/rotate`; a `{...}` segment matches any
//! segment) are optional; an absent one matches every API request. `count` defaults to 1; 0
//! means until cleared. Rules apply only to `/api/keys` routes, after authentication and the
//! manage-keys check, and are tried in the order added; the first match is used (and its count
//! spent). Closing a connection without an answer goes through [`ConnCtl`], never a panic.

use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use serde::{Deserialize, Serialize};

use super::server::ConnCtl;

/// Largest `huge` body and longest `latency` accepted.
const HUGE_MAX: u64 = 4 << 30;
const LATENCY_MAX_MS: u64 = 10 * 60 * 1000;
/// Fastest `slow_body` trickle accepted (1 GiB/s; beyond that nothing is slow).
const SLOW_BODY_MAX: u64 = 1 << 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum FaultKind {
    Latency {
        ms: u64,
    },
    Status {
        status: u16,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    Html {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<u16>,
    },
    Malformed,
    Truncate,
    Huge {
        bytes: u64,
    },
    SlowBody {
        bytes_per_sec: u64,
    },
    Reset,
    CommitThenReset,
}

/// A rule as posted and as listed back.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(default = "one")]
    pub count: u64,
    #[serde(flatten)]
    pub kind: FaultKind,
}

fn one() -> u64 {
    1
}

impl Rule {
    /// Checks the fields; returns a sentence for the caller when something is off.
    pub fn check(&self) -> Result<(), String> {
        if let Some(path) = &self.path {
            let ok = ["/api/keys", "/api/keys/{id}", "/api/keys/{id}/rotate"]
                .iter()
                .any(|route| segments_match(route, path) || segments_match(path, route));
            if !ok {
                return Err(format!(
                    "The path {path:?} is not an API route (/api/keys, /api/keys/{{id}}, /api/keys/{{id}}/rotate)."
                ));
            }
        }
        match &self.kind {
            FaultKind::Status { status, .. }
            | FaultKind::Html {
                status: Some(status),
            } if !(200..=599).contains(status) => Err(format!(
                "The status {status} is not a final HTTP status (200 to 599)."
            )),
            FaultKind::Latency { ms } if *ms > LATENCY_MAX_MS => {
                Err(format!("The latency may be at most {LATENCY_MAX_MS} ms."))
            }
            FaultKind::Huge { bytes } if *bytes > HUGE_MAX => {
                Err(format!("A huge body may be at most {HUGE_MAX} bytes."))
            }
            FaultKind::SlowBody { bytes_per_sec }
                if !(1..=SLOW_BODY_MAX).contains(bytes_per_sec) =>
            {
                Err(format!("bytes_per_sec must be from 1 to {SLOW_BODY_MAX}."))
            }
            _ => Ok(()),
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && self
                .path
                .as_deref()
                .is_none_or(|pattern| segments_match(pattern, path))
    }
}

/// Whether `path` fits `pattern`, a `{...}` pattern segment matching any one segment.
fn segments_match(pattern: &str, path: &str) -> bool {
    let mut p = pattern.split('/');
    let mut s = path.split('/');
    loop {
        match (p.next(), s.next()) {
            (None, None) => return true,
            (Some(a), Some(b)) if a == b || (a.starts_with('{') && a.ends_with('}')) => {}
            _ => return false,
        }
    }
}

/// The active rules, in the order added.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    pub fn add(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    pub fn clear(&mut self) -> usize {
        std::mem::take(&mut self.rules).len()
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The first rule matching the request, its count spent.
    pub fn take(&mut self, method: &str, path: &str) -> Option<FaultKind> {
        let index = self.rules.iter().position(|r| r.matches(method, path))?;
        let rule = &mut self.rules[index];
        let kind = rule.kind.clone();
        if rule.count == 1 {
            self.rules.remove(index);
        } else if rule.count > 1 {
            rule.count -= 1;
        }
        Some(kind)
    }
}

fn json_message(status: StatusCode, message: &str) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "message": message })),
    )
        .into_response()
}

/// The answer of a fault that skips the operation (`status`, `html`, `malformed`, `huge`,
/// `reset`), or `None` when the operation must run.
pub async fn short_circuit(kind: &FaultKind, created: bool, ctl: &ConnCtl) -> Option<Response> {
    Some(match kind {
        FaultKind::Status {
            status,
            retry_after,
            message,
        } => {
            let status = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let default = match status.as_u16() {
                429 => "Too Many Attempts.".to_owned(),
                500..=599 => "Server Error.".to_owned(),
                _ => format!("{}.", status.canonical_reason().unwrap_or("Error")),
            };
            let mut response = if matches!(status.as_u16(), 204 | 304) {
                // These statuses carry no body.
                let mut empty = Response::new(Body::empty());
                *empty.status_mut() = status;
                empty
            } else {
                json_message(status, message.as_deref().unwrap_or(&default))
            };
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*seconds));
            }
            response
        }
        FaultKind::Html { status } => {
            let status =
                StatusCode::from_u16(status.unwrap_or(502)).unwrap_or(StatusCode::BAD_GATEWAY);
            let title = format!(
                "{} {}",
                status.as_u16(),
                status.canonical_reason().unwrap_or("Error")
            );
            let page = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            (
                status,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                page,
            )
                .into_response()
        }
        FaultKind::Malformed => {
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                r#"{"status":"success","data":{"message":"API Key created succ"#,
            )
                .into_response()
        }
        FaultKind::Huge { bytes } => huge(*bytes),
        FaultKind::Reset => ctl.drop_connection().await,
        _ => return None,
    })
}

/// A 200 whose body is a valid JSON array of exactly `bytes` bytes (at least `[]`), streamed
/// in 64 KiB pieces: `[0,0,...,0]`, with one space before `]` when the length needs it.
fn huge(bytes: u64) -> Response {
    const PIECE: usize = 64 * 1024;
    let total = bytes.max(2);
    let inner = total - 2;
    let digits = if inner % 2 == 1 {
        inner
    } else {
        inner.saturating_sub(1)
    };
    let pad = inner - digits;
    let pattern = Bytes::from("0,".repeat(PIECE / 2));
    let pieces = stream::unfold(0u64, move |sent| {
        let pattern = pattern.clone();
        async move {
            if sent >= digits {
                return None;
            }
            let n = (digits - sent).min(PIECE as u64);
            Some((
                Ok::<_, std::io::Error>(pattern.slice(..n as usize)),
                sent + n,
            ))
        }
    });
    let head = stream::iter([Ok(Bytes::from_static(b"["))]);
    let tail = stream::iter([Ok(Bytes::from(format!("{}]", " ".repeat(pad as usize))))]);
    use futures_util::StreamExt;
    let body = Body::from_stream(head.chain(pieces).chain(tail));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            ),
            (header::CONTENT_LENGTH, HeaderValue::from(total)),
        ],
        body,
    )
        .into_response()
}

async fn into_parts(response: Response) -> (axum::http::response::Parts, Bytes) {
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    (parts, bytes)
}

/// The answer's headers (with the full `Content-Length`) and half its body, then the
/// connection is closed. An empty body (204) has nothing to cut and is sent whole.
pub async fn truncate(response: Response, ctl: &ConnCtl) -> Response {
    let (mut parts, bytes) = into_parts(response).await;
    if bytes.is_empty() {
        return Response::from_parts(parts, Body::empty());
    }
    parts
        .headers
        .insert(header::CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    let half = bytes.slice(..bytes.len() / 2);
    let ctl = ctl.clone();
    let body = stream::unfold(Some(half), move |state| {
        let ctl = ctl.clone();
        async move {
            match state {
                Some(half) => Some((Ok::<_, std::io::Error>(half), None)),
                None => {
                    // Ask the connection task to drop the connection; hyper has flushed what
                    // it was given when it polled us again.
                    ctl.close();
                    std::future::pending().await
                }
            }
        }
    });
    Response::from_parts(parts, Body::from_stream(body))
}

/// The answer with its body trickled at about `bytes_per_sec` (pieces every 100 ms or less).
pub fn slow_body(response: Response, bytes_per_sec: u64) -> Response {
    let (mut parts, body) = response.into_parts();
    let bps = bytes_per_sec.max(1);
    let piece = (bps / 10).max(1) as usize;
    let pause = Duration::from_micros(
        u64::try_from(u128::from(piece as u64) * 1_000_000 / u128::from(bps)).unwrap_or(100_000),
    );
    let stream = stream::unfold(
        (Some(body), Bytes::new(), true),
        move |(body, rest, first)| async move {
            let rest = match body {
                Some(body) => axum::body::to_bytes(body, usize::MAX)
                    .await
                    .unwrap_or_default(),
                None => rest,
            };
            if rest.is_empty() {
                return None;
            }
            if !first {
                tokio::time::sleep(pause).await;
            }
            let n = piece.min(rest.len());
            Some((
                Ok::<_, std::io::Error>(rest.slice(..n)),
                (None, rest.slice(n..), false),
            ))
        },
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(stream))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(json: &str) -> Rule {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn rules_match_in_order_and_spend_counts() {
        let mut faults = Faults::default();
        faults.add(rule(
            r#"{"kind":"status","status":429,"method":"get","path":"/api/keys/{id}","count":2}"#,
        ));
        faults.add(rule(r#"{"kind":"reset","count":0}"#));
        assert!(matches!(
            faults.take("GET", "/api/keys/api_key_x"),
            Some(FaultKind::Status { .. })
        ));
        assert!(matches!(
            faults.take("GET", "/api/keys/anything"),
            Some(FaultKind::Status { .. })
        ));
        for _ in 0..3 {
            assert_eq!(faults.take("GET", "/api/keys/x"), Some(FaultKind::Reset));
        }
        assert_eq!(faults.clear(), 1);
        assert_eq!(faults.take("GET", "/api/keys"), None);
    }

    #[test]
    fn bad_rules_are_refused() {
        assert!(rule(r#"{"kind":"status","status":99}"#).check().is_err());
        assert!(rule(r#"{"kind":"status","status":101}"#).check().is_err());
        assert!(
            rule(r#"{"kind":"slow_body","bytes_per_sec":18446744073709551615}"#)
                .check()
                .is_err()
        );
        assert!(
            rule(r#"{"kind":"latency","ms":5,"path":"/__emulator/whoami"}"#)
                .check()
                .is_err()
        );
        assert!(
            rule(r#"{"kind":"slow_body","bytes_per_sec":0}"#)
                .check()
                .is_err()
        );
        assert!(
            rule(r#"{"kind":"truncate","path":"/api/keys/api_key_abc/rotate"}"#)
                .check()
                .is_ok()
        );
        assert!(serde_json::from_str::<Rule>(r#"{"kind":"nope"}"#).is_err());
    }

    #[tokio::test]
    async fn huge_bodies_are_valid_json_of_the_exact_size() {
        for bytes in [0u64, 2, 3, 4, 5, 100, 65_537, 200_000, 200_001] {
            let body = axum::body::to_bytes(huge(bytes).into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(body.len() as u64, bytes.max(2));
            let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
            assert!(value.is_array());
        }
    }
}
