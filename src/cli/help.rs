//! The long `--help`, written like a man page: every command with its flags (generated from
//! the clap definition, so it cannot drift), then the exit statuses, where secrets go, the
//! environment variables and the files. `-h` stays short.

use std::fmt::Write;

use clap::CommandFactory;

use super::Cli;

/// The clap command with the man-page sections attached to `--help`.
pub fn command() -> clap::Command {
    let base = Cli::command();
    let commands = commands_section(&base);
    base.after_long_help(format!("{commands}\n{SECTIONS}"))
}

/// `COMMANDS`: each subcommand's usage line, what it does, and its own flags.
fn commands_section(root: &clap::Command) -> String {
    let mut out = String::from("COMMANDS (each also has its own --help)\n");
    for sub in root.get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        let mut usage = sub.clone().bin_name(format!("sdx-keys {name}"));
        let line = usage.render_usage().to_string();
        let line = line.trim_start_matches("Usage: ");
        let _ = writeln!(out, "\n  {line}");
        if let Some(about) = sub.get_about() {
            let _ = writeln!(out, "      {about}");
        }
        for arg in sub.get_arguments() {
            if arg.is_global_set() || arg.get_id() == "help" || arg.is_positional() {
                continue;
            }
            let Some(long) = arg.get_long() else { continue };
            let value = arg
                .get_value_names()
                .map(|names| format!(" {}", names.join(" ")))
                .unwrap_or_default();
            let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            let _ = writeln!(out, "      --{long}{value}  {help}");
        }
    }
    out
}

const SECTIONS: &str = "\
SECRETS
  create and rotate print a secret the API shows once. It goes to --secret-file PATH (a new
  0600 file), to --sink (the profile's sink command, on its standard input), or to standard
  output only when standard output is not a terminal (the bare secret as the last line; with
  --json, {\"key\": {...}, \"secret\": \"...\"}). On a terminal without one of these the command
  refuses. Every create and rotate is recorded first in the creation journal, so a secret
  written nowhere is listed by `sdx-keys recover`.

  rotate and delete ask on a terminal; without one they need --yes. A protected profile also
  needs --confirm PROFILE/KEYNAME. A read-only profile refuses create, rotate and delete.

EXIT STATUS
  0  success
  1  network or server error (unreachable host, timeout, 5xx, 429, a malformed answer)
  2  usage, configuration or validation error (nothing was changed)
  3  not found
  4  authentication or permission refused (401, 403)
  5  audit found something
  The TUI also exits 130 after SIGINT, 143 after SIGTERM and 129 when its terminal went away.

ENVIRONMENT
  ALTOSTRAT_TOKEN     the API token (unless the profile names another token source)
  SDX_KEYS_CONFIG     the config file, as --config
  SDX_KEYS_PROFILE    the profile, as --profile
  SDX_KEYS_BASE_URL   the base URL, as --base-url (replaces the profile's)
  SDX_KEYS_SINK       the sink command, replacing the profile's sink
  SDX_KEYS_LOG        the log level of the log file (error, warn, info, debug)
  NO_COLOR            no colours, as --no-color
  ACCESSIBLE          1: as --accessible
  HTTPS_PROXY, NO_PROXY   a proxy for the API
  LC_ALL, LC_CTYPE, LANG  a locale that is not UTF-8 selects --ascii

FILES
  ~/.config/sdx-keys/config.toml      settings and profiles (see config.example.toml)
  ~/.local/state/sdx-keys/journal.jsonl   the creation and action journal (never a secret)
  ~/.local/state/sdx-keys/sdx-keys.log    diagnostics (never a token or a secret)

EXAMPLES
  sdx-keys --demo
  sdx-keys --profile prod list --json
  sdx-keys create --name \"ci deploy\" --permission sites:read --secret-file ~/ci.key
  sdx-keys rotate api_key_123 --yes | tail -1
  sdx-keys audit --unused-days 30
";
