//! Fixtures (contract §6.9 item 34): the TOML file of organisations, their tokens and their
//! keys, parsed and checked into the shapes `state` is built from; and the unsigned JWTs of
//! item 4.
//!
//! JWT fixture tokens: a `[[org.token]]` with `jwt = true` is served as an unsigned JWT,
//! `base64url({"alg":"none","typ":"JWT"}) + "." + base64url(payload) + "."`, whose payload is
//! `{"id": <token>, "org_id": <org id>, "scopes": <grantable>}` (the whole catalogue when
//! `grantable` is omitted). That JWT is the only bearer value accepted for such a token (the
//! `token` string itself is not); it is compared byte for byte, so an edited payload is
//! refused. [`fixture_jwt`] builds it, and `sdx-keys emulator` prints each one at startup.
//!
//! Fixture keys get their secrets, client ids and (unless `id` is given) ids from the RNG.
//! `manage_keys` defaults to true. Unknown fields are errors, so typos are caught.

use std::collections::HashSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use super::ids;

/// A fixtures file that cannot be used, said in one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FixtureError(pub String);

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    org: Vec<OrgFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFixture {
    id: String,
    #[serde(default)]
    token: Vec<TokenFixture>,
    #[serde(default)]
    key: Vec<KeyFixture>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenFixture {
    token: String,
    #[serde(default = "yes")]
    manage_keys: bool,
    grantable: Option<Vec<String>>,
    #[serde(default)]
    jwt: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFixture {
    id: Option<String>,
    name: String,
    #[serde(default)]
    permissions: Vec<String>,
    created_at: TimeValue,
    last_used_at: Option<TimeValue>,
}

/// A time written as a TOML string or as a bare TOML date-time.
#[derive(Deserialize)]
#[serde(untagged)]
enum TimeValue {
    Text(String),
    Toml(toml::value::Datetime),
}

impl TimeValue {
    fn parse(&self, what: &str) -> Result<Timestamp, FixtureError> {
        let text = match self {
            TimeValue::Text(text) => text.clone(),
            TimeValue::Toml(datetime) => datetime.to_string(),
        };
        text.parse::<Timestamp>().map_err(|e| {
            FixtureError(format!(
                "{what} is not an RFC 3339 time with an offset ({text:?}): {e}"
            ))
        })
    }
}

/// One usable bearer of the fixtures.
#[derive(Clone)]
pub struct Token {
    pub org_id: String,
    /// The value the client sends (the JWT for `jwt = true`).
    pub bearer: String,
    pub manage_keys: bool,
    pub grantable: Option<Vec<String>>,
    pub jwt: bool,
}

/// One fixture key.
pub struct Key {
    pub org_id: String,
    pub id: Option<String>,
    pub name: String,
    pub permissions: Vec<String>,
    pub created_at: Timestamp,
    pub last_used_at: Option<Timestamp>,
}

/// A checked fixtures file.
pub struct Fixtures {
    pub org_ids: Vec<String>,
    pub tokens: Vec<Token>,
    pub keys: Vec<Key>,
}

#[derive(Serialize)]
struct JwtPayload<'a> {
    id: &'a str,
    org_id: &'a str,
    scopes: &'a [String],
}

/// The unsigned JWT served for a `jwt = true` fixture token: header `{"alg":"none",
/// "typ":"JWT"}`, payload `{"id": token, "org_id": org_id, "scopes": scopes}`, empty
/// signature. `scopes` is the token's `grantable` list (the whole catalogue, in catalogue
/// order, when omitted).
pub fn fixture_jwt(org_id: &str, token: &str, scopes: &[String]) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = serde_json::to_vec(&JwtPayload {
        id: token,
        org_id,
        scopes,
    })
    .unwrap_or_default();
    format!("{header}.{}.", URL_SAFE_NO_PAD.encode(payload))
}

fn catalogue_scopes() -> Vec<String> {
    crate::catalogue::Catalogue::builtin()
        .scopes()
        .map(str::to_owned)
        .collect()
}

/// Parses and checks a fixtures file.
pub fn parse(text: &str) -> Result<Fixtures, FixtureError> {
    let file: File =
        toml::from_str(text).map_err(|e| FixtureError(format!("it is not valid: {e}")))?;
    let mut fixtures = Fixtures {
        org_ids: Vec::new(),
        tokens: Vec::new(),
        keys: Vec::new(),
    };
    let mut bearers = HashSet::new();
    let mut key_ids = HashSet::new();
    for (org_index, org) in file.org.into_iter().enumerate() {
        let org_id = org.id.trim().to_owned();
        let here = format!("[[org]] number {} ({org_id:?})", org_index + 1);
        if org_id.is_empty() {
            return Err(FixtureError(format!(
                "[[org]] number {} has an empty id",
                org_index + 1
            )));
        }
        if fixtures.org_ids.contains(&org_id) {
            return Err(FixtureError(format!("{here} repeats an org id")));
        }
        for (index, token) in org.token.into_iter().enumerate() {
            let at = format!("{here}, [[org.token]] number {}", index + 1);
            if token.token.trim().is_empty() {
                return Err(FixtureError(format!("{at} has an empty token")));
            }
            if let Some(scopes) = &token.grantable
                && scopes.iter().any(|s| s.trim().is_empty())
            {
                return Err(FixtureError(format!("{at} has an empty grantable scope")));
            }
            let bearer = if token.jwt {
                let scopes = token.grantable.clone().unwrap_or_else(catalogue_scopes);
                fixture_jwt(&org_id, &token.token, &scopes)
            } else {
                token.token.clone()
            };
            if !bearers.insert(bearer.clone()) {
                // The value itself is not repeated in the message.
                return Err(FixtureError(format!(
                    "{at} uses a token value that another token already uses"
                )));
            }
            fixtures.tokens.push(Token {
                org_id: org_id.clone(),
                bearer,
                manage_keys: token.manage_keys,
                grantable: token.grantable,
                jwt: token.jwt,
            });
        }
        for (index, key) in org.key.into_iter().enumerate() {
            let at = format!("{here}, [[org.key]] number {}", index + 1);
            if let Some(id) = &key.id {
                if !ids::is_key_id(id) {
                    return Err(FixtureError(format!(
                        "{at}: id {id:?} does not match ^api_key_[0-9A-Za-z]{{27}}$"
                    )));
                }
                if !key_ids.insert(id.clone()) {
                    return Err(FixtureError(format!("{at}: id {id:?} is used twice")));
                }
            }
            if key.name.trim().is_empty() {
                return Err(FixtureError(format!("{at} has an empty name")));
            }
            fixtures.keys.push(Key {
                org_id: org_id.clone(),
                id: key.id,
                name: key.name,
                permissions: key.permissions,
                created_at: key.created_at.parse(&format!("{at}: created_at"))?,
                last_used_at: match &key.last_used_at {
                    Some(t) => Some(t.parse(&format!("{at}: last_used_at"))?),
                    None => None,
                },
            });
        }
        fixtures.org_ids.push(org_id);
    }
    Ok(fixtures)
}

/// The JWT bearers of a fixtures file (what `sdx-keys emulator` prints at startup).
pub fn jwt_bearers(text: &str) -> Result<Vec<String>, FixtureError> {
    Ok(parse(text)?
        .tokens
        .into_iter()
        .filter(|t| t.jwt)
        .map(|t| t.bearer)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
[[org]]
id = "org_acme"
[[org.token]]
token = "acme-admin"
grantable = ["sites:read"]
jwt = true
[[org.token]]
token = "acme-viewer"
manage_keys = false
[[org.key]]
name = "Production automation"
permissions = ["sites:read", "scripts:write"]
created_at = "2026-04-20T00:00:00Z"
last_used_at = 2026-11-20T08:00:00Z
"#;

    #[test]
    fn the_sample_parses_and_the_jwt_decodes() {
        let fixtures = parse(SAMPLE).unwrap();
        assert_eq!(fixtures.org_ids, ["org_acme"]);
        assert_eq!(fixtures.tokens.len(), 2);
        assert!(fixtures.tokens[1].bearer == "acme-viewer" && !fixtures.tokens[1].manage_keys);
        let jwt = &fixtures.tokens[0].bearer;
        let parts: Vec<&str> = jwt.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[2], "");
        let payload: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        assert_eq!(
            payload,
            serde_json::json!({"id":"acme-admin","org_id":"org_acme","scopes":["sites:read"]})
        );
        assert_eq!(jwt_bearers(SAMPLE).unwrap(), std::slice::from_ref(jwt));
        assert!(fixtures.keys[0].last_used_at.is_some());
    }

    #[test]
    fn mistakes_are_named() {
        let err =
            parse("[[org]]\nid = \"a\"\n[[org.key]]\nname = \"x\"\ncreated_at = \"yesterday\"\n")
                .err()
                .unwrap();
        assert!(err.0.contains("created_at"), "{err}");
        let err = parse("[[org]]\nid = \"a\"\ncolour = 1\n").err().unwrap();
        assert!(err.0.contains("colour"), "{err}");
        let err = parse("[[org]]\nid = \"a\"\n[[org]]\nid = \"a\"\n")
            .err()
            .unwrap();
        assert!(err.0.contains("repeats"), "{err}");
    }
}
