//! The list filter: its text (a [`TextField`]), the audit's quick filters (unused keys, keys
//! with write or admin scopes; see [`crate::audit`]), and the matching of keys against them.
//!
//! Each whitespace-separated word must match the key somewhere: fuzzily (nucleo-matcher)
//! in the name or in any permission, or as a plain case-insensitive substring of the id or
//! the key prefix. The `Matcher` and its scratch buffer are reused across keystrokes, and a
//! query that only grew can be applied to the previous result instead of the whole list.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use jiff::Timestamp;

use super::field::TextField;
use crate::api::ApiKey;
use crate::audit::{DEFAULT_UNUSED_DAYS, is_risky, is_unused};

struct Word {
    fuzzy: Atom,
    lower: String,
}

pub struct Filter {
    pub editor: TextField,
    /// The query the words were built from.
    applied: String,
    words: Vec<Word>,
    matcher: Matcher,
    buf: Vec<char>,
    /// Only keys never used or unused for [`DEFAULT_UNUSED_DAYS`] (`u`).
    pub unused: bool,
    /// Only keys holding a write or admin scope (`w`).
    pub risky: bool,
    /// The time "unused" is measured against (set by the model before matching).
    pub now: Timestamp,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            editor: TextField::default(),
            applied: String::new(),
            words: Vec::new(),
            matcher: Matcher::new(Config::DEFAULT),
            buf: Vec::new(),
            unused: false,
            risky: false,
            now: Timestamp::UNIX_EPOCH,
        }
    }
}

/// How the result of a new query relates to the previous one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Same,
    /// The new query only adds constraints: filter the previous result.
    Narrower,
    /// Start again from the whole list.
    Different,
}

impl Filter {
    pub fn text(&self) -> &str {
        self.editor.text()
    }

    /// The query currently applied, trimmed (empty: no filter).
    pub fn query(&self) -> &str {
        self.applied.trim()
    }

    pub fn is_active(&self) -> bool {
        !self.words.is_empty() || self.unused || self.risky
    }

    /// The quick filters in force, in words, for the header (empty: none).
    pub fn quick_label(&self) -> Vec<&'static str> {
        let mut words = Vec::new();
        if self.unused {
            words.push("unused");
        }
        if self.risky {
            words.push("write/admin");
        }
        words
    }

    /// Rebuilds the words from the editor text and says how the result changes.
    pub fn sync(&mut self) -> Change {
        let text = self.editor.text();
        if text == self.applied {
            return Change::Same;
        }
        let change = if !self.applied.trim().is_empty() && text.starts_with(&self.applied) {
            Change::Narrower
        } else {
            Change::Different
        };
        self.applied.clear();
        self.applied.push_str(text);
        self.words.clear();
        for word in self.applied.split_whitespace() {
            self.words.push(Word {
                fuzzy: Atom::new(
                    word,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    AtomKind::Fuzzy,
                    false,
                ),
                lower: word.to_lowercase(),
            });
        }
        change
    }

    /// Whether `key` matches every word of the query (always true without a query).
    pub fn matches(&mut self, key: &ApiKey) -> bool {
        if self.unused && !is_unused(key, DEFAULT_UNUSED_DAYS, self.now) {
            return false;
        }
        if self.risky && !is_risky(key) {
            return false;
        }
        let Filter {
            words,
            matcher,
            buf,
            ..
        } = self;
        words.iter().all(|word| {
            contains_ignore_case(&key.id.0, &word.lower)
                || contains_ignore_case(&key.key_prefix, &word.lower)
                || word
                    .fuzzy
                    .score(Utf32Str::new(&key.name, buf), matcher)
                    .is_some()
                || key
                    .permissions
                    .iter()
                    .any(|p| word.fuzzy.score(Utf32Str::new(p, buf), matcher).is_some())
        })
    }
}

/// Case-insensitive substring test; `needle` is already lower case. No allocation for
/// ASCII haystacks.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}
