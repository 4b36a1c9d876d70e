//! The recovery screen: each key whose secret was issued but never confirmed saved, when and
//! how (created or rotated), and where it stands; the selected one explained in a sentence.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::panel;
use super::theme::Theme;
use crate::app::recovery::{ItemState, Recovery};
use crate::journal::Operation;
use crate::layout::text::{fit, printable};
use crate::layout::time::absolute;

/// The widest state text (`failed, try again`).
const STATE_WIDTH: usize = 17;
/// A key id in one piece, and the narrowest name worth showing beside it.
const ID_WIDTH: usize = 36;
const MIN_NAME: usize = 16;

pub fn render(frame: &mut Frame, body: Rect, recovery: &Recovery, theme: &Theme) {
    let inner = panel::frame(
        frame,
        body,
        "Recovery: secrets never confirmed saved",
        theme,
    );
    let width = inner.width as usize;
    let intro = if recovery.after_lost_answer {
        "A request got no answer, but the key exists: its secret never reached you."
    } else {
        "sdx-keys stopped (or the connection dropped) before these secrets were saved."
    };
    let mut lines = vec![
        Line::styled(intro, theme.plain()),
        Line::styled(
            "Rotate each (a new secret, shown once), delete it, or keep it if it was saved after \
             all.",
            theme.dim(),
        ),
        Line::default(),
    ];
    for (index, item) in recovery.items().iter().enumerate() {
        let selected = index == recovery.selected();
        let marker = if selected { "> " } else { "  " };
        let state = match &item.state {
            ItemState::Open => "open".to_owned(),
            ItemState::Working => "working ...".to_owned(),
            ItemState::Kept => "kept".to_owned(),
            ItemState::Deleted => "deleted".to_owned(),
            ItemState::Rotated => "rotated".to_owned(),
            ItemState::Failed(_) => "failed, try again".to_owned(),
        };
        // The state is what the row is about: it keeps its width, the id comes next, and the
        // name takes what is left.
        let rest = width.saturating_sub(2 + STATE_WIDTH + 2);
        let id_width = if rest >= ID_WIDTH + MIN_NAME {
            ID_WIDTH
        } else {
            rest / 2
        };
        let name_width = rest - id_width;
        let text = format!(
            "{marker}{:<name_width$} {:<id_width$} {state}",
            fit(&item.name, name_width),
            fit(item.key_id.as_str(), id_width)
        );
        let style = if selected {
            theme.selected()
        } else {
            theme.plain()
        };
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    lines.push(Line::default());
    if let Some(item) = recovery.selected_item() {
        let verb = match item.op {
            Operation::Create => "created",
            Operation::Rotate => "rotated",
        };
        let mut sentence = format!(
            "{} was {verb} at {} but its secret was never confirmed saved.",
            item.name,
            absolute(item.at)
        );
        if item.guessed {
            sentence.push_str(" (Found by its name: the answer with its id was lost.)");
        }
        lines.push(Line::from(fit(&sentence, width * 3)));
        if let ItemState::Failed(reason) = &item.state {
            lines.push(Line::styled(printable(reason), theme.error()));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
