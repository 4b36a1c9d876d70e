//! Where the secret of `create` and `rotate` goes, chosen before anything is sent: a new 0600
//! file (`--secret-file`), the profile's sink (`--sink`), or standard output when it is not a
//! terminal. On a terminal without either the command refuses, since the secret would land in
//! the scrollback (and in any recording of the session). The exposed bytes live only in
//! zeroizing buffers.

use std::io::Write;
use std::path::PathBuf;

use secrecy::ExposeSecret;
use secrecy::zeroize::Zeroizing;

use super::output;
use super::{Context, Failure};
use crate::api::IssuedSecret;
use crate::cli::SecretOut;
use crate::delivery::file::{expand_path, write_new};
use crate::delivery::sink::{SINK_TIMEOUT, SinkCommand};
use crate::journal::Outcome;
use crate::layout::text::printable;

/// The one place a new secret will go.
#[derive(Debug)]
pub enum Destination {
    File(PathBuf),
    Sink(SinkCommand),
    /// Standard output, which is not a terminal.
    Stdout,
}

/// Picks the destination and checks it can work, so a refusal comes before the key exists.
pub fn choose(context: &Context, out: &SecretOut) -> Result<Destination, Failure> {
    if let Some(path) = &out.secret_file {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let path = expand_path(&path.to_string_lossy(), home.as_deref())
            .map_err(|err| Failure::usage(err.to_string()))?;
        let shown = printable(&path.display().to_string());
        if std::fs::symlink_metadata(&path).is_ok() {
            return Err(Failure::usage(format!(
                "{shown} already exists, and sdx-keys never replaces a file with a secret. \
                 Name a new file."
            )));
        }
        let parent = path.parent().filter(|p| !p.as_os_str().is_empty());
        if parent.is_some_and(|dir| !dir.is_dir()) {
            return Err(Failure::usage(format!(
                "The folder of {shown} does not exist. Create it first, or name a file in an \
                 existing folder."
            )));
        }
        return Ok(Destination::File(path));
    }
    if out.sink {
        let Some(template) = &context.settings.sink else {
            return Err(Failure::usage(format!(
                "--sink was given, but the profile \"{}\" has no sink. Set sink = \"pass insert \
                 -m sdx/{{id}}\" (for example) in its config, or SDX_KEYS_SINK.",
                context.settings.profile
            )));
        };
        let sink = SinkCommand::parse(template).map_err(|err| Failure::usage(err.to_string()))?;
        return Ok(Destination::Sink(sink));
    }
    if context.stdout_is_terminal {
        return Err(Failure::usage(
            "The new secret would be printed on the terminal, where it stays in the \
             scrollback and in any recording of the session. Give --secret-file PATH or \
             --sink, or pipe the output into the program that stores it.",
        ));
    }
    Ok(Destination::Stdout)
}

/// Delivers the secret and prints what a script needs; returns the journal outcome.
pub async fn deliver(
    destination: &Destination,
    issued: &IssuedSecret,
    json: bool,
) -> Result<Outcome, Failure> {
    let key_json = || {
        serde_json::to_string(&issued.key)
            .map_err(|err| Failure::failed(format!("Cannot encode the JSON output: {err}.")))
    };
    let (outcome, place) = match destination {
        Destination::File(path) => {
            write_new(path, &issued.secret).map_err(|err| lost(err.to_string()))?;
            (
                Outcome::DeliveredFile,
                format!("the file {}", printable(&path.display().to_string())),
            )
        }
        Destination::Sink(sink) => {
            let report = sink
                .run(
                    &issued.secret,
                    &issued.key.id.0,
                    &issued.key.name,
                    SINK_TIMEOUT,
                )
                .await
                .map_err(|err| lost(err.to_string()))?;
            (
                Outcome::DeliveredSink,
                format!("the sink command \"{}\"", report.program),
            )
        }
        Destination::Stdout => {
            let mut text = Zeroizing::new(String::new());
            if json {
                let secret = Zeroizing::new(
                    serde_json::to_string(issued.secret.expose_secret())
                        .map_err(|err| Failure::failed(format!("Cannot encode: {err}.")))?,
                );
                text.push_str("{\"key\": ");
                text.push_str(&key_json()?);
                text.push_str(", \"secret\": ");
                text.push_str(&secret);
                text.push_str("}\n");
            } else {
                text.push_str(&issued.key.id.0);
                text.push('\n');
                text.push_str(issued.secret.expose_secret());
                text.push('\n');
            }
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
                .map_err(|err| {
                    lost(format!(
                        "The secret could not be written to standard output ({err})."
                    ))
                })?;
            return Ok(Outcome::DeliveredStdout);
        }
    };
    if json {
        output::write(&format!("{{\"key\": {}}}\n", key_json()?))?;
    } else {
        output::write(&format!(
            "{} ({}): the secret is in {place}.\n",
            printable(&issued.key.name),
            printable(&issued.key.id.0)
        ))?;
    }
    Ok(outcome)
}

/// A delivery failed after the key was made: say how not to lose the key.
fn lost(reason: String) -> Failure {
    Failure::failed(format!(
        "{reason} The key exists, but nobody holds its secret: `sdx-keys recover` lists it; \
         rotate it to get a new secret, or delete it."
    ))
}
