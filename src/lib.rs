//! sdx-keys: a terminal UI for Altostrat SDX API keys, and a faithful emulator of their API.
//!
//! The map of the crate:
//! - [`api`]: the contract in types, the HTTP client and the async worker (no UI knowledge).
//! - [`emulator`]: the local axum server of the same contract (`--demo`, `sdx-keys emulator`).
//! - [`catalogue`]: the permission catalogue shared by the emulator and the TUI.
//! - [`app`]: the pure model, `App::update(msg) -> effects`.
//! - [`ui`]: rendering of `&App` into a ratatui frame.

pub mod api;
pub mod app;
pub mod catalogue;
pub mod cli;
pub mod emulator;
pub mod keymap;
pub mod ui;
