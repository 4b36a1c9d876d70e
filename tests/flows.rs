//! Key-sequence tests of `App::update`: every flow of the key list driven by chords and API
//! replies, asserting the model and the effects (and, where it is the point, the screen).

mod common_tui;

use std::time::Duration;

use common_tui::*;
use jiff::ToSpan;
use sdx_keys::api::{ApiError, RequestId};
use sdx_keys::api::{ApiReply, ApiRequest, ApiResponse};
use sdx_keys::app::notice::Severity;
use sdx_keys::app::remote::Remote;
use sdx_keys::app::sort::SortColumn;
use sdx_keys::app::{Effect, Focus, Msg};
use sdx_keys::keymap::Mode;

const SMALL: (u16, u16) = (80, 24);

fn is_quit(effects: &[Effect]) -> bool {
    matches!(effects, [Effect::Quit])
}

#[test]
fn start_issues_list_keys_and_the_reply_loads_the_list() {
    let mut app = new_app(SMALL);
    let id = list_request(&app.start(now()));
    assert!(matches!(app.remote(), Remote::Loading(waiting) if *waiting == id));
    assert!(screen(&app).contains("Loading API keys"));
    reply_keys(&mut app, id, fixture_keys());
    assert_eq!(app.keys().len(), 12);
    assert_eq!(app.remote().awaiting(), None);
    // Default sort: name, A to Z, case-insensitive.
    assert_eq!(
        names(&app)[..3],
        [
            "a very long key name that will never fit in any column of the table",
            "ansible",
            "backup exporter"
        ]
    );
    assert_eq!(
        selected_name(&app).as_deref(),
        Some(names(&app)[0].as_str())
    );
    assert!(screen(&app).contains("12 keys"));
}

#[test]
fn navigation_moves_the_selection_and_clamps() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "j");
    assert_eq!(app.view().selected(), 1);
    presses(&mut app, "down down");
    assert_eq!(app.view().selected(), 3);
    presses(&mut app, "k up");
    assert_eq!(app.view().selected(), 1);
    press(&mut app, "G");
    assert_eq!(app.view().selected(), 11);
    press(&mut app, "j");
    assert_eq!(app.view().selected(), 11, "clamped at the end");
    press(&mut app, "g");
    assert_eq!(app.view().selected(), 0);
    press(&mut app, "k");
    assert_eq!(app.view().selected(), 0, "clamped at the top");
    press(&mut app, "end");
    assert_eq!(app.view().selected(), 11);
    press(&mut app, "home");
    assert_eq!(app.view().selected(), 0);
}

#[test]
fn a_refresh_while_the_terminal_is_too_small_keeps_the_window_at_the_selection() {
    // Found by tests/props.rs: more rows than fit, G, r, a resize below the minimum, then a
    // refresh with other keys used to leave the first row on screen past the selection.
    let mut app = loaded(SMALL, many_keys(100));
    press(&mut app, "G");
    let id = list_request(&press(&mut app, "r"));
    app.update(now(), Msg::Resize(40, 10));
    reply_keys(&mut app, id, many_keys(3));
    let view = app.view();
    assert!(
        view.offset() <= view.selected(),
        "offset {} past selection {}",
        view.offset(),
        view.selected()
    );
    app.update(now(), Msg::Resize(80, 24));
    assert_eq!((app.view().selected(), app.view().offset()), (0, 0));
}

#[test]
fn moving_past_an_edge_scrolls_one_row() {
    let mut app = loaded(SMALL, many_keys(100));
    let rows = app.list_rows();
    assert_eq!(
        rows, 18,
        "80x24: header, borders, column header, status, footer"
    );
    for _ in 0..17 {
        press(&mut app, "j");
    }
    assert_eq!((app.view().selected(), app.view().offset()), (17, 0));
    press(&mut app, "j");
    assert_eq!(
        (app.view().selected(), app.view().offset()),
        (18, 1),
        "one row down"
    );
    press(&mut app, "j");
    assert_eq!((app.view().selected(), app.view().offset()), (19, 2));
    for _ in 0..17 {
        press(&mut app, "k");
    }
    assert_eq!(
        (app.view().selected(), app.view().offset()),
        (2, 2),
        "no scroll inside"
    );
    press(&mut app, "k");
    assert_eq!(
        (app.view().selected(), app.view().offset()),
        (1, 1),
        "one row up"
    );
    press(&mut app, "G");
    assert_eq!(
        (app.view().selected(), app.view().offset()),
        (99, 82),
        "no blank rows"
    );
    press(&mut app, "g");
    assert_eq!((app.view().selected(), app.view().offset()), (0, 0));
    press(&mut app, "pgdn");
    assert_eq!((app.view().selected(), app.view().offset()), (18, 18));
    press(&mut app, "pgup");
    assert_eq!((app.view().selected(), app.view().offset()), (0, 0));
}

#[test]
fn a_selection_move_rewrites_only_two_rows_at_80x24() {
    let mut app = loaded(SMALL, fixture_keys());
    let before = screen(&app);
    press(&mut app, "j");
    let after = screen(&app);
    let changed = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(changed, 2, "before:\n{before}\nafter:\n{after}");
}

#[test]
fn filter_narrows_fuzzily_by_name_and_permission_and_by_substring_of_id_and_prefix() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "/");
    assert_eq!(app.mode(), Mode::Filter);
    type_text(&mut app, "grfnrd");
    assert_eq!(names(&app), ["grafana-readonly"], "fuzzy by name");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "bkprd");
    assert_eq!(
        names(&app),
        ["backup exporter"],
        "fuzzy by permission backups:read"
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "ai:chat");
    assert_eq!(names(&app).len(), 1);
    assert!(names(&app)[0].starts_with("a very long"));
    press(&mut app, "ctrl-u");
    type_text(&mut app, "000000012");
    assert_eq!(names(&app), ["terraform"], "substring of the id");
    press(&mut app, "ctrl-u");
    type_text(&mut app, "AB123");
    assert_eq!(
        names(&app),
        ["Production automation"],
        "case-insensitive prefix"
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "sk_zb");
    assert_eq!(names(&app), ["Zabbix monitor"]);
    // Id and prefix are not fuzzy: scattered characters of an id match nothing.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "k_0_2x");
    assert!(names(&app).is_empty());
    // Every word must match.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "sites:read scripts:write");
    assert_eq!(names(&app), ["CI pipeline", "Production automation"]);
}

#[test]
fn enter_keeps_the_filter_and_esc_clears_it() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "/");
    type_text(&mut app, "grafana");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(app.filter_query(), "grafana");
    assert_eq!(names(&app), ["grafana-readonly"]);
    let text = screen(&app);
    assert!(text.contains("filter: grafana"), "{text}");
    assert!(text.contains("1 of 12 keys"), "{text}");
    // Reopening keeps the text; Esc clears it and returns to the list.
    press(&mut app, "/");
    assert_eq!(app.filter_editor().text(), "grafana");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(app.filter_query(), "");
    assert_eq!(names(&app).len(), 12);
    // Esc in the list clears a kept filter too.
    press(&mut app, "/");
    type_text(&mut app, "terra");
    press(&mut app, "enter");
    assert_eq!(names(&app).len(), 1);
    press(&mut app, "esc");
    assert_eq!(names(&app).len(), 12);
}

#[test]
fn the_selection_stays_on_the_same_key_through_filter_changes() {
    let mut app = loaded(SMALL, fixture_keys());
    while selected_name(&app).as_deref() != Some("grafana-readonly") {
        press(&mut app, "j");
    }
    press(&mut app, "/");
    type_text(&mut app, "r");
    assert!(names(&app).len() > 1);
    assert_eq!(selected_name(&app).as_deref(), Some("grafana-readonly"));
    type_text(&mut app, "zzz");
    assert!(app.selected_key().is_none());
    for _ in 0..3 {
        press(&mut app, "backspace");
    }
    assert_eq!(
        selected_name(&app).as_deref(),
        Some("grafana-readonly"),
        "restored"
    );
    press(&mut app, "esc");
    assert_eq!(selected_name(&app).as_deref(), Some("grafana-readonly"));
}

#[test]
fn filtering_ten_thousand_keys_narrows_live() {
    let mut app = loaded(SMALL, many_keys(10_000));
    press(&mut app, "/");
    type_text(&mut app, "sk_00999");
    assert_eq!(names(&app), ["key number 999"]);
    assert!(screen(&app).contains("1 of 10000 keys"));
    press(&mut app, "backspace");
    assert_eq!(names(&app).len(), 10, "00990..00999");
    press(&mut app, "esc");
    assert!(screen(&app).contains("10000 keys"));
}

#[test]
fn paste_goes_into_the_filter_only() {
    let mut app = loaded(SMALL, fixture_keys());
    app.update(now(), Msg::Paste("terra".into()));
    assert_eq!(app.filter_editor().text(), "");
    press(&mut app, "/");
    app.update(now(), Msg::Paste("terra\nform".into()));
    assert_eq!(app.filter_editor().text(), "terra form");
    assert_eq!(names(&app), ["terraform"]);
}

#[test]
fn sort_cycles_reverses_and_is_stable() {
    let mut app = loaded(SMALL, fixture_keys());
    assert_eq!(app.sort().column, SortColumn::Name);
    assert!(screen(&app).contains("Name ^"));
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Created);
    assert!(app.sort().descending);
    assert_eq!(names(&app)[0], "Zabbix monitor", "newest first");
    assert!(screen(&app).contains("Created v"));
    press(&mut app, "S");
    assert!(!app.sort().descending);
    assert_eq!(names(&app)[0], "billing sync", "oldest first");
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::LastUsed);
    assert_eq!(
        names(&app)[0],
        "Production automation",
        "most recently used first"
    );
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Permissions);
    let expected_desc = [
        "CI pipeline",
        "Production automation",
        "backup exporter",
        "Zabbix monitor",
        "netbox importer",
        "terraform",
        "grafana-readonly",
        "billing sync",
        "ansible",
        "a very long key name that will never fit in any column of the table",
        "old revoked key",
        "Überwachung 東京",
    ];
    assert_eq!(names(&app), expected_desc, "ties keep the server's order");
    press(&mut app, "S");
    let expected_asc = [
        "Überwachung 東京",
        "grafana-readonly",
        "billing sync",
        "ansible",
        "a very long key name that will never fit in any column of the table",
        "old revoked key",
        "Production automation",
        "backup exporter",
        "Zabbix monitor",
        "netbox importer",
        "terraform",
        "CI pipeline",
    ];
    assert_eq!(
        names(&app),
        expected_asc,
        "ties keep the server's order reversed too"
    );
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Status);
    assert_eq!(names(&app)[11], "old revoked key");
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Prefix);
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Name);
}

#[test]
fn a_narrow_table_names_a_hidden_sort_column_in_its_title() {
    let mut app = loaded((60, 15), fixture_keys());
    press(&mut app, "s");
    assert_eq!(app.sort().column, SortColumn::Created);
    let text = screen(&app);
    assert!(
        !text.contains("Created v"),
        "the column is dropped at 60 columns"
    );
    assert!(text.contains("sorted by created v"), "{text}");
}

#[test]
fn sorting_keeps_the_selected_key() {
    let mut app = loaded(SMALL, fixture_keys());
    presses(&mut app, "j j j");
    let chosen = selected_name(&app);
    presses(&mut app, "s S s");
    assert_eq!(selected_name(&app), chosen);
}

#[test]
fn refresh_issues_a_new_id_and_a_reply_to_the_old_id_is_dropped() {
    let mut app = new_app(SMALL);
    let first = list_request(&app.start(now()));
    reply_keys(&mut app, first, fixture_keys());
    presses(&mut app, "j j");
    let chosen = app.selected_key().unwrap().id.clone();
    let second = list_request(&press(&mut app, "r"));
    assert_ne!(second, first);
    assert!(app.remote().is_refreshing());
    assert!(screen(&app).contains("refreshing"));
    assert_eq!(app.keys().len(), 12, "the list stays while refreshing");
    press(&mut app, "j");
    assert_eq!(app.view().selected(), 3, "input works while refreshing");
    // A late reply to the first request is stale.
    reply_keys(&mut app, first, many_keys(3));
    assert_eq!(app.keys().len(), 12);
    assert!(app.remote().is_refreshing());
    // F5 right away does not send another request (holding r must not flood the API)...
    assert!(
        press(&mut app, "f5").is_empty(),
        "coalesced with the refresh in flight"
    );
    // ...but a refresh in flight for longer is superseded.
    let later = now() + jiff::SignedDuration::from_secs(5);
    let third = list_request(&app.update(later, Msg::Key(event("f5"))));
    assert!(third != second && third != first);
    reply_keys(&mut app, second, many_keys(3));
    assert_eq!(app.keys().len(), 12, "superseded reply dropped");
    press(&mut app, "k");
    let mut fresh = fixture_keys();
    fresh.reverse();
    fresh.remove(0);
    reply_keys(&mut app, third, fresh);
    assert_eq!(app.keys().len(), 11);
    assert!(!app.remote().is_refreshing());
    assert_eq!(
        app.selected_key().unwrap().id,
        chosen,
        "same key after refresh"
    );
}

#[test]
fn a_failed_first_load_shows_the_error_and_r_retries() {
    let mut app = new_app(SMALL);
    let id = list_request(&app.start(now()));
    let error = ApiError::Timeout;
    reply_error(&mut app, id, error.clone());
    assert!(matches!(app.remote(), Remote::Failed(_)));
    let text = screen(&app);
    assert!(text.contains("Could not load the API keys."), "{text}");
    assert!(text.contains("Press r to retry."), "{text}");
    assert!(text.contains("The API did not answer in time."), "{text}");
    let retry = list_request(&press(&mut app, "r"));
    assert_ne!(retry, id);
    assert!(matches!(app.remote(), Remote::Loading(_)));
    reply_keys(&mut app, retry, fixture_keys());
    assert_eq!(app.keys().len(), 12);
}

#[test]
fn a_failed_refresh_keeps_the_list_and_raises_an_error_notice() {
    let mut app = loaded(SMALL, fixture_keys());
    let id = list_request(&press(&mut app, "r"));
    reply_error(
        &mut app,
        id,
        ApiError::Server {
            status: 503,
            message: None,
        },
    );
    assert_eq!(app.keys().len(), 12);
    assert!(!app.remote().is_refreshing());
    let notice = app.notice().expect("a notice");
    assert_eq!(notice.severity, Severity::Error);
    assert!(
        notice
            .text
            .starts_with("Refresh failed: The API had an internal problem")
    );
    assert_eq!(notice.expires_at, None, "errors stay until dismissed");
    let later = now() + 1.hour();
    app.update(later, Msg::Tick);
    assert!(app.notice().is_some());
    assert!(screen(&app).contains("error: Refresh failed"));
    press(&mut app, "j");
    assert!(app.notice().is_some(), "moving does not dismiss it");
    press(&mut app, "esc");
    assert!(app.notice().is_none());
}

#[test]
fn replies_when_nothing_is_awaited_are_ignored() {
    let mut app = loaded(SMALL, fixture_keys());
    reply_keys(&mut app, RequestId(999), many_keys(1));
    reply_error(&mut app, RequestId(1), ApiError::Timeout);
    assert_eq!(app.keys().len(), 12);
    assert!(app.notice().is_none());
}

#[test]
fn empty_list_shows_the_create_hint() {
    let app = loaded(SMALL, Vec::new());
    let text = screen(&app);
    assert!(
        text.contains("No API keys yet. Press n to create one."),
        "{text}"
    );
    assert!(text.contains("0 keys"));
}

#[test]
fn an_action_notice_carries_its_command_and_stays_until_dismissed() {
    let mut app = loaded(SMALL, fixture_keys());
    let name = selected_name(&app).unwrap();
    press(&mut app, "d");
    type_text(&mut app, &name);
    let effects = press(&mut app, "enter");
    let (id, key_id) = match effects.as_slice() {
        [Effect::Api(id, ApiRequest::DeleteKey(key_id))] => (*id, key_id.clone()),
        other => panic!("{other:?}"),
    };
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Ok(ApiResponse::Deleted(key_id.clone())),
        }),
    );
    let notice = app.notice().unwrap();
    assert_eq!(notice.severity, Severity::Info);
    assert_eq!(
        notice.text,
        format!(
            "Deleted {name}. As a command: sdx-keys delete {} --yes",
            key_id.as_str()
        )
    );
    // It stays long enough to be copied: still there a minute on.
    app.update(now() + 60.seconds(), Msg::Tick);
    assert!(app.notice().is_some());
    press(&mut app, "esc");
    assert!(app.notice().is_none());
}

#[test]
fn an_info_notice_expires_by_itself() {
    use sdx_keys::app::notice::Notice;
    let notice = Notice::new(Severity::Info, "Refreshed.", now());
    assert_eq!(notice.time_left(now()), Some(Duration::from_secs(5)));
    assert!(!notice.is_expired(now() + 4.seconds()));
    assert!(notice.is_expired(now() + 5.seconds()));
    let warning = Notice::new(Severity::Warning, "Careful.", now());
    assert_eq!(warning.time_left(now()), None);
}

#[test]
fn help_opens_lists_the_bindings_and_closes() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::Help);
    let text = screen(&app);
    for needle in [
        "Help",
        "Filter the list",
        "Sort by the next column",
        "Refresh the key list",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    // The last bindings are below the fold at 80x24: scroll to them.
    for _ in 0..10 {
        press(&mut app, "j");
    }
    let text = screen(&app);
    for needle in ["Quit sdx-keys", "ctrl-c"] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::List);
    press(&mut app, "?");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::List);
    // From the filter input, help lists the filter's keys.
    press(&mut app, "/");
    press(&mut app, "f1");
    assert_eq!(app.mode(), Mode::Help);
    assert!(screen(&app).contains("Keep the filter"));
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::Filter);
}

#[test]
fn every_list_binding_is_in_the_help() {
    let mut app = loaded((120, 40), fixture_keys());
    press(&mut app, "?");
    let text = screen(&app);
    for binding in app.keymap().bindings(Mode::List) {
        assert!(
            text.contains(binding.description),
            "{} missing",
            binding.description
        );
        assert!(
            text.contains(&binding.keys_label()),
            "{} missing",
            binding.keys_label()
        );
    }
}

#[test]
fn details_open_with_enter_and_close_with_esc() {
    let mut app = loaded(SMALL, fixture_keys());
    assert!(
        !screen(&app).contains("Client ID"),
        "not on screen at 80x24"
    );
    press(&mut app, "enter");
    assert_eq!(app.focus(), Focus::Details);
    let text = screen(&app);
    assert!(text.contains("Client ID"), "{text}");
    assert!(text.contains("2026-04-30 00:00:00 UTC"), "{text}");
    assert!(
        text.contains("Use the AI assistant") || text.contains("ai:chat"),
        "{text}"
    );
    press(&mut app, "esc");
    assert_eq!(app.focus(), Focus::List);
    assert!(!screen(&app).contains("Client ID"));
    // Wide terminals show them beside the list all the time.
    let app = loaded((120, 40), fixture_keys());
    assert!(screen(&app).contains("Client ID"));
}

#[test]
fn details_mark_unknown_scopes_and_scroll() {
    let mut app = loaded(SMALL, fixture_keys());
    while selected_name(&app).as_deref() != Some("Zabbix monitor") {
        press(&mut app, "j");
    }
    press(&mut app, "enter");
    let text = screen(&app);
    assert!(
        text.contains("legacy:thing  not in the catalogue"),
        "{text}"
    );
    assert!(text.contains("never"));
    // Nothing to scroll: the position stays at the top.
    press(&mut app, "j");
    assert_eq!(app.details_scroll(), 0);
}

#[test]
fn long_details_scroll_and_clamp() {
    let scopes: Vec<String> = sdx_keys::catalogue::Catalogue::builtin()
        .scopes()
        .take(20)
        .map(str::to_owned)
        .collect();
    let mut keys = fixture_keys();
    keys[0].permissions = scopes.iter().map(|s| s.as_str().into()).collect();
    keys[0].name = "a first".into();
    let mut app = loaded(SMALL, keys);
    press(&mut app, "enter");
    assert!(!screen(&app).contains(scopes[19].as_str()));
    press(&mut app, "j");
    assert_eq!(app.details_scroll(), 1);
    press(&mut app, "G");
    let bottom = app.details_scroll();
    assert!(bottom > 10);
    assert!(screen(&app).contains(scopes[19].as_str()));
    press(&mut app, "j");
    assert_eq!(app.details_scroll(), bottom, "clamped at the bottom");
    press(&mut app, "k");
    assert_eq!(app.details_scroll(), bottom - 1);
    press(&mut app, "g");
    assert_eq!(app.details_scroll(), 0);
    // Reopening for another key starts at the top.
    press(&mut app, "G");
    presses(&mut app, "esc j enter");
    assert_eq!(app.details_scroll(), 0);
}

#[test]
fn q_quits_from_the_list_and_ctrl_c_from_anywhere() {
    let mut app = loaded(SMALL, fixture_keys());
    assert!(is_quit(&press(&mut app, "q")));
    assert!(is_quit(&press(&mut app, "ctrl-c")));
    press(&mut app, "/");
    assert!(press(&mut app, "q").is_empty(), "q is text in the filter");
    assert_eq!(app.filter_editor().text(), "q");
    assert!(is_quit(&press(&mut app, "ctrl-c")));
    press(&mut app, "esc");
    press(&mut app, "?");
    assert!(is_quit(&press(&mut app, "ctrl-c")));
    press(&mut app, "esc");
    press(&mut app, "enter");
    assert!(is_quit(&press(&mut app, "ctrl-c")));
}

#[test]
fn a_too_small_terminal_routes_no_keys_but_quit() {
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "/");
    app.update(now(), Msg::Resize(50, 10));
    assert_eq!(app.mode(), Mode::TooSmall);
    type_text(&mut app, "abc");
    assert_eq!(app.filter_editor().text(), "", "hidden input takes no keys");
    app.update(now(), Msg::Paste("xyz".into()));
    assert_eq!(app.filter_editor().text(), "");
    press(&mut app, "down");
    assert_eq!(app.view().selected(), 0);
    assert!(press(&mut app, "r").is_empty());
    assert!(screen(&app).contains("terminal too small: 50 x 10, need 60 x 15"));
    assert!(is_quit(&press(&mut app, "q")));
    assert!(is_quit(&press(&mut app, "ctrl-c")));
    app.update(now(), Msg::Resize(80, 24));
    assert_eq!(app.mode(), Mode::Filter, "the mode survives");
}

#[test]
fn wake_after_is_none_when_idle_and_some_when_something_moves() {
    // Loading: the spinner animates.
    let mut app = new_app(SMALL);
    let id = list_request(&app.start(now()));
    let wake = app.wake_after(now()).expect("spinner");
    assert!(wake <= Duration::from_millis(250));
    // Idle with timestamps older than an hour: no wake-ups.
    let mut old = fixture_keys();
    for key in &mut old {
        key.created_at = ts("2026-01-01T00:00:00Z");
        key.last_used_at = key.last_used_at.map(|_| ts("2026-02-01T00:00:00Z"));
    }
    reply_keys(&mut app, id, old);
    assert_eq!(app.wake_after(now()), None);
    // A key used 5 minutes (and 10 seconds) ago is on screen: wake on the next wall-clock
    // minute, when every relative time changes at once (now() is on a whole minute).
    let mut young = fixture_keys();
    for key in &mut young {
        key.created_at = ts("2026-01-01T00:00:00Z");
        key.last_used_at = None;
    }
    young[3].last_used_at = Some(ts("2026-05-01T11:54:50Z"));
    let app = loaded(SMALL, young);
    let wake = app.wake_after(now()).expect("a young time is visible");
    assert_eq!(wake, Duration::from_secs(60));
    // Too small: nothing is visible, nothing wakes.
    let mut app = app;
    app.update(now(), Msg::Resize(40, 10));
    assert_eq!(app.wake_after(now()), None);
}

#[test]
fn key_releases_are_ignored() {
    use ratatui::crossterm::event::{KeyEvent, KeyEventKind};
    let mut app = loaded(SMALL, fixture_keys());
    let mut release = event("j");
    release.kind = KeyEventKind::Release;
    app.update(now(), Msg::Key(KeyEvent { ..release }));
    assert_eq!(app.view().selected(), 0);
}

#[test]
fn a_terminal_that_shrinks_too_small_and_grows_back_shows_the_same_rows() {
    let mut app = loaded(SMALL, many_keys(100));
    for _ in 0..30 {
        press(&mut app, "j");
    }
    let before = (app.view().selected(), app.view().offset());
    assert_ne!(before.1, 0, "the list scrolled");
    for size in [(40, 10), (1, 1), (0, 0)] {
        app.update(now(), Msg::Resize(size.0, size.1));
    }
    app.update(now(), Msg::Resize(SMALL.0, SMALL.1));
    assert_eq!((app.view().selected(), app.view().offset()), before);
}

#[test]
fn clearing_a_kept_filter_keeps_the_key_found() {
    let mut app = loaded(SMALL, fixture_keys());
    let first = selected_name(&app);
    press(&mut app, "/");
    type_text(&mut app, "terraform");
    press(&mut app, "enter");
    assert_eq!(selected_name(&app).as_deref(), Some("terraform"));
    press(&mut app, "esc");
    assert_eq!(app.filter_query(), "");
    assert_eq!(selected_name(&app).as_deref(), Some("terraform"));
    // Esc while typing abandons the search: back to the key chosen before.
    press(&mut app, "g");
    let top = selected_name(&app);
    press(&mut app, "/");
    type_text(&mut app, "zabbix");
    press(&mut app, "esc");
    assert_eq!(selected_name(&app), top);
    assert_ne!(first, None);
}

#[test]
fn quick_filters_show_unused_and_risky_keys_and_esc_clears_them() {
    use sdx_keys::audit::{DEFAULT_UNUSED_DAYS, is_risky, is_unused};
    let mut app = loaded(SMALL, fixture_keys());
    let all = app.keys().len();
    press(&mut app, "u");
    let unused: Vec<String> = names(&app);
    assert!(!unused.is_empty() && unused.len() < all, "{unused:?}");
    for &i in &app.view().visible {
        assert!(is_unused(&app.keys()[i], DEFAULT_UNUSED_DAYS, now()));
    }
    let header = screen(&app).lines().next().unwrap().to_owned();
    assert!(header.contains("[unused]"), "{header}");
    assert!(
        header.contains(&format!("{} of {all} keys", unused.len())),
        "{header}"
    );
    press(&mut app, "w");
    for &i in &app.view().visible {
        let key = &app.keys()[i];
        assert!(is_unused(key, DEFAULT_UNUSED_DAYS, now()) && is_risky(key));
    }
    assert!(screen(&app).contains("[unused, write/admin]"));
    press(&mut app, "u");
    assert!(app.view().visible.iter().all(|&i| is_risky(&app.keys()[i])));
    press(&mut app, "esc");
    assert_eq!(app.view().visible.len(), all);
    assert!(!screen(&app).contains("write/admin"));
    // The help says the same number of days the filter uses.
    press(&mut app, "?");
    assert!(screen(&app).contains(&format!("unused for {DEFAULT_UNUSED_DAYS} days")));
}
