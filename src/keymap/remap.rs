//! Applying the config file's `[keys]` table to the built-in keymap, and the rules that keep
//! a remapped keymap honest: each refusal is one sentence naming the table, the command and
//! the chord, and saying what to change. Only chords change; descriptions, footer hints and
//! table order stay, so the footer and the help overlay follow the live map by themselves.

use ratatui::crossterm::event::{KeyCode, KeyModifiers};

use super::{Chord, Command, KeyOverrides, Keymap, Mode, ModeBindings};

/// A `[keys]` table that cannot be applied, said in one sentence with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeymapError(pub String);

/// `ctrl-c`: the way out that no override can move or take away.
fn escape_chord() -> Chord {
    Chord::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
}

/// A mode's or a command's name as the config file writes it (`wizard_name`, `rotate_key`).
fn word<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Keymap {
    /// The built-in keymap with `overrides` applied: each listed command's chords are
    /// replaced in that mode (in the order written; the first is the one the footer shows).
    ///
    /// Refused, each in one sentence that names the `[keys.MODE]` table and says the fix:
    /// - a command the mode does not have by default (commands are not added to modes);
    /// - an empty list of chords (the command would become unreachable, and so could the
    ///   way out of a screen);
    /// - `ctrl-c` given to any command: it is the way out that always works. Wherever it is
    ///   bound by default (to `quit`, or `leave_reveal` on the secret screen) it stays bound
    ///   to that command even when the command is remapped, so `quit = ["x"]` means x and
    ///   ctrl-c; listing `ctrl-c` there is allowed and frees the command's other keys;
    /// - `quit` in `[keys.help]`: the help hands that key to the screen underneath, which
    ///   decides what it does, so only `ctrl-c` (the same everywhere) can mean it;
    /// - in a mode with a text field, a printable character without ctrl or alt (it could no
    ///   longer be typed);
    /// - after a mode's overrides are applied, one chord bound to two commands, including a
    ///   chord still bound by default to a command that was not moved.
    pub fn with_overrides(overrides: &KeyOverrides) -> Result<Keymap, KeymapError> {
        let defaults = Keymap::default();
        let mut keymap = defaults.clone();
        for (&mode, commands) in &overrides.0 {
            let table = format!("[keys.{}]", word(mode));
            let Some(bindings) = keymap.modes.iter_mut().find(|m| m.mode == mode) else {
                return Err(KeymapError(format!(
                    "{table} names the {}, which has no keys of its own; remove that table.",
                    mode.label()
                )));
            };
            for (&command, chords) in commands {
                check_command(&defaults, bindings, &table, command)?;
                check_chords(bindings, &table, command, &chords.0)?;
                replace_chords(bindings, command, &chords.0);
            }
            check_conflicts(bindings, &table, |command| commands.contains_key(&command))?;
        }
        Ok(keymap)
    }
}

/// The command must be one the mode has by default, and not the help's hand-over of quit.
fn check_command(
    defaults: &Keymap,
    mode: &ModeBindings,
    table: &str,
    command: Command,
) -> Result<(), KeymapError> {
    let name = word(command);
    let label = mode.mode.label();
    if !mode.bindings.iter().any(|b| b.command == command) {
        let mut own: Vec<String> = Vec::new();
        for binding in &mode.bindings {
            let word = word(binding.command);
            if !own.contains(&word) {
                own.push(word);
            }
        }
        let elsewhere: Vec<String> = defaults
            .modes
            .iter()
            .filter(|m| m.bindings.iter().any(|b| b.command == command))
            .map(|m| format!("[keys.{}]", word(m.mode)))
            .collect();
        let fix = match elsewhere.as_slice() {
            [] => String::new(),
            tables => format!("move it to {} or ", tables.join(" or ")),
        };
        return Err(KeymapError(format!(
            "In {table}, {name} is not a command of the {label}, so {fix}use one of the \
             {label}'s commands: {}.",
            own.join(", ")
        )));
    }
    if mode.mode == Mode::Help && command == Command::Quit {
        return Err(KeymapError(format!(
            "In {table}, quit cannot be remapped, because the help hands that key to the \
             screen underneath and only ctrl-c quits the same way everywhere; remove quit \
             from {table}."
        )));
    }
    Ok(())
}

/// The new chords must be at least one, leave `ctrl-c` where it is, and not take a
/// character that the mode's text field needs.
fn check_chords(
    mode: &ModeBindings,
    table: &str,
    command: Command,
    chords: &[Chord],
) -> Result<(), KeymapError> {
    let name = word(command);
    let label = mode.mode.label();
    if chords.is_empty() {
        let built_in = mode
            .bindings
            .iter()
            .filter(|b| b.command == command)
            .map(|b| b.keys_label())
            .collect::<Vec<_>>()
            .join("/");
        return Err(KeymapError(format!(
            "In {table}, {name} = [] would leave {name} with no key at all; give it at least \
             one key, or remove the line to keep its built-in {built_in}."
        )));
    }
    let escape = escape_chord();
    let escape_holder = mode
        .bindings
        .iter()
        .find(|b| b.chords.contains(&escape))
        .map(|b| b.command);
    if chords.contains(&escape) && escape_holder != Some(command) {
        let stays = match escape_holder {
            Some(holder) => format!("stays on {} in the {label}", word(holder)),
            None => "is kept for quitting and never remapped".to_owned(),
        };
        return Err(KeymapError(format!(
            "In {table}, {name} cannot have ctrl-c, because ctrl-c {stays} so there is always \
             a way out; choose another key for {name}."
        )));
    }
    if mode.text_input.is_some()
        && let Some(typed) = chords.iter().find(|c| c.text_char().is_some())
    {
        return Err(KeymapError(format!(
            "In {table}, {name} = \"{typed}\" would stop `{typed}` from being typed into the \
             {label}; use a key with ctrl or alt, or a special key such as f2 or esc."
        )));
    }
    Ok(())
}

/// Puts `chords` (duplicates dropped) on the command's first binding, the one with its
/// description and footer hint, in place of every built-in chord but `ctrl-c`, which stays
/// on the binding that has it. The command's other bindings left without a chord go.
fn replace_chords(mode: &mut ModeBindings, command: Command, chords: &[Chord]) {
    let escape = escape_chord();
    let mut new: Vec<Chord> = Vec::new();
    for chord in chords {
        if *chord != escape && !new.contains(chord) {
            new.push(*chord);
        }
    }
    let mut own = mode.bindings.iter_mut().filter(|b| b.command == command);
    let Some(first) = own.next() else {
        return;
    };
    let mut escape_elsewhere = false;
    for other in own {
        other.chords.retain(|c| *c == escape);
        if !other.chords.is_empty() && new.is_empty() {
            // Only ctrl-c was listed: it moves to the first binding, which keeps the hint.
            other.chords.clear();
            escape_elsewhere = true;
        }
    }
    first.chords.retain(|c| *c == escape);
    if escape_elsewhere {
        first.chords.push(escape);
    }
    first.chords.splice(0..0, new);
    mode.bindings
        .retain(|b| b.command != command || !b.chords.is_empty());
}

/// No chord may mean two commands in the mode. `overridden` tells which commands the table
/// moved, so a clash with a built-in key says that the other command must move too.
fn check_conflicts(
    mode: &ModeBindings,
    table: &str,
    overridden: impl Fn(Command) -> bool,
) -> Result<(), KeymapError> {
    let mut seen: Vec<(Chord, Command)> = Vec::new();
    for binding in &mode.bindings {
        for &chord in &binding.chords {
            match seen.iter().find(|(c, _)| *c == chord) {
                Some(&(_, other)) if other != binding.command => {
                    let named = |command: Command| {
                        if overridden(command) {
                            word(command)
                        } else {
                            format!("{} (its built-in key)", word(command))
                        }
                    };
                    return Err(KeymapError(format!(
                        "In the {}, `{chord}` is bound to both {} and {}; give one of them \
                         another key in {table}.",
                        mode.mode.label(),
                        named(other),
                        named(binding.command)
                    )));
                }
                Some(_) => {}
                None => seen.push((chord, binding.command)),
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde::de::value::{Error, StrDeserializer};

    use super::*;

    /// Every name a serde enum accepts, read from the error for a name it does not.
    fn all_names<'de, T: Deserialize<'de>>() -> Vec<String> {
        let Err(err) = T::deserialize(StrDeserializer::<Error>::new("?")) else {
            panic!("`?` is not a name");
        };
        let text = err.to_string();
        let list = text
            .split("expected one of")
            .nth(1)
            .expect("a list of names");
        list.split('`')
            .skip(1)
            .step_by(2)
            .map(str::to_owned)
            .collect()
    }

    fn remap(text: &str) -> Result<Keymap, String> {
        let overrides: KeyOverrides = toml::from_str(text).map_err(|e| e.to_string())?;
        Keymap::with_overrides(&overrides).map_err(|e| e.0)
    }

    fn chord(text: &str) -> Chord {
        text.parse().unwrap()
    }

    #[test]
    fn every_command_is_bound_in_some_mode_and_every_mode_has_a_table() {
        let keymap = Keymap::default();
        let commands = all_names::<Command>();
        assert!(commands.len() > 40, "{commands:?}");
        for name in commands {
            let command: Command = serde_json::from_value(name.clone().into()).unwrap();
            assert!(
                keymap
                    .modes
                    .iter()
                    .any(|m| m.bindings.iter().any(|b| b.command == command)),
                "{name} is bound in no mode"
            );
        }
        for name in all_names::<Mode>() {
            let mode: Mode = serde_json::from_value(name.clone().into()).unwrap();
            assert!(keymap.mode(mode).is_some(), "{name} has no table");
        }
    }

    #[test]
    fn ctrl_c_stays_on_quit_when_quit_is_remapped() {
        let keymap = remap("[list]\nquit = \"x\"").unwrap();
        assert_eq!(keymap.command(Mode::List, chord("x")), Some(Command::Quit));
        assert_eq!(keymap.command(Mode::List, chord("q")), None);
        assert_eq!(
            keymap.command(Mode::List, chord("ctrl-c")),
            Some(Command::Quit)
        );
        assert_eq!(keymap.key_for(Mode::List, Command::Quit).unwrap(), "x");
        assert!(keymap.hints(Mode::List).contains(&("x".into(), "quit")));
    }

    #[test]
    fn listing_only_ctrl_c_frees_the_other_keys_and_keeps_the_hint() {
        let keymap = remap("[list]\nquit = \"ctrl-c\"\nrefresh = [\"q\", \"r\"]").unwrap();
        assert_eq!(
            keymap.command(Mode::List, chord("q")),
            Some(Command::Refresh)
        );
        let quits: Vec<_> = keymap
            .bindings(Mode::List)
            .iter()
            .filter(|b| b.command == Command::Quit)
            .collect();
        assert_eq!(quits.len(), 1, "{quits:?}");
        assert_eq!(quits[0].keys_label(), "ctrl-c");
        assert!(
            keymap
                .hints(Mode::List)
                .contains(&("ctrl-c".into(), "quit"))
        );
    }

    #[test]
    fn the_secret_screen_keeps_ctrl_c_for_leaving() {
        let keymap = remap("[reveal]\nleave_reveal = [\"x\", \"ctrl-c\", \"x\"]").unwrap();
        let leave = keymap
            .bindings(Mode::Reveal)
            .iter()
            .find(|b| b.command == Command::LeaveReveal)
            .unwrap();
        assert_eq!(leave.keys_label(), "x/ctrl-c");
    }

    #[test]
    fn ctrl_c_cannot_be_taken_or_added() {
        let err = remap("[list]\nrefresh = \"ctrl-c\"").unwrap_err();
        assert!(
            err.contains("refresh cannot have ctrl-c") && err.contains("quit"),
            "{err}"
        );
        let err = remap("[confirm_rotate]\nback = \"ctrl-c\"").unwrap_err();
        assert!(err.contains("back cannot have ctrl-c"), "{err}");
    }

    #[test]
    fn quit_in_the_help_cannot_be_remapped() {
        let err = remap("[help]\nquit = \"x\"").unwrap_err();
        assert!(
            err.starts_with("In [keys.help], quit cannot be remapped"),
            "{err}"
        );
        assert!(remap("[help]\ntoggle_help = [\"?\", \"esc\"]").is_ok());
    }

    #[test]
    fn an_empty_list_names_the_keys_it_would_remove() {
        let err = remap("[list]\nquit = []").unwrap_err();
        assert!(
            err.contains("quit = []") && err.contains("q/ctrl-c"),
            "{err}"
        );
    }

    #[test]
    fn a_command_of_another_mode_names_its_mode() {
        let err = remap("[list]\nkeep_key = \"x\"").unwrap_err();
        assert!(
            err.contains("keep_key is not a command of the key list"),
            "{err}"
        );
        assert!(err.contains("[keys.recovery]"), "{err}");
        assert_eq!(err.matches("quit").count(), 1, "listed once: {err}");
    }

    #[test]
    fn a_clash_with_a_built_in_key_says_so() {
        let err = remap("[list]\nrefresh = \"n\"").unwrap_err();
        assert_eq!(
            err,
            "In the key list, `n` is bound to both refresh and create (its built-in key); \
             give one of them another key in [keys.list]."
        );
        assert!(remap("[list]\nrefresh = \"n\"\ncreate = \"N\"").is_ok());
    }
}
