//! `sdx-keys emulator`: the command line of contract §6.9 item 33, and serving until SIGINT
//! or SIGTERM.
//!
//! Standard output carries exactly: `listening on http://ADDR` (flushed at once), then one
//! `token: <TOKEN>` line for a made-up token (when neither `--token` nor `--fixtures` is
//! given) and one for each `jwt = true` fixture token, whose bearer value cannot be guessed.
//! Errors (bad arguments, an unreadable or invalid fixtures file, an address in use) are one
//! sentence on standard error and a non-zero exit.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::{EmulatorConfig, ValidationStatus, fixtures, made_up_token, start};

/// Arguments of `sdx-keys emulator`.
#[derive(Clone, Args)]
pub struct EmulatorArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8787")]
    pub listen: SocketAddr,
    /// A bearer token the emulator accepts (repeatable). All share one organisation and may
    /// grant every catalogue scope.
    #[arg(long = "token", value_name = "TOKEN")]
    pub tokens: Vec<String>,
    /// Makes ids, secrets and client ids reproducible.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Adds N plausible keys to the default organisation.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub generate_keys: usize,
    /// A TOML file of organisations, tokens and keys.
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// Status of validation failures: 400 or 422.
    #[arg(long, value_name = "400|422", default_value = "400", value_parser = parse_validation_status)]
    pub validation_status: ValidationStatus,
}

impl std::fmt::Debug for EmulatorArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorArgs")
            .field("listen", &self.listen)
            .field("tokens", &format_args!("[{} redacted]", self.tokens.len()))
            .field("seed", &self.seed)
            .field("generate_keys", &self.generate_keys)
            .field("fixtures", &self.fixtures)
            .field("validation_status", &self.validation_status)
            .finish()
    }
}

fn parse_validation_status(text: &str) -> Result<ValidationStatus, String> {
    match text.trim() {
        "400" => Ok(ValidationStatus::BadRequest),
        "422" => Ok(ValidationStatus::Unprocessable),
        other => Err(format!("must be 400 or 422, not {other:?}")),
    }
}

/// Runs the emulator in the foreground until SIGINT or SIGTERM.
pub async fn run_cli(args: EmulatorArgs) -> anyhow::Result<()> {
    let fixtures_toml = match &args.fixtures {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the fixtures file {}", path.display()))?;
            Some(text)
        }
        None => None,
    };
    let mut printed_tokens = Vec::new();
    if let (Some(text), Some(path)) = (&fixtures_toml, &args.fixtures) {
        printed_tokens = fixtures::jwt_bearers(text).map_err(|e| {
            anyhow::anyhow!("the fixtures file {} is not usable: {e}", path.display())
        })?;
    }
    let mut tokens = args.tokens.clone();
    if tokens.is_empty() && fixtures_toml.is_none() {
        let token = made_up_token(args.seed);
        printed_tokens.insert(0, token.clone());
        tokens.push(token);
    }
    let config = EmulatorConfig {
        listen: args.listen,
        tokens,
        seed: args.seed,
        names_seed: None,
        generate_keys: args.generate_keys,
        fixtures_toml,
        validation_status: args.validation_status,
        // A standalone emulator is a shared test server: its admin routes stay open.
        admin_token: None,
    };
    let emulator = start(config)
        .await
        .map_err(|e| match (&args.fixtures, e.kind()) {
            (Some(path), std::io::ErrorKind::InvalidData) => {
                anyhow::anyhow!("the fixtures file {} is not usable: {e}", path.display())
            }
            _ => anyhow::anyhow!("cannot listen on {}: {e}", args.listen),
        })?;
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on {}", emulator.base_url());
        for token in &printed_tokens {
            let _ = writeln!(out, "token: {token}");
        }
        let _ = out.flush();
    }
    wait_for_signal().await?;
    emulator.shutdown().await;
    Ok(())
}

async fn wait_for_signal() -> anyhow::Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    Ok(())
}
