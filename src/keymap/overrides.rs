//! The config file's `[keys]` table as data: per mode, per command, the chords that replace
//! the command's built-in ones, read straight from TOML. Unknown mode or command names and
//! chords that do not parse are refused while the file is read; whether the table can be
//! applied to the keymap is [`Keymap::with_overrides`](super::Keymap::with_overrides)'s job.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::{Chord, Command, Mode};

/// The `[keys]` table: per mode, per command, the chords that replace the built-in ones.
///
/// Deserializes straight from TOML: modes and commands by their serde `snake_case` names
/// (an unknown name is a serde error naming it), chords as in [`Chords`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct KeyOverrides(pub BTreeMap<Mode, BTreeMap<Command, Chords>>);

/// One chord (`"x"`) or several (`["x", "delete"]`), each parsed when the file is read, in
/// the order written (the first is the one the footer shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chords(pub Vec<Chord>);

impl<'de> Deserialize<'de> for Chords {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Chords, D::Error> {
        deserializer.deserialize_any(ChordsVisitor)
    }
}

struct ChordsVisitor;

fn parse_chord<E: de::Error>(text: &str) -> Result<Chord, E> {
    text.parse().map_err(E::custom)
}

impl<'de> Visitor<'de> for ChordsVisitor {
    type Value = Chords;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key such as \"ctrl-r\", or a list of keys such as [\"x\", \"delete\"]")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Chords, E> {
        Ok(Chords(vec![parse_chord(text)?]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Chords, A::Error> {
        let mut chords = Vec::new();
        while let Some(text) = seq.next_element::<String>()? {
            chords.push(parse_chord(&text)?);
        }
        Ok(Chords(chords))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<KeyOverrides, String> {
        toml::from_str(text).map_err(|err| err.to_string())
    }

    #[test]
    fn a_chord_may_be_a_string_or_a_list() {
        let overrides = read("[list]\nrefresh = \"f5\"\ndelete_key = [\"x\", \"delete\"]").unwrap();
        let list = &overrides.0[&Mode::List];
        assert_eq!(list[&Command::Refresh].0, vec!["f5".parse().unwrap()]);
        let delete: Vec<Chord> = vec!["x".parse().unwrap(), "delete".parse().unwrap()];
        assert_eq!(list[&Command::DeleteKey].0, delete);
    }

    #[test]
    fn a_bad_chord_is_refused_by_name() {
        let err = read("[list]\nrefresh = [\"f5\", \"hyper-r\"]").unwrap_err();
        assert!(err.contains("`hyper-r` is not a key"), "{err}");
        let err = read("[list]\nrefresh = 5").unwrap_err();
        assert!(err.contains("a key such as"), "{err}");
    }
}
