//! The help overlay's content and size: every binding of the mode it was opened from,
//! generated from the live keymap (never a hand-written list), then how to leave the help
//! itself; and the largest scroll position at a terminal size, which the model clamps to.

use ratatui::layout::Rect;

use crate::keymap::{Keymap, Mode};

/// One entry per line: (keys, description); `None` keys mark a heading or a blank line.
pub fn entries(keymap: &Keymap, under: Mode) -> Vec<(Option<String>, String)> {
    let mut out = vec![(None, format!("Keys of the {}", under.label()))];
    if let Some(mode) = keymap.mode(under) {
        if let Some(text) = mode.text_input {
            out.push((Some("(type)".into()), text.into()));
        }
        for binding in &mode.bindings {
            out.push((Some(binding.keys_label()), binding.description.into()));
        }
    }
    out.push((None, String::new()));
    out.push((None, "In this help".into()));
    for binding in keymap.bindings(Mode::Help) {
        out.push((Some(binding.keys_label()), binding.description.into()));
    }
    out
}

/// The overlay's rectangle for `lines` lines of content on a screen of `size`.
pub fn area(size: (u16, u16), lines: usize) -> Rect {
    let width = size.0.saturating_sub(4).min(76);
    let height = size.1.saturating_sub(2).min(lines as u16 + 2);
    Rect::new((size.0 - width) / 2, (size.1 - height) / 2, width, height)
}

/// The largest useful scroll position of the help of `under` at this size.
pub fn max_scroll(keymap: &Keymap, under: Mode, size: (u16, u16)) -> usize {
    let lines = entries(keymap, under).len();
    let inner = area(size, lines).height.saturating_sub(2) as usize;
    lines.saturating_sub(inner)
}
