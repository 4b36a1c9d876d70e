//! The details of the selected key, drawn from the role-tagged lines of
//! [`crate::layout::details`]: beside the list on wide terminals, over the list when opened on
//! narrower ones. Also the role-to-style mapping other panels share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::theme::Theme;
use crate::app::App;
use crate::layout::{DocLine, Piece, Role, details};

/// The style of a role-tagged piece.
pub fn style_of(theme: &Theme, piece: &Piece) -> Style {
    match piece.role {
        Role::Plain => theme.plain(),
        Role::Dim => theme.dim(),
        Role::Title => theme.title(),
        Role::StatusWord => theme.status_word(&piece.text),
        Role::Risk(risk) => theme.risk(risk),
        Role::UnknownScope => theme.unknown_scope(),
        Role::KeyHint => theme.key_hint(),
    }
}

/// Role-tagged lines as styled ratatui lines.
pub fn styled(lines: Vec<DocLine>, theme: &Theme) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .map(|pieces| {
            Line::from(
                pieces
                    .into_iter()
                    .map(|p| {
                        let style = style_of(theme, &p);
                        Span::styled(p.text, style)
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect()
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme, focused: bool) {
    let border = if focused {
        theme.focused_border()
    } else {
        theme.border()
    };
    let block = Block::bordered()
        .title(Span::styled(" Details ", theme.title()))
        .border_style(border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(key) = app.selected_key() else {
        let text = if app.remote().value().is_some() {
            "No key selected."
        } else {
            ""
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), inner);
        return;
    };
    let lines = styled(details::lines(key, inner.width as usize, app.now()), theme);
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = app.details_scroll().min(max).min(u16::MAX as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
