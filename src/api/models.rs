//! The contract's data types (`api-contract.md` §3) and the tolerant parsers for the shapes
//! the real API may send (§3.1, §3.5, §6.10): bare or `{status, data}` envelopes, missing
//! `permissions`, unknown `status` words, timestamps with any number of fractional digits,
//! ids of any length. Parsers never panic on any input; they return `DecodeError`.
//! The create request is validated in [`super::new_key`].

use std::cell::RefCell;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::Arc;

use jiff::Timestamp;
use secrecy::SecretString;
use serde::{Deserialize, Deserializer, Serialize};

/// An API key's identifier (`api_key_...`). Never validated for length or alphabet.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct KeyId(pub String);

impl KeyId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for KeyId {
    fn from(value: &str) -> Self {
        KeyId(value.to_owned())
    }
}

/// One API key's metadata (§3.1). Holds no secret: `key_prefix` is only the visible prefix.
///
/// The contract's `object` field (always `"api_key"`) is accepted and not kept: it carries no
/// information, and an organisation's list holds tens of thousands of keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    #[serde(deserialize_with = "capped_key_id")]
    pub id: KeyId,
    #[serde(deserialize_with = "super::caps::capped_name")]
    pub name: String,
    #[serde(default, deserialize_with = "super::caps::capped_id")]
    pub key_prefix: String,
    #[serde(default, deserialize_with = "super::caps::capped_id")]
    pub client_id: String,
    #[serde(deserialize_with = "rfc3339")]
    pub created_at: Timestamp,
    #[serde(
        default = "default_status",
        deserialize_with = "null_as_default_status"
    )]
    pub status: String,
    /// Scopes, shared between the keys of one parsed list (see [`Scope`]).
    #[serde(default, deserialize_with = "interned_scopes")]
    pub permissions: Vec<Scope>,
    #[serde(default, deserialize_with = "optional_rfc3339")]
    pub last_used_at: Option<Timestamp>,
}

fn default_status() -> String {
    "active".to_owned()
}

fn capped_key_id<'de, D: Deserializer<'de>>(d: D) -> Result<KeyId, D::Error> {
    Ok(KeyId(super::caps::cut(
        String::deserialize(d)?,
        super::caps::MAX_ID_BYTES,
    )))
}

/// An RFC 3339 timestamp with any number of fractional digits (jiff takes at most nine,
/// nanoseconds; further digits are dropped, as they are below what it can represent).
struct Rfc3339(Timestamp);

impl<'de> Deserialize<'de> for Rfc3339 {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "an RFC 3339 timestamp", |text| {
            parse_rfc3339(text)
                .map(Rfc3339)
                .ok_or("a timestamp is not RFC 3339")
        })
    }
}

/// Deserializes a JSON string through `convert` without an intermediate `String` (the
/// string is borrowed from the body whenever it holds no escapes).
fn from_str_with<'de, D, T>(
    d: D,
    expecting: &'static str,
    convert: fn(&str) -> Result<T, &'static str>,
) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
{
    struct StrVisitor<T> {
        expecting: &'static str,
        convert: fn(&str) -> Result<T, &'static str>,
    }
    impl<T> serde::de::Visitor<'_> for StrVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
            (self.convert)(text).map_err(E::custom)
        }
    }
    d.deserialize_str(StrVisitor { expecting, convert })
}

/// Parses an RFC 3339 timestamp, accepting more than nine fractional digits.
pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    if let Ok(at) = text.parse::<Timestamp>() {
        return Some(at);
    }
    let dot = text.find(['.', ','])?;
    let digits = text[dot + 1..]
        .bytes()
        .take_while(u8::is_ascii_digit)
        .count();
    if digits <= 9 {
        return None;
    }
    // Keep nine digits: every byte cut is an ASCII digit, so the indices are char boundaries.
    let trimmed = format!("{}{}", &text[..dot + 10], &text[dot + 1 + digits..]);
    trimmed.parse().ok()
}

fn rfc3339<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    Ok(Rfc3339::deserialize(d)?.0)
}

fn optional_rfc3339<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    Ok(Option::<Rfc3339>::deserialize(d)?.map(|at| at.0))
}

/// A permission scope string. Keys of an organisation share a few dozen scopes among tens of
/// thousands of grants, so the keys of one parsed list share one allocation per distinct
/// scope (`Arc<str>`) instead of one `String` each.
pub type Scope = Arc<str>;

thread_local! {
    /// The scopes seen during the list parse running on this thread, if one is running.
    static SCOPES: RefCell<Option<HashSet<Scope>>> = const { RefCell::new(None) };
}

/// Shares scopes between the keys parsed while it lives (on this thread).
struct ScopeInterner;

impl ScopeInterner {
    fn start() -> ScopeInterner {
        SCOPES.with(|scopes| *scopes.borrow_mut() = Some(HashSet::new()));
        ScopeInterner
    }
}

impl Drop for ScopeInterner {
    fn drop(&mut self) {
        SCOPES.with(|scopes| *scopes.borrow_mut() = None);
    }
}

fn intern(text: &str) -> Scope {
    SCOPES.with(|scopes| match scopes.borrow_mut().as_mut() {
        Some(seen) => match seen.get(text) {
            Some(shared) => Arc::clone(shared),
            None => {
                let shared: Scope = Arc::from(text);
                seen.insert(Arc::clone(&shared));
                shared
            }
        },
        None => Arc::from(text),
    })
}

/// One scope read without an intermediate `String`.
struct InternedScope(Scope);

impl<'de> Deserialize<'de> for InternedScope {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        from_str_with(d, "a permission string", |text| {
            let text = if text.len() > super::caps::MAX_ID_BYTES {
                // Cut (and counted) like every other over-long field.
                return Ok(InternedScope(intern(&super::caps::cut(
                    text.to_owned(),
                    super::caps::MAX_ID_BYTES,
                ))));
            } else {
                text
            };
            Ok(InternedScope(intern(text)))
        })
    }
}

/// `permissions`: an array of strings, `null` or absent meaning none; at most
/// [`super::caps::MAX_PERMISSIONS`] are kept.
fn interned_scopes<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Scope>, D::Error> {
    let scopes = Option::<super::caps::Capped<InternedScope, { super::caps::MAX_PERMISSIONS }>>::deserialize(
        d,
    )?;
    let Some(super::caps::Capped { items, dropped }) = scopes else {
        return Ok(Vec::new());
    };
    if dropped > 0 {
        super::caps::count(|c| c.permissions_dropped += dropped);
    }
    Ok(items.into_iter().map(|scope| scope.0).collect())
}

fn null_as_default_status<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let status = Option::<String>::deserialize(d)?.unwrap_or_else(default_status);
    Ok(super::caps::cut(status, super::caps::MAX_ID_BYTES))
}

/// A key together with its one-time secret, as create and rotate return it (§3.3).
///
/// The secret is a `SecretString` from the moment it is parsed; `Debug` redacts it.
pub struct IssuedSecret {
    pub key: ApiKey,
    pub secret: SecretString,
    /// The server's `data.message`, if any.
    pub message: Option<String>,
}

impl fmt::Debug for IssuedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedSecret")
            .field("key", &self.key)
            .field("secret", &"[redacted]")
            .field("message", &self.message)
            .finish()
    }
}

pub use super::new_key::{NAME_MAX_CHARS, NAME_MIN_CHARS, NewKey};

/// Validation failures by field, Laravel style: `{"name": ["..."], "permissions.0": ["..."]}`.
pub type FieldErrors = BTreeMap<String, Vec<String>>;

/// A response body that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecodeError(pub String);

impl DecodeError {
    pub(crate) fn from_json(what: &str, err: serde_json::Error) -> Self {
        // serde_json's message quotes the offending value for type errors (`invalid type:
        // string "..."`), and a create/rotate body holds a secret: keep the message only up to
        // its first quote, then the position. Field names (`missing field `id``) come from our
        // own types and are kept.
        let text = err.to_string();
        if text.starts_with("missing field `") || text.starts_with("duplicate field `") {
            return DecodeError(format!("{what}: {text}"));
        }
        match text.find(['"', '`', '\'']) {
            None => DecodeError(format!("{what}: {text}")),
            Some(cut) => {
                let head = text[..cut].trim_end().trim_end_matches(':');
                if err.line() > 0 {
                    DecodeError(format!(
                        "{what}: {head} (at line {} column {})",
                        err.line(),
                        err.column()
                    ))
                } else {
                    DecodeError(format!("{what}: {head}"))
                }
            }
        }
    }
}

/// Parses a list response: a bare array, or an object whose `data` is an array (§3.5).
///
/// Parsed in one pass straight into the keys, choosing the shape by the first byte: an
/// `untagged` enum would first copy the whole document into serde's internal tree, several
/// times the body's size for a 10,000-key organisation.
pub fn parse_key_list(body: &[u8]) -> Result<super::caps::KeyList, DecodeError> {
    type Keys = super::caps::Capped<ApiKey, { super::caps::MAX_KEYS }>;
    #[derive(Deserialize)]
    struct Envelope {
        data: Option<Keys>,
    }
    const WRONG_SHAPE: &str = "the key list is neither an array nor an object with a `data` array";
    let _interner = ScopeInterner::start();
    super::caps::start();
    let keys = match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'[') => serde_json::from_slice::<Keys>(body)
            .map_err(|e| DecodeError::from_json("a key in the list is malformed", e)),
        Some(b'{') => match serde_json::from_slice::<Envelope>(body) {
            Ok(Envelope { data: Some(keys) }) => Ok(keys),
            Ok(Envelope { data: None }) => Err(DecodeError(WRONG_SHAPE.into())),
            Err(e) if e.is_data() => {
                Err(DecodeError::from_json("a key in the list is malformed", e))
            }
            Err(e) => Err(DecodeError::from_json("the key list is not valid JSON", e)),
        },
        Some(_) => match serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            Ok(_) => Err(DecodeError(WRONG_SHAPE.into())),
            Err(e) => Err(DecodeError::from_json("the key list is not valid JSON", e)),
        },
        None => Err(DecodeError("the key list is empty".into())),
    };
    let mut cuts = super::caps::taken();
    let keys = keys?;
    cuts.keys_dropped += keys.dropped;
    Ok(super::caps::KeyList {
        keys: shrunk(keys.items),
        cuts,
    })
}

/// A parsed list grows by doubling; the spare capacity (up to half the list) is returned.
fn shrunk(mut keys: Vec<ApiKey>) -> Vec<ApiKey> {
    keys.shrink_to_fit();
    keys
}

/// Parses a single-key response: the bare key, `{data: key}` or `{data: {key: key}}` (§3.5).
pub fn parse_key(body: &[u8]) -> Result<ApiKey, DecodeError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| DecodeError::from_json("the key is not valid JSON", e))?;
    let key = locate_key(&value).ok_or_else(|| {
        DecodeError("the response holds no key (no `id`, `data` or `data.key`)".into())
    })?;
    ApiKey::deserialize(key).map_err(|e| DecodeError::from_json("the key is malformed", e))
}

fn locate_key(value: &serde_json::Value) -> Option<&serde_json::Value> {
    let object = value.as_object()?;
    if object.contains_key("id") {
        return Some(value);
    }
    let data = object.get("data")?;
    let data_object = data.as_object()?;
    if data_object.contains_key("id") {
        return Some(data);
    }
    data_object.get("key").filter(|k| k.is_object())
}

/// Parses a create or rotate response (§3.3): `{status, data: {message, key, secret}}`, with
/// `status` not required to be `success`. Also accepts the secret beside the key at the top
/// level (`{key, secret}`), as a lenient gateway might send.
pub fn parse_issued_secret(body: &[u8]) -> Result<IssuedSecret, DecodeError> {
    // One pass into plain structs (no `untagged` enum or `flatten`, which would buffer a
    // second copy of the secret in serde's internal `Content` and free it unwiped). The secret goes straight
    // into a `SecretString`.
    #[derive(Deserialize)]
    struct Parts {
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        key: Option<ApiKey>,
        #[serde(default)]
        secret: Option<SecretField>,
    }
    #[derive(Deserialize)]
    struct Top {
        #[serde(default)]
        data: Option<Parts>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        key: Option<ApiKey>,
        #[serde(default)]
        secret: Option<SecretField>,
    }
    let top: Top = serde_json::from_slice(body).map_err(|e| {
        DecodeError::from_json("the response does not hold a key and its secret", e)
    })?;
    let parts = match top.data {
        Some(data) if data.key.is_some() || data.secret.is_some() => data,
        _ => Parts {
            message: top.message,
            key: top.key,
            secret: top.secret,
        },
    };
    match (parts.key, parts.secret) {
        (Some(key), Some(SecretField(secret))) => Ok(IssuedSecret {
            key,
            secret,
            message: parts.message,
        }),
        (None, _) => Err(DecodeError(
            "the response does not hold a key and its secret: missing field `key`".into(),
        )),
        (Some(_), None) => Err(DecodeError(
            "the response does not hold a key and its secret: missing field `secret`".into(),
        )),
    }
}

/// A JSON string read directly into a `SecretString`.
struct SecretField(SecretString);

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // serde_json allocates the string at its exact length, so the conversion into the
        // secret's boxed `str` moves it without a reallocation that would leave a copy.
        let text = String::deserialize(deserializer)?;
        Ok(SecretField(SecretString::from(text)))
    }
}

/// A Laravel-style error body (§3.4). Both fields are optional; `errors` values may be an
/// array of strings or a single string.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub errors: FieldErrors,
}

/// Reads whatever error information a body holds; never fails (an HTML page or garbage gives
/// an empty `ErrorBody`).
pub fn parse_error_body(body: &[u8]) -> ErrorBody {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return ErrorBody::default();
    };
    let message = map
        .get("message")
        .and_then(|m| m.as_str())
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_owned);
    let mut errors = FieldErrors::new();
    if let Some(serde_json::Value::Object(fields)) = map.get("errors") {
        for (field, messages) in fields {
            let texts: Vec<String> = match messages {
                serde_json::Value::String(s) => vec![s.clone()],
                serde_json::Value::Array(items) => items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_owned))
                    .collect(),
                _ => Vec::new(),
            };
            if !texts.is_empty() {
                errors.insert(field.clone(), texts);
            }
        }
    }
    ErrorBody { message, errors }
}
