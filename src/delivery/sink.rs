//! A sink: an operator-configured command that receives the secret on stdin, such as
//! `pass insert -m sdx/{id}`. The template is split into words once (no shell, ever); `{id}`
//! and `{name}` are filled in inside each word, made safe for a path component, so a key
//! name from the API can neither add arguments nor climb folders. The secret goes only to
//! stdin: never into argv, the environment or an error.

use std::io::ErrorKind;
use std::time::Duration;

use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use tokio::process::Command;

use super::{
    ChildEnd, DeliveryError, describe_duration, describe_status, is_unshowable, printable,
    run_child, stderr_excerpt,
};

/// How long a sink command may take before it is stopped.
pub const SINK_TIMEOUT: Duration = Duration::from_secs(30);

/// A parsed sink command template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkCommand {
    template: String,
    words: Vec<String>,
}

/// What a successful delivery to a sink reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SinkReport {
    /// The program that received the secret (the first word, scrubbed for display).
    pub program: String,
}

impl SinkCommand {
    /// Parses a template: split into words like a POSIX shell, without any expansion. The
    /// program (first word) may not be empty nor contain `{id}` or `{name}`.
    pub fn parse(text: &str) -> Result<SinkCommand, DeliveryError> {
        let template = text.trim();
        if template.is_empty() {
            return Err(DeliveryError(
                "The sink command is empty; set it to a program that reads the secret on its \
                 input, such as: pass insert -m sdx/{id}"
                    .to_owned(),
            ));
        }
        let words = crate::shell_words::split(template).map_err(|problem| {
            DeliveryError(format!("The sink command is not valid. {problem}"))
        })?;
        let program = &words[0];
        if program.is_empty() || program.contains("{id}") || program.contains("{name}") {
            return Err(DeliveryError(format!(
                "The sink command must start with a program name, without {{id}} or {{name}} \
                 in it; it starts with \"{}\".",
                printable(program)
            )));
        }
        Ok(SinkCommand {
            template: template.to_owned(),
            words,
        })
    }

    /// The template as given (trimmed, control characters replaced), for the UI.
    pub fn display(&self) -> String {
        printable(&self.template)
    }

    /// The words with `{id}` and `{name}` filled in, both through [`safe_name`]; each word
    /// stays one argument whatever the name contains.
    pub fn argv(&self, key_id: &str, key_name: &str) -> Vec<String> {
        let id = safe_name(key_id);
        let name = safe_name(key_name);
        self.words
            .iter()
            .map(|word| fill_placeholders(word, &id, &name))
            .collect()
    }

    /// Runs the command with the secret and a newline on stdin, in its own session with no
    /// terminal, with `SDX_KEY_ID` and `SDX_KEY_NAME` (the name as the API gave it) in its
    /// environment. Succeeds only on exit status 0; after `timeout` it is killed.
    pub async fn run(
        &self,
        secret: &SecretString,
        key_id: &str,
        key_name: &str,
        timeout: Duration,
    ) -> Result<SinkReport, DeliveryError> {
        let argv = self.argv(key_id, key_name);
        let program = printable(&argv[0]);
        let mut command = Command::new(&argv[0]);
        command
            .args(&argv[1..])
            .env("SDX_KEY_ID", key_id.replace('\0', ""))
            .env("SDX_KEY_NAME", key_name.replace('\0', ""));
        let exposed = secret.expose_secret().as_bytes();
        let mut input = Zeroizing::new(Vec::with_capacity(exposed.len() + 1));
        input.extend_from_slice(exposed);
        input.push(b'\n');
        let ended = run_child(command, input, timeout).await.map_err(|err| {
            DeliveryError(match err.kind() {
                ErrorKind::NotFound => format!(
                    "The sink program \"{program}\" was not found. Check that it is installed \
                     and on your PATH, or write its full path in the sink command."
                ),
                ErrorKind::PermissionDenied => format!(
                    "The sink program \"{program}\" could not be started: permission denied. \
                     Check that it is an executable file."
                ),
                _ => format!("The sink program \"{program}\" could not be started: {err}."),
            })
        })?;
        match ended {
            ChildEnd::Exited { status, .. } if status.success() => Ok(SinkReport { program }),
            ChildEnd::Exited { status, stderr } => {
                let said = stderr_excerpt(&stderr, 3, Some(secret));
                let said = if said.is_empty() {
                    " and printed no error".to_owned()
                } else {
                    format!(": \"{said}\"")
                };
                Err(DeliveryError(format!(
                    "The sink command \"{program}\" {}{said}. The secret may not have been \
                     stored; fix the command or deliver the secret another way.",
                    describe_status(status)
                )))
            }
            ChildEnd::TimedOut => Err(DeliveryError(format!(
                "The sink command \"{program}\" did not finish in {} and was stopped. It may \
                 be waiting for a passphrase or a terminal, which sink commands do not get; \
                 the secret may not have been stored.",
                describe_duration(timeout)
            ))),
        }
    }
}

/// A key name (set by any member of the organisation) made safe as a path component and
/// as an argument: `/` becomes `_`, control characters are removed, a leading `-` or `.`
/// gets a `_` in front (no options, no `..`, no hidden files), and nothing becomes `_`.
pub fn safe_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !is_unshowable(*c))
        .map(|c| if c == '/' { '_' } else { c })
        .collect();
    if cleaned.is_empty() {
        "_".to_owned()
    } else if cleaned.starts_with(['-', '.']) {
        format!("_{cleaned}")
    } else {
        cleaned
    }
}

/// Replaces `{id}` and `{name}` in one pass (a name containing `{id}` stays as it is).
fn fill_placeholders(word: &str, id: &str, name: &str) -> String {
    let mut filled = String::with_capacity(word.len());
    let mut rest = word;
    while let Some(brace) = rest.find('{') {
        filled.push_str(&rest[..brace]);
        let tail = &rest[brace..];
        if let Some(after) = tail.strip_prefix("{id}") {
            filled.push_str(id);
            rest = after;
        } else if let Some(after) = tail.strip_prefix("{name}") {
            filled.push_str(name);
            rest = after;
        } else {
            filled.push('{');
            rest = &tail[1..];
        }
    }
    filled.push_str(rest);
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sink(text: &str) -> SinkCommand {
        SinkCommand::parse(text).unwrap()
    }

    fn refusal(text: &str) -> String {
        SinkCommand::parse(text).unwrap_err().0
    }

    async fn deliver(
        text: &str,
        id: &str,
        name: &str,
        timeout: Duration,
    ) -> Result<SinkReport, DeliveryError> {
        let secret = SecretString::from("sdx_fake_secret_42");
        sink(text).run(&secret, id, name, timeout).await
    }

    #[test]
    fn names_are_made_safe_for_a_path_component() {
        assert_eq!(safe_name("prod/api"), "prod_api");
        assert_eq!(safe_name("../x"), "_.._x");
        assert_eq!(safe_name("-rf"), "_-rf");
        assert_eq!(safe_name(".hidden"), "_.hidden");
        assert_eq!(safe_name("a\x1b[31mb\x7fc\u{9b}d\0e\n"), "a[31mbcde");
        assert_eq!(safe_name("\x1b\x07"), "_");
        assert_eq!(safe_name(""), "_");
        assert_eq!(safe_name("clé ключ"), "clé ключ");
    }

    #[test]
    fn placeholders_are_filled_inside_each_word() {
        let template = "pass insert -m 'sdx/{name} ({id})' --tag={id}{id} {unknown}";
        let command = sink(template);
        let argv = command.argv("k_1", "a; rm -rf ~");
        assert_eq!(
            argv,
            [
                "pass",
                "insert",
                "-m",
                "sdx/a; rm -rf ~ (k_1)",
                "--tag=k_1k_1",
                "{unknown}"
            ]
        );
        assert_eq!(command.argv("k_1", "{id}")[3], "sdx/{id} (k_1)");
        assert_eq!(
            sink("tee {name}").argv("k", "../../etc/passwd"),
            ["tee", "_.._.._etc_passwd"]
        );
        assert_eq!(command.display(), template);
    }

    #[test]
    fn bad_templates_are_refused_with_sentences() {
        assert!(refusal("  ").contains("sink command is empty"));
        assert!(refusal("pass 'x").contains("never closed"));
        assert!(refusal("{name} x").contains("program name"));
        assert!(refusal("'' x").contains("program name"));
    }

    #[tokio::test]
    async fn the_secret_and_a_newline_arrive_on_stdin() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let text = format!("sh -c 'cat > \"$0\"' '{}'", out.display());
        let report = deliver(&text, "k_1", "n", SINK_TIMEOUT).await.unwrap();
        assert_eq!(report.program, "sh");
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "sdx_fake_secret_42\n"
        );
    }

    #[tokio::test]
    async fn a_hostile_name_stays_one_harmless_argument_and_env_has_the_raw_name() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let text = format!(
            "sh -c 'printf \"%s|\" \"$#\" \"$@\" \"$SDX_KEY_ID\" \"$SDX_KEY_NAME\" > \"$0\"' '{}' \
             {{name}} x/{{name}} {{id}}",
            out.display()
        );
        deliver(&text, "k_9", "a; rm -rf ~", SINK_TIMEOUT)
            .await
            .unwrap();
        let seen = std::fs::read_to_string(&out).unwrap();
        assert_eq!(seen, "3|a; rm -rf ~|x/a; rm -rf ~|k_9|k_9|a; rm -rf ~|");
        deliver(&text, "k_9", "../x", SINK_TIMEOUT).await.unwrap();
        let seen = std::fs::read_to_string(&out).unwrap();
        assert_eq!(seen, "3|_.._x|x/_.._x|k_9|k_9|../x|");
    }

    #[tokio::test]
    async fn a_failure_names_the_program_status_and_stderr_without_the_secret() {
        let text =
            "sh -c 'read s; echo \"bad: $s\" >&2; echo two >&2; echo 3 >&2; echo 4 >&2; exit 3'";
        let err = deliver(text, "k", "n", SINK_TIMEOUT).await.unwrap_err();
        assert_eq!(
            err.0,
            "The sink command \"sh\" exited with status 3: \"bad: (the secret) / two / 3\". The \
             secret may not have been stored; fix the command or deliver the secret another way."
        );
    }

    #[tokio::test]
    async fn a_slow_command_is_stopped() {
        let started = std::time::Instant::now();
        let err = deliver("sleep 10", "k", "n", Duration::from_millis(300))
            .await
            .unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(3));
        assert!(
            err.0
                .contains("\"sleep\" did not finish in 0.3 seconds and was stopped"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_missing_program_is_reported() {
        let err = deliver("sdx-keys-no-such-program {id}", "k", "n", SINK_TIMEOUT)
            .await
            .unwrap_err();
        assert!(
            err.0.contains("\"sdx-keys-no-such-program\" was not found"),
            "{err}"
        );
        assert!(err.0.contains("PATH"), "{err}");
    }
}
