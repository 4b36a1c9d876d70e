//! Writing a command's results: standard output for data (tables for people, JSON for
//! programs), standard error for the one-sentence failure. A reader that goes away (`| head
//! -1`) ends the command quietly; nothing here panics on a closed stream.

use std::io::{self, Write};
use std::process::ExitCode;

use serde::Serialize;

use super::{Exit, Failure};
use crate::layout::text::{printable, width};

/// Prints the failure (if any) on standard error and turns the result into the exit status.
pub fn finish(result: Result<Exit, Failure>, verbose: bool) -> ExitCode {
    match result {
        Ok(exit) => exit.into(),
        Err(failure) => {
            if !failure.message.is_empty() {
                let mut stderr = io::stderr().lock();
                let _ = writeln!(stderr, "sdx-keys: {}", failure.message);
                if let (true, Some(details)) = (verbose, &failure.details) {
                    let _ = writeln!(stderr, "details: {}", printable(details));
                }
            }
            failure.exit.into()
        }
    }
}

/// Standard output went away: stop quietly, with success (the reader had what it wanted).
fn closed(err: io::Error) -> Failure {
    if err.kind() == io::ErrorKind::BrokenPipe {
        Failure {
            exit: Exit::Ok,
            message: String::new(),
            details: None,
        }
    } else {
        Failure::failed(format!("Cannot write to standard output: {err}."))
    }
}

/// Writes `text` (which ends with a newline when it should) to standard output.
pub fn write(text: &str) -> Result<(), Failure> {
    write_bytes(text.as_bytes())
}

/// Writes `bytes` to standard output as they are.
pub fn write_bytes(bytes: &[u8]) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(closed)
}

/// Writes `value` as pretty JSON and a newline.
pub fn json<T: Serialize + ?Sized>(value: &T) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|err| Failure::failed(format!("Cannot encode the JSON output: {err}.")))?;
    text.push('\n');
    write(&text)
}

/// A plain table: a header row and aligned columns, every cell made printable (names come
/// from the API and may hold terminal control sequences). The last column is not padded.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|row| row.iter().map(|cell| printable(cell)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for row in &cells {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(width(cell));
            }
        }
    }
    let mut out = String::new();
    let mut line = |row: &[String]| {
        let mut text = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                text.push_str("  ");
            }
            text.push_str(cell);
            if i + 1 < row.len() {
                let pad = widths[i].saturating_sub(width(cell));
                text.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&header.iter().map(|h| h.to_string()).collect::<Vec<_>>());
    for row in &cells {
        line(row);
    }
    out
}

/// `sdx-keys completions SHELL`: the script, generated from the same clap definition.
pub fn completions(shell: &str) -> Result<Exit, Failure> {
    use clap_complete::Shell;
    let shell = match shell {
        "bash" => Shell::Bash,
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        other => {
            return Err(Failure::usage(format!(
                "No completions for the shell \"{}\": choose bash, zsh or fish.",
                printable(other)
            )));
        }
    };
    let mut command = crate::cli::help::command();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "sdx-keys", &mut script);
    write(&String::from_utf8_lossy(&script))?;
    Ok(Exit::Ok)
}
