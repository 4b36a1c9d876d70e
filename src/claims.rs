//! What the user's token says they may grant: a hint for the permission picker, nothing more.
//!
//! If the bearer token is a JWT, its payload is decoded WITHOUT verifying the signature (we
//! cannot, and need not: the API enforces what may really be granted; this only spares the
//! user choosing scopes the server would refuse). The `scopes` claim is read, else
//! `permissions`, else the OAuth `scope`; each may be an array of strings or one
//! space-separated string. An opaque token or an `alto_sk_` key gives `None`, as does anything
//! malformed. Never panics on any input, decodes at most 64 KiB, keeps no copy of the token
//! and never logs it or any part of it.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::IgnoredAny;

/// The largest payload (decoded) looked at.
const MAX_PAYLOAD: usize = 64 * 1024;

/// base64url, with or without padding, tolerating non-canonical trailing bits.
const BASE64URL: GeneralPurpose = GeneralPurpose::new(
    &URL_SAFE,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    scopes: Option<ScopeClaim>,
    #[serde(default)]
    permissions: Option<ScopeClaim>,
    #[serde(default)]
    scope: Option<ScopeClaim>,
}

/// A claim's value; anything else (a number, an array holding a non-string) is `Other`, so
/// that one malformed claim does not hide the next.
#[derive(Deserialize)]
#[serde(untagged)]
enum ScopeClaim {
    List(Vec<String>),
    Words(String),
    Other(IgnoredAny),
}

impl ScopeClaim {
    fn into_scopes(self) -> Option<Vec<String>> {
        match self {
            ScopeClaim::List(list) => Some(
                list.iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
            ),
            ScopeClaim::Words(words) => Some(words.split_whitespace().map(str::to_owned).collect()),
            ScopeClaim::Other(_) => None,
        }
    }
}

/// The scopes the token's claims say the user may grant, if the token is a JWT that says so.
/// Decoded without verification: a hint, never a trust decision.
pub fn grantable_scopes(token: &SecretString) -> Option<Vec<String>> {
    let mut parts = token.expose_secret().trim().split('.');
    let (header, payload, signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || header.is_empty() || payload.is_empty() {
        return None;
    }
    // An unsigned JWT (`alg: none`) has an empty signature; it is never decoded.
    if ![header, payload, signature].iter().all(|s| is_base64url(s)) {
        return None;
    }
    // The header must be a JSON object, so that three dotted words are not taken for a JWT.
    let header: Option<serde_json::Map<String, serde_json::Value>> =
        decode(header).and_then(|bytes| serde_json::from_slice(&bytes).ok());
    header?;
    let mut bytes = decode(payload)?;
    // Only an object: serde would also fill `Claims` from an array, field by field.
    let is_object = bytes.trim_ascii_start().first() == Some(&b'{');
    let claims = is_object
        .then(|| serde_json::from_slice::<Claims>(&bytes).ok())
        .flatten();
    // The payload is part of a credential (for an unsigned JWT, nearly all of it).
    bytes.zeroize();
    let claims = claims?;
    [claims.scopes, claims.permissions, claims.scope]
        .into_iter()
        .flatten()
        .find_map(ScopeClaim::into_scopes)
}

/// The token is a signed JWT (a real SDX user token): three base64url parts whose header is
/// a JSON object, with a signature, or an `alg` other than `none`. Such a token never goes
/// over plain http, whoever listens. The emulator's JWT fixtures are unsigned (`alg: none`).
pub fn is_signed_jwt(token: &SecretString) -> bool {
    let mut parts = token.expose_secret().trim().split('.');
    let (Some(header), Some(payload), Some(signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    if header.is_empty() || payload.is_empty() || !is_base64url(header) {
        return false;
    }
    let header: Option<serde_json::Map<String, serde_json::Value>> =
        decode(header).and_then(|bytes| serde_json::from_slice(&bytes).ok());
    let Some(header) = header else {
        return false;
    };
    let alg = header.get("alg").and_then(|v| v.as_str()).unwrap_or("");
    !signature.is_empty() || !alg.eq_ignore_ascii_case("none")
}

/// The base64url alphabet, optionally followed by `=` padding.
fn is_base64url(segment: &str) -> bool {
    let body = segment.trim_end_matches('=');
    segment.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Decodes one segment of at most [`MAX_PAYLOAD`] decoded bytes.
fn decode(segment: &str) -> Option<Vec<u8>> {
    if segment.len() > MAX_PAYLOAD.div_ceil(3) * 4 {
        return None;
    }
    BASE64URL.decode(segment).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{URL_SAFE as PADDED, URL_SAFE_NO_PAD};
    use proptest::prelude::*;

    #[test]
    fn signed_jwts_are_told_from_unsigned_ones_and_plain_tokens() {
        let unsigned = format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(br#"{"scopes":[]}"#)
        );
        assert!(!is_signed_jwt(&SecretString::from(unsigned)));
        assert!(is_signed_jwt(&jwt_with(br#"{"sub":"1"}"#)));
        let none_but_signed = format!(
            "{}.{}.c2ln",
            URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(b"{}")
        );
        assert!(is_signed_jwt(&SecretString::from(none_but_signed)));
        assert!(!is_signed_jwt(&SecretString::from("plain-token")));
        assert!(!is_signed_jwt(&SecretString::from("a.b.c")));
    }

    fn jwt_with(payload: &[u8]) -> SecretString {
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = URL_SAFE_NO_PAD.encode(payload);
        SecretString::from(format!("{header}.{payload}.c2lnbmF0dXJl"))
    }

    fn scopes(token: &SecretString) -> Option<Vec<String>> {
        grantable_scopes(token)
    }

    #[test]
    fn the_claims_are_read_in_order_and_in_either_shape() {
        let read = |json: &str| scopes(&jwt_with(json.as_bytes()));
        let both = r#"{"scopes":["sites:read","keys:write"],"permissions":["x"]}"#;
        assert_eq!(read(both).unwrap(), ["sites:read", "keys:write"]);
        assert_eq!(
            read(r#"{"permissions":"a:read  b:write"}"#).unwrap(),
            ["a:read", "b:write"]
        );
        assert_eq!(
            read(r#"{"scope":"openid a:read"}"#).unwrap(),
            ["openid", "a:read"]
        );
        // A malformed `scopes` does not hide `permissions`.
        assert_eq!(
            read(r#"{"scopes":[1,2],"permissions":["p"]}"#).unwrap(),
            ["p"]
        );
        assert_eq!(read(r#"{"scopes":[]}"#).unwrap(), Vec::<String>::new());
        assert_eq!(read(r#"{"sub":"someone"}"#), None);
        assert_eq!(read(r#"["scopes"]"#), None);
        assert_eq!(read("not json"), None);
        assert_eq!(read(r#"{"scopes":null}"#), None);
    }

    #[test]
    fn padding_is_optional_and_the_signature_may_be_empty() {
        let header = PADDED.encode(br#"{"alg":"none"}"#);
        let payload = PADDED.encode(br#"{"scopes":["a"]}"#);
        assert!(payload.ends_with('='));
        let token = SecretString::from(format!("{header}.{payload}."));
        assert_eq!(scopes(&token).unwrap(), ["a"]);
    }

    #[test]
    fn opaque_tokens_and_keys_are_not_jwts() {
        for token in [
            "",
            "alto_sk_3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c",
            "acme-admin",
            "a.b.c",
            "..",
            "a.b.c.d",
            "eyJhbGciOiJub25lIn0.eyJzY29wZXMiOlsiYSJdfQ.sig.extra",
            "eyJhbGciOiJub25lIn0.e+JzY29wZXMiOlsiYSJdfQ.",
        ] {
            assert_eq!(scopes(&SecretString::from(token)), None, "{token:?}");
        }
    }

    #[test]
    fn payloads_over_64_kib_are_not_decoded() {
        let filler = "x".repeat(MAX_PAYLOAD);
        let big = format!(r#"{{"scopes":["a"],"pad":"{filler}"}}"#);
        assert_eq!(scopes(&jwt_with(big.as_bytes())), None);
        let small = format!(r#"{{"scopes":["a"],"pad":"{}"}}"#, &filler[..60_000]);
        assert_eq!(scopes(&jwt_with(small.as_bytes())).unwrap(), ["a"]);
    }

    #[test]
    fn the_emulators_jwts_round_trip() {
        let granted = vec!["sites:read".to_owned(), "scripts:write".to_owned()];
        let jwt = crate::emulator::fixture_jwt("org_acme", "acme-admin", &granted);
        assert_eq!(scopes(&SecretString::from(jwt)).unwrap(), granted);
        // `jwt = true` without `grantable`: the whole catalogue.
        let text = "[[org]]\nid = \"org_a\"\n[[org.token]]\ntoken = \"t\"\njwt = true\n";
        let bearers = crate::emulator::jwt_bearers(text).unwrap();
        let catalogue: Vec<String> = crate::catalogue::Catalogue::builtin()
            .scopes()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            scopes(&SecretString::from(bearers[0].clone())).unwrap(),
            catalogue
        );
    }

    proptest! {
        #[test]
        fn any_string_is_handled(text in ".{0,300}") {
            let _ = scopes(&SecretString::from(text));
        }

        #[test]
        fn any_dotted_base64url_is_handled(text in "[A-Za-z0-9_=.-]{0,300}") {
            let _ = scopes(&SecretString::from(text));
        }

        #[test]
        fn any_payload_bytes_are_handled(payload in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = scopes(&jwt_with(&payload));
        }

        #[test]
        fn any_listed_scopes_come_back(list in proptest::collection::vec("[a-z:_]{1,20}", 0..20)) {
            let json = serde_json::json!({ "scopes": list }).to_string();
            prop_assert_eq!(scopes(&jwt_with(json.as_bytes())), Some(list));
        }
    }
}
