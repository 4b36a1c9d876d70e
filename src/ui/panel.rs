//! Pieces the full-screen panels share: the framed body with its title, a centred question
//! box, and a labelled line.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::theme::Theme;
use crate::layout::text::fit;

/// Draws the frame of a panel and returns its inside.
pub fn frame(frame: &mut Frame, area: Rect, title: &str, theme: &Theme) -> Rect {
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", fit(title, area.width.saturating_sub(4) as usize)),
            theme.title(),
        ))
        .border_style(theme.focused_border());
    let inner = block.inner(area);
    frame.render_widget(block, area);
    inner
}

/// `label  value` with the label dimmed, cut to `width`.
pub fn labelled(
    label: &str,
    value: &str,
    width: usize,
    value_style: Style,
    theme: &Theme,
) -> Line<'static> {
    const LABEL: usize = 9;
    Line::from(vec![
        Span::styled(format!("{label:<LABEL$}"), theme.dim()),
        Span::styled(fit(value, width.saturating_sub(LABEL)), value_style),
    ])
}

/// A box of `lines` centred on `screen`, `height` rows of text tall; returns the row inside
/// it just below the text (for an input field).
pub fn question(
    frame: &mut Frame,
    screen: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    extra_rows: u16,
    theme: &Theme,
) -> Rect {
    let width = screen.width.saturating_sub(4).min(72);
    let text_rows = wrapped_rows(&lines, width.saturating_sub(2));
    let height = (text_rows + extra_rows + 2).min(screen.height);
    let area = Rect::new(
        screen.x + (screen.width - width) / 2,
        screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height,
    );
    frame.render_widget(Clear, area);
    let inner = self::frame(frame, area, title, theme);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    Rect::new(
        inner.x,
        (inner.y + text_rows).min(inner.y + inner.height.saturating_sub(1)),
        inner.width,
        extra_rows.min(inner.height),
    )
}

/// Rows `lines` take when word-wrapped at `width`, as a wrapping `Paragraph` draws them.
pub fn wrapped_rows(lines: &[Line], width: u16) -> u16 {
    let rows = Paragraph::new(lines.to_vec())
        .wrap(Wrap { trim: false })
        .line_count(width.max(1));
    rows.min(u16::MAX as usize) as u16
}
