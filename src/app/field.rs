//! A single-line text field: a ratatui-textarea (the widget the UI draws) under a thin layer
//! of our rules. Control characters never enter the text (pasted newlines and tabs become
//! spaces, carriage returns go), the length is capped in characters, and the editing
//! commands of the keymap map onto the widget's operations in one place, so the filter, the
//! wizard's name, the path prompt and the typed confirmations all edit alike.
//!
//! It holds no secret: nothing typed here is one (undo history is off, and what the widget's
//! own yank buffer keeps is a name or a path).

use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea};

use crate::keymap::Command;

/// The longest text a field accepts unless it says otherwise, in characters.
pub const DEFAULT_MAX_CHARS: usize = 256;

#[derive(Debug, Clone)]
pub struct TextField {
    area: TextArea<'static>,
    max_chars: usize,
}

impl Default for TextField {
    fn default() -> TextField {
        TextField::new(DEFAULT_MAX_CHARS)
    }
}

impl TextField {
    pub fn new(max_chars: usize) -> TextField {
        let mut area = TextArea::default();
        area.set_cursor_line_style(Style::default());
        area.set_max_histories(0);
        TextField { area, max_chars }
    }

    /// A field holding `text` (cleaned and capped like typed text), cursor at the end.
    pub fn with_text(text: &str, max_chars: usize) -> TextField {
        let mut field = TextField::new(max_chars);
        field.insert_str(text);
        field
    }

    pub fn text(&self) -> &str {
        self.area.lines().first().map(String::as_str).unwrap_or("")
    }

    /// The widget, for drawing (`frame.render_widget(field.widget(), area)`).
    pub fn widget(&self) -> &TextArea<'static> {
        &self.area
    }

    /// The text before the cursor (for placing the terminal cursor).
    pub fn before_cursor(&self) -> &str {
        let column = self.area.cursor().1;
        let text = self.text();
        let end = text
            .char_indices()
            .nth(column)
            .map(|(i, _)| i)
            .unwrap_or(text.len());
        &text[..end]
    }

    pub fn is_empty(&self) -> bool {
        self.text().is_empty()
    }

    pub fn char_count(&self) -> usize {
        self.text().chars().count()
    }

    /// Types one character; false when the field is full (nothing changes).
    pub fn insert(&mut self, c: char) -> bool {
        let c = if c.is_control() { ' ' } else { c };
        if self.char_count() >= self.max_chars {
            return false;
        }
        self.area.insert_char(c);
        true
    }

    /// Inserts pasted text up to the cap; returns whether anything changed.
    pub fn insert_str(&mut self, text: &str) -> bool {
        let room = self.max_chars.saturating_sub(self.char_count());
        let clean: String = text
            .chars()
            .filter(|&c| c != '\r')
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(room)
            .collect();
        !clean.is_empty() && self.area.insert_str(clean)
    }

    /// Erases everything; returns whether there was anything.
    pub fn clear(&mut self) -> bool {
        self.area.clear()
    }

    pub fn end(&mut self) {
        self.area.move_cursor(CursorMove::End);
    }

    /// Applies a line-editing command: `Some(changed)` when `command` is one (changed says
    /// whether the text changed), `None` for every other command.
    pub fn edit(&mut self, command: Command) -> Option<bool> {
        let area = &mut self.area;
        let changed = match command {
            Command::DeleteBack => area.delete_char(),
            Command::DeleteForward => area.delete_next_char(),
            Command::CursorLeft => {
                area.move_cursor(CursorMove::Back);
                false
            }
            Command::CursorRight => {
                area.move_cursor(CursorMove::Forward);
                false
            }
            Command::CursorHome => {
                area.move_cursor(CursorMove::Head);
                false
            }
            Command::CursorEnd => {
                area.move_cursor(CursorMove::End);
                false
            }
            Command::ClearLine => area.clear(),
            Command::DeleteWordBack => area.delete_word(),
            _ => return None,
        };
        Some(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_spaces_and_the_cap_holds() {
        let mut field = TextField::new(5);
        assert!(field.insert_str("a\tb\r\nc\x1b[31m"));
        assert_eq!(field.text(), "a b c");
        assert!(!field.insert('x'), "full");
        assert_eq!(field.char_count(), 5);
    }

    #[test]
    fn editing_commands_move_and_delete_by_character() {
        let mut field = TextField::with_text("héllo wörld", 64);
        assert_eq!(field.edit(Command::DeleteWordBack), Some(true));
        assert_eq!(field.text(), "héllo ");
        field.edit(Command::CursorHome);
        field.edit(Command::CursorRight);
        assert_eq!(field.before_cursor(), "h");
        assert_eq!(field.edit(Command::DeleteForward), Some(true));
        assert_eq!(field.text(), "hllo ");
        assert_eq!(field.edit(Command::Quit), None);
        assert_eq!(field.edit(Command::ClearLine), Some(true));
        assert!(field.is_empty());
    }

    #[test]
    fn a_huge_paste_is_cut_at_the_cap() {
        let mut field = TextField::new(DEFAULT_MAX_CHARS);
        field.insert_str(&"x".repeat(10_000));
        assert_eq!(field.char_count(), DEFAULT_MAX_CHARS);
    }
}
