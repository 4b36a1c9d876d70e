//! What the model and the drawing must agree on, owned by neither: where the header, the
//! list, the side panel, the status line and the footer go for a terminal size, and the
//! minimum size (`mod.rs`); the text of the details panel and the help overlay as lines
//! tagged with roles instead of styles (`details`, `help`), so the model can clamp their
//! scrolling; text measuring (`text`) and relative times (`time`). `app` uses it to page and
//! scroll, `ui` to draw; it imports neither.

pub mod details;
pub mod help;
pub mod text;
pub mod time;
pub mod wizard;

use ratatui::layout::{Constraint, Layout, Rect};

use text::{fit, wrap};

/// The status line's content: a severity label and the text (`("error", "...")`).
pub type Status<'a> = Option<(&'a str, &'a str)>;

/// A piece of text and what it is, for the UI to style.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub role: Role,
    pub text: String,
}

/// What a piece of text is; the UI maps each role to a style of its theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Plain,
    Dim,
    Title,
    /// A key's status word (styled by its value).
    StatusWord,
    Risk(crate::catalogue::Risk),
    UnknownScope,
    KeyHint,
}

/// One line of role-tagged pieces.
pub type DocLine = Vec<Piece>;

pub fn piece(role: Role, text: impl Into<String>) -> Piece {
    Piece {
        role,
        text: text.into(),
    }
}

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

pub fn areas(area: Rect, notice: Status) -> Areas {
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
pub fn list_rows(size: (u16, u16), notice: Status) -> usize {
    let area = Rect::new(0, 0, size.0, size.1);
    areas(area, notice).list.height.saturating_sub(3) as usize
}

/// The status line's text for a notice, wrapped to `width` and cut to [`MAX_NOTICE_ROWS`].
pub fn notice_lines(notice: Status, width: u16) -> Vec<String> {
    let Some((label, text)) = notice else {
        return Vec::new();
    };
    let text = format!("{label}: {text}");
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
