//! Diagnostics go to a file, never to the terminal: `sdx-keys.log` in the user's state
//! directory (a 0700 directory, a 0600 file, opened without following a link). The level comes from `SDX_KEYS_LOG` (default
//! `info`). Nothing logged may contain a token or a key secret; the code logs methods, paths,
//! statuses and timings only. If the file cannot be opened safely, logging is off and the TUI
//! says so once.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::private_files;

/// Where the log file lives, if the platform gives us a directory.
pub fn log_path() -> Option<PathBuf> {
    Some(private_files::state_dir()?.join("sdx-keys.log"))
}

/// Starts logging to the file; keep the guard alive until exit so the last lines are flushed.
/// `Err` says, in a sentence for the status line, why there is no log this time (a planted
/// link, another user's directory...): logging is then off, and nothing else changes.
pub fn init() -> Result<Option<WorkerGuard>, String> {
    let Some(path) = log_path() else {
        return Ok(None);
    };
    // Never through a link another user planted, never blocking on a FIFO.
    let file = private_files::open_private_append(&path).map_err(|err| {
        format!(
            "Diagnostics are off: the log file {} could not be opened safely ({err}).",
            crate::layout::text::printable(&path.display().to_string())
        )
    })?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("SDX_KEYS_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init()
        .ok();
    Ok(Some(guard))
}
