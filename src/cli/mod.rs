//! The command line (clap derive): global flags, and the subcommands that make up the
//! scriptable twin of the TUI. Only the shape lives here; [`crate::commands`] runs them and
//! [`help`] writes the long, man-page-like `--help`. There is no `--token` flag, ever: argv is
//! visible to every user of the machine, so the token comes from a profile's token source.

pub mod help;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::config::Flags;
use crate::emulator::EmulatorArgs;

#[derive(Debug, Parser)]
#[command(
    name = "sdx-keys",
    version,
    about = "Manage Altostrat SDX API keys from the terminal",
    long_about = "sdx-keys manages the API keys of an Altostrat SDX organisation. Without a \
                  command it opens the terminal UI; with one it runs that action once and exits, \
                  for scripts and cron jobs.",
    after_help = "The token is never taken from the command line: it comes from ALTOSTRAT_TOKEN \
                  or the profile's token source. Try `sdx-keys --demo`. `--help` shows every \
                  command's flags, the exit statuses, the environment and the files."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Flags every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The config file (default ~/.config/sdx-keys/config.toml; env SDX_KEYS_CONFIG).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// The profile to use (env SDX_KEYS_PROFILE; default: the file's default_profile, else
    /// the top level of the file).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,

    /// Base URL of the API, replacing the profile's (env SDX_KEYS_BASE_URL); http:// only for
    /// loopback hosts.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// Run the TUI against a built-in emulator with a demo organisation (no token needed).
    #[arg(long)]
    pub demo: bool,

    /// No colours (also NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,

    /// No box-drawing characters (chosen automatically when the locale is not UTF-8).
    #[arg(long, global = true)]
    pub ascii: bool,

    /// The terminal cursor follows the focus; no animation, status in words (also ACCESSIBLE=1).
    #[arg(long, global = true)]
    pub accessible: bool,

    /// Errors with their details (the API's field errors, the cause of a network failure).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

impl GlobalArgs {
    /// The flags that take part in configuration.
    pub fn config_flags(&self) -> Flags {
        Flags {
            config: self.config.clone(),
            profile: self.profile.clone(),
            base_url: self.base_url.clone(),
            no_color: self.no_color,
            ascii: self.ascii,
            accessible: self.accessible,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the organisation's API keys.
    List(Json),
    /// Show one key.
    Get(GetArgs),
    /// Create a key; its secret is shown once (see SECRETS below).
    Create(CreateArgs),
    /// Issue a new secret for a key; the old one stops working at once.
    Rotate(RotateArgs),
    /// Delete a key.
    Delete(DeleteArgs),
    /// The permission catalogue: every scope, its group and its risk.
    Permissions(Json),
    /// Keys never used, unused for a while, or holding write or admin scopes (exit 5 when any).
    Audit(AuditArgs),
    /// The action journal: every create, rotate and delete, with its equivalent command.
    History(Json),
    /// Keys whose secret may have been lost (a create or rotate never confirmed delivered).
    Recover(RecoverArgs),
    /// Print a shell completion script.
    Completions(CompletionsArgs),
    /// Serve a local emulator of the API-keys API until SIGINT or SIGTERM.
    Emulator(EmulatorArgs),
}

#[derive(Debug, Clone, Args)]
pub struct Json {
    /// Machine-readable output (the API's field names).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Clone, Args)]
pub struct GetArgs {
    /// The key's id.
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub output: Json,
}

/// Where a new secret goes. Without either, stdout when it is not a terminal.
#[derive(Debug, Clone, Args)]
pub struct SecretOut {
    /// Write the secret to this new file (mode 0600; an existing file is never replaced).
    #[arg(long, value_name = "PATH", conflicts_with = "sink")]
    pub secret_file: Option<PathBuf>,
    /// Give the secret to the profile's sink command on its standard input.
    #[arg(long)]
    pub sink: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CreateArgs {
    /// The key's name (3 to 100 characters).
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// A scope to grant, such as sites:read (repeat for more).
    #[arg(long = "permission", value_name = "SCOPE", required = true)]
    pub permissions: Vec<String>,
    #[command(flatten)]
    pub secret: SecretOut,
    #[command(flatten)]
    pub output: Json,
}

/// The answers a destructive command needs without a terminal to ask on.
#[derive(Debug, Clone, Args)]
pub struct Consent {
    /// Do it without asking.
    #[arg(long)]
    pub yes: bool,
    /// For a protected profile: PROFILE/KEYNAME, typed out.
    #[arg(long, value_name = "PROFILE/KEYNAME")]
    pub confirm: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct RotateArgs {
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub consent: Consent,
    #[command(flatten)]
    pub secret: SecretOut,
    #[command(flatten)]
    pub output: Json,
}

#[derive(Debug, Clone, Args)]
pub struct DeleteArgs {
    #[arg(value_name = "ID")]
    pub id: String,
    #[command(flatten)]
    pub consent: Consent,
    #[command(flatten)]
    pub output: Json,
}

#[derive(Debug, Clone, Args)]
pub struct AuditArgs {
    /// A key unused for more than this many days is reported.
    #[arg(long, value_name = "N", default_value_t = crate::audit::DEFAULT_UNUSED_DAYS)]
    pub unused_days: u32,
    #[command(flatten)]
    pub output: Json,
}

#[derive(Debug, Clone, Args)]
pub struct RecoverArgs {
    /// The journal record (or key id) to resolve; without it, list the unresolved records.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// The secret is safe after all: close the record.
    #[arg(long, requires = "id", conflicts_with_all = ["delete", "rotate"])]
    pub keep: bool,
    /// Delete the key whose secret was lost.
    #[arg(long, requires = "id", conflicts_with = "rotate")]
    pub delete: bool,
    /// Rotate the key and deliver the new secret as `rotate` does.
    #[arg(long, requires = "id")]
    pub rotate: bool,
    #[command(flatten)]
    pub consent: Consent,
    #[command(flatten)]
    pub secret: SecretOut,
    #[command(flatten)]
    pub output: Json,
}

#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// bash, zsh or fish.
    #[arg(value_name = "SHELL", value_parser = ["bash", "zsh", "fish"])]
    pub shell: String,
}
