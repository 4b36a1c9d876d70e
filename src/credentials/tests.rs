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
        "echo leaked-token; echo vault sealed >&2; exit 3",
    ]);
    let err = read(&failing).unwrap_err();
    assert!(err.contains('3') && err.contains("vault sealed"), "{err}");
    assert!(!err.contains("leaked-token"), "{err}");
    let err = read(&words(&["no-such-program-sdx"])).unwrap_err();
    assert!(err.contains("was not found"), "{err}");
    assert!(read(&words(&[])).unwrap_err().contains("empty"));
    let err = read(&words(&["true"])).unwrap_err();
    assert!(err.contains("empty"), "{err}");
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
}
