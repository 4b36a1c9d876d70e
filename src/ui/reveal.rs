//! The reveal screen: the key's name, id and prefix, the secret (masked except its prefix,
//! or whole on one unbroken line after `v`), the one warning in the app that says this is the
//! only time it is shown, the ways to deliver it and what became of each, and the prompt for
//! a path or for the word `discard`.
//!
//! This is the only rendering that exposes a secret. Key names come from the API and are
//! drawn inert (control characters become `?`).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use secrecy::ExposeSecret;

use super::panel;
use super::theme::Theme;
use crate::app::reveal::{DeliveryKind, Prompt, Reveal};
use crate::journal::Operation;
use crate::keymap::{Command, Keymap, Mode};
use crate::layout::text::fit;

/// The warning shown on this screen and nowhere else.
pub const ONLY_TIME_WARNING: &str =
    "This is the only time this secret is shown. Deliver it before you leave.";

/// The secret with everything after the key's prefix masked.
fn masked(reveal: &Reveal) -> String {
    let secret = reveal.secret().expose_secret();
    let prefix = reveal.key().key_prefix.as_str();
    let shown = if !prefix.is_empty() && secret.starts_with(prefix) {
        prefix.chars().count()
    } else {
        secret.chars().take_while(|&c| c != '_').count().min(8)
    };
    let hidden = secret.chars().count().saturating_sub(shown);
    let mut out: String = secret.chars().take(shown).collect();
    out.extend(std::iter::repeat_n('*', hidden));
    out
}

pub fn render(frame: &mut Frame, body: Rect, reveal: &Reveal, keymap: &Keymap, theme: &Theme) {
    let key = reveal.key();
    let what = match reveal.op() {
        Operation::Create => "New key",
        Operation::Rotate => "New secret of",
    };
    let inner = panel::frame(
        frame,
        body,
        &format!("{what} {}", fit(&key.name, 40)),
        theme,
    );
    let width = inner.width as usize;
    let mut lines = vec![
        panel::labelled("Name", &key.name, width, theme.title(), theme),
        panel::labelled("ID", key.id.as_str(), width, theme.plain(), theme),
        panel::labelled("Prefix", &key.key_prefix, width, theme.plain(), theme),
        Line::default(),
    ];
    // The secret on one line, never wrapped or cut, so a mouse can select it whole.
    let secret_text = if !reveal.is_drawn() {
        "(not drawn: this profile delivers secrets only to a sink or a file)".to_owned()
    } else if reveal.is_shown() {
        reveal.secret().expose_secret().to_owned()
    } else {
        masked(reveal)
    };
    lines.push(Line::from(vec![
        Span::styled("Secret   ", theme.dim()),
        Span::styled(secret_text, theme.title()),
    ]));
    lines.push(Line::default());
    lines.push(Line::styled(ONLY_TIME_WARNING, theme.error()));
    let feedback = feedback(reveal, theme);
    let extras = extras(reveal, keymap, width, theme);
    // On a short terminal the spacing and the prefix line (the masked secret shows the
    // prefix) go first, so the feedback keeps a few rows.
    let feedback_wants = panel::wrapped_rows(&feedback[feedback.len() - 1..], inner.width);
    if panel::wrapped_rows(&lines, inner.width) + feedback_wants > inner.height {
        lines.retain(|line| line.width() > 0);
        lines.remove(2);
    }
    // The identity, the secret and the warning come first; the newest feedback stays in
    // view below them; the rest fills what is left.
    let top_rows = panel::wrapped_rows(&lines, inner.width).min(inner.height);
    let room = inner.height - top_rows;
    let mut feedback = feedback;
    // Older reports give way first, then the state line: the newest report is the answer
    // to the last key pressed.
    while feedback.len() > 1 && panel::wrapped_rows(&feedback, inner.width) > room {
        let oldest = if feedback.len() > 2 { 1 } else { 0 };
        feedback.remove(oldest);
    }
    let feedback_rows = panel::wrapped_rows(&feedback, inner.width).min(room);
    // With room for everything the feedback follows the rest; without, it keeps the bottom
    // rows and the extras are cut.
    let extras_rows = panel::wrapped_rows(&extras, inner.width).min(room - feedback_rows);
    let [top, middle, bottom, _] = Layout::vertical([
        Constraint::Length(top_rows),
        Constraint::Length(extras_rows),
        Constraint::Length(feedback_rows),
        Constraint::Min(0),
    ])
    .areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), top);
    frame.render_widget(Paragraph::new(extras).wrap(Wrap { trim: false }), middle);
    frame.render_widget(Paragraph::new(feedback).wrap(Wrap { trim: false }), bottom);

    match reveal.prompt() {
        Some(Prompt::Path(field)) => {
            let lines = vec![Line::from(
                "Path of a NEW file for the secret (~ is your home; an existing file is never overwritten):",
            )];
            let row = panel::question(frame, body, "Write to a file", lines, 1, theme);
            super::field::render(frame, row, field, true);
        }
        Some(Prompt::Discard(field)) => {
            let lines = vec![
                Line::from("The secret has not been delivered. Nobody can fetch it again."),
                Line::from("Type discard and press Enter to leave without it, or Esc to go back."),
            ];
            let row = panel::question(frame, body, "Discard the secret?", lines, 1, theme);
            super::field::render(frame, row, field, true);
        }
        None => {}
    }
}

/// Where the secret stands, then the reports of the deliveries, oldest first.
fn feedback(reveal: &Reveal, theme: &Theme) -> Vec<Line<'static>> {
    let state = match (reveal.busy(), reveal.delivered()) {
        (Some(kind), _) => format!("Delivering to the {} ...", kind_word(kind)),
        (None, Some(kind)) => format!(
            "Delivered to the {}. Enter returns to the list.",
            kind_word(kind)
        ),
        (None, None) if reveal.clipboard_sent() => {
            "Sent to the clipboard: press p once you have pasted it.".to_owned()
        }
        (None, None) => "Not delivered yet: leaving now asks you to type discard.".to_owned(),
    };
    let state_style = if reveal.delivered().is_some() {
        theme.title()
    } else {
        theme.plain()
    };
    let mut lines = vec![Line::styled(state, state_style)];
    for report in reveal.reports() {
        let style = if report.ok {
            theme.plain()
        } else {
            theme.error()
        };
        lines.push(Line::styled(report.text.clone(), style));
    }
    lines
}

/// What is worth showing when there is room: the API's own message, the recording note,
/// and the ways to deliver, with the keys the live keymap gives them (a way this profile
/// does not allow has no key and is not offered).
fn extras(reveal: &Reveal, keymap: &Keymap, width: usize, theme: &Theme) -> Vec<Line<'static>> {
    let key = |command| keymap.key_for(Mode::Reveal, command);
    let mut lines = Vec::new();
    if let (true, Some(file), Some(sink)) = (
        reveal.recorded(),
        key(Command::WriteSecret),
        key(Command::SinkSecret),
    ) {
        lines.push(Line::styled(
            format!(
                "This session may be recorded (tmux, screen or SSH): {file} and {sink} keep the \
                 secret off the screen."
            ),
            theme.dim(),
        ));
    }
    if let Some(message) = reveal.server_message() {
        lines.push(Line::styled(
            fit(&format!("The API says: {message}"), width * 2),
            theme.dim(),
        ));
    }
    lines.push(Line::default());
    let sink = match reveal.sink() {
        Some(command) => format!(
            "send to the sink: {}",
            fit(command, width.saturating_sub(24))
        ),
        None => "send to a sink (none set: the profile's sink, or SDX_KEYS_SINK)".to_owned(),
    };
    let pasted = key(Command::ConfirmPasted).unwrap_or_default();
    for (command, text, active) in [
        (
            Command::WriteSecret,
            "write to a new file (mode 0600)".to_owned(),
            true,
        ),
        (Command::SinkSecret, sink, reveal.sink().is_some()),
        (
            Command::CopySecret,
            format!("send to the terminal clipboard, then {pasted} once pasted"),
            true,
        ),
        (
            Command::ToggleSecret,
            "show or hide the whole secret".to_owned(),
            true,
        ),
    ] {
        let Some(chord) = key(command) else { continue };
        let style = if active { theme.plain() } else { theme.dim() };
        lines.push(Line::styled(
            fit(&format!("{chord:<2} {text}"), width),
            style,
        ));
    }
    lines.push(Line::default());
    lines
}

fn kind_word(kind: DeliveryKind) -> &'static str {
    match kind {
        DeliveryKind::File => "file",
        DeliveryKind::Sink => "sink",
        DeliveryKind::Clipboard => "clipboard",
    }
}
