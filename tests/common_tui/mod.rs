//! Helpers shared by the TUI tests: fixture keys at a fixed time, key presses by chord text,
//! API replies, and rendering an `App` into a `TestBackend` buffer as text.
#![allow(dead_code)]

use jiff::Timestamp;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyEvent;
use ratatui::style::{Color, Modifier};
use sdx_keys::api::{ApiError, ApiKey, ApiReply, ApiRequest, ApiResponse, KeyId, RequestId};
use sdx_keys::app::{App, AppContext, Effect, Msg};
use sdx_keys::keymap::Chord;

pub const NOW: &str = "2026-05-01T12:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().unwrap()
}

pub fn ts(text: &str) -> Timestamp {
    text.parse().unwrap()
}

pub fn context(color: bool) -> AppContext {
    AppContext {
        api_host: "v1.api.altostrat.io".into(),
        demo: false,
        color,
        session_tag: "test".into(),
        ..AppContext::default()
    }
}

pub fn key(
    id: &str,
    name: &str,
    prefix: &str,
    created: &str,
    last_used: Option<&str>,
    perms: &[&str],
) -> ApiKey {
    ApiKey {
        id: KeyId(id.into()),
        name: name.into(),
        key_prefix: prefix.into(),
        client_id: format!("C{}", &id[id.len().saturating_sub(19)..]),
        created_at: ts(created),
        status: "active".into(),
        permissions: perms.iter().map(|p| (*p).into()).collect(),
        last_used_at: last_used.map(ts),
    }
}

/// A dozen keys in "server order", with varied names, times and permissions.
pub fn fixture_keys() -> Vec<ApiKey> {
    let mut keys = vec![
        key(
            "api_key_00000000000000000000000001",
            "Production automation",
            "alto_sk_ab123",
            "2026-04-20T00:00:00Z",
            Some("2026-05-01T11:55:00Z"),
            &["sites:read", "scripts:write"],
        ),
        key(
            "api_key_00000000000000000000000002",
            "grafana-readonly",
            "alto_sk_gr001",
            "2026-03-01T08:30:00Z",
            Some("2026-04-30T09:00:00Z"),
            &["sites:read"],
        ),
        key(
            "api_key_00000000000000000000000003",
            "backup exporter",
            "alto_sk_bk777",
            "2025-11-11T11:11:11Z",
            None,
            &["backups:read", "sites:read"],
        ),
        key(
            "api_key_00000000000000000000000004",
            "CI pipeline",
            "alto_sk_ci042",
            "2026-04-28T12:00:00Z",
            Some("2026-04-28T13:00:00Z"),
            &["scripts:read", "scripts:write", "sites:read"],
        ),
        key(
            "api_key_00000000000000000000000005",
            "billing sync",
            "alto_sk_bl555",
            "2024-01-01T00:00:00Z",
            Some("2025-12-24T18:00:00Z"),
            &["billing:update"],
        ),
        key(
            "api_key_00000000000000000000000006",
            "Zabbix monitor",
            "alto_sk_zb900",
            "2026-05-01T11:59:30Z",
            None,
            &["sites:read", "legacy:thing"],
        ),
        key(
            "api_key_00000000000000000000000007",
            "ansible",
            "alto_sk_an313",
            "2026-02-14T10:00:00Z",
            Some("2026-05-01T06:00:00Z"),
            &["scripts:write"],
        ),
        key(
            "api_key_00000000000000000000000008",
            "Überwachung 東京",
            "alto_sk_jp808",
            "2026-04-01T00:00:00Z",
            None,
            &[],
        ),
        key(
            "api_key_00000000000000000000000009",
            "netbox importer",
            "alto_sk_nb101",
            "2026-01-05T00:00:00Z",
            Some("2026-04-15T00:00:00Z"),
            &["sites:read", "sites:write"],
        ),
        key(
            "api_key_00000000000000000000000010",
            "a very long key name that will never fit in any column of the table",
            "alto_sk_lg000",
            "2026-04-30T00:00:00Z",
            None,
            &["ai:chat"],
        ),
        key(
            "api_key_00000000000000000000000011",
            "old revoked key",
            "alto_sk_rv404",
            "2025-06-01T00:00:00Z",
            None,
            &["sites:read"],
        ),
        key(
            "api_key_00000000000000000000000012",
            "terraform",
            "alto_sk_tf222",
            "2026-04-29T00:00:00Z",
            Some("2026-04-29T00:00:00Z"),
            &["sites:write", "scripts:read"],
        ),
    ];
    keys[10].status = "revoked".into();
    keys
}

/// `count` generated keys (for the large-list tests).
pub fn many_keys(count: usize) -> Vec<ApiKey> {
    (0..count)
        .map(|i| {
            key(
                &format!("api_key_{i:026}"),
                &format!("key number {i}"),
                &format!("alto_sk_{i:05}"),
                "2026-01-01T00:00:00Z",
                None,
                &["sites:read"],
            )
        })
        .collect()
}

pub fn event(chord: &str) -> KeyEvent {
    let chord: Chord = chord.parse().expect("chord");
    KeyEvent::new(chord.code, chord.mods)
}

/// Presses one chord (`j`, `ctrl-c`, `enter`, `S`) at the fixed time.
pub fn press(app: &mut App, chord: &str) -> Vec<Effect> {
    app.update(now(), Msg::Key(event(chord)))
}

/// Presses each chord of a space-separated list; returns the effects of the last one.
pub fn presses(app: &mut App, chords: &str) -> Vec<Effect> {
    let mut last = Vec::new();
    for chord in chords.split(' ') {
        last = press(app, chord);
    }
    last
}

/// Types text character by character.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        let code = ratatui::crossterm::event::KeyCode::Char(c);
        app.update(
            now(),
            Msg::Key(KeyEvent::new(
                code,
                ratatui::crossterm::event::KeyModifiers::NONE,
            )),
        );
    }
}

/// `effects` without the action-journal lines every create, rotate and delete adds.
pub fn without_actions(effects: &[Effect]) -> Vec<&Effect> {
    effects
        .iter()
        .filter(|e| !matches!(e, Effect::Journal(sdx_keys::journal::Entry::Action(_))))
        .collect()
}

/// The id of the single `ListKeys` request in `effects` (action-journal lines aside).
pub fn list_request(effects: &[Effect]) -> RequestId {
    match without_actions(effects).as_slice() {
        [Effect::Api(id, ApiRequest::ListKeys)] => *id,
        other => panic!("expected one ListKeys request, got {other:?}"),
    }
}

pub fn reply_keys(app: &mut App, id: RequestId, keys: Vec<ApiKey>) -> Vec<Effect> {
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Ok(ApiResponse::Keys(keys.into())),
        }),
    )
}

pub fn reply_error(app: &mut App, id: RequestId, error: ApiError) -> Vec<Effect> {
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Err(error),
        }),
    )
}

pub fn new_app(size: (u16, u16)) -> App {
    App::new(context(true), size, now())
}

/// An app at `size` that has loaded `keys`.
pub fn loaded(size: (u16, u16), keys: Vec<ApiKey>) -> App {
    let mut app = new_app(size);
    let id = list_request(&app.start(now()));
    reply_keys(&mut app, id, keys);
    app
}

/// An app of `context` at `size` with the fixture keys loaded.
pub fn with_context(context: AppContext, size: (u16, u16)) -> App {
    let mut app = App::new(context, size, now());
    let id = list_request(&app.start(now()));
    reply_keys(&mut app, id, fixture_keys());
    app
}

/// Moves the list's selection onto the key named `name`.
pub fn select_key(app: &mut App, name: &str) {
    press(app, "g");
    for _ in 0..app.keys().len() {
        if selected_name(app).as_deref() == Some(name) {
            return;
        }
        press(app, "j");
    }
    panic!("{name} is not in the list");
}

pub fn names(app: &App) -> Vec<String> {
    app.visible_keys().map(|k| k.name.clone()).collect()
}

pub fn selected_name(app: &App) -> Option<String> {
    app.selected_key().map(|k| k.name.clone())
}

pub fn render_buffer(app: &App, size: (u16, u16)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    terminal.draw(|f| sdx_keys::ui::render(f, app)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer as lines of text (trailing spaces kept so widths are visible).
pub fn buffer_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            out.push_str(symbol);
            skip = ratatui::text::Span::raw(symbol).width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}

pub fn screen(app: &App) -> String {
    buffer_text(&render_buffer(app, app.size()))
}

/// Each run of cells with the same non-default style as `<fg,bg,MODS>text</>`.
pub fn styled_text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::new();
    for y in 0..area.height {
        let mut current = String::new();
        let mut run = String::new();
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let cell = &buffer[(x, y)];
            let mut style = Vec::new();
            if cell.fg != Color::Reset {
                style.push(format!("{:?}", cell.fg));
            }
            if cell.bg != Color::Reset {
                style.push(format!("bg:{:?}", cell.bg));
            }
            if cell.modifier != Modifier::empty() {
                style.push(
                    format!("{:?}", cell.modifier)
                        .replace("Modifier(", "")
                        .replace(')', ""),
                );
            }
            let style = style.join(",");
            if style != current {
                flush(&mut out, &current, &mut run);
                current = style;
            }
            run.push_str(cell.symbol());
            skip = ratatui::text::Span::raw(cell.symbol())
                .width()
                .saturating_sub(1);
        }
        flush(&mut out, &current, &mut run);
        out.push('\n');
    }
    out
}

fn flush(out: &mut String, style: &str, run: &mut String) {
    if run.is_empty() {
        return;
    }
    if style.is_empty() {
        out.push_str(run);
    } else {
        out.push_str(&format!("<{style}>{run}</>"));
    }
    run.clear();
}
