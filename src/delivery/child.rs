//! Running a child process that gets the secret on stdin (a sink, tmux): in its own
//! session with no controlling terminal, its stdout and stderr captured within bounds, the
//! whole process group killed after a time limit or when the caller goes away.

use std::io;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use secrecy::zeroize::Zeroizing;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

/// At most this much of a child's stdout and of its stderr is kept (the rest is drained).
pub(crate) const CAPTURE_LIMIT: usize = 64 * 1024;
/// How long the captured output may still take once the child has exited (a daemon it
/// started may hold the pipe open).
const OUTPUT_GRACE: Duration = Duration::from_secs(1);

/// How a child run by [`run_child`] ended.
pub(crate) enum ChildEnd {
    Exited {
        status: ExitStatus,
        stderr: Zeroizing<Vec<u8>>,
    },
    /// It did not exit in time; it and its process group were killed.
    TimedOut,
}

/// Runs `command` in a new session with no controlling terminal, writes `input` to its
/// stdin and closes it, and captures stdout and stderr (bounded; stdout is discarded).
/// After `limit` the whole process group is killed. `Err` only if it could not be started.
pub(crate) async fn run_child(
    mut command: Command,
    input: Zeroizing<Vec<u8>>,
    limit: Duration,
) -> io::Result<ChildEnd> {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove(crate::config::DEFAULT_TOKEN_ENV)
        .kill_on_drop(true);
    // SAFETY: the closure runs in the forked child before exec; it only calls setsid(2),
    // which is async-signal-safe, and touches no memory shared with the parent.
    unsafe {
        command.pre_exec(|| rustix::process::setsid().map(drop).map_err(io::Error::from));
    }
    let mut child = command.spawn()?;
    let mut group = GroupKiller(child.id().and_then(|id| i32::try_from(id).ok()));
    let stdin = child.stdin.take();
    let writer = tokio::spawn(async move {
        if let Some(mut stdin) = stdin {
            // A child that exits without reading gives EPIPE; its exit status tells the story.
            let _ = stdin.write_all(&input).await;
        }
    });
    let stdout = tokio::spawn(read_bounded(child.stdout.take()));
    let mut stderr = tokio::spawn(read_bounded(child.stderr.take()));
    let waited = tokio::time::timeout(limit, child.wait()).await;
    writer.abort();
    stdout.abort();
    let Ok(status) = waited else {
        stderr.abort();
        group.kill();
        let _ = child.kill().await;
        return Ok(ChildEnd::TimedOut);
    };
    let status = status?;
    group.0 = None; // reaped: its process id may be reused from now on
    let stderr = match tokio::time::timeout(OUTPUT_GRACE, &mut stderr).await {
        Ok(Ok(captured)) => captured,
        _ => {
            stderr.abort();
            Zeroizing::new(Vec::new())
        }
    };
    Ok(ChildEnd::Exited { status, stderr })
}

/// Kills the process group of a child that has not been reaped yet (on timeout, or when
/// the future running it is dropped), so nothing it started lingers with the secret.
struct GroupKiller(Option<i32>);

impl GroupKiller {
    fn kill(&mut self) {
        if let Some(pid) = self.0.take().and_then(rustix::process::Pid::from_raw) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }
}

impl Drop for GroupKiller {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Reads a pipe to its end, keeping the first [`CAPTURE_LIMIT`] bytes (in a buffer that
/// never reallocates, and is zeroed when dropped: it may hold an echo of the secret).
async fn read_bounded(pipe: Option<impl AsyncRead + Unpin>) -> Zeroizing<Vec<u8>> {
    let mut kept = Zeroizing::new(Vec::with_capacity(CAPTURE_LIMIT));
    let Some(mut pipe) = pipe else { return kept };
    let mut chunk = Zeroizing::new([0u8; 8192]);
    while let Ok(read @ 1..) = pipe.read(&mut chunk[..]).await {
        let room = CAPTURE_LIMIT - kept.len();
        kept.extend_from_slice(&chunk[..read.min(room)]);
    }
    kept
}
