//! The confirmation boxes over a screen: rotate (what stops working, `y` to go on) and delete
//! (type the key's name or id; a mismatch says so). Names come from the API and are drawn
//! inert.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::panel;
use super::theme::Theme;
use crate::app::confirm::{Confirm, Destructive};
use crate::layout::text::fit;

pub fn render(frame: &mut Frame, screen: Rect, confirm: &Confirm, theme: &Theme) {
    let name = fit(&confirm.key_name, 60);
    let id = fit(confirm.key_id.as_str(), 60);
    if let Some(phrase) = confirm.phrase() {
        let (verb, what) = match confirm.action {
            Destructive::Rotate => ("Rotate", "Its current secret stops working at once."),
            Destructive::Delete => ("Delete", "The key stops working at once, for good."),
        };
        let mut lines = vec![
            Line::styled(format!("{verb} {name}?"), theme.title()),
            Line::from(format!("Key {id}")),
            Line::from(format!(
                "{what} This profile is protected: type {} and press Enter:",
                fit(phrase, 80)
            )),
        ];
        if confirm.mismatch() {
            lines.push(Line::styled(
                "That is not it; type the profile, a slash and the key's name exactly.",
                theme.error(),
            ));
        }
        let row = panel::question(frame, screen, verb, lines, 1, theme);
        super::field::render(frame, row, confirm.typed(), true);
        return;
    }
    match confirm.action {
        Destructive::Rotate => {
            let lines = vec![
                Line::styled(format!("Rotate {name}?"), theme.title()),
                Line::from(format!("Key {id}")),
                Line::from(
                    "Its current secret stops working at once: everything using it fails until \
                     it gets the new secret, which is shown once.",
                ),
                Line::styled("y rotate   n cancel", theme.key_hint()),
            ];
            panel::question(frame, screen, "Rotate", lines, 0, theme);
        }
        Destructive::Delete => {
            let mut lines = vec![
                Line::styled(format!("Delete {name}?"), theme.title()),
                Line::from(format!("Key {id}")),
                Line::from(
                    "The key stops working at once and cannot be brought back. Type its name \
                     (or its id) and press Enter:",
                ),
            ];
            if confirm.mismatch() {
                lines.push(Line::styled(
                    "That is not the key's name or id; type it exactly.",
                    theme.error(),
                ));
            }
            let row = panel::question(frame, screen, "Delete", lines, 1, theme);
            super::field::render(frame, row, confirm.typed(), true);
        }
    }
}
