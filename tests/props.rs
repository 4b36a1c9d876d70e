//! Property test: random sequences of keys, typed text, pastes, resizes (down to 0x0), ticks
//! and API replies with random ids and odd data never panic `App::update`, `wake_after` or
//! rendering, and the list view's invariants hold after every step.

mod common_tui;

use common_tui::*;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sdx_keys::api::{ApiError, ApiKey, ApiReply, ApiResponse, KeyId, RequestId};
use sdx_keys::app::{App, Msg};

const CHORDS: &[&str] = &[
    "j",
    "k",
    "g",
    "G",
    "down",
    "up",
    "home",
    "end",
    "pgdn",
    "pgup",
    "enter",
    "esc",
    "/",
    "s",
    "S",
    "r",
    "f5",
    "n",
    "?",
    "f1",
    "q",
    "backspace",
    "delete",
    "left",
    "right",
    "ctrl-u",
    "ctrl-w",
    "ctrl-e",
    "tab",
    "ctrl-x",
];

#[derive(Debug, Clone)]
enum Step {
    Chord(usize),
    Char(char),
    Paste(String),
    Resize(u16, u16),
    Tick(i64),
    Keys(u64, Vec<ApiKey>),
    Error(u64),
}

fn odd_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z :_-]{0,12}",
        "\\PC{0,20}",
        ".{0,8}",
        Just("東京東京東京東京東京東京東京東京".to_owned()),
        Just("e\u{301}\u{200d}\u{fe0f}\t\n\u{1b}[2J".to_owned()),
        Just(String::new()),
    ]
}

fn odd_time() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (-4_000_000_000i64..4_000_000_000i64).prop_map(|s| Timestamp::from_second(s).unwrap()),
        (-7200i64..7200).prop_map(|s| now() + SignedDuration::from_secs(s)),
        Just(Timestamp::MIN),
        Just(Timestamp::MAX),
    ]
}

fn odd_key() -> impl Strategy<Value = ApiKey> {
    (
        odd_text(),
        odd_text(),
        odd_text(),
        odd_time(),
        proptest::option::of(odd_time()),
        proptest::collection::vec(
            prop_oneof![
                Just("sites:read".to_owned()),
                Just("ai:chat".to_owned()),
                odd_text()
            ],
            0..5,
        ),
        prop_oneof![Just("active".to_owned()), odd_text()],
    )
        .prop_map(
            |(id, name, prefix, created, used, permissions, status)| ApiKey {
                id: KeyId(id),
                name,
                key_prefix: prefix,
                client_id: String::new(),
                created_at: created,
                status,
                permissions: permissions.into_iter().map(Into::into).collect(),
                last_used_at: used,
            },
        )
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => (0..CHORDS.len()).prop_map(Step::Chord),
        3 => any::<char>().prop_map(Step::Char),
        1 => odd_text().prop_map(Step::Paste),
        2 => (0u16..140, 0u16..50).prop_map(|(w, h)| Step::Resize(w, h)),
        1 => (0i64..120_000).prop_map(Step::Tick),
        2 => (0u64..8, proptest::collection::vec(odd_key(), 0..40)).prop_map(|(id, keys)| Step::Keys(id, keys)),
        1 => (0u64..8).prop_map(Step::Error),
    ]
}

fn apply(app: &mut App, at: Timestamp, step: Step) {
    let msg = match step {
        Step::Chord(i) => Msg::Key(event(CHORDS[i])),
        Step::Char(c) => Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        Step::Paste(text) => Msg::Paste(text),
        Step::Resize(w, h) => Msg::Resize(w, h),
        Step::Tick(_) => Msg::Tick,
        Step::Keys(id, keys) => Msg::Api(ApiReply {
            id: RequestId(id),
            result: Ok(ApiResponse::Keys(keys.into())),
        }),
        Step::Error(id) => Msg::Api(ApiReply {
            id: RequestId(id),
            result: Err(ApiError::Server {
                status: 500,
                message: Some("boom \u{1b}[31m".into()),
            }),
        }),
    };
    app.update(at, msg);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_sessions_never_panic(
        start in (0u16..140, 0u16..50),
        steps in proptest::collection::vec(step(), 1..60),
    ) {
        let mut app = App::new(context(true), start, now());
        app.start(now());
        let mut at = now();
        for step in steps {
            if let Step::Tick(ms) = step {
                at += SignedDuration::from_millis(ms);
            }
            apply(&mut app, at, step);
            let _ = app.wake_after(at);
            let view = app.view();
            prop_assert!(view.visible.len() <= app.keys().len());
            prop_assert!(view.visible.is_empty() || view.selected() < view.visible.len());
            prop_assert!(view.offset() <= view.selected() || view.visible.is_empty());
            prop_assert!(app.on_screen().len() <= app.list_rows().max(1));
            let (w, h) = app.size();
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            terminal.draw(|f| sdx_keys::ui::render(f, &app)).unwrap();
        }
    }

    #[test]
    fn rendering_at_a_size_other_than_the_models_never_panics(
        model in (0u16..140, 0u16..50),
        frame in (0u16..140, 0u16..50),
        keys in proptest::collection::vec(odd_key(), 0..20),
        chords in proptest::collection::vec(0..CHORDS.len(), 0..10),
    ) {
        let mut app = App::new(context(false), model, now());
        let id = list_request(&app.start(now()));
        reply_keys(&mut app, id, keys);
        for i in chords {
            app.update(now(), Msg::Key(event(CHORDS[i])));
        }
        let mut terminal = Terminal::new(TestBackend::new(frame.0, frame.1)).unwrap();
        terminal.draw(|f| sdx_keys::ui::render(f, &app)).unwrap();
    }
}
