//! The creation wizard's screen: the step's title in the frame, then step 1 the name field
//! with its rule and any error under it, step 2 the permission picker with the selection
//! count, the filter and the free-text scope input, step 3 the review (name, scopes grouped
//! by resource with their risk, a warning for write and admin scopes). A create in flight and
//! the question before leaving are drawn over it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel;
use super::theme::Theme;
use crate::app::App;
use crate::app::wizard::{Leaving, Step, Wizard};
use crate::catalogue::Risk;
use crate::layout::text::{fit, printable};

pub fn render(frame: &mut Frame, body: Rect, app: &App, wizard: &Wizard, theme: &Theme) {
    let (number, title) = match wizard.step() {
        Step::Name => (1, "name"),
        Step::Permissions => (2, "permissions"),
        Step::Review => (3, "review and create"),
    };
    let inner = panel::frame(
        frame,
        body,
        &format!("New key, step {number} of 3: {title}"),
        theme,
    );
    match wizard.step() {
        Step::Name => name_step(frame, inner, wizard, theme),
        Step::Permissions => permissions_step(frame, inner, app, wizard, theme),
        Step::Review => review_step(frame, inner, app, wizard, theme),
    }
    if let Some(leaving) = wizard.leaving() {
        let what = match leaving {
            Leaving::Close => "Leave the wizard?",
            Leaving::Quit => "Quit sdx-keys?",
        };
        let lines = vec![
            Line::from(format!("{what} The name and scopes you chose are lost.")),
            Line::styled("y leave   n stay", theme.key_hint()),
        ];
        panel::question(frame, body, "Leave", lines, 0, theme);
    }
}

fn rows(area: Rect) -> impl Iterator<Item = Rect> {
    (0..area.height).map(move |i| Rect::new(area.x, area.y + i, area.width, 1))
}

fn name_step(frame: &mut Frame, inner: Rect, wizard: &Wizard, theme: &Theme) {
    let mut rows = rows(inner);
    let width = inner.width as usize;
    if let Some(row) = rows.next() {
        frame.render_widget(Line::styled("Name of the new key", theme.title()), row);
    }
    if let Some(row) = rows.next() {
        let [prompt, field] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(2),
            ratatui::layout::Constraint::Min(1),
        ])
        .areas(row);
        frame.render_widget(Span::styled("> ", theme.key_hint()), prompt);
        super::field::render(frame, field, wizard.name(), true);
    }
    let count = wizard.name().text().trim().chars().count();
    let mut lines = vec![Line::styled(
        fit(
            &format!("{count} of 3 to 100 characters; spaces at the ends are dropped."),
            width,
        ),
        theme.dim(),
    )];
    if let Some(error) = wizard.name_error() {
        lines.push(Line::styled(printable(&error), theme.error()));
    }
    if let Some(error) = wizard.error() {
        lines.push(Line::styled(printable(error), theme.error()));
    }
    let rest: Vec<Rect> = rows.collect();
    if let (Some(first), Some(last)) = (rest.first(), rest.last()) {
        let area = Rect::new(first.x, first.y, first.width, last.y + 1 - first.y);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
    }
}

fn permissions_step(frame: &mut Frame, inner: Rect, app: &App, wizard: &Wizard, theme: &Theme) {
    let picker = wizard.picker();
    let width = inner.width as usize;
    let top = Rect::new(inner.x, inner.y, inner.width, 1.min(inner.height));
    let mut spans = vec![Span::styled(
        format!("{} selected", picker.selected_count()),
        theme.title(),
    )];
    if wizard.is_filtering() || !wizard.filter().is_empty() {
        spans.push(Span::raw("   filter "));
        spans.push(Span::styled("/", theme.key_hint()));
        frame.render_widget(Line::from(spans.clone()), top);
        let used: usize = spans.iter().map(Span::width).sum();
        let field = Rect::new(
            inner.x + used as u16,
            inner.y,
            inner.width.saturating_sub(used as u16),
            top.height,
        );
        super::field::render(frame, field, wizard.filter(), wizard.is_filtering());
    } else {
        frame.render_widget(Line::from(spans), top);
    }
    let picker_area =
        crate::layout::wizard::picker_area(app.size(), app.notice().map(|n| n.status()));
    super::multiselect::render(frame, picker_area, picker, theme);
    let bottom_y = picker_area.y + picker_area.height;
    let bottom = Rect::new(
        inner.x,
        bottom_y,
        inner.width,
        (inner.y + inner.height).saturating_sub(bottom_y),
    );
    let mut lines = Vec::new();
    if wizard.scope_input().is_none() {
        let text = wizard
            .scope_error()
            .or(wizard.permissions_error())
            .or(wizard.error())
            .map(str::to_owned);
        match text {
            Some(text) => lines.push(Line::styled(fit(&text, width), theme.error())),
            None if wizard.is_filtering() => lines.push(Line::styled(
                fit(
                    "type to narrow the scopes  up/down move  enter keep  esc clear",
                    width,
                ),
                theme.dim(),
            )),
            None => lines.push(Line::styled(
                fit(
                    "space toggles  a all visible  r read-only preset  + add a scope  / filter",
                    width,
                ),
                theme.dim(),
            )),
        }
        frame.render_widget(Paragraph::new(lines), bottom);
    } else if let Some(input) = wizard.scope_input() {
        let label = "Add scope (resource:action): ";
        let row = Rect::new(bottom.x, bottom.y, bottom.width, 1.min(bottom.height));
        frame.render_widget(Span::styled(label, theme.title()), row);
        let field = Rect::new(
            row.x + label.len() as u16,
            row.y,
            row.width.saturating_sub(label.len() as u16),
            row.height,
        );
        super::field::render(frame, field, input, true);
        if let Some(error) = wizard.scope_error()
            && bottom.height > 1
        {
            let row = Rect::new(bottom.x, bottom.y + 1, bottom.width, 1);
            frame.render_widget(Line::styled(fit(error, width), theme.error()), row);
        }
    }
}

fn review_step(frame: &mut Frame, inner: Rect, app: &App, wizard: &Wizard, theme: &Theme) {
    let width = inner.width as usize;
    let picker = wizard.picker();
    let mut lines = vec![
        panel::labelled(
            "Name",
            wizard.name().text().trim(),
            width,
            theme.title(),
            theme,
        ),
        Line::default(),
        Line::styled(
            format!("Permissions ({})", picker.selected_count()),
            theme.title(),
        ),
    ];
    let mut last_group = None;
    for scope in picker.scopes().iter().filter(|s| s.selected) {
        if last_group != Some(scope.group) {
            last_group = Some(scope.group);
            let group = picker.group(scope.group);
            lines.push(Line::styled(
                fit(&format!("  {}", group.title), width),
                theme.dim(),
            ));
        }
        lines.push(Line::from(vec![
            Span::raw(format!("    {:<28} ", fit(&scope.scope, 28))),
            Span::styled(scope.risk.label(), theme.risk(scope.risk)),
        ]));
    }
    lines.push(Line::default());
    match picker.has_risky_selection() {
        Some(Risk::Admin) => lines.push(Line::styled(
            "Warning: admin scopes let this key act on devices, people, money or credentials.",
            theme.error(),
        )),
        Some(Risk::Write) => lines.push(Line::styled(
            "Warning: write scopes let this key change configuration or data.",
            theme.error(),
        )),
        _ => {}
    }
    if wizard.submitting().is_some() {
        let spinner = app.spinner().unwrap_or(' ');
        lines.push(Line::styled(
            format!("{spinner} Creating the key ..."),
            theme.title(),
        ));
    } else if let Some(error) = wizard.error() {
        lines.push(Line::styled(printable(error), theme.error()));
    } else {
        lines.push(Line::styled(
            "Enter creates the key; its secret is shown once.",
            theme.dim(),
        ));
    }
    // Keep the end (warning, state) in view when the scopes do not all fit.
    let overflow = lines.len().saturating_sub(inner.height as usize);
    let lines: Vec<Line> = if overflow > 0 {
        let mut kept: Vec<Line> = lines[..3].to_vec();
        kept.push(Line::styled(
            format!("  ... {} more lines", overflow + 1),
            theme.dim(),
        ));
        let rest = (3 + overflow + 1).min(lines.len());
        kept.extend(lines[rest..].iter().cloned());
        kept
    } else {
        lines
    };
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
