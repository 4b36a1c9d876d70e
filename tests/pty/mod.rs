//! A pseudo-terminal harness shared by the end-to-end tests and the pty benchmark: runs the
//! real `sdx-keys` binary in a pty of a fixed size, feeds everything it writes to a vt100
//! screen model, records when each chunk arrived, and lets the caller type keys, read the
//! screen, check the terminal modes, and close the pty.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::os::fd::BorrowedFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Bytes the program wrote, with their arrival times.
#[derive(Default)]
pub struct Output {
    pub parser: Option<vt100::Parser>,
    pub chunks: Vec<(Instant, usize)>,
    pub total: usize,
    pub ended: bool,
}

pub struct PtySession {
    pub child: Box<dyn Child + Send + Sync>,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    pub output: Arc<Mutex<Output>>,
    stop: Arc<AtomicBool>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl PtySession {
    /// Starts `program args` in a `cols` x `rows` pty with `env` added to a minimal
    /// environment (`TERM=xterm-256color`, `HOME` and `PATH` kept).
    pub fn spawn(program: &str, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> Self {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.env_clear();
        command.env("TERM", "xterm-256color");
        for key in ["HOME", "PATH"] {
            if let Some(value) = std::env::var_os(key) {
                command.env(key, value);
            }
        }
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pty.slave.spawn_command(command).expect("spawn in the pty");
        drop(pty.slave);
        // Our own reader on a duplicate of the master fd, polled with a timeout, so that
        // `close_pty` can stop it and really close every master fd (a reader blocked in
        // `read` would keep the pty open and the program would never see the hang-up).
        let master_fd = pty.master.as_raw_fd().expect("master fd");
        // SAFETY: the fd belongs to `pty.master`, alive for the duration of this call.
        let borrowed = unsafe { BorrowedFd::borrow_raw(master_fd) };
        let reader_fd = rustix::io::dup(borrowed).expect("dup the master fd");
        let writer = pty.master.take_writer().expect("pty writer");
        let output = Arc::new(Mutex::new(Output {
            parser: Some(vt100::Parser::new(
                NonZeroU16::new(rows).expect("rows > 0"),
                NonZeroU16::new(cols).expect("cols > 0"),
                0,
            )),
            ..Output::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let sink = Arc::clone(&output);
        let stop_reading = Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            let mut file = std::fs::File::from(reader_fd);
            let mut buffer = [0u8; 65536];
            let timeout = rustix::event::Timespec {
                tv_sec: 0,
                tv_nsec: 5_000_000,
            };
            while !stop_reading.load(Ordering::SeqCst) {
                let mut fds = [rustix::event::PollFd::new(
                    &file,
                    rustix::event::PollFlags::IN,
                )];
                match rustix::event::poll(&mut fds, Some(&timeout)) {
                    Ok(0) => continue,
                    Ok(_) => {}
                    Err(rustix::io::Errno::INTR) => continue,
                    Err(_) => break,
                }
                match file.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let now = Instant::now();
                        let mut out = sink.lock().unwrap();
                        out.chunks.push((now, n));
                        out.total += n;
                        if let Some(parser) = out.parser.as_mut() {
                            parser.process(&buffer[..n]);
                        }
                    }
                }
            }
            sink.lock().unwrap().ended = true;
        });
        PtySession {
            child,
            master: Some(pty.master),
            writer: Some(writer),
            output,
            stop,
            reader: Some(reader),
        }
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        let out = self.output.lock().unwrap();
        out.parser
            .as_ref()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Waits until the screen contains `text`; false after `timeout`.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if self.screen().contains(text) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until the screen no longer contains `text`; false after `timeout`.
    pub fn wait_gone(&self, text: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        loop {
            if !self.screen().contains(text) {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits until no output arrived for `quiet`, up to `timeout`.
    pub fn settle(&self, quiet: Duration, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        loop {
            let last = self.output.lock().unwrap().chunks.last().map(|c| c.0);
            let now = Instant::now();
            if last.is_some_and(|t| now.duration_since(t) >= quiet) || now >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Output chunks received so far.
    pub fn chunk_count(&self) -> usize {
        self.output.lock().unwrap().chunks.len()
    }

    /// Waits for output after chunk number `since`, then for `quiet` without any; false when
    /// nothing arrived within `timeout`.
    pub fn wait_output(&self, since: usize, quiet: Duration, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.chunk_count() <= since {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        self.settle(quiet, timeout);
        true
    }

    /// Sends a key and waits for the frame it causes; false when it caused no output.
    pub fn send_and_wait(&mut self, bytes: &[u8]) -> bool {
        let since = self.chunk_count();
        self.send(bytes);
        self.wait_output(since, Duration::from_millis(20), Duration::from_secs(5))
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let writer = self.writer.as_mut().expect("pty still open");
        writer.write_all(bytes).expect("write to the pty");
        writer.flush().expect("flush the pty");
    }

    pub fn total_bytes(&self) -> usize {
        self.output.lock().unwrap().total
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Waits for the program to exit; its status, or None after `timeout`.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<portable_pty::ExitStatus> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }

    /// The line discipline is back in cooked mode (canonical input and echo on).
    pub fn cooked_mode(&self) -> bool {
        let master = self.master.as_ref().expect("pty still open");
        let fd = master.as_raw_fd().expect("master fd");
        // SAFETY: the fd belongs to `master`, which outlives this borrow.
        let fd = unsafe { BorrowedFd::borrow_raw(fd) };
        let termios = rustix::termios::tcgetattr(fd).expect("tcgetattr");
        let local = termios.local_modes;
        local.contains(rustix::termios::LocalModes::ICANON)
            && local.contains(rustix::termios::LocalModes::ECHO)
    }

    /// The screen model says the program left the alternate screen, showed the cursor and
    /// turned bracketed paste off.
    pub fn screen_modes_restored(&self) -> bool {
        let out = self.output.lock().unwrap();
        let screen = out.parser.as_ref().unwrap().screen();
        !screen.alternate_screen() && !screen.hide_cursor() && !screen.bracketed_paste()
    }

    /// Every cell with its attributes, a line per row (to compare two renderings; the
    /// cursor's position is left out).
    pub fn screen_cells(&self) -> Vec<String> {
        let out = self.output.lock().unwrap();
        let Some(parser) = out.parser.as_ref() else {
            return Vec::new();
        };
        let screen = parser.screen();
        let (rows, cols) = screen.size();
        (0..rows.get())
            .map(|row| {
                (0..cols.get())
                    .map(|col| match screen.cell(row, col) {
                        // A cell never written and one written with a space look the same.
                        Some(c) => format!(
                            "[{}|{:?}|{:?}|{}{}{}{}{}]",
                            if c.contents().is_empty() {
                                " "
                            } else {
                                c.contents()
                            },
                            c.fgcolor(),
                            c.bgcolor(),
                            u8::from(c.bold()),
                            u8::from(c.dim()),
                            u8::from(c.italic()),
                            u8::from(c.underline()),
                            u8::from(c.inverse())
                        ),
                        None => "[?]".to_owned(),
                    })
                    .collect()
            })
            .collect()
    }

    /// Resizes the pty (the program gets SIGWINCH) and the screen model.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        let master = self.master.as_ref().expect("pty still open");
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize the pty");
        let mut out = self.output.lock().unwrap();
        if let Some(parser) = out.parser.as_mut() {
            parser.screen_mut().set_size(
                NonZeroU16::new(rows).expect("rows > 0"),
                NonZeroU16::new(cols).expect("cols > 0"),
            );
        }
    }

    /// Closes the pty (master and writer), as a dropped SSH link does.
    pub fn close_pty(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        self.writer.take();
        self.master.take();
    }

    pub fn signal(&self, signal: rustix::process::Signal) {
        let pid = rustix::process::Pid::from_raw(self.pid() as i32).expect("pid");
        rustix::process::kill_process(pid, signal).expect("send signal");
    }
}

impl Drop for PtySession {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// CPU time (user + system, in clock ticks) and voluntary + involuntary context switches of
/// every thread of `pid`, from /proc.
pub fn cpu_and_switches(pid: u32) -> (u64, u64) {
    let mut ticks = 0;
    let mut switches = 0;
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return (0, 0);
    };
    for task in tasks.flatten() {
        let path = task.path();
        if let Ok(stat) = std::fs::read_to_string(path.join("stat")) {
            // Fields after the command name (which may hold spaces) start past the last ')'.
            if let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) {
                let fields: Vec<&str> = rest.split_whitespace().collect();
                // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after ')'.
                ticks += fields
                    .get(11)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
                ticks += fields
                    .get(12)
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(0);
            }
        }
        if let Ok(status) = std::fs::read_to_string(path.join("status")) {
            for line in status.lines() {
                if let Some(v) = line
                    .strip_prefix("voluntary_ctxt_switches:")
                    .or_else(|| line.strip_prefix("nonvoluntary_ctxt_switches:"))
                {
                    switches += v.trim().parse::<u64>().unwrap_or(0);
                }
            }
        }
    }
    (ticks, switches)
}

/// Peak resident set size of `pid` in KiB (VmHWM).
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
