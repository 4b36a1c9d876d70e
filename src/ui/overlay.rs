//! The help overlay: every binding of the mode it was opened from, generated from the live
//! keymap (never a hand-written list), and how to leave the help itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::app::details::Help;
use crate::keymap::{Command, Mode};
use crate::layout::help::{area, entries};
use crate::layout::text::fit;

const KEYS_WIDTH: usize = 16;

pub fn render(frame: &mut Frame, screen: Rect, app: &App, help: &Help, theme: &Theme) {
    let entries = entries(app.keymap(), help.under);
    let rect = area((screen.width, screen.height), entries.len());
    frame.render_widget(Clear, rect);
    // How to leave stays in sight on the bottom border, however long the list scrolls.
    let close = app
        .keymap()
        .bindings(Mode::Help)
        .iter()
        .find(|b| b.command == Command::ToggleHelp)
        .map(|b| format!(" {}: {} ", b.description, b.keys_label()))
        .unwrap_or_default();
    let block = Block::bordered()
        .title(Span::styled(" Help ", theme.title()))
        .title_bottom(Span::styled(
            fit(&close, rect.width.saturating_sub(2) as usize),
            theme.key_hint(),
        ))
        .border_style(theme.focused_border());
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let desc_width = (inner.width as usize).saturating_sub(KEYS_WIDTH + 1);
    let lines: Vec<Line> = entries
        .into_iter()
        .map(|(keys, text)| match keys {
            Some(keys) => Line::from(vec![
                Span::styled(
                    format!(" {:<w$}", fit(&keys, KEYS_WIDTH - 1), w = KEYS_WIDTH),
                    theme.key_hint(),
                ),
                Span::raw(fit(&text, desc_width)),
            ]),
            None => Line::styled(fit(&text, inner.width as usize), theme.title()),
        })
        .collect();
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = help.scroll.pos.min(max).min(u16::MAX as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
