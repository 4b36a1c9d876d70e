//! The terminal's lifecycle: entering the TUI screen (raw mode, alternate screen, bracketed
//! paste, hidden cursor) and restoring it on every way out — normal exit, error, panic (a hook
//! that restores, then chains to the previous hook), and signals (the runtime returns, the
//! guard restores). When the terminal is gone (SIGHUP, or reading it failed or ended), nothing
//! is written to it any more: `mark_gone` turns every later restore into a no-op.

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, event, execute, terminal};

use crate::scroll_backend::ScrollingBackend;

/// The concrete terminal type: crossterm over a large buffer, so a frame is one write, with
/// scrolls turned into terminal scroll regions (see `scroll_backend`).
pub type Tui = Terminal<ScrollingBackend<BufWriter<Stdout>>>;

/// Bytes buffered before a write; larger than any full 200x60 frame.
const FRAME_BUFFER_BYTES: usize = 256 * 1024;

static ACTIVE: AtomicBool = AtomicBool::new(false);
static GONE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Restores the terminal when dropped (the normal and the error paths).
pub struct TerminalGuard {
    _private: (),
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Switches the terminal to the TUI screen.
pub fn enter() -> io::Result<(Tui, TerminalGuard)> {
    install_panic_hook();
    terminal::enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard { _private: () };
    let mut stdout = io::stdout();
    execute!(
        stdout,
        terminal::EnterAlternateScreen,
        event::EnableBracketedPaste,
        cursor::Hide
    )?;
    let backend = CrosstermBackend::new(BufWriter::with_capacity(FRAME_BUFFER_BYTES, stdout));
    let tui = Terminal::new(ScrollingBackend::new(backend)?)?;
    Ok((tui, guard))
}

/// Puts the terminal back as the shell expects it. Idempotent; does nothing once the terminal
/// is gone.
pub fn restore() {
    if GONE.load(Ordering::SeqCst) || !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut stdout = io::stdout();
    // Each step is attempted even if an earlier one failed.
    let _ = execute!(stdout, event::DisableBracketedPaste);
    let _ = execute!(stdout, terminal::LeaveAlternateScreen);
    let _ = execute!(stdout, cursor::Show);
    let _ = stdout.flush();
    let _ = terminal::disable_raw_mode();
}

/// Records that the terminal is gone (hang-up, closed pty): nothing may be written to it.
pub fn mark_gone() {
    GONE.store(true, Ordering::SeqCst);
}

pub fn is_gone() -> bool {
    GONE.load(Ordering::SeqCst)
}

/// Restores the terminal when the thread that drives the UI panics, then runs the previous
/// hook (which prints the message, now on the normal screen). A panic on another thread (an
/// async task, whose panic tokio turns into an error) leaves the UI running and untouched.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    PANIC_HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == ui_thread {
                restore();
            }
            previous(info);
        }));
    });
}
