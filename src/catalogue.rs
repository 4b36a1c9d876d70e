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
