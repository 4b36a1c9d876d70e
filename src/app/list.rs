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

use super::viewport::Viewport;

#[derive(Debug, Clone, Default)]
pub struct ListView {
    pub order: Vec<usize>,
    pub visible: Vec<usize>,
    /// The selection's position in `visible` and the first row on screen.
    window: Viewport,
    /// Index (into the server's list) of the key the user selected last.
    preferred: Option<usize>,
}

impl ListView {
    pub fn selected(&self) -> usize {
        self.window.cursor
    }

    pub fn offset(&self) -> usize {
        self.window.offset
    }

    /// Index into the server's list of the selected key.
    pub fn selected_key(&self) -> Option<usize> {
        self.visible.get(self.window.cursor).copied()
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
        self.window
            .jump(found.unwrap_or(0), self.visible.len(), rows);
    }

    /// Moves the selection by `delta` rows (clamped), scrolling just enough to keep it shown.
    pub fn move_by(&mut self, delta: isize, rows: usize) {
        self.chosen(|window, len| window.move_by(delta, len, rows));
    }

    pub fn select_first(&mut self, rows: usize) {
        self.chosen(|window, len| window.jump(0, len, rows));
    }

    pub fn select_last(&mut self, rows: usize) {
        self.chosen(|window, len| window.jump(len.saturating_sub(1), len, rows));
    }

    /// A page down: the selection and the viewport both move by a page.
    pub fn page_down(&mut self, rows: usize) {
        self.chosen(|window, len| window.page_down(len, rows));
    }

    pub fn page_up(&mut self, rows: usize) {
        self.chosen(|window, len| window.page_up(len, rows));
    }

    /// A move the user made: the key it lands on becomes the preferred one.
    fn chosen(&mut self, step: impl FnOnce(&mut Viewport, usize)) {
        if self.visible.is_empty() {
            return;
        }
        step(&mut self.window, self.visible.len());
        self.preferred = self.selected_key();
    }

    /// Keeps the viewport valid for `rows` visible rows (after a resize or a change of the
    /// list): no blank rows below the end when the list is long enough, and the selection on
    /// screen. A selection already on screen does not move the viewport.
    pub fn fit(&mut self, rows: usize) {
        self.window.fit(self.visible.len(), rows);
    }
}
