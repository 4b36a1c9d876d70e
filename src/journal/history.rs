//! One line of the action journal: what was done (create, rotate, delete), when, by which OS
//! user, with which profile against which API host, to which key, how it ended, and the CLI
//! command that does the same, so work done once in the TUI can be promoted into a script.
//! Never a secret: there is no field for one.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::api::KeyId;

/// The actions the journal records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    Create,
    Rotate,
    Delete,
}

impl ActionKind {
    pub fn word(self) -> &'static str {
        match self {
            ActionKind::Create => "create",
            ActionKind::Rotate => "rotate",
            ActionKind::Delete => "delete",
        }
    }
}

/// One create, rotate or delete and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    pub at: Timestamp,
    pub action: ActionKind,
    /// The OS user who ran sdx-keys.
    pub user: String,
    pub profile: String,
    pub api_host: String,
    /// The key acted on; absent when a create failed before the API named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<KeyId>,
    pub name: String,
    /// `true` when the API did it.
    pub ok: bool,
    /// `ok`, or the sentence the user was shown.
    pub result: String,
    /// The equivalent CLI command, every word quoted for a POSIX shell.
    pub command: String,
    /// From the TUI (`tui`) or the CLI (`cli`).
    pub via: String,
}

/// The OS user running this process, for the journal: `$USER` or `$LOGNAME`, else the name
/// `/etc/passwd` gives the uid, else `uid N`.
pub fn os_user() -> String {
    if let Some(name) = ["USER", "LOGNAME"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|value| !value.is_empty()))
    {
        return name;
    }
    let uid = rustix::process::getuid().as_raw();
    std::fs::read_to_string("/etc/passwd")
        .ok()
        .and_then(|passwd| name_of(&passwd, uid))
        .unwrap_or_else(|| format!("uid {uid}"))
}

/// The name of `uid` in the text of a passwd file (`name:x:uid:...` lines).
fn name_of(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let uid_field = fields.nth(1)?;
        (uid_field.parse::<u32>().ok()? == uid && !name.is_empty()).then(|| name.to_owned())
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_uid_is_named_from_passwd_lines() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nop:x:1000:1000::/home/op:/bin/sh\n";
        assert_eq!(super::name_of(passwd, 1000).as_deref(), Some("op"));
        assert_eq!(super::name_of(passwd, 0).as_deref(), Some("root"));
        assert_eq!(super::name_of(passwd, 7), None);
    }
}
