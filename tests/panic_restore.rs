//! A panic inside the TUI restores the terminal before the panic message is printed, so the
//! message lands on the normal screen and the shell is usable afterwards.
//!
//! The test runs itself again inside a pseudo-terminal: the child enters the TUI screen and
//! panics; the parent reads what the terminal was left in.

mod pty;

use std::time::Duration;

use pty::PtySession;

const CHILD_ENV: &str = "SDX_KEYS_PANIC_CHILD";
const TEST_NAME: &str = "a_panic_restores_the_terminal_then_reports";

#[test]
fn a_panic_restores_the_terminal_then_reports() {
    if std::env::var_os(CHILD_ENV).is_some() {
        panic_inside_the_tui();
    }
    let exe = std::env::current_exe().expect("the test binary");
    let mut session = PtySession::spawn(
        exe.to_str().expect("a UTF-8 path"),
        &["--exact", TEST_NAME, "--nocapture", "--test-threads=1"],
        &[(CHILD_ENV, "1")],
        80,
        24,
    );
    let status = session
        .wait_exit(Duration::from_secs(30))
        .expect("the child ends");
    assert!(!status.success(), "the child was meant to panic");
    session.settle(Duration::from_millis(50), Duration::from_secs(5));
    assert!(session.screen_modes_restored(), "{}", session.screen());
    assert!(session.cooked_mode(), "raw mode left on");
    assert!(
        session.screen().contains("deliberate panic inside the TUI"),
        "the panic message is on the normal screen:\n{}",
        session.screen()
    );
}

fn panic_inside_the_tui() -> ! {
    let (_tui, _guard) = sdx_keys::terminal::enter().expect("enter the TUI screen");
    panic!("deliberate panic inside the TUI");
}
