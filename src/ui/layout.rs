//! Screen geometry: where the header, the list, the side panel, the status line and the
//! footer go for a terminal size, and the minimum size. The model asks it how many list rows
//! are on screen (for paging and scrolling), so the model and the drawing cannot disagree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::text::{fit, wrap};
use crate::app::notice::Notice;

/// Below this size only the "terminal too small" screen is drawn.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;
/// From this width the details sit beside the list permanently.
pub const WIDE_WIDTH: u16 = 120;
/// A long notice wraps onto at most this many status rows.
pub const MAX_NOTICE_ROWS: usize = 3;

pub fn too_small(size: (u16, u16)) -> bool {
    size.0 < MIN_WIDTH || size.1 < MIN_HEIGHT
}

pub fn is_wide(size: (u16, u16)) -> bool {
    size.0 >= WIDE_WIDTH
}

/// The regions of the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub list: Rect,
    /// The details beside the list, on wide terminals.
    pub side: Option<Rect>,
    pub status: Rect,
    pub footer: Rect,
}

pub fn areas(area: Rect, notice: Option<&Notice>) -> Areas {
    let status_rows = notice_lines(notice, area.width).len().max(1) as u16;
    let [header, body, status, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(status_rows),
        Constraint::Length(1),
    ])
    .areas(area);
    let (list, side) = if is_wide((area.width, area.height)) {
        let side_width = (area.width / 3).clamp(40, 64);
        let [list, side] =
            Layout::horizontal([Constraint::Min(0), Constraint::Length(side_width)]).areas(body);
        (list, Some(side))
    } else {
        (body, None)
    };
    Areas {
        header,
        list,
        side,
        status,
        footer,
    }
}

/// Rows of keys the list shows at this size (inside the border, below the column header).
pub fn list_rows(size: (u16, u16), notice: Option<&Notice>) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    areas(area, notice).list.height.saturating_sub(3) as usize
}

/// The status line's text for a notice, wrapped to `width` and cut to [`MAX_NOTICE_ROWS`].
pub fn notice_lines(notice: Option<&Notice>, width: u16) -> Vec<String> {
    let Some(notice) = notice else {
        return Vec::new();
    };
    let text = format!("{}: {}", notice.severity.label(), notice.text);
    let mut lines = wrap(&text, width as usize);
    if lines.len() > MAX_NOTICE_ROWS {
        lines.truncate(MAX_NOTICE_ROWS);
        if let Some(last) = lines.last_mut() {
            let mut cut = last.clone();
            cut.push_str(" ...");
            *last = fit(&cut, width as usize);
        }
    }
    lines
}
