//! `--ascii`: the finished frame without box-drawing characters, for terminals and locales
//! that cannot show them. Applied to the whole buffer after drawing, so no widget needs to
//! know: lines become `-` and `|`, corners and joints `+`, the ellipsis `.`.

use ratatui::buffer::Buffer;

/// The ASCII stand-in of a drawing character, if `symbol` is one.
fn plain(symbol: &str) -> Option<&'static str> {
    let mut chars = symbol.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    Some(match c {
        '─' | '━' | '═' | '┄' | '┅' | '┈' | '┉' | '╌' | '╍' | '╴' | '╶' | '╸' | '╺' => {
            "-"
        }
        '│' | '┃' | '║' | '┆' | '┇' | '┊' | '┋' | '╎' | '╏' | '╵' | '╷' | '╹' | '╻' => {
            "|"
        }
        '\u{2500}'..='\u{257F}' => "+",
        '…' => ".",
        _ => return None,
    })
}

/// Replaces every drawing character in `buffer` by its ASCII stand-in.
pub fn flatten(buffer: &mut Buffer) {
    for cell in &mut buffer.content {
        if let Some(ascii) = plain(cell.symbol()) {
            cell.set_symbol(ascii);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawing_characters_become_ascii_and_text_stays() {
        assert_eq!(plain("─"), Some("-"));
        assert_eq!(plain("│"), Some("|"));
        assert_eq!(plain("┌"), Some("+"));
        assert_eq!(plain("┘"), Some("+"));
        assert_eq!(plain("…"), Some("."));
        assert_eq!(plain("a"), None);
        assert_eq!(plain("é"), None);
        assert_eq!(plain("東"), None);
    }
}
