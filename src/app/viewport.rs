//! A cursor over rows shown in a window of `rows` lines: the position of the selected (or
//! focused) row and the first row on screen. Shared by the key list and the permission
//! picker, so both scroll the same way: plainly, just enough to keep the cursor on screen.
//! Longer jumps (page keys, first/last) also only reveal the cursor. With `rows == 0`
//! (nothing on screen: the terminal is too small) the window is left as it was, so the
//! screen looks the same when the terminal grows back, except that the first row on screen
//! is never past the cursor: the rows can change while nothing is shown.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Position of the cursor (0 when there are no rows).
    pub cursor: usize,
    /// Position of the first row on screen.
    pub offset: usize,
}

impl Viewport {
    /// Moves the cursor by `delta` (clamped to the `len` rows).
    pub fn move_by(&mut self, delta: isize, len: usize, rows: usize) {
        let last = len.saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.reveal(len, rows);
    }

    /// Puts the cursor on `target` (clamped).
    pub fn jump(&mut self, target: usize, len: usize, rows: usize) {
        self.cursor = target.min(len.saturating_sub(1));
        self.reveal(len, rows);
    }

    /// A page down: the cursor and the window both move by a page.
    pub fn page_down(&mut self, len: usize, rows: usize) {
        let page = rows.max(1);
        self.offset = (self.offset + page).min(max_offset(len, rows));
        self.cursor = (self.cursor + page).min(len.saturating_sub(1));
        self.reveal(len, rows);
    }

    pub fn page_up(&mut self, len: usize, rows: usize) {
        let page = rows.max(1);
        self.offset = self.offset.saturating_sub(page);
        self.cursor = self.cursor.saturating_sub(page);
        self.reveal(len, rows);
    }

    /// Keeps the window valid after a resize or a change of the rows: the cursor inside the
    /// rows, no blank rows below the end when there are enough rows, and the cursor on screen.
    /// A cursor already on screen does not move the window.
    pub fn fit(&mut self, len: usize, rows: usize) {
        self.cursor = self.cursor.min(len.saturating_sub(1));
        self.reveal(len, rows);
    }

    /// If the cursor is off screen, scrolls just enough to put it on the nearest edge.
    fn reveal(&mut self, len: usize, rows: usize) {
        if rows == 0 {
            self.offset = self.offset.min(self.cursor);
            return;
        }
        self.offset = self.offset.min(max_offset(len, rows));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + rows {
            self.offset = self.cursor + 1 - rows;
        }
    }
}

fn max_offset(len: usize, rows: usize) -> usize {
    len.saturating_sub(rows.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_scroll_one_row_past_an_edge_and_clamp() {
        let mut view = Viewport::default();
        for _ in 0..5 {
            view.move_by(1, 10, 4);
        }
        assert_eq!((view.cursor, view.offset), (5, 2));
        view.move_by(-4, 10, 4);
        assert_eq!((view.cursor, view.offset), (1, 1));
        view.move_by(100, 10, 4);
        assert_eq!((view.cursor, view.offset), (9, 6));
        view.page_up(10, 4);
        assert_eq!((view.cursor, view.offset), (5, 2));
    }

    #[test]
    fn fit_after_the_rows_shrink_leaves_no_blank_rows_and_zero_rows_changes_nothing() {
        let mut view = Viewport {
            cursor: 9,
            offset: 6,
        };
        view.fit(10, 0);
        assert_eq!((view.cursor, view.offset), (9, 6));
        view.fit(3, 4);
        assert_eq!((view.cursor, view.offset), (2, 0));
        view.fit(0, 4);
        assert_eq!((view.cursor, view.offset), (0, 0));
    }

    #[test]
    fn a_jump_while_nothing_is_shown_keeps_the_window_at_or_above_the_cursor() {
        let mut view = Viewport::default();
        view.jump(39, 40, 10);
        assert_eq!((view.cursor, view.offset), (39, 30));
        // The terminal shrinks below its minimum, then a refresh brings other rows.
        view.fit(40, 0);
        view.jump(0, 5, 0);
        assert_eq!((view.cursor, view.offset), (0, 0));
    }
}
