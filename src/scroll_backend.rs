//! A ratatui backend that scrolls with the terminal instead of repainting, and writes
//! nothing for a frame that changed nothing.
//!
//! ratatui diffs each frame against the previous one cell by cell, so when a list scrolls by
//! one row every visible row "changed" and the whole table is rewritten (about 1.9 KB at
//! 80x24, far more over a slow SSH link). This backend keeps its own copy of what is on the
//! screen, rebuilds the full next frame from ratatui's changed cells, and looks for a band of
//! whole rows that moved up or down. When it finds one, it shifts that band inside a scroll
//! region with the VT100 primitives every terminal since the VT100 understands (`DECSTBM`
//! to set the region, then line feeds at its bottom row or reverse indexes at its top row:
//! a dozen bytes), and then writes only the cells that still differ — typically the one new
//! row and the two rows whose selection mark changed.
//!
//! It also drops what ratatui writes on every frame even when nothing changed (attribute
//! resets, hiding an already hidden cursor), so a key that changes nothing writes nothing.
//!
//! It owns nothing but that screen copy and the cursor's visibility; every other call is
//! passed to the crossterm backend.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};

/// Fewer rows than this moving together are simply redrawn.
const MIN_ROWS_SAVED: usize = 3;

/// A vertical move of the rows `top..=bottom` (screen rows) by `lines`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    pub top: u16,
    pub bottom: u16,
    pub lines: u16,
    /// Content moves towards the top (`SU`); otherwise towards the bottom (`SD`).
    pub up: bool,
}

pub struct ScrollingBackend<W: Write> {
    inner: CrosstermBackend<W>,
    screen: Buffer,
    cursor_hidden: bool,
}

impl<W: Write> ScrollingBackend<W> {
    /// Wraps `inner`; the screen is assumed blank (a fresh alternate screen).
    pub fn new(inner: CrosstermBackend<W>) -> io::Result<Self> {
        let size = inner.size()?;
        Ok(ScrollingBackend {
            inner,
            screen: Buffer::empty(Rect::new(0, 0, size.width, size.height)),
            cursor_hidden: false,
        })
    }

    /// The terminal itself, for bytes that are not cells (an OSC 52 clipboard sequence).
    pub fn writer_mut(&mut self) -> &mut W {
        self.inner.writer_mut()
    }

    fn reset_screen(&mut self) -> io::Result<()> {
        let size = self.inner.size()?;
        self.screen = Buffer::empty(Rect::new(0, 0, size.width, size.height));
        Ok(())
    }

    fn scroll(&mut self, shift: Shift) -> io::Result<()> {
        // Reset attributes first so the rows the scroll uncovers are blank in the default
        // colours, which is what `apply_shift` assumes. Line feeds at the bottom margin move
        // the region up; reverse indexes (ESC M) at the top margin move it down.
        let writer = self.inner.writer_mut();
        write!(
            writer,
            "\x1b[0m\x1b[{};{}r",
            shift.top + 1,
            shift.bottom + 1
        )?;
        if shift.up {
            write!(writer, "\x1b[{};1H", shift.bottom + 1)?;
            for _ in 0..shift.lines {
                writer.write_all(b"\n")?;
            }
        } else {
            write!(writer, "\x1b[{};1H", shift.top + 1)?;
            for _ in 0..shift.lines {
                writer.write_all(b"\x1bM")?;
            }
        }
        writer.write_all(b"\x1b[r")?;
        apply_shift(&mut self.screen, shift);
        Ok(())
    }
}

impl<W: Write> Backend for ScrollingBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut next = self.screen.clone();
        let area = next.area;
        for (x, y, cell) in content {
            if x < area.width && y < area.height {
                let index = next.index_of(x, y);
                next.content[index] = cell.clone();
            }
        }
        if let Some(shift) = find_shift(&self.screen, &next) {
            self.scroll(shift)?;
        }
        let updates = self.screen.diff(&next);
        if !updates.is_empty() {
            self.inner.draw(updates.into_iter())?;
        }
        self.screen = next;
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        // ratatui hides the cursor after every frame; once is enough.
        if !self.cursor_hidden {
            self.inner.hide_cursor()?;
            self.cursor_hidden = true;
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.cursor_hidden = false;
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()?;
        self.reset_screen()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)?;
        // ratatui clears whole screens only; for any other region forget what is on screen
        // the same way ratatui does (it assumes blank).
        self.reset_screen()
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
}

fn row_hashes(buffer: &Buffer) -> Vec<u64> {
    let width = usize::from(buffer.area.width).max(1);
    buffer
        .content
        .chunks(width)
        .map(|row| {
            let mut hasher = DefaultHasher::new();
            row.hash(&mut hasher);
            hasher.finish()
        })
        .collect()
}

/// The band of rows whose move saves the most rewritten rows, if it saves enough.
pub fn find_shift(previous: &Buffer, next: &Buffer) -> Option<Shift> {
    if previous.area != next.area || previous.area.width == 0 {
        return None;
    }
    let before = row_hashes(previous);
    let after = row_hashes(next);
    let rows = before.len();
    let mut best: Option<(usize, Shift)> = None;
    for lines in 1..rows {
        for up in [true, false] {
            // Row r of the next frame equals row `source(r)` of the previous one.
            let source = |r: usize| if up { r + lines } else { r.wrapping_sub(lines) };
            let mut run_start = None;
            let mut saved = 0;
            for r in 0..=rows {
                let src = source(r);
                let matches = r < rows && src < rows && after[r] == before[src];
                if matches {
                    if run_start.is_none() {
                        run_start = Some(r);
                        saved = 0;
                    }
                    if after[r] != before[r] {
                        saved += 1;
                    }
                } else if let Some(start) = run_start.take() {
                    let end = r - 1;
                    let shift = if up {
                        Shift {
                            top: start as u16,
                            bottom: (end + lines) as u16,
                            lines: lines as u16,
                            up,
                        }
                    } else {
                        Shift {
                            top: (start - lines) as u16,
                            bottom: end as u16,
                            lines: lines as u16,
                            up,
                        }
                    };
                    if saved >= MIN_ROWS_SAVED && best.is_none_or(|(s, _)| saved > s) {
                        best = Some((saved, shift));
                    }
                }
            }
        }
    }
    best.map(|(_, shift)| shift)
}

/// Applies a shift to a screen copy as the terminal applies it: moved rows are copied, the
/// uncovered rows become blank cells in the default style.
pub fn apply_shift(screen: &mut Buffer, shift: Shift) {
    let width = usize::from(screen.area.width);
    let top = usize::from(shift.top);
    let bottom = usize::from(shift.bottom);
    let lines = usize::from(shift.lines);
    let row = |r: usize| r * width..(r + 1) * width;
    if shift.up {
        for r in top..=bottom {
            if r + lines <= bottom {
                let src = row(r + lines);
                screen.content.copy_within_cells(src, r * width);
            } else {
                screen.content[row(r)].fill(Cell::default());
            }
        }
    } else {
        for r in (top..=bottom).rev() {
            if r >= top + lines {
                let src = row(r - lines);
                screen.content.copy_within_cells(src, r * width);
            } else {
                screen.content[row(r)].fill(Cell::default());
            }
        }
    }
}

/// `copy_within` for cells, which are `Clone` but not `Copy`.
trait CopyWithinCells {
    fn copy_within_cells(&mut self, src: std::ops::Range<usize>, dest: usize);
}

impl CopyWithinCells for Vec<Cell> {
    fn copy_within_cells(&mut self, src: std::ops::Range<usize>, dest: usize) {
        for (offset, index) in src.enumerate() {
            self[dest + offset] = self[index].clone();
        }
    }
}

#[cfg(test)]
mod tests;
