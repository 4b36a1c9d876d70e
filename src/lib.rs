//! sdx-keys: a terminal UI for Altostrat SDX API keys, and a faithful emulator of their API.
//!
//! The map of the crate:
//! - [`api`]: the contract in types, the HTTP client and the async worker (no UI knowledge).
//! - [`emulator`]: the local axum server of the same contract (`--demo`, `sdx-keys emulator`).
//! - [`catalogue`]: the permission catalogue shared by the emulator and the TUI.
//! - [`app`]: the pure model, `App::update(msg) -> effects`; [`keymap`]: keys to commands.
//! - [`ui`]: rendering of `&App` into a ratatui frame.
//! - [`runtime`]: the event loop; [`terminal`]: entering and restoring the terminal;
//!   [`session`]: wiring one interactive session together.
//! - [`cli`], [`launch`]: the command line, and checking it before the terminal is touched.
//! - [`hygiene`], [`logging`]: no core dumps; diagnostics to a private file, never the screen.
//! - [`journal`]: the creation journal; [`private_files`]: the 0700/0600, link-refusing rules
//!   of every file sdx-keys keeps; [`delivery`]: a secret to a file, a sink or the clipboard.
//! - [`layout`]: what the model and the drawing agree on; [`effects`]: carrying out effects;
//!   [`claims`]: the token's claims as a hint for the permission picker.

pub mod api;
pub mod app;
pub mod audit;
pub mod catalogue;
pub mod claims;
pub mod cli;
pub mod commands;
pub mod config;
pub mod credentials;
pub mod delivery;
pub mod effects;
pub mod emulator;
pub mod equivalent;
pub mod hygiene;
pub mod journal;
pub mod keymap;
pub mod launch;
pub mod layout;
pub mod logging;
pub mod private_files;
pub mod runtime;
pub mod scroll_backend;
pub mod session;
pub mod shell_words;
pub mod terminal;
pub mod ui;
