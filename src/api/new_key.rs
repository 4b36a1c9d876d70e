//! The locally validated create request (`NewKey`, contract §3.2 and §6.10): the name is
//! trimmed and counted in characters (3 to 100), blank and repeated permissions are dropped
//! and at least one must remain; the trimmed name is what is sent. Every problem is returned
//! at once, in the API's own field-error shape.

use serde::Serialize;

use super::models::FieldErrors;

/// Shortest and longest key name, counted in characters after trimming (§3.2).
pub const NAME_MIN_CHARS: usize = 3;
pub const NAME_MAX_CHARS: usize = 100;

/// A create request that passed local validation (§3.2, §6.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewKey {
    name: String,
    permissions: Vec<String>,
}

impl NewKey {
    /// Validates and normalises: trims the name, drops blank and duplicate permissions
    /// (keeping first-seen order). Returns every problem at once.
    pub fn new(name: &str, permissions: &[String]) -> Result<NewKey, FieldErrors> {
        let name = name.trim();
        let mut errors = FieldErrors::new();
        let chars = name.chars().count();
        if chars == 0 {
            errors.insert("name".into(), vec!["The name field is required.".into()]);
        } else if chars < NAME_MIN_CHARS {
            errors.insert(
                "name".into(),
                vec![format!(
                    "The name field must be at least {NAME_MIN_CHARS} characters."
                )],
            );
        } else if chars > NAME_MAX_CHARS {
            errors.insert(
                "name".into(),
                vec![format!(
                    "The name field must not be greater than {NAME_MAX_CHARS} characters."
                )],
            );
        }
        let mut unique: Vec<String> = Vec::with_capacity(permissions.len());
        for permission in permissions {
            let permission = permission.trim();
            if !permission.is_empty() && !unique.iter().any(|p| p == permission) {
                unique.push(permission.to_owned());
            }
        }
        if unique.is_empty() {
            errors.insert(
                "permissions".into(),
                vec!["The permissions field must have at least 1 item.".into()],
            );
        }
        if errors.is_empty() {
            Ok(NewKey {
                name: name.to_owned(),
                permissions: unique,
            })
        } else {
            Err(errors)
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn permissions(&self) -> &[String] {
        &self.permissions
    }
}
