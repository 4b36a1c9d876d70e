//! Shell words without a shell. [`split`] cuts a configured command line (a sink, a token
//! command) into words the way a POSIX shell's quoting does, and nothing more: no expansion of
//! any kind (`$VAR`, `~`, globs, command substitution), no operators (`|`, `;`, `>` are
//! ordinary characters), no comments; the words are run directly, never by a shell, and this
//! file must never grow a way to run one. [`quote`] and [`join`] go the other way: they write
//! a command (the journal's equivalent commands) that a shell reads back as exactly these
//! words, whatever they hold (names come from the API and may hold `$(...)`).

/// Splits `command` into words: unquoted whitespace separates words; single quotes keep
/// everything literally; in double quotes a backslash escapes only `"`, `\`, `$`, `` ` ``
/// and a newline (which is removed, as a line continuation); outside quotes a backslash
/// escapes any character. `''` and `""` are empty words. Errors are sentences.
pub fn split(command: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    // true once the current word has begun, even if it is still empty (`''`)
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | '\r' => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err(UNCLOSED_SINGLE.to_owned()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some('\n') => {}
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err(UNCLOSED_DOUBLE.to_owned()),
                        },
                        Some(c) => word.push(c),
                        None => return Err(UNCLOSED_DOUBLE.to_owned()),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(c) => {
                    in_word = true;
                    word.push(c);
                }
                None => return Err(TRAILING_BACKSLASH.to_owned()),
            },
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    if words.is_empty() {
        return Err(EMPTY.to_owned());
    }
    Ok(words)
}

const UNCLOSED_SINGLE: &str =
    "The command has a single quote (') that is never closed; add the closing quote.";
const UNCLOSED_DOUBLE: &str =
    "The command has a double quote (\") that is never closed; add the closing quote.";
const TRAILING_BACKSLASH: &str = "The command ends with a backslash (\\) that escapes nothing; \
     remove it or put it in quotes.";
const EMPTY: &str = "The command is empty; write the program to run followed by its arguments.";

/// One word quoted for a POSIX shell: bare when it holds only characters no shell treats
/// specially, else in single quotes (a `'` inside written as `'\''`); `''` when empty.
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "_@%+=:,./-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_owned();
    }
    let mut out = String::with_capacity(word.len() + 2);
    out.push('\'');
    for c in word.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    out
}

/// The words quoted with [`quote`] and separated by single spaces.
pub fn join<S: AsRef<str>>(words: &[S]) -> String {
    let quoted: Vec<String> = words.iter().map(|word| quote(word.as_ref())).collect();
    quoted.join(" ")
}

#[cfg(test)]
mod tests {
    use super::{join, quote, split};
    use proptest::prelude::*;

    #[test]
    fn quoting_keeps_plain_words_bare_and_quotes_the_rest() {
        assert_eq!(quote("sites:read"), "sites:read");
        assert_eq!(quote("api_key_1"), "api_key_1");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("ci deploy"), "'ci deploy'");
        assert_eq!(quote("$(rm -rf ~)"), "'$(rm -rf ~)'");
        assert_eq!(quote("it's"), "'it'\\''s'");
        assert_eq!(quote("~user"), "'~user'");
        assert_eq!(quote("*"), "'*'");
        assert_eq!(quote("a;b"), "'a;b'");
        assert_eq!(quote("`id`"), "'`id`'");
        assert_eq!(quote("line\nbreak"), "'line\nbreak'");
        assert_eq!(quote("-_@%+=:,./"), "-_@%+=:,./");
    }

    #[test]
    fn joining_quotes_each_word_and_separates_with_one_space() {
        assert_eq!(
            join(&["pass", "show", "sdx/prod key"]),
            "pass show 'sdx/prod key'"
        );
        assert_eq!(join(&["echo", "", "it's"]), "echo '' 'it'\\''s'");
        assert_eq!(join::<&str>(&[]), "");
    }

    #[test]
    fn joined_words_split_back_to_themselves() {
        let tricky = [
            "$(rm -rf ~)",
            "it's",
            "a b",
            "tab\there",
            "line\nbreak",
            "",
            "clé ü ключ",
            "*",
            "~user",
            "`id`",
            "back\\slash",
            "\"dq\"",
        ];
        assert_eq!(split(&join(&tricky)).unwrap(), tricky);
    }

    /// A real POSIX shell reads the joined words back as the same words, and runs nothing.
    #[test]
    fn a_real_shell_reads_joined_words_back_literally() {
        let tricky = [
            "$(touch pwned)",
            "`touch pwned`",
            "it's",
            "a b;c|d&e>f",
            "tab\there",
            "line\nbreak",
            "",
            "clé ключ",
            "*",
            "~user",
            "$HOME",
            "'",
            "\\",
        ];
        let dir = tempfile::tempdir().unwrap();
        let script = format!("printf '%s\\0' {}", join(&tricky));
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(output.status.success(), "{script}");
        let printed = String::from_utf8(output.stdout).unwrap();
        let words: Vec<&str> = printed.split_terminator('\0').collect();
        assert_eq!(words, tricky);
        assert!(!dir.path().join("pwned").exists());
    }

    proptest! {
        #[test]
        fn any_words_survive_a_round_trip(words in proptest::collection::vec(".*", 1..6)) {
            prop_assert_eq!(split(&join(&words)).unwrap(), words);
        }
    }

    fn words(command: &str) -> Vec<String> {
        split(command).unwrap_or_else(|err| panic!("{command:?}: {err}"))
    }

    #[test]
    fn whitespace_separates_words() {
        assert_eq!(
            words("pass insert -m sdx/{id}"),
            ["pass", "insert", "-m", "sdx/{id}"]
        );
        assert_eq!(words("  a \t b\n\nc  "), ["a", "b", "c"]);
    }

    #[test]
    fn single_quotes_are_literal() {
        assert_eq!(
            words(r#"echo 'a b' 'it''s' '\n' '"$HOME"'"#),
            ["echo", "a b", "its", r"\n", r#""$HOME""#]
        );
    }

    #[test]
    fn double_quotes_escape_only_five_characters() {
        assert_eq!(
            words(r#""a \"b\" \\ \$x \` \n \'""#),
            [r#"a "b" \ $x ` \n \'"#]
        );
        assert_eq!(words("\"one\\\ntwo\""), ["onetwo"]);
    }

    #[test]
    fn backslash_outside_quotes_escapes_the_next_character() {
        assert_eq!(words(r"a\ b c\\d \'e\q"), ["a b", r"c\d", "'eq"]);
        assert_eq!(words("a\\\nb"), ["ab"]);
    }

    #[test]
    fn quotes_join_adjacent_parts_and_empty_quotes_are_words() {
        assert_eq!(words(r#"sdx/'my key'"-"{id}"#), ["sdx/my key-{id}"]);
        assert_eq!(words(r#"cmd '' """#), ["cmd", "", ""]);
    }

    #[test]
    fn nothing_is_expanded_and_operators_are_plain_characters() {
        assert_eq!(
            words("echo $HOME ~ ~/x *.txt $(id) `id` a;b | c > d # e"),
            [
                "echo", "$HOME", "~", "~/x", "*.txt", "$(id)", "`id`", "a;b", "|", "c", ">", "d",
                "#", "e"
            ]
        );
    }

    #[test]
    fn unicode_is_kept() {
        assert_eq!(words("tee 'clé ü' ключ"), ["tee", "clé ü", "ключ"]);
    }

    #[test]
    fn mistakes_are_sentences() {
        assert!(split("echo 'abc").unwrap_err().contains("single quote"));
        assert!(split("echo \"abc").unwrap_err().contains("double quote"));
        assert!(split("echo \"abc\\").unwrap_err().contains("double quote"));
        assert!(split("echo abc\\").unwrap_err().contains("backslash"));
        assert!(split("").unwrap_err().contains("empty"));
        assert!(split(" \t\n").unwrap_err().contains("empty"));
        assert!(split("\\\n").unwrap_err().contains("empty"));
    }
}
