//! The details of the selected key: every field, absolute UTC and relative times, and the
//! full permission list with each scope's description and risk from the catalogue (scopes
//! the catalogue does not know are marked as such). Drawn beside the list on wide terminals
//! and over the list when opened on narrower ones. Field lines are cut to the panel; only
//! permission descriptions wrap, so the line count (and the scroll range) does not depend on
//! the time.

use jiff::Timestamp;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use super::layout;
use super::text::{fit, wrap};
use super::theme::Theme;
use super::time::{absolute, relative};
use crate::api::ApiKey;
use crate::app::App;
use crate::app::notice::Notice;
use crate::catalogue::Catalogue;

const LABEL: usize = 11;
/// `2026-04-20 00:00:00 UTC (12mo ago)`: the absolute time and the widest relative text.
const ONE_LINE_TIME: usize = 23 + 2 + 8 + 1;

/// The panel's lines for `key` at an inner width of `width`.
pub fn lines(key: &ApiKey, width: usize, now: Timestamp, theme: &Theme) -> Vec<Line<'static>> {
    let value_width = width.saturating_sub(LABEL);
    let field = |label: &str, value: String, style| {
        Line::from(vec![
            Span::styled(format!("{label:<LABEL$}"), theme.dim()),
            Span::styled(fit(&value, value_width), style),
        ])
    };
    // Absolute and relative on one line when the widest relative text fits, else two lines
    // (decided by width only, so the line count never depends on the time).
    let one_line = value_width >= ONE_LINE_TIME;
    let time_lines = |label: &str, at: Timestamp| -> Vec<Line<'static>> {
        if one_line {
            let text = format!("{} ({})", absolute(at), relative(at, now));
            vec![field(label, text, theme.plain())]
        } else {
            vec![
                field(label, absolute(at), theme.plain()),
                field("", relative(at, now), theme.plain()),
            ]
        }
    };
    // Names and identifiers never lose characters: operators copy them. A value too long to
    // sit beside its label goes on the lines below it, at nearly the panel's full width, so
    // that a key id (35 characters) stays in one piece for mouse selection where it can.
    let wrapped = |label: &str, value: &str, style| -> Vec<Line<'static>> {
        let beside = wrap(value, value_width.max(1));
        if beside.len() <= 1 {
            return vec![field(label, value.to_owned(), style)];
        }
        let mut lines = vec![Line::from(Span::styled(label.to_owned(), theme.dim()))];
        lines.extend(
            wrap(value, width.saturating_sub(2).max(1))
                .into_iter()
                .map(|part| Line::from(vec![Span::raw("  "), Span::styled(part, style)])),
        );
        lines
    };
    let mut out = Vec::new();
    out.extend(wrapped("Name", &key.name, theme.title()));
    out.extend(wrapped("ID", &key.id.0, theme.plain()));
    out.extend(wrapped(
        "Status",
        &key.status,
        theme.status_word(&key.status),
    ));
    out.extend(wrapped("Prefix", &key.key_prefix, theme.plain()));
    out.extend(wrapped("Client ID", &key.client_id, theme.plain()));
    out.extend(time_lines("Created", key.created_at));
    match key.last_used_at {
        Some(at) => out.extend(time_lines("Last used", at)),
        None => out.push(field("Last used", "never".into(), theme.dim())),
    }
    out.extend([
        Line::default(),
        Line::styled(
            fit(&format!("Permissions ({})", key.permissions.len()), width),
            theme.title(),
        ),
    ]);
    if key.permissions.is_empty() {
        out.push(Line::styled("  none", theme.dim()));
    }
    let catalogue = Catalogue::builtin();
    let indent = 4;
    for scope in &key.permissions {
        let scope_width = width.saturating_sub(2 + 2 + 5).max(1);
        let scope_text = fit(scope, scope_width);
        match catalogue.get(scope) {
            Some(permission) => {
                out.push(Line::from(vec![
                    Span::raw(format!("  {scope_text}  ")),
                    Span::styled(permission.risk.label(), theme.risk(permission.risk)),
                ]));
                for line in wrap(&permission.description, width.saturating_sub(indent).max(1)) {
                    out.push(Line::from(format!("{:indent$}{line}", "")));
                }
            }
            None => {
                let text = format!("  {scope_text}  not in the catalogue");
                out.push(Line::styled(fit(&text, width), theme.unknown_scope()));
            }
        }
    }
    out
}

/// The panel's area: beside the list on wide terminals, over the list otherwise.
fn panel_area(size: (u16, u16), notice: Option<&Notice>) -> Rect {
    let areas = layout::areas(Rect::new(0, 0, size.0, size.1), notice);
    areas.side.unwrap_or(areas.list)
}

/// The largest useful scroll position of the details of `key` at this size.
pub fn max_scroll(key: &ApiKey, size: (u16, u16), notice: Option<&Notice>) -> usize {
    let area = panel_area(size, notice);
    let inner_width = area.width.saturating_sub(2) as usize;
    let inner_height = area.height.saturating_sub(2) as usize;
    let theme = Theme { color: false };
    lines(key, inner_width, key.created_at, &theme)
        .len()
        .saturating_sub(inner_height)
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
    let lines = lines(key, inner.width as usize, app.now(), theme);
    let max = lines.len().saturating_sub(inner.height as usize);
    let scroll = app.details_scroll().min(max).min(u16::MAX as usize) as u16;
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}
