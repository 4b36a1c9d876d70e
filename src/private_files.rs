//! The user's state directory and the private files sdx-keys keeps in it (the log and the
//! journal). Another local user may have pre-created the directory or planted a link, a
//! FIFO or a hard link in it, so: the directory is opened without following a link and
//! checked by its descriptor (ours, tightened to 0700; another user's is refused), and the
//! file is opened relative to that descriptor without following a link or blocking on a
//! FIFO, then checked by its descriptor (a regular file of ours, one link, tightened to
//! 0600). Nothing is done by path after a check. One rule for every file of ours, so the log
//! and the journal cannot drift apart.

use std::fmt;
use std::fs::{self, File};
use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

use rustix::fs::{self as rfs, Mode, OFlags};
use rustix::io::Errno;

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

/// Opens an existing regular file at `path` for reading, never through a
/// symlink and never blocking on a FIFO; `None` when nothing is there. Its directory must be
/// ours (see [`open_private_append`]); the file must be a regular file of ours.
pub fn open_existing(path: &Path) -> io::Result<Option<File>> {
    let (dir, name) = split(path)?;
    let dirfd = match open_our_dir(dir) {
        Ok(dirfd) => dirfd,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    let fd = match rfs::openat(&dirfd, name, flags, Mode::empty()) {
        Ok(fd) => fd,
        Err(Errno::NOENT) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    check_our_file(&fd)?;
    Ok(Some(File::from(fd)))
}

/// Opens (creating it, and its directory, if needed) the private file at `path` for
/// appending (and reading). The directory is opened without following a link and checked
/// by its descriptor: ours, tightened to 0700 (another user's is refused). The file is then
/// opened relative to that descriptor, without following a link or blocking on a FIFO, and
/// checked the same way: a regular file of ours with no other hard link, tightened to 0600.
/// Nothing is done by path after a check.
pub fn open_private_append(path: &Path) -> io::Result<File> {
    make_parent_dir(path)?;
    let (dir, name) = split(path)?;
    let dirfd = open_our_dir(dir)?;
    let flags = OFlags::RDWR
        | OFlags::APPEND
        | OFlags::CREATE
        | OFlags::NOFOLLOW
        | OFlags::NONBLOCK
        | OFlags::CLOEXEC;
    let fd = rfs::openat(&dirfd, name, flags, Mode::from_raw_mode(0o600))?;
    check_our_file(&fd)?;
    Ok(File::from(fd))
}

/// `path`'s directory (`.` when it has none) and file name.
fn split(path: &Path) -> io::Result<(&Path, &std::ffi::OsStr)> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the path has no file name"))?;
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    Ok((dir, name))
}

/// Opens a directory of ours (not through a link at its last component), tightened to 0700.
fn open_our_dir(dir: &Path) -> io::Result<OwnedFd> {
    let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC;
    let dirfd = match rfs::open(dir, flags, Mode::empty()) {
        Ok(dirfd) => dirfd,
        Err(Errno::NOTDIR | Errno::LOOP)
            if fs::symlink_metadata(dir).is_ok_and(|m| m.file_type().is_symlink()) =>
        {
            return Err(io::Error::other(LinkedDir));
        }
        Err(e) => return Err(e.into()),
    };
    let stat = rfs::fstat(&dirfd)?;
    let me = rustix::process::getuid().as_raw();
    if stat.st_uid != me {
        return Err(io::Error::other(NotOurs {
            what: "directory",
            uid: stat.st_uid,
        }));
    }
    if stat.st_mode & 0o077 != 0 {
        rfs::fchmod(&dirfd, Mode::from_raw_mode(0o700))?;
    }
    Ok(dirfd)
}

/// A regular file of ours with no other hard link, tightened to 0600.
fn check_our_file(fd: &OwnedFd) -> io::Result<()> {
    let stat = rfs::fstat(fd)?;
    if rfs::FileType::from_raw_mode(stat.st_mode) != rfs::FileType::RegularFile {
        return Err(io::Error::other(NotRegular));
    }
    let me = rustix::process::getuid().as_raw();
    if stat.st_uid != me {
        return Err(io::Error::other(NotOurs {
            what: "file",
            uid: stat.st_uid,
        }));
    }
    if stat.st_nlink != 1 {
        return Err(io::Error::other(HardLinked));
    }
    if stat.st_mode & 0o077 != 0 {
        rfs::fchmod(fd, Mode::from_raw_mode(0o600))?;
    }
    Ok(())
}

/// A directory or file of ours belongs to another user (who could have planted it).
#[derive(Debug)]
pub struct NotOurs {
    pub what: &'static str,
    pub uid: u32,
}

impl fmt::Display for NotOurs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "its {} belongs to another user (uid {}), who could have planted it",
            self.what, self.uid
        )
    }
}

impl std::error::Error for NotOurs {}

/// Our directory is a symbolic link (someone may have planted it).
#[derive(Debug)]
pub struct LinkedDir;

impl fmt::Display for LinkedDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("its directory is a symbolic link, which sdx-keys refuses to follow")
    }
}

impl std::error::Error for LinkedDir {}

/// A file of ours has another hard link (a name someone else may control).
#[derive(Debug)]
pub struct HardLinked;

impl fmt::Display for HardLinked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("it has another hard link, so another name may point at it")
    }
}

impl std::error::Error for HardLinked {}

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
    use std::os::unix::fs::PermissionsExt;

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

    #[test]
    fn a_loose_file_and_directory_of_ours_are_tightened() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        fs::create_dir(&state).unwrap();
        fs::set_permissions(&state, fs::Permissions::from_mode(0o777)).unwrap();
        let log = state.join("x.log");
        fs::write(&log, b"old\n").unwrap();
        fs::set_permissions(&log, fs::Permissions::from_mode(0o666)).unwrap();
        open_private_append(&log).unwrap();
        assert_eq!(mode(&state), 0o700);
        assert_eq!(mode(&log), 0o600);
    }

    #[test]
    fn a_planted_directory_link_or_hard_link_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        // The state directory itself is a link to somewhere else.
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir(&elsewhere).unwrap();
        let state = dir.path().join("state");
        std::os::unix::fs::symlink(&elsewhere, &state).unwrap();
        let err = open_private_append(&state.join("x.log")).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<LinkedDir>()), "{err}");
        assert!(
            !elsewhere.join("x.log").exists(),
            "written through the link"
        );

        // A hard link to a file of ours elsewhere.
        let real = dir.path().join("real");
        fs::create_dir(&real).unwrap();
        let victim = dir.path().join("bashrc");
        fs::write(&victim, b"theirs").unwrap();
        fs::hard_link(&victim, real.join("x.log")).unwrap();
        let err = open_private_append(&real.join("x.log")).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<HardLinked>()), "{err}");
        assert_eq!(fs::read(&victim).unwrap(), b"theirs");
    }

    #[test]
    fn another_users_directory_or_file_is_refused_when_we_can_plant_them() {
        // Planting needs root (chown); elsewhere the case cannot be set up.
        if !rustix::process::getuid().is_root() {
            assert!(
                std::env::var_os("CI").is_none_or(|v| v != "true"),
                "this test must run as root under CI=true, to plant another user's files"
            );
            eprintln!("skipped: chown to another user needs root");
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let nobody = Some(rustix::process::Uid::from_raw(65534));
        let foreign = dir.path().join("foreign");
        fs::create_dir(&foreign).unwrap();
        rustix::fs::chown(&foreign, nobody, None).unwrap();
        let err = open_private_append(&foreign.join("x.log")).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<NotOurs>()), "{err}");

        let ours = dir.path().join("ours");
        fs::create_dir(&ours).unwrap();
        let planted = ours.join("x.log");
        fs::write(&planted, b"").unwrap();
        rustix::fs::chown(&planted, nobody, None).unwrap();
        let err = open_private_append(&planted).unwrap_err();
        assert!(err.get_ref().is_some_and(|e| e.is::<NotOurs>()), "{err}");
        assert!(open_existing(&planted).is_err());
    }
}
