//! The config file's `[keys]` table: per mode, the chords that replace a command's built-in
//! ones. Applying it refuses, in a sentence naming the mode, the commands and the chord, what
//! would make the keymap lie or trap the user: a command the mode does not have, a command
//! left with no key, one chord bound to two commands, and a plain character taken from a
//! mode where characters are typed into a field.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{Chord, Command, Keymap, Mode};

/// The `[keys]` table: per mode, per command, the chords that replace the built-in ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct KeyOverrides(pub BTreeMap<Mode, BTreeMap<Command, Chords>>);

/// One chord (`"x"`) or several (`["x", "delete"]`), each parsed when the file is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chords(pub Vec<Chord>);

/// A `[keys]` table that cannot be applied, said with the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct KeymapError(pub String);

impl<'de> Deserialize<'de> for Chords {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Chords, D::Error> {
        struct ChordsVisitor;
        fn parse<E: de::Error>(text: &str) -> Result<Chord, E> {
            text.parse().map_err(|_| {
                E::custom(format!(
                    "`{text}` is not a key; write keys like x, R, ctrl-r, alt-x, shift-tab, \
                     enter, esc, delete, pgdn, home, up, f5"
                ))
            })
        }
        impl<'de> Visitor<'de> for ChordsVisitor {
            type Value = Chords;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key such as \"ctrl-r\", or a list of keys")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Chords, E> {
                Ok(Chords(vec![parse(text)?]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Chords, A::Error> {
                let mut chords = Vec::new();
                while let Some(text) = seq.next_element::<String>()? {
                    chords.push(parse(&text)?);
                }
                Ok(Chords(chords))
            }
        }
        deserializer.deserialize_any(ChordsVisitor)
    }
}

fn word<T: serde::Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl Keymap {
    /// The built-in keymap with `overrides` applied: each listed command's chords are
    /// replaced in that mode.
    pub fn with_overrides(overrides: &KeyOverrides) -> Result<Keymap, KeymapError> {
        let mut keymap = Keymap::default();
        for (mode, commands) in &overrides.0 {
            let table = format!("[keys.{}]", word(mode));
            let Some(bindings) = keymap.modes.iter_mut().find(|m| m.mode == *mode) else {
                return Err(KeymapError(format!(
                    "{table}: the {} has no keys of its own. Remove the table.",
                    mode.label()
                )));
            };
            for (command, chords) in commands {
                let name = word(command);
                let Some(binding) = bindings.bindings.iter_mut().find(|b| b.command == *command)
                else {
                    let known: Vec<String> =
                        bindings.bindings.iter().map(|b| word(b.command)).collect();
                    return Err(KeymapError(format!(
                        "{table}: {name} is not a command of the {}. Its commands are: {}.",
                        mode.label(),
                        known.join(", ")
                    )));
                };
                if chords.0.is_empty() {
                    return Err(KeymapError(format!(
                        "{table}: {name} has no key, so it could not be used. Give it at \
                         least one key."
                    )));
                }
                let typed = chords.0.iter().find(|c| c.text_char().is_some());
                if let (Some(_), Some(typed)) = (bindings.text_input, typed) {
                    return Err(KeymapError(format!(
                        "{table}: {name} = \"{typed}\" would stop `{typed}` from being \
                         typed into the {}. Use a key with ctrl or alt, or a special key.",
                        mode.label()
                    )));
                }
                binding.chords = chords.0.clone();
            }
            let mut seen: Vec<(Chord, Command)> = Vec::new();
            for binding in &bindings.bindings {
                for chord in &binding.chords {
                    if let Some((_, other)) = seen.iter().find(|(c, _)| c == chord) {
                        return Err(KeymapError(format!(
                            "{table}: in the {}, `{chord}` is bound to both {} and {}. Give \
                             one of them another key.",
                            mode.label(),
                            word(*other),
                            word(binding.command)
                        )));
                    }
                    seen.push((*chord, binding.command));
                }
            }
        }
        Ok(keymap)
    }

    /// The first chord bound to `command` in `mode`, as text (`R`, `ctrl-r`), for sentences
    /// such as "press R to rotate".
    pub fn key_for(&self, mode: Mode, command: Command) -> Option<String> {
        self.bindings(mode)
            .iter()
            .find(|b| b.command == command)
            .and_then(|b| b.chords.first())
            .map(ToString::to_string)
    }

    /// The same keymap without `commands` in any mode (a read-only profile drops create,
    /// rotate and delete, so neither the footer nor the help offers them).
    pub fn without(mut self, commands: &[Command]) -> Keymap {
        for mode in &mut self.modes {
            mode.bindings.retain(|b| !commands.contains(&b.command));
        }
        self
    }
}
