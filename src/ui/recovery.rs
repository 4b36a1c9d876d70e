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
use crate::layout::text::fit;
use crate::layout::time::absolute;

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
        Line::styled(fit(intro, width), theme.plain()),
        Line::styled(
            fit(
                "Rotate each (a new secret, shown once), delete it, or keep it if it was saved after all.",
                width,
            ),
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
        let text = format!(
            "{marker}{:<30} {:<36} {state}",
            fit(&item.name, 30),
            fit(item.key_id.as_str(), 36)
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
            lines.push(Line::styled(reason.clone(), theme.error()));
        }
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
