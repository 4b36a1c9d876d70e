//! A faithful local emulator of the Altostrat SDX API-keys API (`api-contract.md` §6), built on
//! axum. Used by the tests, by `sdx-keys --demo`, and as `sdx-keys emulator`.
//!
//! This file owns the configuration and the start/stop of a running emulator. The parts:
//! `state` (orgs, tokens, keys, secret hashes), `routes` (the `/api/keys` handlers),
//! `validate` (create bodies), `faults` (fault injection), `fixtures` (the TOML file and the
//! unsigned JWTs), `generate` (plausible keys), `ids` (ids and secrets from a seedable RNG),
//! `admin` (`/__emulator/*`), `server` (connections) and `cli` (`sdx-keys emulator`).
//! Nothing here logs or prints secrets; tokens are printed only by the CLI, as item 33 asks.

mod admin;
mod cli;
mod faults;
mod fixtures;
mod generate;
mod ids;
mod routes;
pub mod server;
mod state;
mod validate;

pub use cli::{EmulatorArgs, run_cli};
pub use fixtures::{FixtureError, fixture_jwt, jwt_bearers};
pub use state::DEFAULT_ORG;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::Arc;

use jiff::Timestamp;
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use ids::Ids;
use state::{Data, Principal, SeedKey, Store};

/// Status used for validation failures (contract §6.4 item 17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ValidationStatus {
    #[default]
    BadRequest,
    Unprocessable,
}

/// Everything the emulator needs to start.
#[derive(Clone)]
pub struct EmulatorConfig {
    /// Address to bind; port 0 picks a free port.
    pub listen: SocketAddr,
    /// Bearer tokens that manage the shared default organisation ([`DEFAULT_ORG`]) and may
    /// grant every catalogue scope.
    pub tokens: Vec<String>,
    /// Makes ids, secrets and client ids deterministic.
    pub seed: Option<u64>,
    /// Seeds only the look of the generated keys (names, permissions, dates); without it they
    /// follow `seed`, and without either they come from the OS. Ids, client ids and secrets
    /// always follow `seed` alone, so a fixed look never means guessable secrets.
    pub names_seed: Option<u64>,
    /// Plausible keys added to the default organisation.
    pub generate_keys: usize,
    /// Contents of a fixtures TOML file (contract §6.9 item 34), already read. A fixture org
    /// whose id is [`DEFAULT_ORG`] is the same organisation as the `tokens`'.
    pub fixtures_toml: Option<String>,
    pub validation_status: ValidationStatus,
    /// When set, `POST /__emulator/reset` and the `/__emulator/faults` routes require this
    /// bearer token; when `None` they are open to anyone who can reach the port. `--demo`
    /// sets its session token here, so that other users of a shared host cannot reset or
    /// fault an operator's demo.
    pub admin_token: Option<String>,
}

impl std::fmt::Debug for EmulatorConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EmulatorConfig")
            .field("listen", &self.listen)
            .field("tokens", &format_args!("[{} redacted]", self.tokens.len()))
            .field("seed", &self.seed)
            .field("names_seed", &self.names_seed)
            .field("generate_keys", &self.generate_keys)
            .field("fixtures_toml", &self.fixtures_toml.as_ref().map(|_| "..."))
            .field("validation_status", &self.validation_status)
            .field(
                "admin_token",
                &self.admin_token.as_ref().map(|_| "[redacted]"),
            )
            .finish()
    }
}

/// A running emulator. Dropping it does not stop it; call `shutdown`.
pub struct Emulator {
    addr: SocketAddr,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl Emulator {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, the base URL a client should use.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops serving and waits for the server task to end (in-flight answers get up to a
    /// second to finish).
    pub async fn shutdown(self) {
        self.stop.cancel();
        let _ = self.task.await;
    }
}

/// Binds and starts serving in a background task. A fixtures text that cannot be used is an
/// `InvalidData` error whose inner error is a [`FixtureError`].
pub async fn start(config: EmulatorConfig) -> std::io::Result<Emulator> {
    let store = initial_store(&config)?;
    let listener = TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, task) = serve_in_background(&config, store, server::Listener::Tcp(listener));
    Ok(Emulator { addr, stop, task })
}

/// The start state, or an `InvalidData` error around the [`FixtureError`].
fn initial_store(config: &EmulatorConfig) -> std::io::Result<Store> {
    build_store(config, routes::now())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Serves `store` on `listener` in a background task until the returned token is cancelled.
fn serve_in_background(
    config: &EmulatorConfig,
    store: Store,
    listener: server::Listener,
) -> (CancellationToken, JoinHandle<()>) {
    let app = Arc::new(routes::App::new(
        store,
        config.validation_status,
        config.admin_token.clone(),
    ));
    let stop = CancellationToken::new();
    let task = tokio::spawn(server::serve(listener, routes::router(app), stop.clone()));
    (stop, task)
}

/// A running emulator on a Unix socket (`--demo`). Its private directory is removed when it
/// is shut down or dropped.
pub struct SocketEmulator {
    dir: PrivateDir,
    stop: CancellationToken,
    task: JoinHandle<()>,
}

impl SocketEmulator {
    /// The socket's path.
    pub fn socket(&self) -> std::path::PathBuf {
        self.dir.0.join(SOCKET_NAME)
    }

    pub async fn shutdown(self) {
        self.stop.cancel();
        let SocketEmulator { dir, task, .. } = self;
        let _ = task.await;
        drop(dir);
    }
}

const SOCKET_NAME: &str = "api.sock";

/// A directory only we can enter, removed (with the socket in it) when dropped.
struct PrivateDir(std::path::PathBuf);

impl Drop for PrivateDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new 0700 directory named `sdx-keys-demo-XXXXXXXX` in `$XDG_RUNTIME_DIR` (when set and
/// ours), else in `$TMPDIR` or `/tmp`: made with `mkdir`, which fails rather than reuse a
/// name someone else took, so nobody else can have planted it.
fn private_dir() -> std::io::Result<PrivateDir> {
    use rand::Rng;
    use std::os::unix::fs::DirBuilderExt;
    let base = std::env::var_os("XDG_RUNTIME_DIR")
        .filter(|dir| !dir.is_empty())
        .or_else(|| std::env::var_os("TMPDIR").filter(|dir| !dir.is_empty()))
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from("/tmp"));
    let mut last = None;
    for _ in 0..16 {
        let tag: String = rand::rng()
            .sample_iter(rand::distr::Alphanumeric)
            .take(10)
            .map(char::from)
            .collect();
        let dir = base.join(format!("sdx-keys-demo-{tag}"));
        // A socket path must fit in sun_path (108 bytes with its terminating NUL).
        if dir.join(SOCKET_NAME).as_os_str().len() >= 108 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "the directory {} makes the socket path too long; set TMPDIR to a shorter one",
                    base.display()
                ),
            ));
        }
        match std::fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => return Ok(PrivateDir(dir)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free directory name")))
}

/// Starts serving on a Unix socket in a fresh private directory: no TCP port is opened, and
/// only our own user can connect.
pub async fn start_on_socket(config: EmulatorConfig) -> std::io::Result<SocketEmulator> {
    let store = initial_store(&config)?;
    let dir = private_dir()?;
    let listener = tokio::net::UnixListener::bind(dir.0.join(SOCKET_NAME))?;
    let (stop, task) = serve_in_background(&config, store, server::Listener::Unix(listener));
    Ok(SocketEmulator { dir, stop, task })
}

/// Builds the initial state: `--token` tokens, fixtures, then generated keys.
fn build_store(config: &EmulatorConfig, now: Timestamp) -> Result<Store, FixtureError> {
    let mut data = Data::new(Ids::new(config.seed));
    let mut tokens = HashMap::new();
    data.ensure_org(DEFAULT_ORG);
    for token in &config.tokens {
        tokens.insert(
            token.clone(),
            Principal {
                org_id: DEFAULT_ORG.to_owned(),
                manage_keys: true,
                grantable: None,
            },
        );
    }
    if let Some(text) = &config.fixtures_toml {
        let fixtures = fixtures::parse(text)?;
        for org_id in &fixtures.org_ids {
            data.ensure_org(org_id);
        }
        for token in fixtures.tokens {
            let principal = Principal {
                org_id: token.org_id,
                manage_keys: token.manage_keys,
                grantable: token
                    .grantable
                    .map(|scopes| Arc::new(scopes.into_iter().collect::<HashSet<_>>())),
            };
            if tokens.insert(token.bearer, principal).is_some() {
                return Err(FixtureError(
                    "a fixture token has the same value as a --token token".to_owned(),
                ));
            }
        }
        for key in fixtures.keys {
            let org_id = key.org_id.clone();
            data.seed_key(
                &org_id,
                SeedKey {
                    id: key.id,
                    name: key.name,
                    permissions: key.permissions,
                    created_at: key.created_at,
                    last_used_at: key.last_used_at,
                },
            );
        }
    }
    let mut look = match config.names_seed.or(config.seed) {
        // A different stream from the ids' own, even from the same seed.
        Some(seed) => StdRng::seed_from_u64(seed ^ 0x6e61_6d65),
        None => StdRng::from_os_rng(),
    };
    let generated = generate::plausible_keys(&mut look, config.generate_keys, now);
    for key in generated {
        data.seed_key(DEFAULT_ORG, key);
    }
    Ok(Store::new(tokens, data))
}

/// The demo organisation of `sdx-keys --demo`: fifteen plausible keys relative to now (varied
/// permissions and ages; some never used, at least one used within the last hour), the same
/// names every time, but ids, client ids and secrets from the OS's randomness (a published
/// seed would make every demo secret known), accepting `token`. `listen` is used by
/// [`start`]; `--demo` serves it with [`start_on_socket`] instead (no TCP port).
pub fn demo_config(token: String) -> EmulatorConfig {
    EmulatorConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        tokens: vec![token.clone()],
        seed: None,
        names_seed: Some(2026),
        generate_keys: 15,
        fixtures_toml: None,
        validation_status: ValidationStatus::BadRequest,
        admin_token: Some(token),
    }
}

/// A made-up bearer token (for `sdx-keys emulator` without `--token` or fixtures);
/// reproducible with a seed.
pub fn made_up_token(seed: Option<u64>) -> String {
    Ids::new(seed.map(|s| s ^ 0x5eed_70ce)).token()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_organisation_is_varied() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let mut store = build_store(&demo_config("t".into()), now).unwrap();
        let body = store.list_body(DEFAULT_ORG);
        let keys: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap();
        assert!(keys.len() >= 12);
        let never = keys.iter().filter(|k| k["last_used_at"].is_null()).count();
        assert!(never >= 1 && never < keys.len());
        let recent = keys.iter().filter(|k| {
            k["last_used_at"]
                .as_str()
                .and_then(|t| t.parse::<Timestamp>().ok())
                .is_some_and(|t| now.as_second() - t.as_second() < 3600)
        });
        assert!(recent.count() >= 1);
        let sizes: HashSet<usize> = keys
            .iter()
            .map(|k| k["permissions"].as_array().unwrap().len())
            .collect();
        assert!(sizes.len() >= 3, "{sizes:?}");
    }

    #[test]
    fn demo_names_stay_but_ids_and_secrets_differ_every_time() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let keys = || {
            let body = build_store(&demo_config("t".into()), now)
                .unwrap()
                .list_body(DEFAULT_ORG);
            serde_json::from_slice::<Vec<serde_json::Value>>(&body).unwrap()
        };
        let (a, b) = (keys(), keys());
        let field = |keys: &[serde_json::Value], name: &str| -> Vec<String> {
            let mut values: Vec<String> = keys
                .iter()
                .map(|k| k[name].as_str().unwrap().to_owned())
                .collect();
            values.sort();
            values
        };
        assert_eq!(
            field(&a, "name"),
            field(&b, "name"),
            "the same organisation"
        );
        for name in ["id", "key_prefix", "client_id"] {
            let (x, y) = (field(&a, name), field(&b, name));
            assert!(
                x.iter().all(|v| !y.contains(v)),
                "{name} repeated: {x:?} {y:?}"
            );
        }
    }

    #[test]
    fn a_seed_makes_the_whole_store_reproducible() {
        let now = Timestamp::from_second(1_800_000_000).unwrap();
        let config = EmulatorConfig {
            generate_keys: 50,
            seed: Some(9),
            names_seed: None,
            ..demo_config("t".into())
        };
        let a = build_store(&config, now).unwrap().list_body(DEFAULT_ORG);
        let b = build_store(&config, now).unwrap().list_body(DEFAULT_ORG);
        assert_eq!(a, b);
    }

    #[test]
    fn fifty_thousand_keys_generate_quickly() {
        let started = std::time::Instant::now();
        let config = EmulatorConfig {
            generate_keys: 50_000,
            ..demo_config("t".into())
        };
        let store = build_store(&config, routes::now()).unwrap();
        assert_eq!(store.org(DEFAULT_ORG).unwrap().len(), 50_000);
        // Generous for unoptimised test builds; release takes a fraction of this.
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }
}
