//! The TUI benchmark: the release binary in a pty at 80x24 against an in-process emulator with
//! 10,000 generated keys. Measures the figures of the TUI issue from outside, as an operator's
//! terminal would see them: time to the first useful frame (against a fetch-and-parse
//! baseline), key-to-frame latency, bytes written per selection move and per one-row scroll,
//! idle wake-ups, CPU and bytes over 10 s, peak RSS, and the exit time after the pty closes;
//! then, in the creation wizard's permission picker with the full catalogue, key-to-frame
//! latency and bytes per Space toggle and per `j`/`k` move.
//!
//! Run: `cargo bench --bench tui_pty` (prints a Markdown table).

#[path = "../tests/pty/mod.rs"]
mod pty;

use std::time::{Duration, Instant};

use pty::PtySession;
use sdx_keys::emulator::{self, EmulatorConfig, ValidationStatus};

const BIN: &str = env!("CARGO_BIN_EXE_sdx-keys");
const TOKEN: &str = "bench-token";
const KEYS: usize = 10_000;
/// Table rows on screen at 80x24 (header, borders, column titles, status and footer lines
/// take the rest).
const LIST_ROWS: usize = 18;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let emulator = runtime
        .block_on(emulator::start(EmulatorConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            tokens: vec![TOKEN.into()],
            seed: Some(7),
            names_seed: None,
            generate_keys: KEYS,
            fixtures_toml: None,
            validation_status: ValidationStatus::BadRequest,
            admin_token: None,
        }))
        .expect("start the emulator");
    let base_url = emulator.base_url();

    let warm_baseline = runtime.block_on(fetch_and_parse_baseline(&base_url));
    let curl = curl_baseline(&base_url);
    let baseline = curl.unwrap_or(warm_baseline);
    let first_frames: Vec<Duration> = (0..5).map(|_| first_useful_frame(&base_url)).collect();
    let first_frame = median(first_frames.clone());

    let mut session = open(&base_url);
    session.settle(Duration::from_millis(300), Duration::from_secs(5));

    // Selection moves within a page: down then up, so the viewport never scrolls.
    let mut move_latencies = Vec::new();
    let mut move_bytes = Vec::new();
    for i in 0..200 {
        let key: &[u8] = if i % 2 == 0 { b"j" } else { b"k" };
        let (latency, bytes) = key_to_frame(&mut session, key);
        move_latencies.push(latency);
        move_bytes.push(bytes);
    }

    // One-row scrolls: from the top, move to the last row on screen (80x24 shows
    // LIST_ROWS rows), then every further `j` scrolls the table by one row.
    session.send(b"g");
    session.settle(Duration::from_millis(100), Duration::from_secs(2));
    for _ in 0..LIST_ROWS - 1 {
        key_to_frame(&mut session, b"j");
    }
    let mut scroll_bytes = Vec::new();
    let mut scroll_latencies = Vec::new();
    for _ in 0..60 {
        let (latency, bytes) = key_to_frame(&mut session, b"j");
        scroll_bytes.push(bytes);
        scroll_latencies.push(latency);
    }

    // Idle: 10 s with no input.
    session.settle(Duration::from_millis(500), Duration::from_secs(5));
    let pid = session.pid();
    let (cpu_before, switches_before) = pty::cpu_and_switches(pid);
    let bytes_before = session.total_bytes();
    std::thread::sleep(Duration::from_secs(10));
    let (cpu_after, switches_after) = pty::cpu_and_switches(pid);
    let idle_bytes = session.total_bytes() - bytes_before;
    let peak_rss = pty::peak_rss_kib(pid).unwrap_or(0);

    let exit_default = exit_after_close(&mut session);
    let wizard = wizard_picker(&base_url);
    let script = format!("trap '' HUP; exec '{BIN}'");
    let mut ignoring = PtySession::spawn(
        "/bin/sh",
        &["-c", &script],
        &[("SDX_KEYS_BASE_URL", &base_url), ("ALTOSTRAT_TOKEN", TOKEN)],
        80,
        24,
    );
    assert!(ignoring.wait_for(&format!("{KEYS} keys"), Duration::from_secs(20)));
    let exit_after_close_ignoring = exit_after_close(&mut ignoring);

    let median_latency = median(move_latencies.clone());
    let p95_latency = percentile(move_latencies, 95);
    println!("## TUI at 80x24, {KEYS} keys, local emulator\n");
    println!("| figure | measured | goal | limit |");
    println!("| --- | --- | --- | --- |");
    match curl {
        Some(curl) => println!(
            "| baseline: `curl` fetch + serde_json parse, median of 5 | {} | | |",
            ms(curl)
        ),
        None => {
            println!("| baseline: `curl` not installed, using the warm in-process fetch | | | |")
        }
    }
    println!(
        "| warm in-process fetch + parse (reqwest + serde_json), median of 5 | {} | | |",
        ms(warm_baseline)
    );
    println!(
        "| first useful frame, including the fetch (median of 5) | {} ({:.1}x baseline) | ≤ 2x | 4x |",
        ms(first_frame),
        first_frame.as_secs_f64() / baseline.as_secs_f64()
    );
    println!(
        "| key → finished frame, median (p95) | {} ({}) | ≤ 1 ms | 2 ms |",
        ms(median_latency),
        ms(p95_latency)
    );
    println!(
        "| bytes per selection move within a page (median, max) | {} B ({} B) | ≤ 260 B | 400 B |",
        median(move_bytes.clone()),
        move_bytes.iter().max().unwrap()
    );
    println!(
        "| bytes per one-row scroll, median (max) of 60 | {} B ({} B) | ≤ 400 B | report |",
        median(scroll_bytes.clone()),
        scroll_bytes.iter().max().unwrap()
    );
    println!(
        "| key → finished frame for a scroll, median (p95) | {} ({}) | | |",
        ms(median(scroll_latencies.clone())),
        ms(percentile(scroll_latencies, 95))
    );
    println!(
        "| idle 10 s: wake-ups / CPU ticks / bytes | {} / {} / {} | 0 / 0 / 0 | 5 wake-ups |",
        switches_after - switches_before,
        cpu_after - cpu_before,
        idle_bytes
    );
    println!(
        "| peak RSS | {:.1} MB | ≤ 20 MB | 32 MB |",
        peak_rss as f64 / 1024.0
    );
    println!(
        "| exit after the pty closes (SIGHUP default / ignored) | {} / {} | ≤ 100 ms | 500 ms |",
        ms(exit_default),
        ms(exit_after_close_ignoring)
    );
    println!("\n## The wizard's permission picker at 80x24, full catalogue\n");
    println!("| figure | measured | goal |");
    println!("| --- | --- | --- |");
    println!(
        "| key → finished frame, Space toggle, median (p95) | {} ({}) | ≤ 1 ms |",
        ms(median(wizard.toggle_latencies.clone())),
        ms(percentile(wizard.toggle_latencies.clone(), 95))
    );
    println!(
        "| key → finished frame, `j`/`k` move, median (p95) | {} ({}) | ≤ 1 ms |",
        ms(median(wizard.move_latencies.clone())),
        ms(percentile(wizard.move_latencies.clone(), 95))
    );
    println!(
        "| bytes per toggle (median, max) | {} B ({} B) | report |",
        median(wizard.toggle_bytes.clone()),
        wizard.toggle_bytes.iter().max().unwrap()
    );
    println!(
        "| bytes per move (median, max) | {} B ({} B) | report |",
        median(wizard.move_bytes.clone()),
        wizard.move_bytes.iter().max().unwrap()
    );
    println!(
        "\nfirst frames: {:?}",
        first_frames.iter().map(|d| ms(*d)).collect::<Vec<_>>()
    );
    runtime.block_on(emulator.shutdown());
}

fn open(base_url: &str) -> PtySession {
    PtySession::spawn(
        BIN,
        &[],
        &[("SDX_KEYS_BASE_URL", base_url), ("ALTOSTRAT_TOKEN", TOKEN)],
        80,
        24,
    )
}

async fn fetch_and_parse_baseline(base_url: &str) -> Duration {
    let client = reqwest::Client::new();
    let mut times = Vec::new();
    for _ in 0..6 {
        let start = Instant::now();
        let body = client
            .get(format!("{base_url}/api/keys"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("fetch")
            .bytes()
            .await
            .expect("body");
        let value: serde_json::Value = serde_json::from_slice(&body).expect("parse");
        assert_eq!(value.as_array().map(Vec::len), Some(KEYS));
        times.push(start.elapsed());
    }
    times.remove(0); // warm-up
    median(times)
}

/// A fresh `curl` process fetching the list (connection, transfer, exit) plus parsing the
/// body with serde_json: what "fetch and parse" costs outside sdx-keys.
fn curl_baseline(base_url: &str) -> Option<Duration> {
    let path = std::env::temp_dir().join(format!("sdx-keys-bench-{}.json", std::process::id()));
    let mut times = Vec::new();
    for _ in 0..6 {
        let start = Instant::now();
        let status = std::process::Command::new("curl")
            .args(["-s", "-H", &format!("Authorization: Bearer {TOKEN}"), "-o"])
            .arg(&path)
            .arg(format!("{base_url}/api/keys"))
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        let body = std::fs::read(&path).ok()?;
        let value: serde_json::Value = serde_json::from_slice(&body).ok()?;
        assert_eq!(value.as_array().map(Vec::len), Some(KEYS));
        times.push(start.elapsed());
    }
    let _ = std::fs::remove_file(&path);
    times.remove(0); // warm-up
    Some(median(times))
}

fn first_useful_frame(base_url: &str) -> Duration {
    let start = Instant::now();
    let session = open(base_url);
    let loaded = format!("{KEYS} keys");
    assert!(
        session.wait_for(&loaded, Duration::from_secs(30)),
        "the list never loaded:\n{}",
        session.screen()
    );
    // `wait_for` polls every 10 ms; use the arrival time of the chunk that completed it.
    let output = session.output.lock().unwrap();
    let last = output
        .chunks
        .last()
        .map(|c| c.0)
        .unwrap_or_else(Instant::now);
    last.duration_since(start)
}

/// Sends one key and waits for the frame it causes; the latency to the frame's last byte and
/// the bytes written.
fn key_to_frame(session: &mut PtySession, key: &[u8]) -> (Duration, usize) {
    let before = session.total_bytes();
    let chunks_before = session.output.lock().unwrap().chunks.len();
    let start = Instant::now();
    session.send(key);
    let deadline = start + Duration::from_secs(2);
    // Short sleeps, not a spin: on two cores a spinning waiter would compete with the program
    // and the pty's kernel worker, and with the reader thread for the lock.
    while session.output.lock().unwrap().chunks.len() == chunks_before && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_micros(20));
    }
    session.settle(Duration::from_millis(15), Duration::from_secs(2));
    let output = session.output.lock().unwrap();
    let end = output.chunks.last().map(|c| c.0).unwrap_or(start);
    (end.saturating_duration_since(start), output.total - before)
}

struct WizardFigures {
    toggle_latencies: Vec<Duration>,
    toggle_bytes: Vec<usize>,
    move_latencies: Vec<Duration>,
    move_bytes: Vec<usize>,
}

/// The permission step of the wizard: `n`, a name, Enter; then Space toggles of one scope
/// (each changes that row and its group's count) and `j`/`k` moves between two scope rows.
fn wizard_picker(base_url: &str) -> WizardFigures {
    let mut session = open(base_url);
    session.settle(Duration::from_millis(300), Duration::from_secs(5));
    session.send(b"n");
    assert!(session.wait_for("step 1 of 3", Duration::from_secs(5)));
    session.send(b"bench key\r");
    assert!(session.wait_for("step 2 of 3", Duration::from_secs(5)));
    session.send(b"j");
    session.settle(Duration::from_millis(200), Duration::from_secs(5));
    let mut figures = WizardFigures {
        toggle_latencies: Vec::new(),
        toggle_bytes: Vec::new(),
        move_latencies: Vec::new(),
        move_bytes: Vec::new(),
    };
    for _ in 0..100 {
        let (latency, bytes) = key_to_frame(&mut session, b" ");
        figures.toggle_latencies.push(latency);
        figures.toggle_bytes.push(bytes);
    }
    for i in 0..100 {
        let key: &[u8] = if i % 2 == 0 { b"j" } else { b"k" };
        let (latency, bytes) = key_to_frame(&mut session, key);
        figures.move_latencies.push(latency);
        figures.move_bytes.push(bytes);
    }
    exit_after_close(&mut session);
    figures
}

fn exit_after_close(session: &mut PtySession) -> Duration {
    let start = Instant::now();
    session.close_pty();
    session
        .wait_exit(Duration::from_secs(5))
        .expect("exits after the pty closes");
    start.elapsed()
}

fn median<T: Ord + Copy>(mut values: Vec<T>) -> T {
    values.sort();
    values[values.len() / 2]
}

fn percentile<T: Ord + Copy>(mut values: Vec<T>, p: usize) -> T {
    values.sort();
    values[(values.len() * p / 100).min(values.len() - 1)]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
