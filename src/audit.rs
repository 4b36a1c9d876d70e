//! What an audit looks for in a key: never used, unused for a while, or holding write or
//! admin scopes. One rule for `sdx-keys audit` and the TUI's quick filters (`u`, `w`).

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::api::ApiKey;
use crate::catalogue::{Catalogue, Risk};

/// Days without use after which a key counts as unused, unless told otherwise.
pub const DEFAULT_UNUSED_DAYS: u32 = 90;

/// Why an audit reports a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    NeverUsed,
    Unused,
    WriteScopes,
    AdminScopes,
}

impl Finding {
    /// The finding in words, for tables.
    pub fn text(self, unused_days: u32) -> String {
        match self {
            Finding::NeverUsed => "never used".to_owned(),
            Finding::Unused => format!("unused for more than {unused_days} days"),
            Finding::WriteScopes => "holds write scopes".to_owned(),
            Finding::AdminScopes => "holds admin scopes".to_owned(),
        }
    }
}

/// Never used, or last used more than `days` days before `now`.
pub fn is_unused(key: &ApiKey, days: u32, now: Timestamp) -> bool {
    match key.last_used_at {
        None => true,
        Some(used) => now.duration_since(used) > SignedDuration::from_hours(24 * i64::from(days)),
    }
}

/// The riskiest scope the key holds (catalogue risk, else guessed from the action).
pub fn top_risk(key: &ApiKey) -> Option<Risk> {
    let catalogue = Catalogue::builtin();
    key.permissions.iter().map(|s| catalogue.risk_of(s)).max()
}

/// Holds at least one write or admin scope.
pub fn is_risky(key: &ApiKey) -> bool {
    top_risk(key).is_some_and(|risk| risk >= Risk::Write)
}

/// Everything an audit finds about one key (empty: nothing).
pub fn findings(key: &ApiKey, unused_days: u32, now: Timestamp) -> Vec<Finding> {
    let mut found = Vec::new();
    if key.last_used_at.is_none() {
        found.push(Finding::NeverUsed);
    } else if is_unused(key, unused_days, now) {
        found.push(Finding::Unused);
    }
    match top_risk(key) {
        Some(Risk::Admin) => found.push(Finding::AdminScopes),
        Some(Risk::Write) => found.push(Finding::WriteScopes),
        _ => {}
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::KeyId;

    fn key(last_used: Option<&str>, scopes: &[&str]) -> ApiKey {
        ApiKey {
            id: KeyId("k".into()),
            name: "n".into(),
            key_prefix: String::new(),
            client_id: String::new(),
            created_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            status: "active".into(),
            permissions: scopes.iter().map(|s| (*s).into()).collect(),
            last_used_at: last_used.map(|t| t.parse().unwrap()),
        }
    }

    #[test]
    fn findings_follow_use_and_risk() {
        let now: Timestamp = "2026-12-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            findings(&key(None, &["sites:read"]), 90, now),
            [Finding::NeverUsed]
        );
        let old = key(Some("2026-08-01T00:00:00Z"), &["sites:read"]);
        assert_eq!(findings(&old, 90, now), [Finding::Unused]);
        assert!(findings(&old, 180, now).is_empty());
        let writer = key(Some("2026-11-30T00:00:00Z"), &["sites:read", "sites:write"]);
        assert_eq!(findings(&writer, 90, now), [Finding::WriteScopes]);
        let admin = key(Some("2026-11-30T00:00:00Z"), &["things:admin"]);
        assert_eq!(findings(&admin, 90, now), [Finding::AdminScopes]);
        assert!(is_risky(&admin) && !is_risky(&old));
    }
}
