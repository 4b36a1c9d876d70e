//! `ApiError`: every way a call to the API can fail, in the variants the UI acts on
//! (design.md §3), each with a `user_message()` that says what happened and what to do.
//!
//! No variant ever holds the bearer token or a key secret: messages come from status codes,
//! the server's `message`/`errors` fields, and transport errors (which name the URL only).

use std::time::Duration;

use super::models::FieldErrors;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401: the token is missing, expired or wrong.
    #[error("unauthorized")]
    Unauthorized { message: Option<String> },
    /// 403: the token is valid but may not manage API keys.
    #[error("forbidden")]
    Forbidden { message: Option<String> },
    /// 404: the key does not exist (or belongs to another organisation).
    #[error("not found")]
    NotFound { message: Option<String> },
    /// 400 or 422: the request was refused; `errors` maps fields (dotted keys included) to
    /// messages.
    #[error("validation failed: {message}")]
    Validation {
        message: String,
        errors: FieldErrors,
    },
    /// 429: too many requests; `retry_after` from the `Retry-After` header, if any.
    #[error("rate limited")]
    RateLimited {
        retry_after: Option<Duration>,
        message: Option<String>,
    },
    /// 5xx, or any other status the contract does not give a meaning to (3xx with redirects
    /// off, 405, 409, ...).
    #[error("server answered {status}")]
    Server {
        status: u16,
        message: Option<String>,
    },
    /// The host could not be reached, or the connection broke before an answer arrived.
    #[error("network error: {detail}")]
    Network { detail: String },
    /// No complete answer within the configured time.
    #[error("timed out")]
    Timeout,
    /// An answer arrived but was not what the contract describes.
    #[error("undecodable response: {detail}")]
    Decode { detail: String },
    /// The answer was larger than the configured cap for this kind of request.
    #[error("response larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// A local safety check refused the connection before a byte was sent (a plain-http
    /// loopback port held by another user); `detail` says whose and what to do.
    #[error("refused: {detail}")]
    Refused { detail: String },
    /// sdx-keys itself failed while handling the request (a bug, caught so the screen
    /// does not wait forever).
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// One or two sentences for the status line or the error pane: what happened, then what
    /// the operator can do about it.
    pub fn user_message(&self) -> String {
        match self {
            ApiError::Unauthorized { message } => format!(
                "The API rejected the token{}. Check the token (ALTOSTRAT_TOKEN, or the \
                 profile's token source) and start again.",
                server_says(message)
            ),
            ApiError::Forbidden { message } => format!(
                "The token is valid but may not manage API keys{}. Use a token of a user \
                 with API-key management rights.",
                server_says(message)
            ),
            ApiError::NotFound { message } => format!(
                "The key does not exist{}; it may have been deleted elsewhere. Check the id, \
                 or list the keys again.",
                server_says(message)
            ),
            ApiError::Validation { message, errors } => {
                if errors.is_empty() {
                    format!("The API refused the request: {message}. Correct it and try again.")
                } else {
                    let details: Vec<String> = errors
                        .iter()
                        .flat_map(|(field, texts)| {
                            texts.iter().map(move |t| format!("{field}: {t}"))
                        })
                        .collect();
                    format!(
                        "The API refused the request: {}. Correct it and try again.",
                        details.join("; ")
                    )
                }
            }
            ApiError::RateLimited {
                retry_after,
                message,
            } => match retry_after {
                Some(wait) => format!(
                    "The API is rate limiting requests{}. Wait {} and try again.",
                    server_says(message),
                    human_seconds(*wait)
                ),
                None => format!(
                    "The API is rate limiting requests{}. Wait a minute and try again.",
                    server_says(message)
                ),
            },
            ApiError::Server { status, message } if (500..600).contains(status) => format!(
                "The API had an internal problem (HTTP {status}{}). Try again in a moment; \
                 if it persists, check Altostrat's status page.",
                server_says_inline(message)
            ),
            ApiError::Server { status, message } if (300..400).contains(status) => format!(
                "The API answered with a redirect (HTTP {status}{}), which sdx-keys does not \
                 follow. Check the base URL.",
                server_says_inline(message)
            ),
            ApiError::Server { status, message } => format!(
                "The API answered HTTP {status}{}, which sdx-keys did not expect. Check the \
                 base URL and try again.",
                server_says_inline(message)
            ),
            ApiError::Network { detail } => format!(
                "Could not reach the API ({detail}). Check the base URL, your network, VPN or \
                 proxy, then try again."
            ),
            ApiError::Timeout => "The API did not answer in time. Check your network, then \
                                  try again."
                .into(),
            ApiError::Decode { detail } => format!(
                "The API sent a response sdx-keys could not read ({detail}). Check that the \
                 base URL points at the Altostrat API."
            ),
            ApiError::Refused { detail } => {
                let mut sentence = detail.clone();
                if let Some(first) = sentence.get_mut(0..1) {
                    first.make_ascii_uppercase();
                }
                format!("{}.", sentence.trim_end_matches('.'))
            }
            ApiError::Internal => "sdx-keys failed while handling this request (a bug; the \
                                   log file has details). Try again; if it repeats, restart \
                                   sdx-keys and report it."
                .into(),
            ApiError::TooLarge { limit } => format!(
                "The API sent a response larger than {} MiB, the configured limit. Raise the \
                 limit in the configuration if this organisation is that large.",
                limit.div_ceil(1024 * 1024)
            ),
        }
    }

    /// The request was sent and no answer came: it may or may not have been carried out.
    /// A connection that was never made (`could not connect`, our own wording in `api::http`)
    /// carried no request, so that one is not lost.
    pub fn answer_lost(&self) -> bool {
        match self {
            ApiError::Timeout => true,
            ApiError::Network { detail } => !detail.starts_with("could not connect"),
            _ => false,
        }
    }

    /// Worth retrying automatically for an idempotent request.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network { .. } | ApiError::RateLimited { .. } => true,
            ApiError::Server { status, .. } => matches!(status, 502..=504),
            _ => false,
        }
    }
}

fn server_says(message: &Option<String>) -> String {
    match message {
        Some(m) => format!(" (\"{}\")", m.trim_end_matches('.')),
        None => String::new(),
    }
}

fn server_says_inline(message: &Option<String>) -> String {
    match message {
        Some(m) => format!(": {}", m.trim_end_matches('.')),
        None => String::new(),
    }
}

fn human_seconds(wait: Duration) -> String {
    let secs = wait.as_secs().max(1);
    if secs < 120 {
        format!("{secs} s")
    } else {
        format!("{} min", secs.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_show_the_server_message_and_the_wait() {
        let err = ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(30)),
            message: Some("Too Many Attempts.".into()),
        };
        let text = err.user_message();
        assert!(text.contains("Too Many Attempts"), "{text}");
        assert!(text.contains("30 s"), "{text}");
    }

    #[test]
    fn validation_lists_every_field_message() {
        let mut errors = FieldErrors::new();
        errors.insert("name".into(), vec!["too short".into()]);
        errors.insert("permissions.0".into(), vec!["not grantable".into()]);
        let err = ApiError::Validation {
            message: "too short".into(),
            errors,
        };
        let text = err.user_message();
        assert!(text.contains("name: too short"), "{text}");
        assert!(text.contains("permissions.0: not grantable"), "{text}");
    }

    #[test]
    fn every_variant_says_what_to_do() {
        let all = [
            ApiError::Unauthorized { message: None },
            ApiError::Forbidden { message: None },
            ApiError::NotFound { message: None },
            ApiError::RateLimited {
                retry_after: None,
                message: None,
            },
            ApiError::Server {
                status: 503,
                message: None,
            },
            ApiError::Server {
                status: 302,
                message: None,
            },
            ApiError::Server {
                status: 409,
                message: None,
            },
            ApiError::Network {
                detail: "connection refused".into(),
            },
            ApiError::Timeout,
            ApiError::Decode { detail: "x".into() },
            ApiError::TooLarge { limit: 1 << 20 },
            ApiError::Refused {
                detail: "port 1 is held by another user. Use https".into(),
            },
            ApiError::Internal,
        ];
        for err in all {
            let text = err.user_message();
            let advises = [
                "Set ",
                "Use ",
                "try again",
                "list the keys",
                "Wait",
                "Try again",
                "Check",
                "Raise",
            ]
            .iter()
            .any(|verb| text.contains(verb));
            assert!(advises, "no advice in: {text}");
        }
    }
}
