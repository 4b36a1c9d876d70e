//! The CLI command equivalent to an action taken in the TUI (or the CLI): written to the
//! action journal and shown in the TUI's notice, so one-off work can become a script. Every
//! word is quoted for a POSIX shell, since key names come from the API and may hold `$(...)`.

use crate::shell_words;

/// What is the same in every command of a session: the profile, and a base URL given on top
/// of it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandPrefix {
    /// `None` for the implicit profile `default`.
    pub profile: Option<String>,
    /// The base URL, when `--base-url` or `SDX_KEYS_BASE_URL` replaced the profile's.
    pub base_url: Option<String>,
}

impl CommandPrefix {
    fn words(&self) -> Vec<String> {
        let mut words = vec!["sdx-keys".to_owned()];
        if let Some(profile) = &self.profile {
            words.extend(["--profile".to_owned(), profile.clone()]);
        }
        if let Some(url) = &self.base_url {
            words.extend(["--base-url".to_owned(), url.clone()]);
        }
        words
    }

    /// `sdx-keys create --name NAME --permission SCOPE...` (the secret goes to a new file).
    pub fn create(&self, name: &str, scopes: &[String]) -> String {
        let mut words = self.words();
        words.extend(["create".to_owned(), "--name".to_owned(), name.to_owned()]);
        for scope in scopes {
            words.extend(["--permission".to_owned(), scope.clone()]);
        }
        words.extend(["--secret-file".to_owned(), "PATH".to_owned()]);
        shell_words::join(&words)
    }

    /// `sdx-keys rotate ID --yes [--confirm PROFILE/NAME]`.
    pub fn rotate(&self, id: &str, confirm: Option<&str>) -> String {
        self.destructive("rotate", id, confirm, true)
    }

    /// `sdx-keys delete ID --yes [--confirm PROFILE/NAME]`.
    pub fn delete(&self, id: &str, confirm: Option<&str>) -> String {
        self.destructive("delete", id, confirm, false)
    }

    fn destructive(&self, verb: &str, id: &str, confirm: Option<&str>, secret: bool) -> String {
        let mut words = self.words();
        words.extend([verb.to_owned(), id.to_owned(), "--yes".to_owned()]);
        if let Some(confirm) = confirm {
            words.extend(["--confirm".to_owned(), confirm.to_owned()]);
        }
        if secret {
            words.extend(["--secret-file".to_owned(), "PATH".to_owned()]);
        }
        shell_words::join(&words)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_api_are_quoted() {
        let prefix = CommandPrefix {
            profile: Some("prod".into()),
            base_url: None,
        };
        assert_eq!(
            prefix.create("ci $(rm -rf ~)", &["sites:read".into()]),
            "sdx-keys --profile prod create --name 'ci $(rm -rf ~)' --permission sites:read \
             --secret-file PATH"
        );
        assert_eq!(
            prefix.delete("api_key_1", Some("prod/it's")),
            "sdx-keys --profile prod delete api_key_1 --yes --confirm 'prod/it'\\''s'"
        );
        assert_eq!(
            CommandPrefix::default().rotate("k1", None),
            "sdx-keys rotate k1 --yes --secret-file PATH"
        );
    }
}
