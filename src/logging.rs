//! Diagnostics go to a file, never to the terminal: `sdx-keys.log` in the user's state
//! directory (a 0700 directory, a 0600 file, opened without following a link). The level comes from `SDX_KEYS_LOG` (default
//! `info`). Nothing logged may contain a token or a key secret; the code logs methods, paths,
//! statuses and timings only. If the directory cannot be made, logging is simply off.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::private_files;

/// Where the log file lives, if the platform gives us a directory.
pub fn log_path() -> Option<PathBuf> {
    Some(private_files::state_dir()?.join("sdx-keys.log"))
}

/// Starts logging to the file; keep the guard alive until exit so the last lines are flushed.
pub fn init() -> Option<WorkerGuard> {
    let path = log_path()?;
    // Never through a link another user planted, never blocking on a FIFO.
    let file = private_files::open_private_append(&path).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("SDX_KEYS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok()?;
    Some(guard)
}
