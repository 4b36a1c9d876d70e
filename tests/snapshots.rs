//! insta snapshots of whole screens rendered into a `TestBackend` at fixed sizes and a fixed
//! `now`: every state of the key list, as text, plus a few with their styles encoded.

mod common_tui;

use common_tui::*;
use ratatui::style::Color;
use sdx_keys::api::ApiError;
use sdx_keys::app::{App, Msg};

const SMALL: (u16, u16) = (80, 24);
const WIDE: (u16, u16) = (120, 40);

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, screen(app));
}

#[test]
fn loading() {
    for (size, name) in [(SMALL, "loading_80x24"), (WIDE, "loading_120x40")] {
        let mut app = new_app(size);
        app.start(now());
        snap(name, &app);
    }
}

#[test]
fn empty() {
    for (size, name) in [(SMALL, "empty_80x24"), (WIDE, "empty_120x40")] {
        snap(name, &loaded(size, Vec::new()));
    }
}

#[test]
fn loaded_lists() {
    for (size, name) in [
        (SMALL, "loaded_80x24"),
        (WIDE, "loaded_120x40"),
        ((60, 15), "loaded_60x15"),
        ((200, 30), "loaded_200x30"),
    ] {
        let mut app = loaded(size, fixture_keys());
        presses(&mut app, "j j");
        snap(name, &app);
    }
}

#[test]
fn filtered() {
    for (size, name) in [(SMALL, "filtered_80x24"), (WIDE, "filtered_120x40")] {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "/");
        type_text(&mut app, "sites:read");
        press(&mut app, "enter");
        snap(name, &app);
    }
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "/");
    type_text(&mut app, "scripts");
    snap("filter_typing_80x24", &app);
    type_text(&mut app, "zzz");
    snap("filter_no_match_80x24", &app);
}

#[test]
fn failed() {
    for (size, name) in [(SMALL, "failed_80x24"), (WIDE, "failed_120x40")] {
        let mut app = new_app(size);
        let id = list_request(&app.start(now()));
        reply_error(
            &mut app,
            id,
            ApiError::Network {
                detail: "connection refused".into(),
            },
        );
        snap(name, &app);
    }
}

#[test]
fn error_notice() {
    for (size, name) in [(SMALL, "notice_error_80x24"), (WIDE, "notice_error_120x40")] {
        let mut app = loaded(size, fixture_keys());
        let id = list_request(&press(&mut app, "r"));
        reply_error(&mut app, id, ApiError::Unauthorized { message: None });
        snap(name, &app);
    }
}

#[test]
fn help() {
    for (size, name) in [(SMALL, "help_80x24"), (WIDE, "help_120x40")] {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "?");
        snap(name, &app);
    }
}

#[test]
fn details() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "enter");
    snap("details_open_80x24", &app);
    let mut app = loaded(WIDE, fixture_keys());
    presses(&mut app, "j enter");
    snap("details_side_focused_120x40", &app);
}

#[test]
fn too_small() {
    let mut app = loaded(SMALL, fixture_keys());
    app.update(now(), Msg::Resize(50, 10));
    snap("too_small_50x10", &app);
}

#[test]
fn no_colour_loaded() {
    let mut app = with_context(context(false), SMALL);
    presses(&mut app, "j j");
    snap("no_colour_loaded_80x24", &app);
    let styles = styled_text(&render_buffer(&app, SMALL));
    assert!(
        ["Red", "Green", "Yellow", "Cyan", "Magenta"]
            .iter()
            .all(|c| !styles.contains(c)),
        "{styles}"
    );
    insta::assert_snapshot!("no_colour_loaded_80x24_styles", styles);
}

#[test]
fn styled_screens() {
    let mut demo = context(true);
    demo.demo = true;
    demo.api_host = "127.0.0.1:8787".into();
    let mut app = with_context(demo, SMALL);
    presses(&mut app, "j j");
    insta::assert_snapshot!(
        "demo_loaded_80x24_styles",
        styled_text(&render_buffer(&app, SMALL))
    );
    let mut app = loaded(WIDE, fixture_keys());
    press(&mut app, "n");
    insta::assert_snapshot!(
        "info_notice_120x40_styles",
        styled_text(&render_buffer(&app, WIDE))
    );
}

#[test]
fn only_ansi_colours_are_used() {
    let mut app = loaded(WIDE, fixture_keys());
    press(&mut app, "n");
    let buffer = render_buffer(&app, WIDE);
    for cell in buffer.content() {
        for colour in [cell.fg, cell.bg] {
            assert!(
                !matches!(colour, Color::Rgb(..) | Color::Indexed(_)),
                "{colour:?}"
            );
        }
    }
}

#[test]
fn degenerate_sizes_do_not_panic() {
    for size in [
        (0, 0),
        (1, 1),
        (0, 5),
        (5, 0),
        (59, 40),
        (200, 14),
        (60, 15),
    ] {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "?");
        let _ = render_buffer(&app, size);
        press(&mut app, "esc");
        press(&mut app, "enter");
        let _ = render_buffer(&app, size);
    }
}
