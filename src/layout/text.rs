//! Text measuring and fitting by display width: truncation with `…`, word wrapping, and
//! neutralising characters from elsewhere (the API, the config, the environment) that cannot
//! be shown safely: which characters those are ([`is_unshowable`]), from the Unicode
//! properties of `icu_properties` rather than a table of our own. Pure functions; never
//! panic on any input (wide characters, combining marks, empty strings, zero widths).

use icu_properties::CodePointSetDataBorrowed;
use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory};
use icu_properties::{CodePointMapData, CodePointMapDataBorrowed, CodePointSetData};
use ratatui::text::Span;

/// What an unshowable character is drawn as.
pub const PLACEHOLDER: char = '?';

/// The General_Category of every code point (compiled-in data; looking one up is a few
/// array reads).
const CATEGORY: CodePointMapDataBorrowed<'static, GeneralCategory> = CodePointMapData::new();

/// The code points with Default_Ignorable_Code_Point (compiled-in data; a binary search over
/// a few dozen ranges).
const IGNORABLE: CodePointSetDataBorrowed<'static> =
    CodePointSetData::new::<DefaultIgnorableCodePoint>();

/// Display width of one character (0 for control characters).
pub fn char_width(c: char) -> usize {
    if c.is_control() {
        return 0;
    }
    let mut buf = [0u8; 4];
    Span::raw(&*c.encode_utf8(&mut buf)).width()
}

/// Display width of a string, as [`fit`] counts it.
pub fn width(text: &str) -> usize {
    text.chars().map(clean).map(char_width).sum()
}

/// Whether `c` must not reach the terminal from text sdx-keys did not write itself, because
/// it could act on the terminal or make one name pass for another. These are:
///
/// - controls (General_Category Cc: C0, DEL and C1, which could move the cursor or start an
///   escape sequence; tabs and newlines too);
/// - format characters (Cf: the bidirectional controls that reorder what the screen shows,
///   zero-width spaces and joiners, the byte-order mark, tag characters, the soft hyphen);
/// - the line and paragraph separators (Zl, Zp), private-use (Co), surrogate (Cs) and
///   unassigned (Cn) code points, none of which has an agreed glyph;
/// - every Default_Ignorable_Code_Point (invisible letters such as U+3164 HANGUL FILLER,
///   the combining grapheme joiner U+034F, variation selectors);
/// - every space other than U+0020 (Zs: U+00A0, U+2000 to U+200A, U+3000 and the rest),
///   which looks like a space but is not one.
///
/// Letters, marks (so `e` with a combining acute stays as it is), digits, punctuation,
/// symbols and emoji are showable; printable ASCII and the space always are.
pub fn is_unshowable(c: char) -> bool {
    if c.is_ascii() {
        return !matches!(c, ' '..='~');
    }
    match CATEGORY.get(c) {
        GeneralCategory::Control
        | GeneralCategory::Format
        | GeneralCategory::LineSeparator
        | GeneralCategory::ParagraphSeparator
        | GeneralCategory::PrivateUse
        | GeneralCategory::Surrogate
        | GeneralCategory::Unassigned
        | GeneralCategory::SpaceSeparator => true,
        _ => IGNORABLE.contains(c),
    }
}

/// Whether every byte of `text` is printable ASCII (a space to `~`), so that nothing in it
/// is unshowable: the fast path for the common case.
fn all_printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| matches!(b, b' '..=b'~'))
}

/// Whether `text` holds any unshowable character (see [`is_unshowable`]), that is, whether
/// [`printable`] would change it.
pub fn has_unshowable(text: &str) -> bool {
    !all_printable_ascii(text) && text.chars().any(is_unshowable)
}

/// `text` whole, with each unshowable character (see [`is_unshowable`]) as [`PLACEHOLDER`]:
/// for text from elsewhere (names, the API's messages, paths, commands) drawn on screen or
/// written to the terminal.
pub fn printable(text: &str) -> String {
    if all_printable_ascii(text) {
        return text.to_owned();
    }
    text.chars().map(clean).collect()
}

/// Unshowable characters (see [`is_unshowable`]) become [`PLACEHOLDER`].
fn clean(c: char) -> char {
    if is_unshowable(c) { PLACEHOLDER } else { c }
}

/// `text` cut to at most `max` columns, ending in `…` when something was cut.
pub fn fit(text: &str, max: usize) -> String {
    if max == 0 {
        return String::new();
    }
    if width(text) <= max {
        return text.chars().map(clean).collect();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars().map(clean) {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// The last `max` columns of `text` (for an input whose cursor is at its end).
pub fn tail(text: &str, max: usize) -> &str {
    let mut used = 0;
    let mut start = text.len();
    for (i, c) in text.char_indices().rev() {
        let w = char_width(clean(c));
        if used + w > max {
            break;
        }
        used += w;
        start = i;
    }
    &text[start..]
}

/// Word-wraps `text` into lines of at most `max` columns; words longer than a line are cut.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    if max == 0 {
        return lines;
    }
    let mut line = String::new();
    let mut used = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let w = width(word);
        if used > 0 && used + 1 + w <= max {
            line.push(' ');
            line.push_str(&fit(word, w));
            used += 1 + w;
            continue;
        }
        if used > 0 {
            lines.push(std::mem::take(&mut line));
        }
        if w <= max {
            line = fit(word, w);
            used = w;
        } else {
            // Hard-break a long word.
            let mut rest: String = word.chars().map(clean).collect();
            loop {
                let head = take_width(&rest, max);
                let head_len = head.len();
                if head_len == 0 || head_len == rest.len() {
                    used = width(&rest);
                    line = rest;
                    break;
                }
                lines.push(head.to_owned());
                rest = rest[head_len..].to_owned();
            }
        }
    }
    if used > 0 || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The longest prefix of `text` that fits in `max` columns.
fn take_width(text: &str, max: usize) -> &str {
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = char_width(c);
        if used + w > max {
            return &text[..i];
        }
        used += w;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_truncates_by_display_width() {
        assert_eq!(fit("grafana", 10), "grafana");
        assert_eq!(fit("grafana-readonly", 8), "grafana…");
        assert_eq!(fit("日本語の名前", 5), "日本…");
        assert_eq!(width(&fit("日本語の名前", 4)), 3);
        assert_eq!(fit("abc", 0), "");
        assert_eq!(fit("a\u{1b}[2Jb", 10), "a?[2Jb");
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("one two three", 7), vec!["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), vec![""]);
        assert!(wrap("x", 0).is_empty());
    }

    #[test]
    fn unshowable_by_class() {
        // Cc, Cf, Zl, Zp, Co, Cn, Default_Ignorable_Code_Point, non-ASCII Zs.
        for c in [
            '\u{1b}', '\u{9b}', '\u{202e}', '\u{200d}', '\u{2028}', '\u{2029}', '\u{e000}',
            '\u{378}', '\u{3164}', '\u{fe0f}', '\u{a0}', '\u{3000}',
        ] {
            assert!(is_unshowable(c), "U+{:04X}", c as u32);
        }
        for c in [
            'a',
            ' ',
            '~',
            '\u{301}',
            '\u{fc}',
            '\u{6771}',
            '\u{1f642}',
            '\u{2026}',
        ] {
            assert!(!is_unshowable(c), "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn printable_replaces_and_has_unshowable_agrees() {
        assert_eq!(printable("a\u{a0}b\u{202e}c"), "a?b?c");
        assert_eq!(printable("e\u{301} \u{1f642}"), "e\u{301} \u{1f642}");
        assert!(has_unshowable("a\tb"));
        assert!(!has_unshowable("CI/CD: deploy-1"));
        assert!(!has_unshowable(""));
        assert_eq!(fit("a\u{200b}bc", 10), "a?bc");
        assert_eq!(width("a\u{3164}"), 2);
    }

    #[test]
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("ab", 3), "ab");
    }
}
