//! The profile picker and its question: every profile of the config file with the one in
//! use marked, then "switch to NAME?" naming what happens. Profile names come from the
//! operator's own config file, and are drawn inert all the same.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::panel;
use super::theme::Theme;
use crate::app::switch::ProfileSwitch;
use crate::layout::text::fit;

pub fn render(
    frame: &mut Frame,
    screen: Rect,
    switch: &ProfileSwitch,
    current: &str,
    theme: &Theme,
) {
    let target = fit(switch.target().unwrap_or_default(), 40);
    if switch.confirming {
        let lines = vec![
            Line::styled(format!("Switch to the profile {target}?"), theme.title()),
            Line::from(format!(
                "The session starts again with {target}: its own token source, API host and \
                 settings. Nothing of {} carries over.",
                fit(current, 40)
            )),
            Line::styled("y switch   n back", theme.key_hint()),
        ];
        panel::question(frame, screen, "Switch profile", lines, 0, theme);
        return;
    }
    let mut lines = vec![Line::from("Choose a profile (Enter), Esc to stay:")];
    for (i, name) in switch.choices.iter().enumerate() {
        let marker = if i == switch.cursor { "> " } else { "  " };
        let note = if name == current { "  (in use)" } else { "" };
        let text = format!("{marker}{}{note}", fit(name, 50));
        lines.push(if i == switch.cursor {
            Line::styled(text, theme.selected())
        } else {
            Line::from(text)
        });
    }
    panel::question(frame, screen, "Profiles", lines, 0, theme);
}
