//! The tolerant parsers of `models.rs` against every shape of contract §3.1, §3.3, §3.4, §3.5
//! and §6.10, the local create validation (`NewKey::new`), and property tests that no parser
//! panics on arbitrary bytes or JSON-ish text.

mod common;

use proptest::prelude::*;
use sdx_keys::api::NewKey;
use sdx_keys::api::models::{
    ErrorBody, parse_error_body, parse_issued_secret, parse_key, parse_key_list,
};
use secrecy::ExposeSecret;
use serde_json::{Value, json};

use common::key_json as key;

fn bytes(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).unwrap()
}

fn with(mut value: Value, field: &str, new: Value) -> Value {
    value[field] = new;
    value
}

fn without(mut value: Value, field: &str) -> Value {
    value.as_object_mut().unwrap().remove(field);
    value
}

// ---- list (§2.1, §3.5) ----

#[test]
fn list_bare_array() {
    let keys = parse_key_list(&bytes(&json!([key("a"), key("b")])))
        .unwrap()
        .keys;
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].id.as_str(), "a");
    let scopes: Vec<&str> = keys[0].permissions.iter().map(|p| &**p).collect();
    assert_eq!(scopes, ["sites:read", "scripts:write"]);
    assert_eq!(keys[0].last_used_at, None);
    // The keys of one list share each distinct scope.
    assert!(std::sync::Arc::ptr_eq(
        &keys[0].permissions[0],
        &keys[1].permissions[0]
    ));
}

#[test]
fn list_empty_array() {
    assert!(parse_key_list(b"[]").unwrap().keys.is_empty());
    assert!(parse_key_list(b" [ ]\n").unwrap().keys.is_empty());
}

#[test]
fn list_envelope_with_and_without_status() {
    let keys = parse_key_list(&bytes(&json!({"status": "success", "data": [key("a")]})))
        .unwrap()
        .keys;
    assert_eq!(keys[0].id.as_str(), "a");
    let keys = parse_key_list(&bytes(&json!({"data": [key("a"), key("b")]})))
        .unwrap()
        .keys;
    assert_eq!(keys.len(), 2);
    let keys = parse_key_list(&bytes(&json!({"status": "error", "data": []})))
        .unwrap()
        .keys;
    assert!(keys.is_empty());
    // Extra envelope fields (pagination hints) are ignored.
    let keys = parse_key_list(&bytes(
        &json!({"data": [key("a")], "meta": {"total": 1}, "links": {}}),
    ))
    .unwrap()
    .keys;
    assert_eq!(keys.len(), 1);
}

#[test]
fn list_wrong_shapes_are_decode_errors() {
    for body in [
        json!({"status": "success"}),
        json!({"data": {"id": "x"}}),
        json!("keys"),
        json!(42),
        json!(null),
        json!([{"id": "only an id"}]),
        json!([key("a"), 7]),
    ] {
        assert!(parse_key_list(&bytes(&body)).is_err(), "{body}");
    }
    assert!(parse_key_list(b"").is_err());
    assert!(parse_key_list(b"<html>502 Bad Gateway</html>").is_err());
}

// ---- single key (§2.3, §3.5) ----

#[test]
fn single_key_bare_and_enveloped() {
    for body in [
        key("a"),
        json!({"data": key("a")}),
        json!({"status": "success", "data": key("a")}),
        json!({"status": "success", "data": {"key": key("a"), "message": "hi"}}),
        json!({"data": {"key": key("a")}}),
    ] {
        let parsed = parse_key(&bytes(&body)).unwrap_or_else(|e| panic!("{body}: {e}"));
        assert_eq!(parsed.id.as_str(), "a");
        assert_eq!(parsed.name, "Production automation");
    }
}

#[test]
fn single_key_wrong_shapes_are_decode_errors() {
    for body in [
        json!({}),
        json!({"data": []}),
        json!({"data": {"key": "x"}}),
        json!([key("a")]),
    ] {
        assert!(parse_key(&bytes(&body)).is_err(), "{body}");
    }
}

// ---- ApiKey field tolerance (§3.1, §6.10) ----

#[test]
fn missing_or_null_permissions_mean_none() {
    let parsed = parse_key(&bytes(&without(key("a"), "permissions"))).unwrap();
    assert!(parsed.permissions.is_empty());
    let parsed = parse_key(&bytes(&with(key("a"), "permissions", Value::Null))).unwrap();
    assert!(parsed.permissions.is_empty());
    let parsed = parse_key(&bytes(&without(key("a"), "last_used_at"))).unwrap();
    assert_eq!(parsed.last_used_at, None);
}

#[test]
fn unknown_status_is_kept_verbatim_and_null_status_is_active() {
    for status in ["revoked", "Suspended ", "", "\u{1F512} locked"] {
        let parsed = parse_key(&bytes(&with(key("a"), "status", json!(status)))).unwrap();
        assert_eq!(parsed.status, status);
    }
    let parsed = parse_key(&bytes(&with(key("a"), "status", Value::Null))).unwrap();
    assert_eq!(parsed.status, "active");
}

#[test]
fn unknown_fields_are_ignored() {
    let mut body = key("a");
    body["scopes"] = json!(["x"]);
    body["expires_at"] = json!("2027-01-01T00:00:00Z");
    body["nested"] = json!({"deep": [1, 2, {"x": null}]});
    let parsed = parse_key(&bytes(&body)).unwrap();
    assert_eq!(parsed.id.as_str(), "a");
    let list = parse_key_list(&bytes(&json!([body]))).unwrap().keys;
    assert_eq!(list.len(), 1);
}

#[test]
fn timestamps_with_any_fraction_and_offset() {
    let cases = [
        ("2026-04-20T00:00:00Z", "2026-04-20T00:00:00Z"),
        ("2026-04-20T00:00:00.123Z", "2026-04-20T00:00:00.123Z"),
        ("2026-04-20T00:00:00.000000Z", "2026-04-20T00:00:00Z"),
        ("2026-04-20T00:00:00.123456Z", "2026-04-20T00:00:00.123456Z"),
        (
            "2026-04-20T00:00:00.123456789Z",
            "2026-04-20T00:00:00.123456789Z",
        ),
        ("2026-04-20T02:00:00+02:00", "2026-04-20T00:00:00Z"),
        ("2026-04-20T02:00:00.5+02:00", "2026-04-20T00:00:00.5Z"),
        ("1969-07-20T20:17:40Z", "1969-07-20T20:17:40Z"),
        ("1901-01-01T00:00:00.999-05:00", "1901-01-01T05:00:00.999Z"),
        // More digits than nanoseconds: the extra ones are dropped, not refused.
        (
            "2026-04-20T00:00:00.1234567890123Z",
            "2026-04-20T00:00:00.123456789Z",
        ),
        (
            "2026-04-20T02:00:00.0000000001+02:00",
            "2026-04-20T00:00:00Z",
        ),
    ];
    for (sent, expected) in cases {
        let body = with(key("a"), "created_at", json!(sent));
        let body = with(body, "last_used_at", json!(sent));
        let parsed = parse_key(&bytes(&body)).unwrap_or_else(|e| panic!("{sent}: {e}"));
        let expected: jiff::Timestamp = expected.parse().unwrap();
        assert_eq!(parsed.created_at, expected, "{sent}");
        assert_eq!(parsed.last_used_at, Some(expected), "{sent}");
    }
    assert!(parse_key(&bytes(&with(key("a"), "created_at", json!("yesterday")))).is_err());
}

#[test]
fn ids_of_any_length_and_empty_prefixes() {
    let id24 = "api_key_2m3h5n7k9j8g7f6e5d4c3b2a";
    let id40 = "api_key_0123456789abcdefghijABCDEFGHIJ0123456789";
    for id in [id24, id40, "x", "api_key_\u{e9}\u{e9}"] {
        let parsed = parse_key(&bytes(&key(id))).unwrap();
        assert_eq!(parsed.id.as_str(), id);
    }
    let parsed = parse_key(&bytes(&with(key("a"), "key_prefix", json!("")))).unwrap();
    assert_eq!(parsed.key_prefix, "");
    let parsed = parse_key(&bytes(&without(
        without(key("a"), "key_prefix"),
        "client_id",
    )))
    .unwrap();
    assert_eq!(parsed.key_prefix, "");
    assert_eq!(parsed.client_id, "");
    // `object` is accepted when present and not required.
    let parsed = parse_key(&bytes(&without(key("a"), "object"))).unwrap();
    assert_eq!(parsed.id.as_str(), "a");
}

// ---- create / rotate (§3.3) ----

fn issued(secret: &str) -> Value {
    json!({
        "status": "success",
        "data": {
            "message": "API Key created successfully. This is the only time the secret key will be shown.",
            "key": key("a"),
            "secret": secret
        }
    })
}

#[test]
fn create_and_rotate_envelopes_with_odd_secrets() {
    let long = format!("alto_sk_{}", "x".repeat(10_000));
    for secret in [
        "alto_sk_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
        "s",
        "",
        &long,
        "ключ-🔑-鍵",
        "alto_sk_\"quoted\\",
    ] {
        let parsed = parse_issued_secret(&bytes(&issued(secret))).unwrap();
        assert_eq!(parsed.secret.expose_secret(), secret);
        assert_eq!(parsed.key.id.as_str(), "a");
        assert!(parsed.message.unwrap().starts_with("API Key created"));
        let debug = format!(
            "{:?}",
            parse_issued_secret(&bytes(&issued(secret))).unwrap()
        );
        if secret.len() > 3 {
            assert!(!debug.contains(secret), "{debug}");
        }
    }
}

#[test]
fn issued_secret_tolerates_status_error_missing_message_and_bare_form() {
    let mut body = issued("alto_sk_1");
    body["status"] = json!("error");
    assert!(parse_issued_secret(&bytes(&body)).is_ok());
    let body = json!({"data": {"key": key("a"), "secret": "alto_sk_1"}});
    let parsed = parse_issued_secret(&bytes(&body)).unwrap();
    assert_eq!(parsed.message, None);
    let body = json!({"key": key("a"), "secret": "alto_sk_1", "message": "m"});
    assert_eq!(
        parse_issued_secret(&bytes(&body))
            .unwrap()
            .message
            .as_deref(),
        Some("m")
    );
}

#[test]
fn issued_secret_wrong_shapes_are_decode_errors() {
    for body in [
        json!({"data": {"key": key("a")}}),
        json!({"data": {"secret": "alto_sk_1"}}),
        json!({"data": {"key": key("a"), "secret": 5}}),
        key("a"),
        json!([]),
    ] {
        assert!(parse_issued_secret(&bytes(&body)).is_err(), "{body}");
    }
}

#[test]
fn decode_errors_never_quote_values_from_the_body() {
    let leak = "LEAKY_VALUE_alto_sk_zzz";
    let bodies = [
        with(key("a"), "permissions", json!(leak)),
        with(key("a"), "created_at", json!(leak)),
        with(key("a"), "name", json!({"x": leak})),
        with(key("a"), "last_used_at", json!(leak)),
    ];
    for body in &bodies {
        let err = parse_key(&bytes(body)).unwrap_err();
        assert!(!err.to_string().contains("LEAKY"), "{err}");
        let err = parse_key_list(&bytes(&json!([body]))).unwrap_err();
        assert!(!err.to_string().contains("LEAKY"), "{err}");
        let err = parse_key_list(&bytes(&json!({"data": [body]}))).unwrap_err();
        assert!(!err.to_string().contains("LEAKY"), "{err}");
        let err = parse_issued_secret(&bytes(&json!({"data": {"key": body, "secret": leak}})))
            .unwrap_err();
        assert!(!err.to_string().contains("LEAKY"), "{err}");
    }
    // A missing field is still named: the name comes from our type, not from the body.
    let err = parse_key(&bytes(&without(key("a"), "name"))).unwrap_err();
    assert!(err.to_string().contains("name"), "{err}");
}

// ---- error bodies (§3.4) ----

#[test]
fn error_bodies_in_every_shape() {
    let parsed = parse_error_body(br#"{"message":"Unauthorized or invalid token provided."}"#);
    assert_eq!(
        parsed.message.as_deref(),
        Some("Unauthorized or invalid token provided.")
    );
    assert!(parsed.errors.is_empty());

    let parsed = parse_error_body(br#"{"message":"The given data was invalid.","errors":{}}"#);
    assert_eq!(
        parsed.message.as_deref(),
        Some("The given data was invalid.")
    );
    assert!(parsed.errors.is_empty());

    assert_eq!(parse_error_body(b"{}"), ErrorBody::default());

    let parsed = parse_error_body(
        br#"{"message":"bad","errors":{"name":["too short","too dull"],"permissions.0":["The selected permissions.0 is invalid."],"permissions":"The permissions field is required.","ignored":[1,null],"weird":{}}}"#,
    );
    assert_eq!(parsed.errors["name"], vec!["too short", "too dull"]);
    assert_eq!(
        parsed.errors["permissions.0"],
        vec!["The selected permissions.0 is invalid."]
    );
    assert_eq!(
        parsed.errors["permissions"],
        vec!["The permissions field is required."]
    );
    assert!(!parsed.errors.contains_key("ignored"));
    assert!(!parsed.errors.contains_key("weird"));

    let parsed = parse_error_body(br#"{"errors":{"name":["x"]}}"#);
    assert_eq!(parsed.message, None);
    assert_eq!(parsed.errors.len(), 1);

    for body in [
        &b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>"[..],
        b"",
        b"null",
        b"[]",
        b"\"message\"",
        br#"{"message": 42, "errors": []}"#,
        br#"{"message": "   "}"#,
    ] {
        assert_eq!(
            parse_error_body(body).message,
            None,
            "{:?}",
            String::from_utf8_lossy(body)
        );
    }
}

// ---- NewKey (§3.2, §6.10) ----

fn perms(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| (*p).to_owned()).collect()
}

#[test]
fn new_key_trims_and_counts_characters() {
    let key = NewKey::new("  Production automation \n", &perms(&["sites:read"])).unwrap();
    assert_eq!(key.name(), "Production automation");
    // 2 characters fail, 3 pass, even when each is several bytes.
    assert!(NewKey::new("ab", &perms(&["a"])).is_err());
    assert!(NewKey::new("  ab  ", &perms(&["a"])).is_err());
    assert!(NewKey::new("abc", &perms(&["a"])).is_ok());
    assert!(NewKey::new("日本", &perms(&["a"])).is_err());
    assert!(NewKey::new("日本語", &perms(&["a"])).is_ok());
    assert!(NewKey::new("🔑🔑🔑", &perms(&["a"])).is_ok());
    // 100 characters pass, 101 fail, with multi-byte characters (300+ bytes).
    assert!(NewKey::new(&"é".repeat(100), &perms(&["a"])).is_ok());
    assert!(NewKey::new(&"é".repeat(101), &perms(&["a"])).is_err());
    assert!(NewKey::new(&"鍵".repeat(100), &perms(&["a"])).is_ok());
    assert!(NewKey::new(&"鍵".repeat(101), &perms(&["a"])).is_err());
    let errors = NewKey::new("   ", &perms(&["a"])).unwrap_err();
    assert!(errors.contains_key("name"));
}

#[test]
fn new_key_needs_a_permission_and_dedupes() {
    let errors = NewKey::new("abc", &[]).unwrap_err();
    assert!(errors.contains_key("permissions"));
    let errors = NewKey::new("abc", &perms(&["", "  "])).unwrap_err();
    assert!(errors.contains_key("permissions"));
    // Both problems at once.
    let errors = NewKey::new("a", &[]).unwrap_err();
    assert_eq!(errors.len(), 2);
    let key = NewKey::new(
        "abc",
        &perms(&[
            "sites:read",
            "scripts:write",
            " sites:read ",
            "sites:read",
            "ai:chat",
        ]),
    )
    .unwrap();
    assert_eq!(
        key.permissions(),
        ["sites:read", "scripts:write", "ai:chat"]
    );
    // What is sent: the trimmed name and the cleaned list.
    let sent = serde_json::to_value(&key).unwrap();
    assert_eq!(
        sent,
        json!({"name": "abc", "permissions": ["sites:read", "scripts:write", "ai:chat"]})
    );
}

// ---- properties: no parser panics ----

fn run_all(body: &[u8]) {
    let _ = parse_key_list(body);
    let _ = parse_key(body);
    let _ = parse_issued_secret(body);
    let _ = parse_error_body(body);
}

/// JSON-ish text: fragments of the real shapes glued at random.
fn jsonish() -> impl Strategy<Value = String> {
    let atoms = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "null",
        "true",
        "1e999",
        "-0",
        "\"id\"",
        "\"data\"",
        "\"key\"",
        "\"secret\"",
        "\"status\"",
        "\"errors\"",
        "\"message\"",
        "\"created_at\"",
        "\"2026-04-20T00:00:00Z\"",
        "\"1969-12-31T23:59:59.999999999-23:59\"",
        "\"permissions\"",
        "\"api_key_x\"",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "é",
        "🔑",
        " ",
    ]);
    prop::collection::vec(atoms, 0..40).prop_map(|parts| parts.concat())
}

/// Structurally valid JSON close to the real shapes, with random leaves.
fn near_valid() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,20}".prop_map(Value::from),
        Just(json!("2026-04-20T00:00:00.123+02:00")),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "id",
                    "name",
                    "data",
                    "key",
                    "secret",
                    "status",
                    "message",
                    "errors",
                    "created_at",
                    "last_used_at",
                    "permissions",
                    "key_prefix",
                    "client_id",
                    "object",
                ])
                .prop_map(str::to_owned),
                inner,
                0..8,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn parsers_never_panic_on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        run_all(&body);
    }

    #[test]
    fn parsers_never_panic_on_jsonish_text(body in jsonish()) {
        run_all(body.as_bytes());
    }

    #[test]
    fn parsers_never_panic_on_near_valid_json(value in near_valid()) {
        run_all(&bytes(&value));
        run_all(&bytes(&json!({"data": value.clone()})));
        run_all(&bytes(&json!([value])));
    }

    #[test]
    fn new_key_never_panics_and_its_output_is_valid(
        name in ".{0,120}",
        permissions in prop::collection::vec(".{0,12}", 0..6),
    ) {
        if let Ok(key) = NewKey::new(&name, &permissions) {
            let chars = key.name().chars().count();
            prop_assert!((3..=100).contains(&chars));
            prop_assert_eq!(key.name(), key.name().trim());
            prop_assert!(!key.permissions().is_empty());
        }
    }
}

#[test]
fn a_list_past_its_bounds_is_cut_and_says_what_was_cut() {
    use sdx_keys::api::caps::{MAX_ID_BYTES, MAX_NAME_BYTES, MAX_PERMISSIONS};
    let mut long = key("x");
    long["name"] = json!("n".repeat(MAX_NAME_BYTES + 10));
    long["key_prefix"] = json!("p".repeat(MAX_ID_BYTES + 1));
    let scopes: Vec<String> = (0..MAX_PERMISSIONS + 3)
        .map(|i| format!("s{i}:read"))
        .collect();
    long["permissions"] = json!(scopes);
    let list = parse_key_list(&bytes(&json!([long]))).unwrap();
    let first = &list.keys[0];
    assert_eq!(first.name.len(), MAX_NAME_BYTES);
    assert_eq!(first.key_prefix.len(), MAX_ID_BYTES);
    assert_eq!(first.permissions.len(), MAX_PERMISSIONS);
    assert_eq!(list.cuts.fields_cut, 2);
    assert_eq!(list.cuts.permissions_dropped, 3);
    assert!(list.cuts.sentence().unwrap().contains("cut short"));
    // Within bounds nothing is said.
    let list = parse_key_list(&bytes(&json!([key("a")]))).unwrap();
    assert_eq!(list.cuts.sentence(), None);
}

#[test]
fn a_list_of_more_than_the_cap_keeps_the_first_keys() {
    use sdx_keys::api::caps::MAX_KEYS;
    let mut body = String::from("[");
    for i in 0..MAX_KEYS + 2 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&format!(
            r#"{{"id":"k{i}","name":"n","created_at":"2026-01-01T00:00:00Z"}}"#
        ));
    }
    body.push(']');
    let list = parse_key_list(body.as_bytes()).unwrap();
    assert_eq!(list.keys.len(), MAX_KEYS);
    assert_eq!(list.keys[0].id.as_str(), "k0");
    assert_eq!(list.cuts.keys_dropped, 2);
}
