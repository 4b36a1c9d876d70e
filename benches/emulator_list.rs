//! `GET /api/keys` on a 10,000-key organisation, end to end: the emulator runs in-process on
//! 127.0.0.1:0, reqwest fetches and reads the whole body. Prints median, p95 and max in
//! milliseconds and the body size. Run with `cargo bench --bench emulator_list`.

use std::time::{Duration, Instant};

use sdx_keys::emulator::{self, EmulatorConfig, ValidationStatus};

const KEYS: usize = 10_000;
const WARM_UP: usize = 5;
const RUNS: usize = 50;
const TOKEN: &str = "bench-token";

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn fetch(client: &reqwest::Client, url: &str) -> usize {
    let response = client
        .get(url)
        .bearer_auth(TOKEN)
        .send()
        .await
        .expect("list");
    assert!(response.status().is_success());
    response.bytes().await.expect("body").len()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let started = Instant::now();
        let emulator = emulator::start(EmulatorConfig {
            listen: "127.0.0.1:0".parse().unwrap(),
            tokens: vec![TOKEN.to_owned()],
            seed: Some(1),
            names_seed: None,
            generate_keys: KEYS,
            fixtures_toml: None,
            validation_status: ValidationStatus::BadRequest,
            admin_token: None,
        })
        .await
        .expect("the emulator starts");
        let start_time = started.elapsed();
        let client = reqwest::Client::new();
        let url = format!("{}/api/keys", emulator.base_url());
        let mut size = 0;
        for _ in 0..WARM_UP {
            size = fetch(&client, &url).await;
        }
        let mut times = Vec::with_capacity(RUNS);
        for _ in 0..RUNS {
            let t = Instant::now();
            let n = fetch(&client, &url).await;
            times.push(t.elapsed());
            assert_eq!(n, size);
        }
        // A list after each change rebuilds the cached body: time that path too.
        let mut rebuilt = Vec::with_capacity(10);
        for i in 0..10 {
            client
                .post(format!("{}/api/keys", emulator.base_url()))
                .bearer_auth(TOKEN)
                .json(&serde_json::json!({"name": format!("bench {i}"), "permissions": ["sites:read"]}))
                .send()
                .await
                .expect("create");
            let t = Instant::now();
            fetch(&client, &url).await;
            rebuilt.push(t.elapsed());
        }
        emulator.shutdown().await;
        times.sort();
        rebuilt.sort();
        let p95 = times[(RUNS * 95).div_ceil(100) - 1];
        println!("emulator list: {KEYS} keys, {size} bytes ({:.1} MiB)", size as f64 / 1048576.0);
        println!("  start with {KEYS} generated keys: {:.1} ms", ms(start_time));
        println!(
            "  {RUNS} runs: median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
            ms(times[RUNS / 2]),
            ms(p95),
            ms(times[RUNS - 1])
        );
        println!(
            "  first list after a change (10 runs): median {:.2} ms, max {:.2} ms",
            ms(rebuilt[5]),
            ms(rebuilt[9])
        );
    });
}
