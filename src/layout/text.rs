//! Text measuring and fitting by display width: truncation with `…`, word wrapping, and
//! neutralising control characters from server data. Pure functions; never panic on any
//! input (wide characters, combining marks, empty strings, zero widths).

use ratatui::text::Span;

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

/// Characters that must not reach the terminal from text sdx-keys did not write itself:
/// C0, DEL and C1 controls (which could move the cursor or inject escapes) and the invisible
/// bidirectional controls (which could reorder what the screen shows, so a name could pass
/// for another).
pub fn is_unshowable(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}'
        )
}

/// `text` whole, with unshowable characters (see [`is_unshowable`]) as `?`: for text from
/// elsewhere (the API's messages) drawn in a wrapping paragraph.
pub fn printable(text: &str) -> String {
    text.chars().map(clean).collect()
}

/// Unshowable characters (see [`is_unshowable`]) become `?`.
fn clean(c: char) -> char {
    if is_unshowable(c) { '?' } else { c }
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
    fn tail_keeps_the_end() {
        assert_eq!(tail("abcdef", 3), "def");
        assert_eq!(tail("ab", 3), "ab");
    }
}
