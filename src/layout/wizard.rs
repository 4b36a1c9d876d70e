//! Geometry of the full-screen panels (the wizard, the reveal screen, the recovery screen):
//! the body between the header and the status line, framed, and inside the wizard's
//! permission step the rows the picker gets (the model pages and scrolls by that count).

use ratatui::layout::Rect;

use super::{Status, areas};

/// Lines inside the frame above the picker (the summary and the filter) and below it (the
/// step's message or input).
const ABOVE_PICKER: u16 = 1;
const BELOW_PICKER: u16 = 2;

/// The framed body: everything between the header and the status line.
pub fn body(size: (u16, u16), notice: Status) -> Rect {
    let areas = areas(Rect::new(0, 0, size.0, size.1), notice);
    let mut body = areas.list;
    if let Some(side) = areas.side {
        body.width += side.width;
    }
    body
}

/// The body inside its border.
pub fn inner(size: (u16, u16), notice: Status) -> Rect {
    let body = body(size, notice);
    Rect::new(
        body.x + 1,
        body.y + 1,
        body.width.saturating_sub(2),
        body.height.saturating_sub(2),
    )
}

/// Where the permission picker's rows go.
pub fn picker_area(size: (u16, u16), notice: Status) -> Rect {
    let inner = inner(size, notice);
    Rect::new(
        inner.x,
        inner.y + ABOVE_PICKER,
        inner.width,
        inner.height.saturating_sub(ABOVE_PICKER + BELOW_PICKER),
    )
}

pub fn picker_rows(size: (u16, u16), notice: Status) -> usize {
    picker_area(size, notice).height as usize
}
