//! A sink command delivering into a real `pass` store: a throwaway GnuPG home and key (no
//! passphrase) and a temporary password store, `pass insert -m sdx/{id}` run as a
//! `SinkCommand`, then `pass show` must print the secret. Skipped when `pass` or `gpg` is
//! missing, except under `CI=true`, where they are required. This file must never touch the
//! operator's own GnuPG home or password store (both are always set explicitly).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sdx_keys::delivery::sink::{SINK_TIMEOUT, SinkCommand};
use secrecy::SecretString;

/// A temporary GnuPG home and password store; the gpg-agent is stopped when dropped.
struct Store {
    gnupg_home: PathBuf,
    store_dir: PathBuf,
    _folder: tempfile::TempDir,
}

impl Store {
    fn create() -> Store {
        let folder = tempfile::tempdir().unwrap();
        let gnupg_home = folder.path().join("gnupg");
        std::fs::create_dir(&gnupg_home).unwrap();
        std::fs::set_permissions(&gnupg_home, std::fs::Permissions::from_mode(0o700)).unwrap();
        let store = Store {
            gnupg_home,
            store_dir: folder.path().join("store"),
            _folder: folder,
        };
        let generated = store.run(
            "gpg",
            &[
                "--batch",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                "",
                "--quick-gen-key",
                "sdx-keys test <test@example.invalid>",
                "default",
                "default",
                "never",
            ],
        );
        assert!(
            generated.status.success(),
            "gpg --quick-gen-key: {generated:?}"
        );
        let listed = store.run("gpg", &["--batch", "--with-colons", "--list-secret-keys"]);
        let listing = String::from_utf8(listed.stdout).unwrap();
        let fingerprint = listing
            .lines()
            .find_map(|line| line.strip_prefix("fpr:::::::::"))
            .and_then(|rest| rest.split(':').next())
            .unwrap_or_else(|| panic!("no fingerprint in: {listing}"))
            .to_owned();
        let initialised = store.run("pass", &["init", &fingerprint]);
        assert!(initialised.status.success(), "pass init: {initialised:?}");
        store
    }

    /// Runs `program` with this store's environment only (never the operator's).
    fn run(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .env("GNUPGHOME", &self.gnupg_home)
            .env("PASSWORD_STORE_DIR", &self.store_dir)
            .output()
            .unwrap()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        let _ = self.run("gpgconf", &["--kill", "gpg-agent"]);
    }
}

/// `text` as one single-quoted shell word.
fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Whether `pass` and `gpg` can run here; without them the test is skipped, or fails
/// under CI.
fn pass_and_gpg_are_installed() -> bool {
    let runs = |program: &str| {
        Command::new(program)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success())
    };
    if runs("pass") && runs("gpg") {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "pass and gpg are required for this test when CI=true (.ci/run installs them), but \
         they are not both installed."
    );
    eprintln!("skipped: pass or gpg not installed");
    false
}

#[tokio::test]
async fn a_pass_sink_stores_the_secret() {
    if !pass_and_gpg_are_installed() {
        return;
    }
    let store = Store::create();
    let template = format!(
        "env GNUPGHOME={} PASSWORD_STORE_DIR={} pass insert -m sdx/{{id}}",
        quoted(&store.gnupg_home),
        quoted(&store.store_dir)
    );
    let sink = SinkCommand::parse(&template).unwrap();
    let fake = "sdx_fake_pass_0a1b2c3d4e5f";

    let report = sink
        .run(
            &SecretString::from(fake),
            "key_test123",
            "ci key",
            SINK_TIMEOUT,
        )
        .await
        .unwrap();
    assert_eq!(report.program, "env");

    let shown = store.run("pass", &["show", "sdx/key_test123"]);
    assert!(shown.status.success(), "pass show: {shown:?}");
    assert_eq!(String::from_utf8_lossy(&shown.stdout), format!("{fake}\n"));
}
