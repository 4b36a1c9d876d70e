//! The key list pane: the table of keys (only the rows on screen are built), or the loading,
//! empty, failed and no-match states, each with its own look.
//!
//! Columns degrade with width: each has a minimum and a priority, the lowest-priority
//! columns are dropped until the minimums fit, and the spare width goes to the name and the
//! permissions. Every cell is cut to its width by display width with `…`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table};

use super::theme::Theme;
use crate::api::ApiKey;
use crate::app::remote::Remote;
use crate::app::sort::SortColumn;
use crate::app::{App, Focus};
use crate::keymap::{Command, Mode};
use crate::layout::text::{fit, wrap};
use crate::layout::time::relative;

/// A column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Prefix,
    Permissions,
    Created,
    LastUsed,
    Status,
}

impl Column {
    const ALL: [Column; 6] = [
        Column::Name,
        Column::Prefix,
        Column::Permissions,
        Column::Created,
        Column::LastUsed,
        Column::Status,
    ];

    fn min_width(self) -> usize {
        match self {
            Column::Name => 10,
            Column::Prefix => 13,
            Column::Permissions => 8,
            // Room for the title and the sort mark: "Created v", "Last used v", "Status v".
            Column::Created => 9,
            Column::LastUsed => 11,
            Column::Status => 8,
        }
    }

    /// Higher is kept longer when the table narrows.
    fn priority(self) -> u8 {
        match self {
            Column::Name => 6,
            Column::Prefix => 5,
            Column::LastUsed => 4,
            Column::Permissions => 3,
            Column::Status => 2,
            Column::Created => 1,
        }
    }

    fn title(self, width: usize) -> &'static str {
        match self {
            Column::Name => "Name",
            Column::Prefix => "Prefix",
            Column::Permissions if width >= 13 => "Permissions",
            Column::Permissions => "Perms",
            Column::Created => "Created",
            Column::LastUsed => "Last used",
            Column::Status => "Status",
        }
    }

    fn sorts_by(self) -> SortColumn {
        match self {
            Column::Name => SortColumn::Name,
            Column::Prefix => SortColumn::Prefix,
            Column::Permissions => SortColumn::Permissions,
            Column::Created => SortColumn::Created,
            Column::LastUsed => SortColumn::LastUsed,
            Column::Status => SortColumn::Status,
        }
    }
}

/// Width of the selection marker column (`>`); a column space follows it.
const MARKER: usize = 1;
/// The name takes at most this much of the spare width before the permissions get it.
const NAME_MAX: usize = 40;

/// The columns shown in `width` cells and their widths (the marker column excluded).
pub fn columns(width: usize) -> Vec<(Column, usize)> {
    let mut shown: Vec<Column> = Column::ALL.to_vec();
    let needed = |cols: &[Column]| -> usize {
        MARKER + cols.iter().map(|c| c.min_width() + 1).sum::<usize>()
    };
    while shown.len() > 1 && needed(&shown) > width {
        let lowest = shown
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| c.priority())
            .map(|(i, _)| i)
            .unwrap_or(0);
        shown.remove(lowest);
    }
    let mut spare = width.saturating_sub(needed(&shown));
    let mut out: Vec<(Column, usize)> = shown.iter().map(|c| (*c, c.min_width())).collect();
    let has_permissions = shown.contains(&Column::Permissions);
    for (column, w) in &mut out {
        if *column == Column::Name {
            let extra = if has_permissions {
                // Names tell keys apart; the permission summary is a hint (the details
                // panel has the full list), so the name gets two thirds of the spare width.
                (spare * 2 / 3).min(NAME_MAX.saturating_sub(*w))
            } else {
                spare
            };
            *w += extra;
            spare -= extra;
        }
    }
    for (column, w) in &mut out {
        if *column == Column::Permissions {
            *w += spare;
            spare = 0;
        }
    }
    if let Some((_, w)) = out.first_mut() {
        *w += spare;
    }
    out
}

pub fn render(frame: &mut Frame, area: Rect, app: &App, theme: &Theme) {
    let mut title = vec![Span::styled(" Keys ", theme.title())];
    let query = app.filter_query();
    if !query.is_empty() {
        let room = (area.width as usize).saturating_sub(20);
        title.push(Span::raw(format!("filter: {} ", fit(query, room))));
    }
    let quick = app.quick_filters();
    if !quick.is_empty() {
        title.push(Span::raw(format!("only: {} ", quick.join(", "))));
    }
    // A narrow table may have dropped the sorted column: then the title says the sort.
    let sort = app.sort();
    let sorted_shown = columns(area.width.saturating_sub(2) as usize)
        .iter()
        .any(|&(column, _)| column.sorts_by() == sort.column);
    if !sorted_shown {
        title.push(Span::raw(format!(
            "sorted by {} {} ",
            sort.column.label(),
            sort.arrow()
        )));
    }
    let border = if app.focus() == Focus::List {
        theme.focused_border()
    } else {
        theme.border()
    };
    let block = Block::bordered()
        .title(Line::from(title))
        .border_style(border);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return;
    }
    match app.remote() {
        Remote::Idle => {}
        Remote::Loading(_) => {
            let spinner = app.spinner().unwrap_or(' ');
            let text = format!(
                "{spinner} Loading API keys from {} ...",
                app.context().api_host
            );
            message(frame, inner, vec![(text, theme.plain())]);
        }
        Remote::Failed(error) => {
            let lines = vec![
                ("Could not load the API keys.".to_owned(), theme.error()),
                (String::new(), theme.plain()),
                (error.user_message(), theme.plain()),
                (String::new(), theme.plain()),
                (
                    match app.keymap().key_for(Mode::List, Command::Refresh) {
                        Some(key) => format!("Press {key} to retry."),
                        None => String::new(),
                    },
                    theme.key_hint(),
                ),
            ];
            message(frame, inner, lines);
        }
        Remote::Ready(keys, _) if keys.is_empty() => message(
            frame,
            inner,
            vec![(
                match app.keymap().key_for(Mode::List, Command::Create) {
                    Some(key) => format!("No API keys yet. Press {key} to create one."),
                    None => "No API keys yet.".to_owned(),
                },
                theme.plain(),
            )],
        ),
        Remote::Ready(..) if app.view().visible.is_empty() => message(
            frame,
            inner,
            vec![(
                if query.is_empty() {
                    format!(
                        "No keys match the quick filters ({}). Press Esc to show all keys.",
                        app.quick_filters().join(", ")
                    )
                } else {
                    format!("No keys match \"{query}\". Press Esc to clear the filter.")
                },
                theme.plain(),
            )],
        ),
        Remote::Ready(keys, _) => table(frame, inner, app, keys, theme),
    }
}

/// Centred lines of text (wrapped) inside the list pane.
fn message(frame: &mut Frame, area: Rect, paragraphs: Vec<(String, Style)>) {
    let width = (area.width as usize).saturating_sub(4).max(1);
    let mut lines = Vec::new();
    for (text, style) in paragraphs {
        for line in wrap(&text, width) {
            lines.push(Line::styled(line, style));
        }
    }
    let top = (area.height as usize).saturating_sub(lines.len()) / 3;
    let area = Rect {
        y: area.y + top as u16,
        height: area.height - top as u16,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
        area,
    );
}

fn table(frame: &mut Frame, area: Rect, app: &App, keys: &[ApiKey], theme: &Theme) {
    let cols = columns(area.width as usize);
    let sort = app.sort();
    let header = Row::new(std::iter::once(Cell::from("")).chain(cols.iter().map(
        |&(column, width)| {
            let mut title = column.title(width).to_owned();
            if column.sorts_by() == sort.column {
                title.push(' ');
                title.push(sort.arrow());
            }
            Cell::from(fit(&title, width))
        },
    )))
    .style(theme.column_header());
    let selected = app.view().selected_key();
    let now = app.now();
    let rows = app.on_screen().iter().map(|&index| {
        let key = &keys[index];
        let is_selected = Some(index) == selected;
        let marker = if is_selected { ">" } else { " " };
        let cells = std::iter::once(Cell::from(marker)).chain(
            cols.iter()
                .map(|&(column, width)| cell(key, column, width, now, theme)),
        );
        let row = Row::new(cells);
        if is_selected {
            row.style(theme.selected())
        } else {
            row
        }
    });
    let widths = std::iter::once(Constraint::Length(MARKER as u16))
        .chain(cols.iter().map(|&(_, w)| Constraint::Length(w as u16)));
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}

fn cell(
    key: &ApiKey,
    column: Column,
    width: usize,
    now: jiff::Timestamp,
    theme: &Theme,
) -> Cell<'static> {
    match column {
        Column::Name => Cell::from(fit(&key.name, width)),
        Column::Prefix => Cell::from(fit(&key.key_prefix, width)),
        Column::Permissions => {
            let text = if key.permissions.is_empty() {
                " 0  none".to_owned()
            } else {
                format!(
                    "{:>2}  {}",
                    key.permissions.len(),
                    key.permissions.join(", ")
                )
            };
            Cell::from(fit(&text, width))
        }
        Column::Created => Cell::from(fit(&relative(key.created_at, now), width)),
        Column::LastUsed => match key.last_used_at {
            Some(at) => Cell::from(fit(&relative(at, now), width)),
            None => Cell::from(Span::styled(fit("never", width), theme.dim())),
        },
        Column::Status => Cell::from(Span::styled(
            fit(&key.status, width),
            theme.status_word(&key.status),
        )),
    }
}
