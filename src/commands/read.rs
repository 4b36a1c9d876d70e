//! The commands that change nothing: `list`, `get`, `permissions`, `audit` and `history`.
//! `--json` prints the API's field names; the tables are for people.

use jiff::Timestamp;
use serde::Serialize;

use super::output::{self, table};
use super::{Context, Exit, Failure};
use crate::api::{ApiClient, ApiKey, KeyId};
use crate::audit::{Finding, findings};
use crate::catalogue::{Catalogue, Risk};
use crate::layout::time::absolute;

pub async fn list(_context: &Context, client: &ApiClient, json: bool) -> Result<Exit, Failure> {
    if json {
        // The API's own objects, passed through: nothing to build and write out again.
        let (array, dropped) = client.list_keys_json().await?;
        if dropped > 0 {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "sdx-keys: warning: only the first {} keys are printed ({dropped} more were \
                 left out).",
                crate::api::caps::MAX_KEYS
            );
        }
        output::write_bytes(&array)?;
        return Ok(Exit::Ok);
    }
    let keys = listed(client).await?;
    if keys.is_empty() {
        output::write("No API keys.\n")?;
    } else {
        let rows: Vec<Vec<String>> = keys.iter().map(key_row).collect();
        output::write(&table(
            &[
                "ID",
                "NAME",
                "PREFIX",
                "PERMISSIONS",
                "CREATED",
                "LAST USED",
                "STATUS",
            ],
            &rows,
        ))?;
    }
    Ok(Exit::Ok)
}

/// The keys of the list; what the bounds cut is said on standard error.
async fn listed(client: &ApiClient) -> Result<Vec<ApiKey>, Failure> {
    let list = client.list_keys().await?;
    if let Some(sentence) = list.cuts.sentence() {
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "sdx-keys: warning: {sentence}");
    }
    Ok(list.keys)
}

fn key_row(key: &ApiKey) -> Vec<String> {
    vec![
        key.id.0.clone(),
        key.name.clone(),
        key.key_prefix.clone(),
        key.permissions.len().to_string(),
        absolute(key.created_at),
        key.last_used_at
            .map_or_else(|| "never".to_owned(), absolute),
        key.status.clone(),
    ]
}

pub async fn get(
    _context: &Context,
    client: &ApiClient,
    id: &str,
    json: bool,
) -> Result<Exit, Failure> {
    let key = client.get_key(&KeyId(id.to_owned())).await?;
    if json {
        output::json(&key)?;
    } else {
        output::write(&describe(&key))?;
    }
    Ok(Exit::Ok)
}

/// Every field of a key, one per line, then its permissions with their risk.
pub fn describe(key: &ApiKey) -> String {
    let catalogue = Catalogue::builtin();
    let mut rows = vec![
        vec!["id".to_owned(), key.id.0.clone()],
        vec!["name".to_owned(), key.name.clone()],
        vec!["prefix".to_owned(), key.key_prefix.clone()],
        vec!["status".to_owned(), key.status.clone()],
        vec!["created".to_owned(), absolute(key.created_at)],
        vec![
            "last used".to_owned(),
            key.last_used_at
                .map_or_else(|| "never".to_owned(), absolute),
        ],
    ];
    if !key.client_id.is_empty() {
        rows.push(vec!["client id".to_owned(), key.client_id.clone()]);
    }
    for scope in &key.permissions {
        let scope: &str = scope;
        let risk = catalogue.risk_of(scope).label();
        rows.push(vec!["permission".to_owned(), format!("{scope} ({risk})")]);
    }
    table(&["FIELD", "VALUE"], &rows)
}

/// One scope of the catalogue, as `permissions --json` prints it.
#[derive(Serialize)]
struct ScopeOut<'a> {
    scope: &'a str,
    group: &'a str,
    risk: Risk,
    description: &'a str,
}

pub fn permissions(json: bool) -> Result<Exit, Failure> {
    let catalogue = Catalogue::builtin();
    let scopes: Vec<ScopeOut> = catalogue
        .groups
        .iter()
        .flat_map(|group| {
            group.permissions.iter().map(move |p| ScopeOut {
                scope: &p.scope,
                group: &group.name,
                risk: p.risk,
                description: &p.description,
            })
        })
        .collect();
    if json {
        output::json(&scopes)?;
    } else {
        let rows: Vec<Vec<String>> = scopes
            .iter()
            .map(|s| {
                vec![
                    s.scope.to_owned(),
                    s.risk.label().to_owned(),
                    s.description.to_owned(),
                ]
            })
            .collect();
        output::write(&table(&["SCOPE", "RISK", "DESCRIPTION"], &rows))?;
    }
    Ok(Exit::Ok)
}

#[derive(Serialize)]
struct AuditOut<'a> {
    #[serde(flatten)]
    key: &'a ApiKey,
    findings: Vec<Finding>,
}

pub async fn audit(client: &ApiClient, unused_days: u32, json: bool) -> Result<Exit, Failure> {
    let keys = listed(client).await?;
    let now = Timestamp::now();
    let reported: Vec<AuditOut> = keys
        .iter()
        .map(|key| AuditOut {
            key,
            findings: findings(key, unused_days, now),
        })
        .filter(|out| !out.findings.is_empty())
        .collect();
    if json {
        output::json(&reported)?;
    } else if reported.is_empty() {
        output::write(&format!(
            "Nothing found: every key was used within {unused_days} days and holds only read \
             scopes.\n"
        ))?;
    } else {
        let rows: Vec<Vec<String>> = reported
            .iter()
            .map(|out| {
                let texts: Vec<String> = out.findings.iter().map(|f| f.text(unused_days)).collect();
                vec![
                    out.key.id.0.clone(),
                    out.key.name.clone(),
                    out.key
                        .last_used_at
                        .map_or_else(|| "never".to_owned(), absolute),
                    texts.join("; "),
                ]
            })
            .collect();
        output::write(&table(&["ID", "NAME", "LAST USED", "FINDINGS"], &rows))?;
    }
    Ok(if reported.is_empty() {
        Exit::Ok
    } else {
        Exit::Findings
    })
}

pub fn history(context: &Context, json: bool) -> Result<Exit, Failure> {
    let Some(journal) = &context.journal else {
        return Err(Failure::failed(
            "This system gives no state directory, so there is no journal. Set XDG_STATE_HOME.",
        ));
    };
    let actions = journal
        .history()
        .map_err(|err| Failure::failed(err.to_string()))?;
    if json {
        output::json(&actions)?;
    } else if actions.is_empty() {
        output::write("No creates, rotates or deletes recorded yet.\n")?;
    } else {
        let rows: Vec<Vec<String>> = actions
            .iter()
            .map(|a| {
                vec![
                    absolute(a.at),
                    a.user.clone(),
                    a.profile.clone(),
                    a.api_host.clone(),
                    a.action.word().to_owned(),
                    a.key_id
                        .as_ref()
                        .map_or_else(String::new, |id| id.0.clone()),
                    a.name.clone(),
                    a.result.clone(),
                    a.command.clone(),
                ]
            })
            .collect();
        output::write(&table(
            &[
                "WHEN", "USER", "PROFILE", "HOST", "ACTION", "KEY", "NAME", "RESULT", "COMMAND",
            ],
            &rows,
        ))?;
    }
    Ok(Exit::Ok)
}
