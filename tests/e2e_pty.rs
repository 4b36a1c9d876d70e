//! End-to-end tests of the real binary in a pseudo-terminal: what an operator sees and what
//! the terminal is left in, on every way out (quit, SIGTERM, SIGINT, a closed pty).

mod pty;

use std::time::Duration;

use pty::PtySession;
use rustix::process::Signal;

const BIN: &str = env!("CARGO_BIN_EXE_sdx-keys");
const LONG: Duration = Duration::from_secs(20);

fn demo(cols: u16, rows: u16) -> PtySession {
    let session = PtySession::spawn(BIN, &["--demo"], &[], cols, rows);
    // A key prefix on screen means the list has loaded ("Loading API keys ..." also says
    // "keys"); then let the frame finish arriving.
    assert!(
        session.wait_for("alto_sk_", LONG),
        "the demo list never appeared:\n{}",
        session.screen()
    );
    session.settle(Duration::from_millis(50), LONG);
    session
}

/// Waits for `text`, then for the rest of that frame.
fn wait_then_settle(session: &PtySession, text: &str) -> bool {
    let seen = session.wait_for(text, LONG);
    session.settle(Duration::from_millis(50), LONG);
    seen
}

#[test]
fn demo_shows_the_list_filters_and_quits_with_the_terminal_restored() {
    let mut session = demo(80, 24);
    let screen = session.screen();
    assert!(screen.contains("sdx-keys"), "{screen}");
    assert!(
        screen.contains("DEMO"),
        "the demo says so in the header:\n{screen}"
    );
    assert!(screen.contains("15 keys"), "{screen}");
    assert!(
        screen.contains("alto_sk_"),
        "key prefixes are shown:\n{screen}"
    );

    session.send(b"/");
    session.send(b"zzzzqqqq");
    assert!(session.wait_for("0 of ", LONG), "{}", session.screen());
    session.send(b"\x1b"); // Esc clears the filter
    assert!(session.wait_gone("0 of ", LONG), "{}", session.screen());

    // Esc and the next key arriving in one read (fast typing over SSH) are two keys, not
    // Alt+key: close the details and open the filter.
    session.send(b"\r");
    assert!(
        wait_then_settle(&session, "Permissions ("),
        "{}",
        session.screen()
    );
    session.send(b"\x1b/");
    assert!(session.wait_for("enter keep", LONG), "{}", session.screen());
    session.send(b"\x1b");
    assert!(
        session.wait_gone("enter keep", LONG),
        "{}",
        session.screen()
    );

    session.send(b"q");
    let status = session.wait_exit(LONG).expect("q exits");
    assert!(status.success(), "exit status {status:?}");
    session.settle(Duration::from_millis(50), LONG);
    assert!(
        session.screen_modes_restored(),
        "alternate screen, cursor or paste mode left on"
    );
    assert!(session.cooked_mode(), "raw mode left on");
}

#[test]
fn help_lists_the_bindings_and_escape_closes_it() {
    let mut session = demo(80, 24);
    session.send(b"?");
    assert!(
        wait_then_settle(&session, "Close the help"),
        "{}",
        session.screen()
    );
    let help = session.screen();
    for word in ["filter", "sort", "refresh"] {
        assert!(
            help.to_lowercase().contains(word),
            "help lacks {word}:\n{help}"
        );
    }
    // Quit is among the last bindings, below the fold at 80x24: scroll to the end.
    session.send(b"jjjjjjjjjj");
    assert!(
        wait_then_settle(&session, "Quit sdx-keys"),
        "{}",
        session.screen()
    );
    session.send(b"\x1b");
    assert!(
        session.wait_gone("Close the help", LONG),
        "{}",
        session.screen()
    );
    session.send(b"q");
    assert!(session.wait_exit(LONG).expect("exits").success());
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    let mut session = demo(80, 24);
    session.signal(Signal::TERM);
    let status = session.wait_exit(LONG).expect("SIGTERM ends the program");
    assert_eq!(status.exit_code(), 143, "{status:?}");
    session.settle(Duration::from_millis(50), LONG);
    assert!(session.screen_modes_restored());
    assert!(session.cooked_mode());
}

#[test]
fn sigint_restores_the_terminal_and_exits_130() {
    let mut session = demo(80, 24);
    session.signal(Signal::INT);
    let status = session.wait_exit(LONG).expect("SIGINT ends the program");
    assert_eq!(status.exit_code(), 130, "{status:?}");
    session.settle(Duration::from_millis(50), LONG);
    assert!(session.screen_modes_restored());
    assert!(session.cooked_mode());
}

#[test]
fn ctrl_c_quits_with_status_0() {
    let mut session = demo(80, 24);
    session.send(b"\x03");
    let status = session.wait_exit(LONG).expect("Ctrl-C quits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn closing_the_pty_ends_the_program() {
    let mut session = demo(80, 24);
    session.close_pty();
    assert!(
        session.wait_exit(Duration::from_secs(5)).is_some(),
        "still running after its terminal was closed"
    );
}

#[test]
fn closing_the_pty_ends_the_program_even_with_sighup_ignored() {
    let script = format!("trap '' HUP; exec '{BIN}' --demo");
    let mut session = PtySession::spawn("/bin/sh", &["-c", &script], &[], 80, 24);
    assert!(session.wait_for("alto_sk_", LONG), "{}", session.screen());
    session.close_pty();
    assert!(
        session.wait_exit(Duration::from_secs(5)).is_some(),
        "still running after its terminal was closed (SIGHUP ignored)"
    );
}

#[test]
fn a_missing_token_is_refused_before_the_terminal_is_touched() {
    let mut session = PtySession::spawn(BIN, &[], &[], 80, 24);
    let status = session.wait_exit(LONG).expect("exits at once");
    assert_eq!(status.exit_code(), 2);
    session.settle(Duration::from_millis(50), LONG);
    assert!(
        session.screen().contains("ALTOSTRAT_TOKEN is not set"),
        "{}",
        session.screen()
    );
    assert!(session.screen_modes_restored());
}

#[test]
fn plain_http_to_a_remote_host_is_refused() {
    let env = [
        ("ALTOSTRAT_TOKEN", "t0ken-value"),
        ("SDX_KEYS_BASE_URL", "http://example.com"),
    ];
    let mut session = PtySession::spawn(BIN, &[], &env, 80, 24);
    let status = session.wait_exit(LONG).expect("exits at once");
    assert_eq!(status.exit_code(), 2);
    session.settle(Duration::from_millis(50), LONG);
    let screen = session.screen();
    assert!(screen.contains("http://"), "{screen}");
    assert!(
        !screen.contains("t0ken-value"),
        "the token was echoed:\n{screen}"
    );
}

#[test]
fn a_proxy_in_the_environment_does_not_capture_the_loopback_demo() {
    // Jump hosts often set a proxy; it cannot reach our loopback and must not see the token.
    let proxy = "http://127.0.0.1:9";
    let env = [
        ("HTTP_PROXY", proxy),
        ("http_proxy", proxy),
        ("ALL_PROXY", proxy),
    ];
    let mut session = PtySession::spawn(BIN, &["--demo"], &env, 80, 24);
    assert!(
        session.wait_for("alto_sk_", LONG),
        "the demo list did not load through a proxy setting:\n{}",
        session.screen()
    );
    session.send(b"q");
    assert!(session.wait_exit(LONG).expect("q exits").success());
}

#[test]
fn a_scrolled_list_looks_exactly_like_a_full_repaint() {
    // At 60x15 the demo's 15 keys do not fit, so moving down and up scrolls the table with
    // the terminal's scroll region; a resize then forces a full repaint to compare with.
    let mut session = demo(60, 15);
    for keys in [&b"jjjjjjjjjjjjjj"[..], &b"kkkkkkkkkkkkk"[..], &b"jjjjj"[..]] {
        for key in keys {
            assert!(
                session.send_and_wait(&[*key]),
                "no frame for {}",
                *key as char
            );
        }
        let scrolled = session.screen_cells();
        for cols in [61, 60] {
            let since = session.chunk_count();
            session.resize(cols, 15);
            assert!(session.wait_output(since, Duration::from_millis(30), LONG));
        }
        let repainted = session.screen_cells();
        let differing: Vec<usize> = (0..scrolled.len().max(repainted.len()))
            .filter(|&row| scrolled.get(row) != repainted.get(row))
            .collect();
        assert!(
            differing.is_empty(),
            "rows {differing:?} differ from a repaint:\n{}\nscrolled: {:?}\nrepainted: {:?}",
            session.screen(),
            differing.first().and_then(|&r| scrolled.get(r)),
            differing.first().and_then(|&r| repainted.get(r)),
        );
    }
    session.send(b"q");
    let status = session.wait_exit(LONG);
    assert!(
        status.as_ref().is_some_and(|s| s.success()),
        "{:?}\n{}",
        status,
        session.screen()
    );
}

/// The socket inodes the process `pid` holds.
fn socket_inodes(pid: u32) -> Vec<String> {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|entries| {
            entries
                .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
                .filter_map(|target| {
                    let text = target.to_string_lossy().into_owned();
                    let inode = text.strip_prefix("socket:[")?.strip_suffix(']')?;
                    Some(inode.to_owned())
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn the_demo_opens_no_tcp_port_and_its_private_socket_directory_goes_on_exit() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let tmpdir = tmp.path().to_str().unwrap().to_owned();
    let mut session = PtySession::spawn(BIN, &["--demo"], &[("TMPDIR", &tmpdir)], 80, 24);
    assert!(session.wait_for("alto_sk_", LONG), "{}", session.screen());
    let sockets = socket_inodes(session.pid());
    assert!(!sockets.is_empty(), "the demo talks over some socket");
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let inode = line.split_whitespace().nth(9).unwrap_or("");
            assert!(
                !sockets.iter().any(|s| s == inode),
                "the demo holds a TCP socket: {line}"
            );
        }
    }
    let dirs: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("sdx-keys-demo-")
        })
        .collect();
    assert_eq!(dirs.len(), 1, "one private directory");
    let mode = dirs[0].metadata().unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
    session.send(b"q");
    assert!(session.wait_exit(LONG).expect("exits").success());
    assert!(
        !dirs[0].path().exists(),
        "the socket directory was left behind"
    );
}
