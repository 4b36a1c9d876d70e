//! The help overlay: every binding of the mode it was opened from, generated from the live
//! keymap (never a hand-written list), and how to leave the help itself.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

use super::text::fit;
use super::theme::Theme;
use crate::app::App;
use crate::app::details::Help;
use crate::keymap::{Keymap, Mode};

const KEYS_WIDTH: usize = 16;

/// One entry per line: (keys, description); `None` keys mark a heading or a blank line.
fn entries(keymap: &Keymap, under: Mode) -> Vec<(Option<String>, String)> {
    let mut out = vec![(None, format!("Keys of the {}", under.label()))];
    if let Some(mode) = keymap.mode(under) {
        if let Some(text) = mode.text_input {
            out.push((Some("(type)".into()), text.into()));
        }
        for binding in &mode.bindings {
            out.push((Some(binding.keys_label()), binding.description.into()));
        }
    }
    out.push((None, String::new()));
    out.push((None, "In this help".into()));
    for binding in keymap.bindings(Mode::Help) {
        out.push((Some(binding.keys_label()), binding.description.into()));
    }
    out
}

/// The overlay's rectangle for `lines` lines of content on a screen of `size`.
fn area(size: (u16, u16), lines: usize) -> Rect {
    let width = size.0.saturating_sub(4).min(76);
    let height = size.1.saturating_sub(2).min(lines as u16 + 2);
    Rect::new((size.0 - width) / 2, (size.1 - height) / 2, width, height)
}

/// The largest useful scroll position of the help of `under` at this size.
pub fn max_scroll(keymap: &Keymap, under: Mode, size: (u16, u16)) -> usize {
    let lines = entries(keymap, under).len();
    let inner = area(size, lines).height.saturating_sub(2) as usize;
    lines.saturating_sub(inner)
}

pub fn render(frame: &mut Frame, screen: Rect, app: &App, help: &Help, theme: &Theme) {
    let entries = entries(app.keymap(), help.under);
    let rect = area((screen.width, screen.height), entries.len());
    frame.render_widget(Clear, rect);
    let block = Block::bordered()
        .title(Span::styled(" Help ", theme.title()))
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
