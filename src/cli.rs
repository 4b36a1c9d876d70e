//! The command line (clap derive): global flags and subcommands. There is no `--token` flag,
//! ever: the token comes from the environment (or, later, a token command or a 0600 file).

use clap::{Parser, Subcommand};

use crate::emulator::EmulatorArgs;

pub const DEFAULT_BASE_URL: &str = "https://v1.api.altostrat.io";

#[derive(Debug, Parser)]
#[command(
    name = "sdx-keys",
    version,
    about = "Manage Altostrat SDX API keys from the terminal",
    after_help = "The API token is read from the ALTOSTRAT_TOKEN environment variable (never from \
                  the command line). Try `sdx-keys --demo` to see the product without one. \
                  Press ? inside for every key."
)]
pub struct Cli {
    /// Base URL of the Altostrat API (http:// only for loopback hosts).
    #[arg(long, env = "SDX_KEYS_BASE_URL", default_value = DEFAULT_BASE_URL)]
    pub base_url: String,

    /// Run against a built-in emulator with a demo organisation (no token needed).
    #[arg(long)]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve a local emulator of the API-keys API until SIGINT or SIGTERM.
    Emulator(EmulatorArgs),
}
