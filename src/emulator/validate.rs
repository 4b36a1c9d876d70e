//! Validation of `POST /api/keys` bodies (contract §6.4 items 16–17), Laravel style.
//!
//! The body is taken as raw bytes. It is read as JSON only when the `Content-Type` is JSON
//! (`application/json` or `*/*+json`, as Laravel's `isJson()`); a missing body, malformed
//! JSON, another content type or a non-object are all treated as `{}`. Strings are trimmed
//! (Laravel's `TrimStrings`). Rules:
//! - `name`: required, a string, 3 to 100 Unicode characters after trimming.
//! - `permissions`: required, an array with at least one item; each item a non-empty string
//!   (errors under `permissions.N`, N the index in the request) that the caller may grant
//!   (also under `permissions.N`, naming the scope). Duplicates are dropped, first-seen order
//!   kept. Unknown fields are ignored.
//!
//! Errors come out in a stable order (name, permissions, then items by index); the first is
//! the response's `message`.

use serde_json::Value;

/// Longest scope text quoted back in an error message.
const QUOTE_MAX_CHARS: usize = 80;

/// A create request that passed validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCreate {
    pub name: String,
    pub permissions: Vec<String>,
}

/// Field errors in report order: (field, message).
pub type Errors = Vec<(String, String)>;

/// Whether a `Content-Type` value names JSON.
pub fn is_json_content_type(value: Option<&str>) -> bool {
    let Some(value) = value else { return false };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json" || (essence.contains('/') && essence.ends_with("+json"))
}

/// Validates a create body. `may_grant` says whether the caller may grant a scope.
pub fn validate_create(
    content_type: Option<&str>,
    body: &[u8],
    may_grant: impl Fn(&str) -> bool,
) -> Result<ValidCreate, Errors> {
    let parsed = if is_json_content_type(content_type) {
        serde_json::from_slice::<Value>(body).ok()
    } else {
        None
    };
    let empty = serde_json::Map::new();
    let object = match &parsed {
        Some(Value::Object(map)) => map,
        _ => &empty,
    };
    let mut errors = Errors::new();
    let name = check_name(object.get("name"), &mut errors);
    let permissions = check_permissions(object.get("permissions"), &may_grant, &mut errors);
    match (name, permissions) {
        (Some(name), Some(permissions)) if errors.is_empty() => {
            Ok(ValidCreate { name, permissions })
        }
        _ => Err(errors),
    }
}

fn check_name(value: Option<&Value>, errors: &mut Errors) -> Option<String> {
    let push = |errors: &mut Errors, message: &str| {
        errors.push(("name".to_owned(), message.to_owned()));
    };
    match value {
        None | Some(Value::Null) => push(errors, "The name field is required."),
        Some(Value::String(text)) => {
            let name = text.trim();
            let chars = name.chars().count();
            if chars == 0 {
                push(errors, "The name field is required.");
            } else if chars < 3 {
                push(errors, "The name field must be at least 3 characters.");
            } else if chars > 100 {
                push(
                    errors,
                    "The name field must not be greater than 100 characters.",
                );
            } else {
                return Some(name.to_owned());
            }
        }
        Some(_) => push(errors, "The name field must be a string."),
    }
    None
}

fn check_permissions(
    value: Option<&Value>,
    may_grant: &impl Fn(&str) -> bool,
    errors: &mut Errors,
) -> Option<Vec<String>> {
    let items = match value {
        None | Some(Value::Null) => {
            errors.push((
                "permissions".into(),
                "The permissions field is required.".into(),
            ));
            return None;
        }
        Some(Value::Array(items)) if items.is_empty() => {
            errors.push((
                "permissions".into(),
                "The permissions field must have at least 1 item.".into(),
            ));
            return None;
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push((
                "permissions".into(),
                "The permissions field must be an array.".into(),
            ));
            return None;
        }
    };
    let mut unique: Vec<String> = Vec::with_capacity(items.len());
    let mut ok = true;
    for (index, item) in items.iter().enumerate() {
        let field = format!("permissions.{index}");
        let scope = match item {
            Value::String(text) if !text.trim().is_empty() => text.trim(),
            Value::String(_) | Value::Null => {
                errors.push((field.clone(), format!("The {field} field is required.")));
                ok = false;
                continue;
            }
            _ => {
                errors.push((
                    field.clone(),
                    format!("The {field} field must be a string."),
                ));
                ok = false;
                continue;
            }
        };
        if !may_grant(scope) {
            errors.push((field, not_grantable(scope)));
            ok = false;
        } else if !unique.iter().any(|p| p == scope) {
            unique.push(scope.to_owned());
        }
    }
    ok.then_some(unique)
}

fn not_grantable(scope: &str) -> String {
    let mut quoted: String = scope.chars().take(QUOTE_MAX_CHARS).collect();
    if scope.chars().nth(QUOTE_MAX_CHARS).is_some() {
        quoted.push('…');
    }
    format!(
        "The permission \"{quoted}\" cannot be granted: you can only grant permissions available to your user."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: Option<&str> = Some("application/json");

    fn grant(scope: &str) -> bool {
        matches!(scope, "sites:read" | "scripts:write")
    }

    fn fields(result: Result<ValidCreate, Errors>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|(f, _)| f).collect()
    }

    #[test]
    fn the_documented_example_passes_and_is_normalised() {
        let body = br#"{"name":"  Production automation ","permissions":["sites:read","scripts:write","sites:read"],"extra":1}"#;
        let ok = validate_create(JSON, body, grant).unwrap();
        assert_eq!(ok.name, "Production automation");
        assert_eq!(ok.permissions, ["sites:read", "scripts:write"]);
    }

    #[test]
    fn missing_malformed_or_non_json_bodies_are_empty_objects() {
        for (ct, body) in [
            (JSON, &b""[..]),
            (JSON, b"{not json"),
            (JSON, b"[1,2]"),
            (
                Some("text/plain"),
                br#"{"name":"abc","permissions":["sites:read"]}"#,
            ),
            (None, br#"{"name":"abc","permissions":["sites:read"]}"#),
        ] {
            assert_eq!(
                fields(validate_create(ct, body, grant)),
                ["name", "permissions"]
            );
        }
        assert!(is_json_content_type(Some(
            "Application/JSON; charset=utf-8"
        )));
        assert!(is_json_content_type(Some("application/vnd.api+json")));
    }

    #[test]
    fn name_lengths_count_characters_after_trimming() {
        let body = |name: &str| format!(r#"{{"name":{name:?},"permissions":["sites:read"]}}"#);
        assert!(validate_create(JSON, body("  ab  ").as_bytes(), grant).is_err());
        assert!(validate_create(JSON, body("ééé").as_bytes(), grant).is_ok());
        assert!(validate_create(JSON, body(&"é".repeat(100)).as_bytes(), grant).is_ok());
        let long = validate_create(JSON, body(&"x".repeat(101)).as_bytes(), grant);
        assert_eq!(
            long.unwrap_err()[0].1,
            "The name field must not be greater than 100 characters."
        );
    }

    #[test]
    fn permission_items_are_reported_by_index() {
        let body = br#"{"name":"abc","permissions":["sites:read"," ",3,"nope:nope"]}"#;
        assert_eq!(
            fields(validate_create(JSON, body, grant)),
            ["permissions.1", "permissions.2", "permissions.3"]
        );
        let body = br#"{"name":"abc","permissions":[]}"#;
        assert_eq!(fields(validate_create(JSON, body, grant)), ["permissions"]);
        let body = br#"{"name":123,"permissions":"sites:read"}"#;
        assert_eq!(
            fields(validate_create(JSON, body, grant)),
            ["name", "permissions"]
        );
    }
}
