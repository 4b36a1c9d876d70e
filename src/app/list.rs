//! The list view: which keys are shown in which order, the selection and the viewport.
//!
//! Owns `order` (indices of the server's list, sorted), `visible` (the part of `order` that
//! passes the filter), the selected position in `visible`, the first visible row, and the
//! key the user chose last (so a filter or a refresh that hides it and shows it again puts
//! the selection back on it). It holds indices only, never copies of keys.
//!
//! Scrolling is the plain kind: a selection that moves past an edge scrolls the viewport by
//! just enough rows to keep it on screen. That stays cheap over slow SSH links because the
//! terminal backend (`scroll_backend`) turns a shifted table into a scroll region, so a
//! one-row scroll writes the new row and the two rows whose selection mark changed, not the
//! whole table. Longer jumps (page keys, first/last, filter changes) also just reveal the
//! selection.

#[derive(Debug, Clone, Default)]
pub struct ListView {
    pub order: Vec<usize>,
    pub visible: Vec<usize>,
    /// Position of the selection in `visible` (0 when empty).
    selected: usize,
    /// Position in `visible` of the first row on screen.
    offset: usize,
    /// Index (into the server's list) of the key the user selected last.
    preferred: Option<usize>,
}

impl ListView {
    pub fn selected(&self) -> usize {
        self.selected
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Index into the server's list of the selected key.
    pub fn selected_key(&self) -> Option<usize> {
        self.visible.get(self.selected).copied()
    }

    pub fn preferred(&self) -> Option<usize> {
        self.preferred
    }

    pub fn set_preferred(&mut self, key: Option<usize>) {
        self.preferred = key;
    }

    /// After `visible` changed: select the preferred key if it is visible, else the first
    /// row, and place the viewport around it.
    pub fn reselect(&mut self, rows: usize) {
        let found = self
            .preferred
            .and_then(|key| self.visible.iter().position(|&k| k == key));
        self.selected = found.unwrap_or(0);
        self.offset = self.offset.min(self.max_offset(rows));
        self.reveal(rows);
    }

    /// Moves the selection by `delta` rows (clamped), scrolling just enough to keep it shown.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let last = self.visible.len() - 1;
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target, rows);
    }

    pub fn select_first(&mut self, rows: usize) {
        if !self.visible.is_empty() {
            self.select(0, rows);
        }
    }

    pub fn select_last(&mut self, rows: usize) {
        if !self.visible.is_empty() {
            self.select(self.visible.len() - 1, rows);
        }
    }

    /// A page down: the selection and the viewport both move by a page.
    pub fn page_down(&mut self, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let page = rows.max(1);
        self.offset = (self.offset + page).min(self.max_offset(rows));
        self.selected = (self.selected + page).min(self.visible.len() - 1);
        self.preferred = self.selected_key();
        self.reveal(rows);
    }

    pub fn page_up(&mut self, rows: usize) {
        if self.visible.is_empty() {
            return;
        }
        let page = rows.max(1);
        self.offset = self.offset.saturating_sub(page);
        self.selected = self.selected.saturating_sub(page);
        self.preferred = self.selected_key();
        self.reveal(rows);
    }

    fn select(&mut self, target: usize, rows: usize) {
        self.selected = target;
        self.preferred = self.selected_key();
        if rows == 0 {
            return;
        }
        self.reveal(rows);
    }

    /// Keeps the viewport valid for `rows` visible rows (after a resize or a change of the
    /// list): no blank rows below the end when the list is long enough, and the selection on
    /// screen. A selection already on screen does not move the viewport.
    pub fn fit(&mut self, rows: usize) {
        if self.selected >= self.visible.len() {
            self.selected = self.visible.len().saturating_sub(1);
        }
        self.offset = self.offset.min(self.max_offset(rows));
        self.reveal(rows);
    }

    fn max_offset(&self, rows: usize) -> usize {
        self.visible.len().saturating_sub(rows.max(1))
    }

    /// If the selection is off screen, scrolls just enough to put it on the nearest edge.
    fn reveal(&mut self, rows: usize) {
        if rows == 0 {
            // Nothing is on screen (the terminal is too small): keep the viewport as it was,
            // so the list looks the same when the terminal grows back.
            return;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + rows {
            self.offset = self.selected + 1 - rows;
        }
        self.offset = self.offset.min(self.max_offset(rows));
    }
}
