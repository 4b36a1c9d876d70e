//! Plausible keys for `--generate-keys N` and the `--demo` organisation: realistic names
//! ("NOC Grafana exporter", "ZTP provisioner — Cape Town", "Backup runner (eu-west)"), 1 to 10
//! non-legacy scopes that fit the name, creation times from about two years ago to a few
//! minutes ago (skewed towards recent), and varied last use: a fixed cycle of five kinds
//! (never, minutes, hours, days, months ago; each a fifth) from a random starting point, so
//! any ten consecutive keys include each kind. Fast: no hashing or formatting beyond one name
//! per key (50,000 keys take a few tens of milliseconds in release).

use std::sync::OnceLock;

use jiff::Timestamp;
use rand::Rng;
use rand::rngs::StdRng;

use super::state::SeedKey;

const TEMPLATES: &[(&str, &[&str])] = &[
    ("NOC Grafana exporter", &["monitoring:read", "sites:read"]),
    (
        "ZTP provisioner",
        &["sites:write", "scripts:write", "policies:read"],
    ),
    (
        "Backup runner",
        &["backups:write", "backups:read", "sites:read"],
    ),
    (
        "Terraform CI",
        &["sites:write", "policies:write", "vpn:write", "wan:write"],
    ),
    ("Ansible inventory sync", &["sites:read"]),
    (
        "PagerDuty bridge",
        &["notifications:write", "monitoring:read"],
    ),
    (
        "Billing reconciliation",
        &["billing:read", "workspaces:read"],
    ),
    ("Helpdesk assistant", &["ai:chat", "sites:read"]),
    (
        "Firmware rollout job",
        &["jobs:write", "scripts:write", "sites:read"],
    ),
    ("WAN failover monitor", &["wan:read", "monitoring:read"]),
    ("VPN peer sync", &["vpn:write", "vpn:read"]),
    ("Security audit export", &["security:read", "policies:read"]),
    ("Threat feed importer", &["security:write"]),
    (
        "Config drift checker",
        &["backups:read", "sites:read", "scripts:read"],
    ),
    ("Customer status page", &["sites:read", "monitoring:read"]),
    ("NetBox sync", &["sites:read", "sites:write"]),
    (
        "ServiceNow integration",
        &["notifications:read", "jobs:read", "sites:read"],
    ),
    ("Slack alert relay", &["notifications:write"]),
    ("Capacity planning report", &["monitoring:read", "wan:read"]),
    (
        "Script library publisher",
        &["scripts:write", "scripts:read"],
    ),
    ("Workspace onboarding", &["workspaces:write", "sites:write"]),
    (
        "Nightly maintenance window",
        &["jobs:write", "scripts:write"],
    ),
    (
        "Policy-as-code pipeline",
        &["policies:write", "policies:read"],
    ),
    (
        "Data warehouse loader",
        &["sites:read", "monitoring:read", "billing:read"],
    ),
    ("Zabbix poller", &["monitoring:read", "sites:read"]),
    ("Prometheus exporter", &["monitoring:read"]),
    ("Staging smoke tests", &["sites:read", "jobs:read"]),
    (
        "Reseller portal",
        &["workspaces:read", "billing:read", "sites:read"],
    ),
    ("Router reboot scheduler", &["jobs:write", "sites:read"]),
    ("Firewall rule auditor", &["security:read", "policies:read"]),
];
const PLACES: &[&str] = &[
    "Cape Town",
    "Johannesburg",
    "Durban",
    "Nairobi",
    "Lagos",
    "London",
    "Amsterdam",
    "Frankfurt",
    "São Paulo",
    "Singapore",
    "Sydney",
    "Toronto",
];
const REGIONS: &[&str] = &[
    "eu-west",
    "eu-central",
    "us-east",
    "us-west",
    "af-south",
    "ap-southeast",
];
const ENVS: &[&str] = &["prod", "staging", "dev", "lab"];

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
const TWO_YEARS: i64 = 730 * DAY;

#[derive(Clone, Copy)]
enum LastUse {
    Never,
    Minutes,
    Hours,
    Days,
    Months,
}

/// Twenty per cent of each kind; every window of ten holds all five.
const CYCLE: [LastUse; 10] = [
    LastUse::Never,
    LastUse::Minutes,
    LastUse::Days,
    LastUse::Hours,
    LastUse::Months,
    LastUse::Never,
    LastUse::Hours,
    LastUse::Days,
    LastUse::Minutes,
    LastUse::Months,
];

fn non_legacy_scopes() -> &'static [&'static str] {
    static SCOPES: OnceLock<Vec<&'static str>> = OnceLock::new();
    SCOPES.get_or_init(|| {
        crate::catalogue::Catalogue::builtin()
            .groups
            .iter()
            .filter(|g| !g.legacy)
            .flat_map(|g| g.permissions.iter().map(|p| p.scope.as_str()))
            .collect()
    })
}

fn pick<'a>(rng: &mut StdRng, items: &[&'a str]) -> &'a str {
    items[rng.random_range(0..items.len())]
}

fn name(rng: &mut StdRng, template: &str) -> String {
    match rng.random_range(0..100) {
        0..30 => template.to_owned(),
        30..55 => format!("{template} — {}", pick(rng, PLACES)),
        55..75 => format!("{template} ({})", pick(rng, REGIONS)),
        75..88 => format!("{template} [{}]", pick(rng, ENVS)),
        _ => format!("{template} #{}", rng.random_range(2..10)),
    }
}

fn permissions(rng: &mut StdRng, base: &[&str]) -> Vec<String> {
    let all = non_legacy_scopes();
    let extra = match rng.random_range(0..10) {
        0..6 => 0,
        6..9 => rng.random_range(1..=3),
        _ => rng.random_range(4..=8),
    };
    let mut scopes: Vec<String> = base.iter().map(|s| (*s).to_owned()).collect();
    for _ in 0..extra {
        if scopes.len() >= 10 {
            break;
        }
        let scope = pick(rng, all);
        if !scopes.iter().any(|s| s == scope) {
            scopes.push(scope.to_owned());
        }
    }
    scopes
}

fn last_used(rng: &mut StdRng, kind: LastUse, created: i64, now: i64) -> Option<i64> {
    let ago = match kind {
        LastUse::Never => return None,
        LastUse::Minutes => rng.random_range(10..HOUR - MINUTE),
        LastUse::Hours => rng.random_range(HOUR..23 * HOUR),
        LastUse::Days => rng.random_range(DAY..30 * DAY),
        LastUse::Months => rng.random_range(31 * DAY..300 * DAY),
    };
    let at = now - ago;
    if at >= created {
        Some(at)
    } else {
        // The key is younger than the chosen use: it was used some time since its creation.
        Some(created + rng.random_range(0..=(now - created)))
    }
}

/// `n` plausible keys relative to `now` (whole seconds).
pub fn plausible_keys(rng: &mut StdRng, n: usize, now: Timestamp) -> Vec<SeedKey> {
    let now_s = now.as_second();
    let offset = rng.random_range(0..CYCLE.len());
    (0..n)
        .map(|i| {
            let (template, base) = TEMPLATES[rng.random_range(0..TEMPLATES.len())];
            let skew: f64 = rng.random::<f64>().powf(1.6);
            let age = 3 * MINUTE + (skew * (TWO_YEARS - 3 * MINUTE) as f64) as i64;
            let created = now_s - age;
            let used = last_used(rng, CYCLE[(i + offset) % CYCLE.len()], created, now_s);
            SeedKey {
                id: None,
                name: name(rng, template),
                permissions: permissions(rng, base),
                created_at: Timestamp::from_second(created).unwrap_or(now),
                last_used_at: used.map(|s| Timestamp::from_second(s).unwrap_or(now)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn keys_are_plausible_and_varied() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let mut rng = StdRng::seed_from_u64(2026);
        let keys = plausible_keys(&mut rng, 15, now);
        let legacy: Vec<&str> = crate::catalogue::Catalogue::builtin()
            .groups
            .iter()
            .filter(|g| g.legacy)
            .flat_map(|g| g.permissions.iter().map(|p| p.scope.as_str()))
            .collect();
        let catalogue = crate::catalogue::Catalogue::builtin();
        for key in &keys {
            let chars = key.name.chars().count();
            assert!((3..=100).contains(&chars), "{}", key.name);
            assert!((1..=10).contains(&key.permissions.len()));
            for p in &key.permissions {
                assert!(
                    catalogue.contains(p) && !legacy.contains(&p.as_str()),
                    "{p}"
                );
            }
            let age = now.as_second() - key.created_at.as_second();
            assert!((3 * MINUTE..=TWO_YEARS).contains(&age));
            if let Some(used) = key.last_used_at {
                assert!(used >= key.created_at && used <= now);
            }
        }
        let never = keys.iter().filter(|k| k.last_used_at.is_none()).count();
        assert!(never >= 2, "{never}");
        assert!(keys.iter().any(|k| {
            k.last_used_at
                .is_some_and(|u| now.as_second() - u.as_second() < HOUR)
        }));
        let names: std::collections::HashSet<&str> = keys.iter().map(|k| k.name.as_str()).collect();
        assert!(names.len() >= 10);
    }
}
