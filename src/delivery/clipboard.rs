//! Putting a secret on the terminal's clipboard: through tmux (`load-buffer -w`, the secret
//! on tmux's stdin) inside tmux, otherwise as an OSC 52 escape sequence for the caller to
//! write to the terminal (wrapped for GNU screen). This file chooses the route and builds or
//! sends the bytes; it never writes to the terminal itself, and never puts the secret in an
//! argv, the environment, a log or an error.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::zeroize::Zeroizing;
use secrecy::{ExposeSecret, SecretString};
use tokio::process::Command;

use super::{
    ChildEnd, DeliveryError, describe_duration, describe_status, run_child, stderr_excerpt,
};

/// The tmux paste buffer sdx-keys loads (and deletes when the secret is dismissed).
pub const TMUX_BUFFER: &str = "sdx-keys";
/// How long a tmux command may take.
const TMUX_TIMEOUT: Duration = Duration::from_secs(5);

/// Screen passes each DCS string through, but limits its length; the base64 text is cut
/// into pieces of this size, each in its own DCS string.
const SCREEN_CHUNK: usize = 76;
const OSC52_START: &[u8] = b"\x1b]52;c;";
const BEL: u8 = 0x07;
const DCS_START: &[u8] = b"\x1bP";
const STRING_END: &[u8] = b"\x1b\\";

/// Where a copy goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipboardRoute {
    /// Inside tmux: load a tmux buffer, which tmux forwards to the outer terminal.
    Tmux { socket: Option<PathBuf> },
    /// Write OSC 52 to the terminal, wrapped in DCS strings under GNU screen.
    Osc52 { screen: bool },
    /// The profile turned the clipboard off (`clipboard = "off"`).
    Off,
}

/// The route a profile's `clipboard` setting asks for: `auto` is [`route`]; `osc52` and
/// `tmux` force one way (tmux on the socket `$TMUX` names, else its default one).
pub fn route_for(
    policy: crate::config::ClipboardPolicy,
    tmux_env: Option<&OsStr>,
    term: Option<&OsStr>,
    sty: Option<&OsStr>,
) -> ClipboardRoute {
    use crate::config::ClipboardPolicy;
    match (policy, route(tmux_env, term, sty)) {
        (ClipboardPolicy::Off, _) => ClipboardRoute::Off,
        (ClipboardPolicy::Auto, found) => found,
        (ClipboardPolicy::Tmux, found @ ClipboardRoute::Tmux { .. }) => found,
        (ClipboardPolicy::Tmux, _) => ClipboardRoute::Tmux { socket: None },
        (ClipboardPolicy::Osc52, ClipboardRoute::Osc52 { screen }) => {
            ClipboardRoute::Osc52 { screen }
        }
        (ClipboardPolicy::Osc52, _) => ClipboardRoute::Osc52 { screen: false },
    }
}

/// Chooses the route from `$TMUX`, `$TERM` and `$STY`: a non-empty `$TMUX` means tmux, on
/// the socket named before its first comma; otherwise OSC 52, for screen if `$STY` is set
/// or `$TERM` starts with "screen".
pub fn route(
    tmux_env: Option<&OsStr>,
    term: Option<&OsStr>,
    sty: Option<&OsStr>,
) -> ClipboardRoute {
    if let Some(tmux) = tmux_env.filter(|value| !value.is_empty()) {
        let socket = tmux
            .as_bytes()
            .split(|byte| *byte == b',')
            .next()
            .filter(|path| !path.is_empty())
            .map(|path| PathBuf::from(OsStr::from_bytes(path)));
        return ClipboardRoute::Tmux { socket };
    }
    let screen = sty.is_some_and(|value| !value.is_empty())
        || term.is_some_and(|value| value.as_bytes().starts_with(b"screen"));
    ClipboardRoute::Osc52 { screen }
}

/// `ESC ] 52 ; c ; <base64> BEL`; for screen, the same cut into DCS strings
/// (`ESC P ... ESC \`) of at most 76 base64 bytes each, which screen passes through and the
/// outer terminal sees joined. Every buffer holding the secret is zeroed when dropped.
pub fn osc52_sequence(secret: &SecretString, screen: bool) -> Zeroizing<Vec<u8>> {
    let plain = secret.expose_secret().as_bytes();
    let encoded_len = base64::encoded_len(plain.len(), true).expect("a secret fits in memory");
    let mut encoded = Zeroizing::new(vec![0u8; encoded_len]);
    let written = STANDARD
        .encode_slice(plain, &mut encoded[..])
        .expect("the buffer has the encoded length");
    debug_assert_eq!(written, encoded_len);
    let chunks = if screen {
        encoded_len.div_ceil(SCREEN_CHUNK).max(1)
    } else {
        0
    };
    let wrapping = chunks * (DCS_START.len() + STRING_END.len());
    let mut sequence = Zeroizing::new(Vec::with_capacity(
        OSC52_START.len() + encoded_len + 1 + wrapping,
    ));
    if !screen {
        sequence.extend_from_slice(OSC52_START);
        sequence.extend_from_slice(&encoded);
        sequence.push(BEL);
        return sequence;
    }
    sequence.extend_from_slice(DCS_START);
    sequence.extend_from_slice(OSC52_START);
    for (index, chunk) in encoded.chunks(SCREEN_CHUNK).enumerate() {
        if index > 0 {
            sequence.extend_from_slice(STRING_END);
            sequence.extend_from_slice(DCS_START);
        }
        sequence.extend_from_slice(chunk);
    }
    sequence.push(BEL);
    sequence.extend_from_slice(STRING_END);
    sequence
}

/// Loads the secret (no trailing newline) into the tmux buffer [`TMUX_BUFFER`] through
/// tmux's stdin, with `-w` so tmux (3.2 or newer) also sets the outer terminal's clipboard.
pub async fn tmux_load(socket: Option<&Path>, secret: &SecretString) -> Result<(), DeliveryError> {
    let mut command = tmux(socket);
    command.args(["load-buffer", "-w", "-b", TMUX_BUFFER, "-"]);
    let input = Zeroizing::new(secret.expose_secret().as_bytes().to_vec());
    let stderr = run_tmux(command, input, "copy the secret").await?;
    let Some((status, said)) = stderr else {
        return Ok(());
    };
    let said = stderr_excerpt(&said, 1, Some(secret));
    let advice = if said.contains("-w") || said.contains("unknown flag") {
        "sdx-keys needs tmux 3.2 or newer to copy; copy the secret from the screen instead."
    } else {
        "Copy the secret another way."
    };
    Err(DeliveryError(format!(
        "tmux could not copy the secret: it {} ({}). {advice}",
        describe_status(status),
        if said.is_empty() { "no message" } else { &said }
    )))
}

/// Deletes the tmux buffer [`TMUX_BUFFER`]; a buffer or server that is already gone is fine.
pub async fn tmux_delete_buffer(socket: Option<&Path>) -> Result<(), DeliveryError> {
    let mut command = tmux(socket);
    command.args(["delete-buffer", "-b", TMUX_BUFFER]);
    let stderr = run_tmux(
        command,
        Zeroizing::new(Vec::new()),
        "clear its copy of the secret",
    )
    .await?;
    let Some((status, said)) = stderr else {
        return Ok(());
    };
    let said = stderr_excerpt(&said, 1, None);
    let gone = [
        "no buffer",
        "unknown buffer",
        "no server running",
        "error connecting",
    ];
    if gone.iter().any(|phrase| said.contains(phrase)) {
        return Ok(());
    }
    Err(DeliveryError(format!(
        "tmux could not clear its copy of the secret: it {} ({}). Delete the buffer yourself \
         with: tmux delete-buffer -b {TMUX_BUFFER}",
        describe_status(status),
        if said.is_empty() { "no message" } else { &said }
    )))
}

fn tmux(socket: Option<&Path>) -> Command {
    let mut command = Command::new("tmux");
    if let Some(socket) = socket {
        command.arg("-S").arg(socket);
    }
    command
}

/// Runs a tmux command: `Ok(None)` on success, `Ok(Some((status, stderr)))` when tmux
/// failed, `Err` when it could not run or did not answer (`doing` completes the sentence).
async fn run_tmux(
    command: Command,
    input: Zeroizing<Vec<u8>>,
    doing: &str,
) -> Result<Option<(std::process::ExitStatus, Zeroizing<Vec<u8>>)>, DeliveryError> {
    match run_child(command, input, TMUX_TIMEOUT).await {
        Ok(ChildEnd::Exited { status, .. }) if status.success() => Ok(None),
        Ok(ChildEnd::Exited { status, stderr }) => Ok(Some((status, stderr))),
        Ok(ChildEnd::TimedOut) => Err(DeliveryError(format!(
            "tmux did not answer within {} and was stopped, so it could not {doing}.",
            describe_duration(TMUX_TIMEOUT)
        ))),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Err(DeliveryError(format!(
            "The tmux program was not found on your PATH, so it could not {doing}, although \
             $TMUX says this is a tmux session. Check your PATH."
        ))),
        Err(err) => Err(DeliveryError(format!(
            "tmux could not be started ({err}), so it could not {doing}."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(text: &str) -> Option<&OsStr> {
        Some(OsStr::new(text))
    }

    #[test]
    fn tmux_wins_and_names_its_socket() {
        assert_eq!(
            route(
                os("/tmp/tmux-1000/default,4242,0"),
                os("screen-256color"),
                os("1.pts")
            ),
            ClipboardRoute::Tmux {
                socket: Some(PathBuf::from("/tmp/tmux-1000/default"))
            }
        );
        assert_eq!(
            route(os(",1,0"), None, None),
            ClipboardRoute::Tmux { socket: None }
        );
    }

    #[test]
    fn otherwise_osc52_wrapped_for_screen_only_under_screen() {
        assert_eq!(
            route(os(""), os("xterm-256color"), None),
            ClipboardRoute::Osc52 { screen: false }
        );
        assert_eq!(
            route(None, None, None),
            ClipboardRoute::Osc52 { screen: false }
        );
        assert_eq!(
            route(None, os("screen.xterm-256color"), None),
            ClipboardRoute::Osc52 { screen: true }
        );
        assert_eq!(
            route(None, os("xterm"), os("12.pts-0.host")),
            ClipboardRoute::Osc52 { screen: true }
        );
        assert_eq!(
            route(None, os("xterm"), os("")),
            ClipboardRoute::Osc52 { screen: false }
        );
    }

    #[test]
    fn osc52_is_base64_between_the_introducer_and_bel() {
        let secret = SecretString::from("sdx_fake/secret+value?");
        let sequence = osc52_sequence(&secret, false);
        let body = sequence
            .strip_prefix(b"\x1b]52;c;")
            .and_then(|rest| rest.strip_suffix(b"\x07"))
            .unwrap();
        assert_eq!(STANDARD.decode(body).unwrap(), b"sdx_fake/secret+value?");
    }

    #[test]
    fn under_screen_the_sequence_is_cut_into_short_dcs_strings() {
        let secret = SecretString::from("x".repeat(500));
        let sequence = osc52_sequence(&secret, true);
        let mut joined = Vec::new();
        let mut rest: &[u8] = &sequence;
        let mut strings = 0;
        while !rest.is_empty() {
            let inner = rest
                .strip_prefix(b"\x1bP")
                .expect("each piece starts with ESC P");
            let end = inner
                .windows(2)
                .position(|pair| pair == b"\x1b\\")
                .expect("ESC \\");
            let piece = &inner[..end];
            assert!(
                piece.len() <= OSC52_START.len() + SCREEN_CHUNK + 1,
                "{}",
                piece.len()
            );
            joined.extend_from_slice(piece);
            rest = &inner[end + 2..];
            strings += 1;
        }
        assert_eq!(strings, 668usize.div_ceil(SCREEN_CHUNK)); // 500 bytes are 668 in base64
        assert_eq!(joined, *osc52_sequence(&secret, false));
    }

    #[test]
    fn an_empty_secret_still_gives_a_well_formed_sequence() {
        let empty = SecretString::from("");
        assert_eq!(*osc52_sequence(&empty, false), b"\x1b]52;c;\x07");
        assert_eq!(*osc52_sequence(&empty, true), b"\x1bP\x1b]52;c;\x07\x1b\\");
    }
}
