//! Profiles in the TUI, by key sequences and snapshots: the profile in every frame, the
//! warning when the base URL is not the profile's, read-only (no create, rotate or delete
//! anywhere), protected (PROFILE/KEYNAME typed), the reveal policies, remapped keys in the
//! footer and help, and the action journal's equivalent command.

mod common_tui;

use common_tui::*;
use sdx_keys::api::{ApiReply, ApiRequest, ApiResponse, IssuedSecret};
use sdx_keys::app::reveal::Delivery;
use sdx_keys::app::{App, AppContext, Effect, Msg, ProfileInfo};
use sdx_keys::config::{Access, BandColor, RevealPolicy};
use sdx_keys::equivalent::CommandPrefix;
use sdx_keys::journal::Entry;
use sdx_keys::keymap::{KeyOverrides, Keymap, Mode};
use secrecy::SecretString;

const SMALL: (u16, u16) = (80, 24);
const SECRET: &str = "alto_sk_TESTSECRET0123456789abcdefghijklmnopqrstuvwxyz";

fn profiled(name: &str, access: Access, reveal: RevealPolicy) -> AppContext {
    AppContext {
        profile: ProfileInfo {
            name: name.into(),
            band: BandColor::Red,
            access,
            reveal,
            prefix: CommandPrefix {
                profile: Some(name.into()),
                base_url: None,
            },
            ..ProfileInfo::default()
        },
        ..context(true)
    }
}

fn footer(app: &App) -> String {
    screen(app).lines().last().unwrap_or_default().to_owned()
}

fn help_text(app: &mut App) -> String {
    press(app, "?");
    let text = screen(app);
    press(app, "esc");
    text
}

#[test]
fn the_profile_and_its_mode_are_in_every_frame() {
    let mut app = with_context(
        profiled("prod", Access::Protected, RevealPolicy::Show),
        SMALL,
    );
    let first = screen(&app).lines().next().unwrap().to_owned();
    assert!(first.contains(" prod protected "), "{first}");
    press(&mut app, "n");
    assert!(screen(&app).lines().next().unwrap().contains("prod"));
    app.update(now(), Msg::Resize(40, 10));
    assert!(
        screen(&app).contains("[prod protected]"),
        "{}",
        screen(&app)
    );
}

#[test]
fn a_base_url_that_is_not_the_profiles_is_a_warning_in_the_header() {
    let mut context = profiled("prod", Access::Normal, RevealPolicy::Show);
    context.profile.host_overridden = true;
    let app = with_context(context, SMALL);
    let buffer = render_buffer(&app, SMALL);
    let styled = styled_text(&buffer);
    let header = styled.lines().next().unwrap();
    assert!(
        header.contains("v1.api.altostrat.io (not the profile's host)"),
        "{header}"
    );
    assert!(
        header.contains("<Yellow,BOLD>v1.api.altostrat.io (not the profile's host)"),
        "the host is in the warning style: {header}"
    );
}

#[test]
fn a_read_only_profile_offers_no_create_rotate_or_delete() {
    let mut app = with_context(
        profiled("audit", Access::ReadOnly, RevealPolicy::Show),
        SMALL,
    );
    let bar = footer(&app);
    for word in ["new", "rotate", "delete"] {
        assert!(!bar.contains(word), "{word} in {bar}");
    }
    let help = help_text(&mut app);
    for word in ["Create a key", "Rotate", "Delete the selected key"] {
        assert!(!help.contains(word), "{word} in the help:\n{help}");
    }
    for chord in ["n", "c", "R", "d", "delete"] {
        let effects = press(&mut app, chord);
        assert!(effects.is_empty(), "{chord}: {effects:?}");
        assert_eq!(app.mode(), Mode::List, "{chord}");
        assert!(app.confirm().is_none(), "{chord}");
    }
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Details);
    for chord in ["c", "R", "d"] {
        assert!(press(&mut app, chord).is_empty(), "{chord} in the details");
    }
}

#[test]
fn a_protected_profile_needs_profile_slash_name_typed_for_rotate_and_delete() {
    let mut app = with_context(
        profiled("prod", Access::Protected, RevealPolicy::Show),
        SMALL,
    );
    select_key(&mut app, "terraform");
    press(&mut app, "R");
    assert_eq!(app.mode(), Mode::ConfirmProtected);
    assert!(
        screen(&app).contains("type prod/terraform"),
        "{}",
        screen(&app)
    );
    // `y` is text here, not a yes; the name alone is not enough either.
    assert!(press(&mut app, "y").is_empty());
    press(&mut app, "ctrl-u");
    type_text(&mut app, "terraform");
    assert!(press(&mut app, "enter").is_empty());
    assert!(screen(&app).contains("That is not it"), "{}", screen(&app));
    press(&mut app, "ctrl-u");
    type_text(&mut app, "prod/terraform");
    let effects = press(&mut app, "enter");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SendRecorded {
                request: ApiRequest::RotateKey(_),
                ..
            }]
        ),
        "{effects:?}"
    );

    let mut app = with_context(
        profiled("prod", Access::Protected, RevealPolicy::Show),
        SMALL,
    );
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    type_text(&mut app, "terraform");
    assert!(
        press(&mut app, "enter").is_empty(),
        "the name alone is refused"
    );
    press(&mut app, "ctrl-u");
    type_text(&mut app, "prod/terraform");
    let effects = press(&mut app, "enter");
    let [Effect::Api(id, ApiRequest::DeleteKey(key_id))] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let effects = app.update(
        now(),
        Msg::Api(ApiReply {
            id: *id,
            result: Ok(ApiResponse::Deleted(key_id.clone())),
        }),
    );
    let action = effects
        .iter()
        .find_map(|e| match e {
            Effect::Journal(Entry::Action(action)) => Some(action),
            _ => None,
        })
        .expect("an action line");
    assert_eq!(action.profile, "prod");
    assert_eq!(
        action.command,
        format!(
            "sdx-keys --profile prod delete {} --yes --confirm prod/terraform",
            key_id.as_str()
        )
    );
    assert!(
        app.notice().unwrap().text.contains(&action.command),
        "the notice shows the command"
    );
}

/// A loaded app of `context` on the reveal screen of a rotated key.
fn rotated(context: AppContext) -> (App, Vec<Effect>) {
    let mut app = with_context(context, SMALL);
    select_key(&mut app, "terraform");
    press(&mut app, "R");
    let effects = press(&mut app, "y");
    let [Effect::SendRecorded { id, .. }] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let key = app
        .keys()
        .iter()
        .find(|k| k.name == "terraform")
        .unwrap()
        .clone();
    let effects = app.update(
        now(),
        Msg::Api(ApiReply {
            id: *id,
            result: Ok(ApiResponse::Secret(IssuedSecret {
                key,
                secret: SecretString::from(SECRET),
                message: None,
            })),
        }),
    );
    assert_eq!(app.mode(), Mode::Reveal);
    (app, effects)
}

#[test]
fn reveal_copy_sends_the_secret_to_the_clipboard_at_once_and_never_draws_it_whole() {
    let (mut app, effects) = rotated(profiled("ops", Access::Normal, RevealPolicy::Copy));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::Deliver(_, Delivery::Clipboard { .. }))),
        "{effects:?}"
    );
    assert!(press(&mut app, "v").is_empty());
    let text = screen(&app);
    assert!(!text.contains(SECRET), "{text}");
    assert!(!footer(&app).contains("show/hide"), "{}", footer(&app));
    assert!(!text.contains("show or hide the whole secret"), "{text}");
}

#[test]
fn reveal_sink_only_never_draws_the_secret_and_offers_no_clipboard() {
    let (mut app, effects) = rotated(profiled("ops", Access::Normal, RevealPolicy::SinkOnly));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Deliver(..))),
        "{effects:?}"
    );
    for chord in ["v", "c"] {
        assert!(press(&mut app, chord).is_empty(), "{chord}");
    }
    let text = screen(&app);
    assert!(
        !text.contains("alto_sk_TESTS"),
        "not even the prefix: {text}"
    );
    assert!(text.contains("not drawn"), "{text}");
    assert!(!text.contains("terminal clipboard"), "{text}");
    insta::assert_snapshot!("reveal_sink_only_80x24", text);
}

#[test]
fn remapped_keys_drive_the_list_and_show_in_the_footer_and_help() {
    let overrides: KeyOverrides = toml::from_str(
        r#"
        [list]
        rotate_key = "ctrl-r"
        refresh = ["f5", "ctrl-l"]
        "#,
    )
    .unwrap();
    let keymap = Keymap::with_overrides(&overrides).unwrap();
    let mut app = App::new(context(false), (120, 40), now()).with_keymap(keymap);
    let id = list_request(&app.start(now()));
    reply_keys(&mut app, id, fixture_keys());
    assert!(press(&mut app, "R").is_empty(), "R no longer rotates");
    assert!(app.confirm().is_none());
    press(&mut app, "ctrl-r");
    assert_eq!(app.mode(), Mode::ConfirmRotate);
    press(&mut app, "esc");
    assert!(press(&mut app, "r").is_empty(), "r no longer refreshes");
    assert!(!press(&mut app, "ctrl-l").is_empty(), "ctrl-l refreshes");
    let bar = footer(&app);
    assert!(bar.contains("ctrl-r rotate"), "{bar}");
    assert!(bar.contains("f5 refresh"), "{bar}");
    let help = help_text(&mut app);
    assert!(help.contains("f5/ctrl-l"), "{help}");
    insta::assert_snapshot!("remapped_footer_120x40", footer(&app));
}

#[test]
fn a_key_conflict_names_both_commands() {
    let overrides: KeyOverrides = toml::from_str("[list]\nrefresh = \"n\"").unwrap();
    let err = Keymap::with_overrides(&overrides).unwrap_err().0;
    assert!(
        err.contains("`n`") && err.contains("create") && err.contains("refresh"),
        "{err}"
    );
    let overrides: KeyOverrides = toml::from_str("[filter]\nclear_filter = \"x\"").unwrap();
    let err = Keymap::with_overrides(&overrides).unwrap_err().0;
    assert!(err.contains("typed"), "{err}");
    let overrides: KeyOverrides = toml::from_str("[list]\nkeep_key = \"x\"").unwrap();
    let err = Keymap::with_overrides(&overrides).unwrap_err().0;
    assert!(
        err.contains("keep_key is not a command of the key list"),
        "{err}"
    );
    let overrides: KeyOverrides = toml::from_str("[list]\nquit = []").unwrap();
    assert!(Keymap::with_overrides(&overrides).is_err());
    let bad: Result<KeyOverrides, _> = toml::from_str("[list]\nrefresh = \"ctrl-\"");
    assert!(bad.unwrap_err().to_string().contains("not a key"));
    let bad: Result<KeyOverrides, _> = toml::from_str("[lsit]\nrefresh = \"x\"");
    assert!(bad.unwrap_err().to_string().contains("lsit"));
}

#[test]
fn ascii_draws_no_box_characters() {
    let context = AppContext {
        ascii: true,
        ..context(false)
    };
    let mut app = with_context(context, SMALL);
    press(&mut app, "?");
    let text = screen(&app);
    assert!(
        text.chars()
            .all(|c| !('\u{2500}'..='\u{257F}').contains(&c) && c != '…'),
        "{text}"
    );
    assert!(text.contains("+-"), "{text}");
    press(&mut app, "esc");
    insta::assert_snapshot!("ascii_list_80x24", screen(&app));
}

#[test]
fn accessible_puts_the_cursor_on_the_selected_row_and_does_not_animate() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let context = AppContext {
        accessible: true,
        ..context(false)
    };
    let mut app = with_context(context, SMALL);
    press(&mut app, "j");
    press(&mut app, "j");
    let mut terminal = Terminal::new(TestBackend::new(SMALL.0, SMALL.1)).unwrap();
    terminal
        .draw(|frame| sdx_keys::ui::render(frame, &app))
        .unwrap();
    // Header, border, column header, then rows 0, 1, 2: the third key is on line 5.
    let cursor = terminal.get_cursor_position().unwrap();
    assert_eq!((cursor.x, cursor.y), (1, 5));
    let row = screen(&app).lines().nth(5).unwrap().to_owned();
    assert!(
        row.contains(&selected_name(&app).unwrap()[..6]),
        "the cursor row holds the selection: {row}"
    );
    // A refresh in flight says so in words, and asks for no animation frames.
    let effects = press(&mut app, "r");
    assert!(!effects.is_empty());
    assert!(screen(&app).lines().next().unwrap().contains("refreshing"));
    assert_eq!(app.spinner(), None);
    // Only the relative times wake it (once a minute), never a spinner frame.
    let wake = app.wake_after(now());
    assert!(
        wake.is_none_or(|d| d >= std::time::Duration::from_secs(1)),
        "{wake:?}"
    );
}

#[test]
fn switching_profile_is_explicit_shows_the_target_and_asks() {
    let context = AppContext {
        profiles: vec!["default".into(), "prod".into(), "staging".into()],
        ..profiled("staging", Access::Normal, RevealPolicy::Show)
    };
    let mut app = with_context(context, SMALL);
    assert!(press(&mut app, "P").is_empty());
    assert_eq!(app.mode(), Mode::ProfilePicker);
    let text = screen(&app);
    assert!(text.contains("> staging  (in use)"), "{text}");
    // Enter on the profile in use changes nothing.
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::List);
    press(&mut app, "P");
    press(&mut app, "k");
    assert!(press(&mut app, "enter").is_empty(), "choosing only asks");
    assert_eq!(app.mode(), Mode::ConfirmSwitch);
    insta::assert_snapshot!("switch_question_80x24", screen(&app));
    // n goes back to the picker, Esc closes it; nothing switched.
    assert!(press(&mut app, "n").is_empty());
    assert_eq!(app.mode(), Mode::ProfilePicker);
    assert!(press(&mut app, "esc").is_empty());
    assert_eq!(app.mode(), Mode::List);
    press(&mut app, "P");
    press(&mut app, "k");
    press(&mut app, "enter");
    let effects = press(&mut app, "y");
    assert!(
        matches!(effects.as_slice(), [Effect::SwitchProfile(name)] if name == "prod"),
        "{effects:?}"
    );
}

#[test]
fn with_one_profile_there_is_nothing_to_switch_to() {
    let mut app = with_context(context(false), SMALL);
    assert!(press(&mut app, "P").is_empty());
    assert_eq!(app.mode(), Mode::List);
    assert!(app.notice().unwrap().text.contains("no other profile"));
}

#[test]
fn snapshots_of_a_read_only_list_and_a_protected_question() {
    let app = with_context(
        profiled("audit", Access::ReadOnly, RevealPolicy::Show),
        SMALL,
    );
    insta::assert_snapshot!("read_only_list_80x24", screen(&app));
    let mut app = with_context(
        profiled("prod", Access::Protected, RevealPolicy::Show),
        SMALL,
    );
    select_key(&mut app, "terraform");
    press(&mut app, "R");
    type_text(&mut app, "prod/terra");
    insta::assert_snapshot!("protected_rotate_question_80x24", screen(&app));
}

#[test]
fn a_name_with_invisible_characters_is_drawn_with_placeholders_and_flagged_in_the_details() {
    // "admin" with a right-to-left override and a zero-width joiner inside.
    let spoof = "ci\u{202E}nimda\u{200D}-deploy";
    let mut keys = fixture_keys();
    keys[0].name = spoof.to_owned();
    let mut app = App::new(context(false), (120, 40), now());
    let id = list_request(&app.start(now()));
    reply_keys(&mut app, id, keys);
    let text = screen(&app);
    assert!(text.contains("ci?nimda?-deploy"), "{text}");
    assert!(!text.contains('\u{202E}') && !text.contains('\u{200D}'));
    select_key(&mut app, "ci\u{202E}nimda\u{200D}-deploy");
    press(&mut app, "enter");
    let text = screen(&app);
    assert!(text.contains("cannot be shown safely"), "{text}");
}
