//! A faithful local emulator of the Altostrat SDX API-keys API (`api-contract.md` §6), built on
//! axum. Used by the tests, by `sdx-keys --demo`, and as `sdx-keys emulator`.

mod cli;

pub use cli::{EmulatorArgs, run_cli};

use std::net::SocketAddr;

/// Status used for validation failures (contract §6.4 item 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationStatus {
    #[default]
    BadRequest,
    Unprocessable,
}

/// Everything the emulator needs to start.
#[derive(Debug, Clone)]
pub struct EmulatorConfig {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Bearer tokens that manage the shared default organisation and may grant every scope.
    pub tokens: Vec<String>,
    /// Makes ids, secrets and client ids deterministic.
    pub seed: Option<u64>,
    /// Plausible keys added to the default organisation.
    pub generate_keys: usize,
    /// Contents of a fixtures TOML file (contract §6.9 item 34), already read.
    pub fixtures_toml: Option<String>,
    pub validation_status: ValidationStatus,
}

/// A running emulator. Dropping it does not stop it; call `shutdown`.
pub struct Emulator {
    addr: SocketAddr,
}

impl Emulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL a client should use.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(self) {
        todo!()
    }
}

/// Binds and starts serving in a background task.
pub async fn start(_config: EmulatorConfig) -> std::io::Result<Emulator> {
    todo!()
}

/// The demo organisation of `sdx-keys --demo`: a dozen or more plausible keys relative to now,
/// deterministic, on a random loopback port, accepting `token`.
pub fn demo_config(token: String) -> EmulatorConfig {
    EmulatorConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        tokens: vec![token],
        seed: Some(2026),
        generate_keys: 15,
        fixtures_toml: None,
        validation_status: ValidationStatus::BadRequest,
    }
}
