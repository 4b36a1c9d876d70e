//! `sdx-keys emulator`: the command line of contract §6.9 item 33, and serving until SIGINT
//! or SIGTERM.

use clap::Args;

/// Arguments of `sdx-keys emulator`.
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {}

/// Runs the emulator in the foreground until SIGINT or SIGTERM.
pub async fn run_cli(_args: EmulatorArgs) -> anyhow::Result<()> {
    todo!()
}
