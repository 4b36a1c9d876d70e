//! Drawing a text field: the focused field is the ratatui-textarea widget itself (its cursor
//! a reversed cell, its view scrolled to keep the cursor visible); an unfocused one is its
//! text, cut to the width. Field text is clean by construction (no control characters).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::field::TextField;
use crate::layout::text::fit;

pub fn render(frame: &mut Frame, area: Rect, field: &TextField, focused: bool) {
    if focused {
        frame.render_widget(field.widget(), area);
    } else {
        let text = fit(field.text(), area.width as usize);
        frame.render_widget(Paragraph::new(Line::raw(text)), area);
    }
}
