//! Splitting a configured command line into words the way a POSIX shell's quoting does, and
//! nothing more: no expansion of any kind (`$VAR`, `~`, globs, command substitution), no
//! operators (`|`, `;`, `>` are ordinary characters), no comments. The words are run
//! directly, never by a shell; this file must never grow a way to run one.

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

#[cfg(test)]
mod tests {
    use super::split;

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
