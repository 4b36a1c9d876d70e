//! The CLI benchmark: `sdx-keys list --json` of 10,000 keys from an in-process emulator against
//! `curl` fetching the same list to /dev/null (target: within 1.5x), its peak RSS (target:
//! 32 MB or less, read with `/usr/bin/time` when the machine has it), and the commands that
//! need no network (`permissions`, `completions bash`, `--help`; target: 10 ms or less).
//!
//! Run: `cargo bench --bench cli` (prints a Markdown table).

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sdx_keys::emulator::{self, EmulatorConfig, ValidationStatus};

const BIN: &str = env!("CARGO_BIN_EXE_sdx-keys");
const TOKEN: &str = "bench-token";
const KEYS: usize = 10_000;
const RUNS: usize = 11;

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
    let home = tempfile::tempdir().expect("a private home");

    let sdx = |args: &[&str]| {
        let mut command = Command::new(BIN);
        command
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("LANG", "C.UTF-8")
            .env("ALTOSTRAT_TOKEN", TOKEN)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let list = ["--base-url", base_url.as_str(), "list", "--json"];
    let curl = timed(|| {
        let mut command = Command::new("curl");
        command
            .args(["-s", "-o", "/dev/null", "-H"])
            .arg(format!("Authorization: Bearer {TOKEN}"))
            .arg(format!("{base_url}/api/keys"));
        command
    });
    let ours = timed(|| sdx(&list));
    // The JSON really holds every key.
    let output = sdx(&list)
        .stdout(Stdio::piped())
        .output()
        .expect("run list");
    let keys: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(keys.as_array().map(Vec::len), Some(KEYS));
    let rss = peak_rss_kib(&list, home.path(), &base_url);

    let permissions = timed(|| sdx(&["permissions"]));
    let completions = timed(|| sdx(&["completions", "bash"]));
    let help = timed(|| sdx(&["--help"]));

    println!("| figure | value | target |");
    println!("| --- | --- | --- |");
    match curl {
        Some(curl) => {
            println!(
                "| `curl` of the list to /dev/null, median | {} | |",
                ms(curl)
            );
            println!(
                "| `sdx-keys list --json` to /dev/null, median | {} ({:.2}x curl) | 1.5x |",
                ms(ours.unwrap()),
                ours.unwrap().as_secs_f64() / curl.as_secs_f64()
            );
        }
        None => println!(
            "| `sdx-keys list --json`, median (no curl here) | {} | |",
            ms(ours.unwrap())
        ),
    }
    match rss {
        Some(kib) => println!(
            "| peak RSS of `list --json` | {:.1} MB | 32 MB |",
            kib as f64 / 1024.0
        ),
        None => println!("| peak RSS of `list --json` | not measured (no /usr/bin/time) | 32 MB |"),
    }
    for (name, value) in [
        ("`permissions`", permissions),
        ("`completions bash`", completions),
        ("`--help`", help),
    ] {
        println!("| {name}, median | {} | 10 ms |", ms(value.unwrap()));
    }
}

/// The median wall time of `RUNS` runs (after one warm-up), or `None` if a run failed.
fn timed(command: impl Fn() -> Command) -> Option<Duration> {
    let mut times = Vec::new();
    for run in 0..=RUNS {
        let start = Instant::now();
        let status = command().status().ok()?;
        let elapsed = start.elapsed();
        if !status.success() {
            return None;
        }
        if run > 0 {
            times.push(elapsed);
        }
    }
    times.sort();
    Some(times[times.len() / 2])
}

/// The peak resident set of one `list --json`, in KiB, from `/usr/bin/time -f %M`.
fn peak_rss_kib(list: &[&str], home: &std::path::Path, _base_url: &str) -> Option<u64> {
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%M", BIN])
        .args(list)
        .env_clear()
        .env("HOME", home)
        .env("LANG", "C.UTF-8")
        .env("ALTOSTRAT_TOKEN", TOKEN)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .ok()?;
    String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()?
        .trim()
        .parse()
        .ok()
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
