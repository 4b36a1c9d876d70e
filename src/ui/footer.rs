//! The bottom of the screen: the status line (the current notice, its severity in words and
//! style) and the footer (the most used keys of the current mode, generated from the keymap;
//! in the filter input, the input itself). Neither depends on
//! the selection.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::App;
use crate::keymap::Mode;
use crate::layout::notice_lines;
use crate::layout::text::width;

pub fn render_status(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let Some(notice) = app.notice() else {
        return;
    };
    let style = theme.notice(notice.severity);
    let lines: Vec<Line> = notice_lines(Some(notice.status()), area.width)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

pub fn render_footer(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mode = app.mode();
    let room = area.width as usize;
    if mode != Mode::Filter {
        let spans = hint_spans(app, mode, room, theme);
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return;
    }
    // The filter input: hints keep their width first; the input gets the rest (at least
    // MIN_INPUT columns, for which hints are dropped if needed).
    const MIN_INPUT: usize = 16;
    let hints = hint_spans(app, mode, room.saturating_sub(MIN_INPUT), theme);
    let hints_width: usize = hints.iter().map(Span::width).sum();
    let input_room = room.saturating_sub(hints_width + 2);
    let [prompt, input, hints_area] = Layout::horizontal([
        Constraint::Length(1),
        Constraint::Length(input_room as u16 + 1),
        Constraint::Min(0),
    ])
    .areas(area);
    frame.render_widget(Span::styled("/", theme.key_hint()), prompt);
    super::field::render(frame, input, app.filter_editor(), true);
    frame.render_widget(Paragraph::new(Line::from(hints)), hints_area);
}

/// `key label` pairs separated by two spaces, fitted to `room`: when they do not all fit,
/// the ones just before the last two (help and quit) are dropped first.
fn hint_spans(app: &App, mode: Mode, room: usize, theme: &Theme) -> Vec<Span<'static>> {
    let mut hints = app.keymap().hints(mode);
    let total = |h: &[(String, &str)]| -> usize {
        h.iter().map(|(k, l)| width(k) + 1 + width(l) + 2).sum()
    };
    while !hints.is_empty() && total(&hints) > room {
        let drop = hints.len().saturating_sub(3);
        hints.remove(drop);
    }
    let mut spans = Vec::new();
    for (keys, label) in hints {
        spans.push(Span::styled(keys, theme.key_hint()));
        spans.push(Span::raw(format!(" {label}  ")));
    }
    spans
}
