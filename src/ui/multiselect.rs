//! Rendering of the permission picker (step 2 of the key-creation wizard): the picker's
//! visible rows from its viewport offset, one line each, inside an area the wizard frames.
//!
//! A group header shows its check mark (`[x]` all, `[-]` some, `[ ]` none of its visible
//! scopes), its title and how many of its scopes are selected. A scope row, indented, shows
//! its mark, the scope, a risk badge, `(not in your token)` when the token lacks it, and the
//! description, dimmed and cut to the width. The focused row has a `>` in the first column
//! and the selected style. Each row depends only on its own state (and its group's counts),
//! so a toggle redraws only the rows whose marks changed and a move only the two focused
//! rows: the terminal backend then sends just those. Server text goes through
//! [`fit`], which turns control characters into `?`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::app::multiselect::{GroupMark, PermissionPicker, Row, ScopeRow};
use crate::app::notice::Severity;
use crate::layout::text::{fit, width};

/// Columns before a scope: the focus marker, a space, the indent and the check mark.
const SCOPE_PREFIX: usize = 8;
/// Columns around and in the risk badge: two spaces, the badge, two spaces.
const BADGE: usize = 9;
/// The scope column is as wide as the longest scope, up to this.
const SCOPE_MAX: usize = 32;
const NOT_GRANTABLE: &str = "(not in your token)";

pub fn render(frame: &mut Frame, area: Rect, picker: &PermissionPicker, theme: &Theme) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let total_width = area.width as usize;
    let rows = picker.rows();
    if rows.is_empty() {
        let text = format!("No permissions match \"{}\".", picker.query().trim());
        frame.render_widget(Line::styled(fit(&text, total_width), theme.dim()), area);
        return;
    }
    let longest = picker
        .scopes()
        .iter()
        .map(|row| width(&row.scope))
        .max()
        .unwrap_or(0);
    let scope_width = longest
        .min(SCOPE_MAX)
        .min(total_width.saturating_sub(SCOPE_PREFIX + BADGE))
        .max(1);
    let start = picker.offset().min(rows.len());
    let shown = rows[start..].iter().take(area.height as usize);
    for (line_index, (position, row)) in (start..).zip(shown).enumerate() {
        let focused = position == picker.focus();
        let marker = if focused { "> " } else { "  " };
        let mut spans = vec![Span::raw(marker)];
        match *row {
            Row::Group {
                group,
                mark,
                selected,
                total,
            } => {
                let count = format!("{selected}/{total}");
                let mark = match mark {
                    GroupMark::All => "[x] ",
                    GroupMark::Some => "[-] ",
                    GroupMark::None => "[ ] ",
                };
                let room = total_width.saturating_sub(2 + 4 + 2 + count.len());
                spans.push(Span::raw(mark));
                spans.push(Span::styled(
                    fit(&picker.group(group).title, room),
                    theme.title(),
                ));
                spans.push(Span::raw("  "));
                spans.push(Span::styled(count, theme.dim()));
            }
            Row::Scope { scope } => {
                let row = picker.scope(scope);
                scope_spans(&mut spans, row, scope_width, total_width, theme);
            }
        }
        let style = if focused {
            theme.selected()
        } else {
            Style::default()
        };
        let line_area = Rect {
            y: area.y + line_index as u16,
            height: 1,
            ..area
        };
        frame.render_widget(Line::from(spans).style(style), line_area);
    }
}

/// The spans of a scope row after the focus marker.
fn scope_spans(
    spans: &mut Vec<Span<'static>>,
    row: &ScopeRow,
    scope_width: usize,
    total_width: usize,
    theme: &Theme,
) {
    spans.push(Span::raw(if row.selected { "  [x] " } else { "  [ ] " }));
    let scope = fit(&row.scope, scope_width);
    let pad = scope_width.saturating_sub(width(&scope));
    let scope_style = if row.known {
        Style::default()
    } else {
        theme.unknown_scope()
    };
    spans.push(Span::styled(scope, scope_style));
    spans.push(Span::raw(format!("{:pad$}  ", "")));
    spans.push(Span::styled(
        format!("{:<5}", row.risk.label()),
        theme.risk(row.risk),
    ));
    spans.push(Span::raw("  "));
    let mut room = total_width.saturating_sub(SCOPE_PREFIX + scope_width + BADGE);
    if row.grantable == Some(false) {
        let marker = fit(NOT_GRANTABLE, room);
        room = room.saturating_sub(width(&marker) + 2);
        spans.push(Span::styled(marker, theme.notice(Severity::Warning)));
        spans.push(Span::raw("  "));
    }
    let description_style = if row.known {
        theme.dim()
    } else {
        theme.unknown_scope()
    };
    spans.push(Span::styled(fit(&row.description, room), description_style));
}
