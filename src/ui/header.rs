//! The header line: product name, the DEMO badge, the profile (in its band colour, with its
//! mode when it is not `normal`), the API host (as a warning when `--base-url` replaced the
//! profile's), the in-flight spinner with what it is doing, and the key count (`3 keys`,
//! `4 of 10000 keys`). It shows nothing that depends on the selection, so moving the
//! selection never rewrites it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::App;
use crate::app::remote::Remote;
use crate::layout::text::fit;

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let right = right_line(app, theme);
    let right_width = (right.width() as u16).min(area.width);
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Min(0), Constraint::Length(right_width)]).areas(area);

    let mut spans = vec![Span::styled("sdx-keys", theme.product()), Span::raw("  ")];
    if app.context().demo {
        spans.push(Span::styled(" DEMO ", theme.demo()));
        spans.push(Span::raw("  "));
    }
    let profile = &app.context().profile;
    spans.push(Span::styled(
        format!(" {} ", profile_label(profile)),
        theme.band(profile.band),
    ));
    spans.push(Span::raw("  "));
    let used: usize = spans.iter().map(Span::width).sum();
    let room = (left_area.width as usize).saturating_sub(used + 1);
    if profile.host_overridden {
        let host = format!("{} (not the profile's host)", app.context().api_host);
        spans.push(Span::styled(fit(&host, room), theme.warning()));
    } else {
        spans.push(Span::styled(
            fit(&app.context().api_host, room),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), left_area);
    frame.render_widget(Paragraph::new(right), right_area);
}

/// `| refreshing  3 keys ` (the spinner and its word only while a request is in flight; a
/// write in flight is named before a refresh).
fn right_line(app: &App, theme: &Theme) -> Line<'static> {
    let mut spans = Vec::new();
    if app.is_busy() {
        let doing = match (app.writing(), app.remote()) {
            (Some(writing), _) => writing,
            (None, Remote::Ready(..)) => "refreshing",
            (None, _) => "loading",
        };
        // Without animation (`--accessible`) the word alone says it.
        if let Some(spinner) = app.spinner() {
            spans.push(Span::styled(spinner.to_string(), theme.spinner()));
            spans.push(Span::raw(" "));
        }
        spans.push(Span::raw(format!("{doing}  ")));
    }
    if let Some(keys) = app.remote().value() {
        let total = keys.len();
        let noun = if total == 1 { "key" } else { "keys" };
        let quick = app.quick_filters();
        if !quick.is_empty() {
            spans.push(Span::styled(
                format!("[{}]  ", quick.join(", ")),
                theme.key_hint(),
            ));
        }
        let count = if !app.filter_active() {
            format!("{total} {noun}")
        } else {
            format!("{} of {total} {noun}", app.view().visible.len())
        };
        spans.push(Span::raw(count));
    }
    spans.push(Span::raw(" "));
    Line::from(spans)
}

/// `prod`, or `prod read-only` / `prod protected` when the mode limits what can be done.
pub fn profile_label(profile: &crate::app::ProfileInfo) -> String {
    let name = crate::layout::text::printable(&profile.name);
    match profile.access {
        crate::config::Access::Normal => name,
        access => format!("{name} {}", access.word()),
    }
}
