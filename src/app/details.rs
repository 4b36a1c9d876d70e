//! Scroll state of the read-only text panels: the selected key's details and the help
//! overlay. The panels' content is built by the UI; the model keeps only the position,
//! clamped to the last position that still fills the panel.

use crate::keymap::Command;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scroll {
    pub pos: usize,
}

impl Scroll {
    /// Applies a scrolling command; `max` is the largest useful position. Returns false for
    /// commands that are not about scrolling.
    pub fn apply(&mut self, command: Command, max: usize) -> bool {
        match command {
            Command::ScrollDown => self.pos = (self.pos + 1).min(max),
            Command::ScrollUp => self.pos = self.pos.saturating_sub(1).min(max),
            Command::ScrollTop => self.pos = 0,
            Command::ScrollBottom => self.pos = max,
            _ => return false,
        }
        true
    }

    pub fn reset(&mut self) {
        self.pos = 0;
    }
}

/// The help overlay: the mode whose bindings it lists, and its scroll position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    pub under: crate::keymap::Mode,
    pub scroll: Scroll,
}
