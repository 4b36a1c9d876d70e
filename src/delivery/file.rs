//! Writing a secret to a new private file: the path the operator typed (with `~` expanded,
//! nothing else), created exclusively with mode 0600. It must never overwrite or follow a
//! symlink at the final component, never create folders, and never leave a partly written
//! file behind; every refusal names the path (scrubbed of control characters).

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, ErrorKind, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::OFlags;
use secrecy::{ExposeSecret, SecretString};

use super::{DeliveryError, printable};

/// The path the operator typed, trimmed: `~` and `~/...` become the home folder; `~user`
/// forms are refused; a relative path stays relative (to the working directory).
pub fn expand_path(input: &str, home: Option<&Path>) -> Result<PathBuf, DeliveryError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DeliveryError(
            "No file path was given; type a path such as ~/sdx-key.txt.".to_owned(),
        ));
    }
    let Some(after_tilde) = text.strip_prefix('~') else {
        return Ok(PathBuf::from(text));
    };
    if !after_tilde.is_empty() && !after_tilde.starts_with('/') {
        return Err(DeliveryError(format!(
            "sdx-keys expands only ~ (your own home folder), not {}; write the full path instead.",
            printable(text.split('/').next().unwrap_or(text))
        )));
    }
    let Some(home) = home else {
        return Err(DeliveryError(
            "The path starts with ~ but your home folder is unknown ($HOME is not set); \
             write the full path instead."
                .to_owned(),
        ));
    };
    let rest = after_tilde.trim_start_matches('/');
    Ok(if rest.is_empty() {
        home.to_path_buf()
    } else {
        home.join(rest)
    })
}

/// Creates `path` as a new file readable and writable by the owner only (0600 whatever the
/// umask), writes the secret and one newline, and syncs it. Refuses any existing path,
/// including a symlink (dangling or not); never creates the parent folder. If writing fails
/// after the file was created, the file is removed.
pub fn write_new(path: &Path, secret: &SecretString) -> Result<(), DeliveryError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags((OFlags::NOFOLLOW | OFlags::CLOEXEC).bits() as i32)
        .open(path)
        .map_err(|err| DeliveryError(explain(path, &err)))?;
    if let Err(err) = fill(&mut file, secret) {
        let cleanup = remove_if_same(path, &file);
        drop(file);
        let cleanup = match cleanup {
            Ok(()) => "The incomplete file was removed.".to_owned(),
            Err(removal) => {
                format!("The incomplete file could not be removed ({removal}); delete it yourself.")
            }
        };
        return Err(DeliveryError(format!("{} {cleanup}", explain(path, &err))));
    }
    sync_folder(path);
    Ok(())
}

fn fill(file: &mut File, secret: &SecretString) -> io::Result<()> {
    // The open mode was masked by the umask; this sets exactly 0600.
    file.set_permissions(Permissions::from_mode(0o600))?;
    file.write_all(secret.expose_secret().as_bytes())?;
    file.write_all(b"\n")?;
    file.sync_all()
}

/// Removes `path` only if it is still the file sdx-keys created (not something another
/// process put there since).
fn remove_if_same(path: &Path, file: &File) -> io::Result<()> {
    let ours = file.metadata()?;
    let there = std::fs::symlink_metadata(path)?;
    if (ours.dev(), ours.ino()) != (there.dev(), there.ino()) {
        return Err(io::Error::other("another file has taken its place"));
    }
    std::fs::remove_file(path)
}

/// Best effort: makes the new directory entry durable too.
fn sync_folder(path: &Path) {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if let Ok(folder) = File::open(folder) {
        let _ = folder.sync_all();
    }
}

/// One sentence per kind of failure, naming the path.
fn explain(path: &Path, err: &io::Error) -> String {
    let shown = printable(&path.display().to_string());
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => printable(&parent.display().to_string()),
        _ => "the current folder".to_owned(),
    };
    match err.kind() {
        ErrorKind::AlreadyExists => {
            format!("{shown} already exists; sdx-keys never overwrites a file. Choose a new path.")
        }
        ErrorKind::NotFound => format!(
            "The folder {folder} does not exist; sdx-keys never creates folders. \
             Create it first or choose another path."
        ),
        ErrorKind::NotADirectory => {
            format!("Part of {shown} is a file, not a folder; choose another path.")
        }
        ErrorKind::IsADirectory => format!("{shown} is a folder; add a file name to the path."),
        ErrorKind::PermissionDenied => format!(
            "Permission denied: you cannot create {shown}; choose a folder you can write to."
        ),
        ErrorKind::ReadOnlyFilesystem => {
            format!("{folder} is on a read-only file system; choose a folder on another disk.")
        }
        _ if err.raw_os_error() == Some(28) || err.kind() == ErrorKind::StorageFull => {
            format!("The disk holding {shown} is full; free some space or choose another disk.")
        }
        ErrorKind::QuotaExceeded => format!(
            "Your disk quota is used up, so {shown} cannot be written; free some space or \
             choose another disk."
        ),
        _ => format!("Could not write {shown}: {err}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> SecretString {
        SecretString::from("sdx_fake_0123456789abcdef")
    }

    #[test]
    fn content_is_the_secret_and_one_newline_in_a_0600_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.txt");
        write_new(&path, &secret()).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "sdx_fake_0123456789abcdef\n"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o600);
    }

    /// The umask is process-wide, so the check runs in a child process of this test binary
    /// that runs this test alone (other tests must not create files under a changed umask).
    #[test]
    fn mode_is_0600_under_any_umask() {
        const CHILD: &str = "SDX_KEYS_UMASK_CHILD";
        const NAME: &str = "delivery::file::tests::mode_is_0600_under_any_umask";
        if std::env::var_os(CHILD).is_none() {
            let output = std::process::Command::new(std::env::current_exe().unwrap())
                .args([NAME, "--exact", "--test-threads=1", "--nocapture"])
                .env(CHILD, "1")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "{stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(stdout.contains("1 passed"), "{stdout}");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        for (umask, name) in [(0o000, "permissive"), (0o277, "restrictive")] {
            let previous = rustix::process::umask(rustix::fs::Mode::from_raw_mode(umask));
            let path = dir.path().join(name);
            let written = write_new(&path, &secret());
            let plain = File::create(dir.path().join(format!("{name}.plain")));
            rustix::process::umask(previous);
            written.unwrap();
            plain.unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600, "umask {umask:o}");
            assert_eq!(
                mode(&dir.path().join(format!("{name}.plain"))),
                0o666 & !umask
            );
        }
    }

    #[test]
    fn an_existing_file_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.txt");
        std::fs::write(&path, "precious").unwrap();
        let err = write_new(&path, &secret()).unwrap_err();
        assert!(
            err.0
                .contains("already exists; sdx-keys never overwrites a file"),
            "{err}"
        );
        assert!(err.0.contains(&path.display().to_string()), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
    }

    #[test]
    fn symlinks_are_refused_even_dangling_ones() {
        let dir = tempfile::tempdir().unwrap();
        let dangling = dir.path().join("dangling");
        let target = dir.path().join("nowhere");
        std::os::unix::fs::symlink(&target, &dangling).unwrap();
        let err = write_new(&dangling, &secret()).unwrap_err();
        assert!(err.0.contains("already exists"), "{err}");
        assert!(!target.exists());

        let existing = dir.path().join("existing");
        std::fs::write(&existing, "precious").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&existing, &link).unwrap();
        assert!(write_new(&link, &secret()).is_err());
        assert_eq!(std::fs::read_to_string(&existing).unwrap(), "precious");
    }

    #[test]
    fn a_missing_folder_is_reported_and_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing");
        let err = write_new(&missing.join("key.txt"), &secret()).unwrap_err();
        assert!(
            err.0
                .contains("does not exist; sdx-keys never creates folders"),
            "{err}"
        );
        assert!(err.0.contains(&missing.display().to_string()), "{err}");
        assert!(!missing.exists());
    }

    #[test]
    fn other_failures_are_worded_by_kind_and_never_show_control_characters() {
        let path = Path::new("/keys/\x1b]0;owned\x07key.txt");
        let full = explain(path, &io::Error::from_raw_os_error(28));
        assert!(full.starts_with("The disk holding /keys/?]0;owned?key.txt is full"));
        assert!(explain(path, &io::Error::from_raw_os_error(30)).contains("read-only file system"));
        assert!(explain(path, &io::Error::from_raw_os_error(13)).starts_with("Permission denied"));
        assert!(explain(path, &io::Error::from_raw_os_error(5)).starts_with("Could not write"));
        assert!(!explain(path, &io::Error::from_raw_os_error(5)).contains('\x1b'));
    }

    #[test]
    fn tilde_expands_to_home_only() {
        let home = Path::new("/home/ops");
        assert_eq!(
            expand_path(" ~/keys/a.txt ", Some(home)).unwrap(),
            home.join("keys/a.txt")
        );
        assert_eq!(expand_path("~", Some(home)).unwrap(), home);
        assert_eq!(
            expand_path("keys/a.txt", Some(home)).unwrap(),
            Path::new("keys/a.txt")
        );
        assert_eq!(
            expand_path("/tmp/~/a", Some(home)).unwrap(),
            Path::new("/tmp/~/a")
        );
        assert!(
            expand_path("~root/a", Some(home))
                .unwrap_err()
                .0
                .contains("not ~root")
        );
        assert!(
            expand_path("~/a", None)
                .unwrap_err()
                .0
                .contains("home folder is unknown")
        );
        assert!(
            expand_path("  ", Some(home))
                .unwrap_err()
                .0
                .contains("No file path")
        );
    }
}
