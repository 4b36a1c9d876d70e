//! Each token source: what it accepts, what it refuses, and that no refusal quotes a token.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use secrecy::ExposeSecret;

use super::*;

fn no_env(_: &str) -> Option<OsString> {
    None
}

fn read(source: &TokenSource) -> Result<String, String> {
    source
        .read(&no_env)
        .map(|token| token.expose_secret().to_owned())
        .map_err(|err| err.0)
}

fn words(list: &[&str]) -> TokenSource {
    TokenSource::Command(list.iter().map(|w| w.to_string()).collect())
}

#[test]
fn environment_values_are_trimmed_and_checked() {
    let env = |name: &str| match name {
        "GOOD" => Some(OsString::from("  tok.en\n")),
        "EMPTY" => Some(OsString::from(" \n")),
        "BEARER" => Some(OsString::from("Bearer sekrit")),
        _ => None,
    };
    let get = |name: &str| TokenSource::Env(name.into()).read(&env);
    assert_eq!(get("GOOD").unwrap().expose_secret(), "tok.en");
    let missing = get("MISSING").unwrap_err().0;
    assert!(missing.contains("MISSING is not set") && missing.contains("token_command"));
    assert!(get("EMPTY").unwrap_err().0.contains("empty"));
    let bearer = get("BEARER").unwrap_err().0;
    assert!(
        bearer.contains("Bearer") && !bearer.contains("sekrit"),
        "{bearer}"
    );
}

#[test]
fn a_missing_variable_says_how_to_set_it_and_what_else_to_use() {
    let err = read(&TokenSource::Env("ALTOSTRAT_TOKEN".into())).unwrap_err();
    for hint in [
        "read -rs ALTOSTRAT_TOKEN && export ALTOSTRAT_TOKEN",
        "token_command",
        "token_file",
        "sdx-keys --demo",
    ] {
        assert!(err.contains(hint), "{hint}: {err}");
    }
}

#[test]
fn environment_values_that_cannot_be_tokens_are_refused_without_quoting_them() {
    use std::os::unix::ffi::OsStringExt;
    let env = |name: &str| match name {
        "INNER" => Some(OsString::from("tok en-secret")),
        "TAB" => Some(OsString::from("tok\ten-secret")),
        "QUOTED" => Some(OsString::from("\"tok-secret\"")),
        "BINARY" => Some(OsString::from_vec(b"tok-secret\xff".to_vec())),
        _ => None,
    };
    let get = |name: &str| TokenSource::Env(name.into()).read(&env).unwrap_err().0;
    for name in ["INNER", "TAB"] {
        let err = get(name);
        assert!(err.contains("without `Bearer ` or quotes"), "{err}");
        assert!(!err.contains("secret"), "{err}");
    }
    // Quotes are not whitespace; such a token is sent as is and the API refuses it.
    assert!(TokenSource::Env("QUOTED".into()).read(&env).is_ok());
    let err = get("BINARY");
    assert!(err.contains("UTF-8") && !err.contains("secret"), "{err}");
}

#[test]
fn a_command_prints_the_token() {
    assert_eq!(
        read(&words(&["printf", "  tok-123\\n"])).unwrap(),
        "tok-123"
    );
    // Noise on stderr does not matter when the command succeeds.
    let noisy = words(&["sh", "-c", "echo warming up >&2; echo tok-456"]);
    assert_eq!(read(&noisy).unwrap(), "tok-456");
}

#[test]
fn a_failing_command_is_reported_with_its_status_and_stderr_never_its_stdout() {
    let failing = words(&[
        "sh",
        "-c",
        "echo leaked-$((6*7)); echo vault sealed >&2; exit 3",
    ]);
    let err = read(&failing).unwrap_err();
    assert!(err.contains('3') && err.contains("vault sealed"), "{err}");
    assert!(!err.contains("leaked-42"), "{err}");
    let err = read(&words(&["no-such-program-sdx"])).unwrap_err();
    assert!(err.contains("was not found"), "{err}");
    assert!(read(&words(&[])).unwrap_err().contains("empty"));
    let err = read(&words(&["true"])).unwrap_err();
    assert!(err.contains("empty"), "{err}");
}

#[test]
fn a_missing_program_is_named_with_the_fix() {
    let err = read(&words(&["no-such-program-sdx", "show", "x"])).unwrap_err();
    assert!(
        err.contains("\"no-such-program-sdx\" was not found"),
        "{err}"
    );
    assert!(err.contains("PATH") && err.contains("full path"), "{err}");
    assert!(err.contains("`no-such-program-sdx show x`"), "{err}");
}

#[test]
fn a_token_that_the_command_also_wrote_to_stderr_is_blanked_out() {
    let failing = words(&[
        "sh",
        "-c",
        "t=tok-$((6*7)); echo $t; echo \"denied for $t\" >&2; exit 1",
    ]);
    let err = read(&failing).unwrap_err();
    assert!(err.contains("denied for (its output)"), "{err}");
    assert!(!err.contains("tok-42"), "{err}");
}

#[test]
fn a_killed_command_names_the_signal_and_long_stderr_is_cut() {
    let err = read(&words(&["sh", "-c", "kill -9 $$"])).unwrap_err();
    assert!(err.contains("signal 9"), "{err}");
    let chatty = words(&["sh", "-c", "printf '%0150d\\n' 1 2 3 >&2; exit 1"]);
    let err = read(&chatty).unwrap_err();
    assert!(err.contains('…') && err.len() < 600, "{err}");
    let silent = read(&words(&["false"])).unwrap_err();
    assert!(silent.contains("status 1 and printed no error"), "{silent}");
}

#[test]
fn a_command_printing_a_token_with_spaces_or_too_much_is_refused() {
    let err = read(&words(&["printf", "Bearer tok-%d", "42"])).unwrap_err();
    assert!(err.contains("without `Bearer ` or quotes"), "{err}");
    assert!(!err.contains("tok-42"), "{err}");
    let err = read(&words(&["head", "-c", "70000", "/dev/zero"])).unwrap_err();
    assert!(err.contains("more than 64 KiB"), "{err}");
}

#[test]
fn a_command_that_takes_too_long_is_stopped() {
    let started = Instant::now();
    let sleeping = ["sleep".to_owned(), "5".to_owned()];
    let err = from_command(&sleeping, Duration::from_millis(300))
        .map(drop)
        .unwrap_err()
        .0;
    assert!(err.contains("did not finish within 0.3 seconds"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_helper_left_running_with_the_output_open_does_not_hold_the_token_up() {
    let started = Instant::now();
    let leaving = words(&["sh", "-c", "echo tok-789; sleep 5 &"]);
    assert_eq!(read(&leaving).unwrap(), "tok-789");
    assert!(started.elapsed() < Duration::from_secs(4));
}

#[test]
fn a_one_line_token_command_is_split_like_a_shell_would_without_expanding() {
    assert_eq!(
        parse_command("pass show 'sdx/prod key' $HOME").unwrap(),
        ["pass", "show", "sdx/prod key", "$HOME"]
    );
    assert!(
        parse_command("pass 'show")
            .unwrap_err()
            .0
            .contains("single quote")
    );
    assert!(parse_command("  ").unwrap_err().0.contains("empty"));
    assert!(parse_command("'' show").unwrap_err().0.contains("empty"));
}

#[test]
fn a_token_file_must_be_private_and_owned() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("token");
    fs::write(&path, "file-token\n").unwrap();
    let source = TokenSource::File(path.clone());
    for mode in [0o644, 0o640, 0o604] {
        fs::set_permissions(&path, fs::Permissions::from_mode(mode)).unwrap();
        let err = read(&source).unwrap_err();
        assert!(err.contains("chmod 600"), "{mode:o}: {err}");
        assert!(err.contains(&format!("{mode:04o}")), "{err}");
        assert!(!err.contains("file-token"));
    }
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    assert_eq!(read(&source).unwrap(), "file-token");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o400)).unwrap();
    assert_eq!(read(&source).unwrap(), "file-token");

    // A link to a private file is followed, and the file itself is checked.
    let link = dir.path().join("link");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    assert_eq!(read(&TokenSource::File(link)).unwrap(), "file-token");

    let err = read(&TokenSource::File(dir.path().to_owned())).unwrap_err();
    assert!(err.contains("not a regular file"), "{err}");
    let err = read(&TokenSource::File(dir.path().join("missing"))).unwrap_err();
    assert!(err.contains("does not exist"), "{err}");
}

fn private_file(dir: &std::path::Path, name: &str, contents: &[u8]) -> TokenSource {
    let path = dir.join(name);
    fs::write(&path, contents).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    TokenSource::File(path)
}

#[test]
fn the_chmod_advice_quotes_the_path_for_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let TokenSource::File(path) = private_file(dir.path(), "my token", b"tok") else {
        unreachable!()
    };
    fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
    let err = read(&TokenSource::File(path.clone())).unwrap_err();
    let quoted = crate::shell_words::quote(path.to_str().unwrap());
    assert!(err.contains(&format!("`chmod 600 {quoted}`")), "{err}");
}

#[test]
fn file_contents_that_cannot_be_tokens_are_refused_without_quoting_them() {
    let dir = tempfile::tempdir().unwrap();
    let spaced = private_file(dir.path(), "spaced", b"Bearer tok-secret\n");
    let err = read(&spaced).unwrap_err();
    assert!(err.contains("without `Bearer ` or quotes") && !err.contains("tok-secret"));
    let binary = private_file(dir.path(), "binary", b"tok-secret\xff");
    let err = read(&binary).unwrap_err();
    assert!(
        err.contains("UTF-8") && !err.contains("tok-secret"),
        "{err}"
    );
    let blank = private_file(dir.path(), "blank", b" \n\n");
    assert!(read(&blank).unwrap_err().contains("empty"));
    let huge = private_file(dir.path(), "huge", &[b'a'; 70_000]);
    assert!(read(&huge).unwrap_err().contains("larger than 64 KiB"));
}

#[test]
fn a_fifo_in_place_of_the_token_file_is_refused_without_blocking() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    fs::set_permissions(&fifo, fs::Permissions::from_mode(0o600)).unwrap();
    let err = read(&TokenSource::File(fifo)).unwrap_err();
    assert!(err.contains("not a regular file"), "{err}");
}

#[test]
fn a_token_file_of_another_user_is_refused() {
    if rustix::process::getuid().as_raw() != 0 {
        return; // only root can give a file away
    }
    let dir = tempfile::tempdir().unwrap();
    let source = private_file(dir.path(), "theirs", b"tok-secret");
    let TokenSource::File(path) = &source else {
        unreachable!()
    };
    std::os::unix::fs::chown(path, Some(65534), None).unwrap();
    let err = read(&source).unwrap_err();
    assert!(err.contains("owned by uid 65534, not you"), "{err}");
}

#[test]
fn descriptions_name_the_source() {
    assert_eq!(
        TokenSource::Env("ALTOSTRAT_TOKEN".into()).describe(),
        "the environment variable ALTOSTRAT_TOKEN"
    );
    assert_eq!(
        words(&["pass", "show", "sdx/prod key"]).describe(),
        "the token command `pass show 'sdx/prod key'`"
    );
    assert_eq!(
        TokenSource::File("/home/op/.sdx/token".into()).describe(),
        "the token file /home/op/.sdx/token"
    );
}
