//! The permission catalogue (`assets/permissions.toml`): scopes grouped by resource, each with
//! a one-line description and a risk level. The emulator serves it; the TUI uses it for
//! descriptions, risk badges and the permission picker. Embedded in the binary.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// What a permission lets a key do, from least to most dangerous.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Risk {
    Read,
    Write,
    Admin,
}

impl Risk {
    pub fn label(self) -> &'static str {
        match self {
            Risk::Read => "read",
            Risk::Write => "write",
            Risk::Admin => "admin",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permission {
    pub scope: String,
    pub description: String,
    pub risk: Risk,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub title: String,
    /// Scopes of the older SDX API, kept so existing keys display well.
    #[serde(default)]
    pub legacy: bool,
    #[serde(rename = "permission")]
    pub permissions: Vec<Permission>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalogue {
    #[serde(rename = "group")]
    pub groups: Vec<Group>,
}

const BUILTIN_TOML: &str = include_str!("../assets/permissions.toml");

impl Catalogue {
    /// The catalogue shipped in the binary.
    pub fn builtin() -> &'static Catalogue {
        static BUILTIN: OnceLock<Catalogue> = OnceLock::new();
        BUILTIN.get_or_init(|| {
            Catalogue::from_toml(BUILTIN_TOML).expect("assets/permissions.toml is valid")
        })
    }

    pub fn from_toml(text: &str) -> Result<Catalogue, toml::de::Error> {
        toml::from_str(text)
    }

    /// Every permission, in catalogue order.
    pub fn permissions(&self) -> impl Iterator<Item = &Permission> {
        self.groups.iter().flat_map(|g| g.permissions.iter())
    }

    /// Every scope string, in catalogue order.
    pub fn scopes(&self) -> impl Iterator<Item = &str> {
        self.permissions().map(|p| p.scope.as_str())
    }

    pub fn get(&self, scope: &str) -> Option<&Permission> {
        self.permissions().find(|p| p.scope == scope)
    }

    pub fn contains(&self, scope: &str) -> bool {
        self.get(scope).is_some()
    }

    /// A scope's risk: the catalogue's, else guessed from its action.
    pub fn risk_of(&self, scope: &str) -> Risk {
        match self.get(scope) {
            Some(permission) => permission.risk,
            None => guess_risk(scope.rsplit_once(':').map_or(scope, |(_, action)| action)),
        }
    }
}

/// The risk of a scope the catalogue lacks, guessed from its action.
pub fn guess_risk(action: &str) -> Risk {
    match action {
        "read" | "view" | "list" => Risk::Read,
        "admin" | "delete" | "*" => Risk::Admin,
        _ => Risk::Write,
    }
}

/// The longest resource or action a hand-typed scope may have.
const MAX_PART_LEN: usize = 64;

/// A scope typed by hand, trimmed, if it has the form `resource:action`.
pub fn validate_scope(text: &str) -> Result<&str, String> {
    let scope = text.trim();
    let expected = |problem: &str| Err(format!("{problem}, like sites:read."));
    if scope.chars().any(char::is_uppercase) {
        return expected("Scopes are lowercase");
    }
    let Some((resource, action)) = scope.split_once(':') else {
        return expected("A scope is a resource and an action joined by a colon");
    };
    if action.contains(':') {
        return expected("A scope has one colon, between the resource and the action");
    }
    for (part, name) in [(resource, "resource"), (action, "action")] {
        let allowed = |c: char| matches!(c, 'a'..='z' | '0'..='9' | '_' | '.' | '-');
        if part.is_empty() {
            return expected(&format!(
                "The {name} is missing: a scope is resource:action"
            ));
        } else if !part.chars().all(allowed) {
            let chars = "lowercase letters, digits, '_', '.' and '-'";
            return expected(&format!("The {name} may hold only {chars}"));
        } else if !part.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return expected(&format!("The {name} must start with a letter or a digit"));
        } else if part.len() > MAX_PART_LEN {
            let most = format!("at most {MAX_PART_LEN} characters");
            return expected(&format!("The {name} is too long ({most}) for a scope"));
        }
    }
    Ok(scope)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalogue_parses_and_holds_the_documented_scopes() {
        let catalogue = Catalogue::builtin();
        for scope in [
            "sites:read",
            "scripts:write",
            "ai:chat",
            "site:view",
            "billing:update",
        ] {
            assert!(catalogue.contains(scope), "{scope} missing");
        }
        assert!(!catalogue.contains("offline_access"));
        let legacy = catalogue
            .groups
            .iter()
            .find(|g| g.name == "legacy")
            .unwrap();
        assert!(legacy.legacy);
        let mut seen = std::collections::HashSet::new();
        assert!(
            catalogue.scopes().all(|s| seen.insert(s)),
            "duplicate scope"
        );
    }
}
