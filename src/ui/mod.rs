//! Rendering: draws a frame from `&App`. Never changes the model.
//!
//! `render` picks the screen (too small, or the main screen with its optional side panel,
//! details popup and help overlay) and delegates each region to one file: `header`, `list`,
//! `details`, `footer` (status line and key hints) and `overlay` (help); `theme` holds the
//! styles. The geometry and text the model shares live in [`crate::layout`].

pub mod ascii;
pub mod confirm;
pub mod details;
pub mod field;
pub mod footer;
pub mod header;
pub mod list;
pub mod multiselect;
pub mod overlay;
pub mod panel;
pub mod recovery;
pub mod reveal;
pub mod switch;
pub mod theme;
pub mod wizard;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Clear, Paragraph, Wrap};

use crate::app::{App, Focus, Screen};
use crate::layout;
use theme::Theme;

pub fn render(frame: &mut Frame, app: &App) {
    draw(frame, app);
    if app.context().ascii {
        ascii::flatten(frame.buffer_mut());
    }
    if app.context().accessible {
        place_cursor(frame, app);
    }
}

fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width == 0 || area.height == 0 {
        return;
    }
    let theme = Theme {
        color: app.context().color,
    };
    if layout::too_small(app.size()) || layout::too_small((area.width, area.height)) {
        render_too_small(frame, area, app);
        return;
    }
    let areas = layout::areas(area, app.notice().map(|n| n.status()));
    header::render(frame, areas.header, app, &theme);
    let body = layout::wizard::body((area.width, area.height), app.notice().map(|n| n.status()));
    let on_top = match app.screen() {
        Screen::List => false,
        Screen::Wizard(wizard) => {
            wizard::render(frame, body, app, wizard, &theme);
            true
        }
        Screen::Reveal(reveal) => {
            reveal::render(frame, body, reveal, app.keymap(), &theme);
            true
        }
        Screen::Recovery(recovery) => {
            recovery::render(frame, body, recovery, &theme);
            true
        }
    };
    if on_top {
        footer::render_status(frame, areas.status, app, &theme);
        footer::render_footer(frame, areas.footer, app, &theme);
        if let Some(confirm) = app.confirm() {
            confirm::render(frame, body, confirm, &theme);
        }
        if let Some(help) = app.help() {
            overlay::render(frame, area, app, help, &theme);
        }
        return;
    }
    list::render(frame, areas.list, app, &theme);
    let details_focused = app.focus() == Focus::Details;
    if let Some(side) = areas.side {
        details::render(frame, side, app, &theme, details_focused);
    } else if details_focused {
        frame.render_widget(Clear, areas.list);
        details::render(frame, areas.list, app, &theme, true);
    }
    footer::render_status(frame, areas.status, app, &theme);
    footer::render_footer(frame, areas.footer, app, &theme);
    if let Some(confirm) = app.confirm() {
        confirm::render(frame, areas.list, confirm, &theme);
    }
    if let Some(switch) = app.profile_switch() {
        switch::render(
            frame,
            areas.list,
            switch,
            &app.context().profile.name,
            &theme,
        );
    }
    if let Some(help) = app.help() {
        overlay::render(frame, area, app, help, &theme);
    }
}

fn render_too_small(frame: &mut Frame, area: Rect, app: &App) {
    let holds_secret = app.holds_secret();
    let lines = vec![
        Line::from(format!(
            "sdx-keys [{}]",
            header::profile_label(&app.context().profile)
        )),
        Line::from(format!(
            "terminal too small: {} x {}, need {} x {}",
            area.width,
            area.height,
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        )),
        Line::from(if holds_secret {
            "Enlarge the terminal: a new secret is waiting to be delivered.".to_owned()
        } else {
            let quit = app
                .keymap()
                .key_for(crate::keymap::Mode::TooSmall, crate::keymap::Command::Quit)
                .unwrap_or_else(|| "ctrl-c".to_owned());
            format!("Press {quit} to quit.")
        }),
    ];
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), area);
}

/// `--accessible`: the terminal's own cursor on the selected key, where screen readers and
/// magnifiers look (the list and its details; other screens keep their field cursors).
fn place_cursor(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if layout::too_small((area.width, area.height)) || !matches!(app.screen(), Screen::List) {
        return;
    }
    if app.confirm().is_some() || app.help().is_some() || app.view().visible.is_empty() {
        return;
    }
    let list = layout::areas(area, app.notice().map(|n| n.status())).list;
    let row = app.view().selected().saturating_sub(app.view().offset()) as u16;
    let y = list.y + 2 + row;
    if y + 1 < list.y + list.height {
        frame.set_cursor_position((list.x + 1, y));
    }
}
