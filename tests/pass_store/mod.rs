//! A throwaway `pass` store for tests: a temporary GnuPG home with a key without
//! passphrase, and a temporary password store; never the operator's own (both are always
//! set explicitly). Also whether `pass` and `gpg` can run here: without them the tests that
//! need them are skipped, except under `CI=true`, where they fail.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary GnuPG home and password store; the gpg-agent is stopped when dropped.
pub struct Store {
    pub gnupg_home: PathBuf,
    pub store_dir: PathBuf,
    _folder: tempfile::TempDir,
}

impl Store {
    pub fn create() -> Store {
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
    pub fn run(&self, program: &str, args: &[&str]) -> Output {
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
pub fn quoted(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}

/// Whether `pass` and `gpg` can run here; without them the test is skipped, or fails
/// under CI.
pub fn pass_and_gpg_are_installed() -> bool {
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

/// A sink template that stores into `store` at `sdx/{id}`.
pub fn pass_sink(store: &Store) -> String {
    format!(
        "env GNUPGHOME={} PASSWORD_STORE_DIR={} pass insert -m sdx/{{id}}",
        quoted(&store.gnupg_home),
        quoted(&store.store_dir)
    )
}
