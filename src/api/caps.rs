//! Bounds on what a key list may hold, so that a huge or hostile answer cannot multiply the
//! memory of the process or make every frame slow: at most [`MAX_KEYS`] keys, names cut at
//! [`MAX_NAME_BYTES`], ids, prefixes, client ids and scopes at [`MAX_ID_BYTES`], at most
//! [`MAX_PERMISSIONS`] permissions per key. What was cut is counted while a list is parsed
//! (on this thread) and said once, in a plain sentence, with the list.

use std::cell::Cell;

use std::fmt;

use serde::de::{Deserialize, Deserializer};

use super::ApiKey;

/// Keys kept from one list.
pub const MAX_KEYS: usize = 100_000;
/// Bytes kept of a key's name.
pub const MAX_NAME_BYTES: usize = 1024;
/// Bytes kept of an id, a prefix, a client id, a status or a scope.
pub const MAX_ID_BYTES: usize = 256;
/// Permissions kept per key.
pub const MAX_PERMISSIONS: usize = 200;

/// What a list parse cut, counted per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cuts {
    pub keys_dropped: usize,
    pub fields_cut: usize,
    pub permissions_dropped: usize,
}

impl Cuts {
    /// One sentence for the status line, or `None` when nothing was cut.
    pub fn sentence(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.keys_dropped > 0 {
            parts.push(format!(
                "only the first {MAX_KEYS} keys are shown ({} more were left out)",
                self.keys_dropped
            ));
        }
        if self.fields_cut > 0 {
            parts.push(format!(
                "{} over-long names or ids were cut short",
                self.fields_cut
            ));
        }
        if self.permissions_dropped > 0 {
            parts.push(format!(
                "keys with more than {MAX_PERMISSIONS} permissions show the first \
                 {MAX_PERMISSIONS} ({} left out)",
                self.permissions_dropped
            ));
        }
        (!parts.is_empty()).then(|| {
            format!(
                "The API's list is larger than sdx-keys shows: {}.",
                parts.join("; ")
            )
        })
    }
}

thread_local! {
    static CUTS: Cell<Cuts> = const { Cell::new(Cuts { keys_dropped: 0, fields_cut: 0, permissions_dropped: 0 }) };
}

/// Starts counting (a list parse begins on this thread).
pub fn start() {
    CUTS.with(|cuts| cuts.set(Cuts::default()));
}

/// What was cut since [`start`].
pub fn taken() -> Cuts {
    CUTS.with(|cuts| cuts.replace(Cuts::default()))
}

pub(crate) fn count(change: impl FnOnce(&mut Cuts)) {
    CUTS.with(|cuts| {
        let mut now = cuts.get();
        change(&mut now);
        cuts.set(now);
    });
}

/// `text` cut to at most `max` bytes, on a character boundary (counted when cut).
pub fn cut(mut text: String, max: usize) -> String {
    if text.len() > max {
        let mut end = max;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
        text.shrink_to_fit();
        count(|c| c.fields_cut += 1);
    }
    text
}

pub(crate) fn capped_name<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(cut(String::deserialize(d)?, MAX_NAME_BYTES))
}

pub(crate) fn capped_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(cut(String::deserialize(d)?, MAX_ID_BYTES))
}

/// An array of which at most `MAX` elements are kept; the rest are read past (not built) and
/// counted.
pub(crate) struct Capped<T, const MAX: usize> {
    pub(crate) items: Vec<T>,
    pub(crate) dropped: usize,
}

impl<'de, T: Deserialize<'de>, const MAX: usize> Deserialize<'de> for Capped<T, MAX> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<T, const MAX: usize>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>, const MAX: usize> serde::de::Visitor<'de> for Visit<T, MAX> {
            type Value = Capped<T, MAX>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Capped<T, MAX>, A::Error> {
                let hint = seq.size_hint().unwrap_or(0).min(MAX).min(4096);
                let mut items = Vec::with_capacity(hint);
                let mut dropped = 0;
                while items.len() < MAX {
                    match seq.next_element::<T>()? {
                        Some(item) => items.push(item),
                        None => return Ok(Capped { items, dropped }),
                    }
                }
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    dropped += 1;
                }
                Ok(Capped { items, dropped })
            }
        }
        d.deserialize_seq(Visit::<T, MAX>(std::marker::PhantomData))
    }
}

/// A parsed key list and what was cut from it to stay within bounds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyList {
    pub keys: Vec<ApiKey>,
    pub cuts: Cuts,
}

impl From<Vec<ApiKey>> for KeyList {
    fn from(keys: Vec<ApiKey>) -> KeyList {
        KeyList {
            keys,
            cuts: Cuts::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cutting_keeps_whole_characters_and_counts() {
        start();
        assert_eq!(cut("abc".into(), 5), "abc");
        assert_eq!(cut("東京東京".into(), 7), "東京");
        assert_eq!(taken().fields_cut, 1);
        assert_eq!(taken(), Cuts::default());
        assert!(Cuts::default().sentence().is_none());
        let said = Cuts {
            keys_dropped: 5,
            fields_cut: 2,
            permissions_dropped: 0,
        }
        .sentence()
        .unwrap();
        assert!(said.contains("100000") && said.contains("5 more") && said.contains("2 over-long"));
    }
}
