//! The user's state directory and the private files sdx-keys keeps in it (the log and the
//! creation journal): directories made 0700, files made 0600 and tightened back to 0600 if
//! loosened by hand, and opened without following a symlink (another local user may have
//! planted one) and without blocking on a FIFO planted in their place. One rule for every
//! file of ours, so the log and the journal cannot drift apart.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use rustix::fs::OFlags;

/// The directory holding sdx-keys' state (log, journal): the platform's state directory
/// (`$XDG_STATE_HOME/sdx-keys`, `~/.local/state/sdx-keys`), else its local data directory.
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("io", "altostrat", "sdx-keys")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_owned(),
    )
}

/// Makes `path`'s directory (and missing parents) with mode 0700; directories that already
/// exist keep their mode.
pub fn make_parent_dir(path: &Path) -> io::Result<()> {
    match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir),
        None => Ok(()),
    }
}

/// Opens an existing regular file at `path` with `options`, never through a symlink and
/// never blocking on a FIFO; `None` when nothing is there.
pub fn open_existing(path: &Path, options: &mut OpenOptions) -> io::Result<Option<File>> {
    let flags = OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let file = match options.custom_flags(flags.bits() as i32).open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Err(io::Error::other(NotRegular));
    }
    Ok(Some(file))
}

/// Opens (creating it, and its directory, if needed) the private file at `path` for
/// appending (and reading): mode 0600, tightened back if it was loosened.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    make_parent_dir(path)?;
    let mut options = OpenOptions::new();
    options.read(true).append(true).create(true).mode(0o600);
    let file = open_existing(path, &mut options)?
        .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))?;
    if file.metadata()?.permissions().mode() & 0o077 != 0 {
        // Not fatal if it is not ours to change.
        let _ = file.set_permissions(fs::Permissions::from_mode(0o600));
    }
    Ok(file)
}

/// The error for a path that holds something other than a regular file.
#[derive(Debug)]
pub struct NotRegular;

impl fmt::Display for NotRegular {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a regular file")
    }
}

impl std::error::Error for NotRegular {}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_new_file_is_0600_in_a_new_0700_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state").join("x.log");
        open_private_append(&path).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn a_planted_symlink_or_fifo_is_refused_without_touching_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        fs::write(&target, b"theirs").unwrap();
        let link = dir.path().join("x.log");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(open_private_append(&link).is_err());
        assert_eq!(fs::read(&target).unwrap(), b"theirs");

        let fifo = dir.path().join("fifo.log");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = open_private_append(&fifo).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<NotRegular>()), "{err}");
    }
}
