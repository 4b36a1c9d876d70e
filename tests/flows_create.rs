//! Key-sequence tests of the write flows: the creation wizard (name, permission multiselect,
//! review), the one-time reveal screen and its deliveries, the rotate and delete
//! confirmations, the creation journal's records, lost create answers and the recovery
//! screen. Chords, pastes, API replies and delivery results go in; the model's state, the
//! returned effects (in order) and the screen text are asserted.

mod common_tui;

use std::collections::BTreeMap;

use common_tui::*;
use sdx_keys::api::{
    ApiError, ApiKey, ApiReply, ApiRequest, ApiResponse, IssuedSecret, KeyId, NewKey, RequestId,
};
use sdx_keys::app::multiselect::{GroupMark, Row};
use sdx_keys::app::notice::Severity;
use sdx_keys::app::recovery::{ItemState, Recovery};
use sdx_keys::app::reveal::{Delivery, DeliveryKind, Prompt, Reveal};
use sdx_keys::app::wizard::{NAME_FIELD_CAP, Step, Wizard};
use sdx_keys::app::{App, AppContext, Effect, Msg, Screen};
use sdx_keys::catalogue::Risk;
use sdx_keys::journal::{Entry, Operation, Outcome, RecordId, Unresolved};
use sdx_keys::keymap::Mode;
use sdx_keys::ui::reveal::ONLY_TIME_WARNING;
use secrecy::{ExposeSecret, SecretString};

const SMALL: (u16, u16) = (80, 24);
const WIDE: (u16, u16) = (120, 40);
/// A fake secret; its key's prefix is `alto_sk_TESTS`.
const SECRET: &str = "alto_sk_TESTSECRET0123456789abcdefghijklmnopqrstuvwxyz";
const PREFIX: &str = "alto_sk_TESTS";
const NEW_ID: &str = "api_key_00000000000000000000000099";
const CI_ID: &str = "api_key_00000000000000000000000004";
const TERRAFORM_ID: &str = "api_key_00000000000000000000000012";
const LOST_DETAIL: &str = "the connection to v1.api.altostrat.io broke while the answer was \
                           arriving: connection reset by peer";

// ----- reading the screens -----

fn wizard(app: &App) -> &Wizard {
    match app.screen() {
        Screen::Wizard(wizard) => wizard,
        _ => panic!("not on the wizard (mode {:?})", app.mode()),
    }
}

fn reveal(app: &App) -> &Reveal {
    match app.screen() {
        Screen::Reveal(reveal) => reveal,
        _ => panic!("not on the reveal screen (mode {:?})", app.mode()),
    }
}

fn recovery(app: &App) -> &Recovery {
    match app.screen() {
        Screen::Recovery(recovery) => recovery,
        _ => panic!("not on the recovery screen (mode {:?})", app.mode()),
    }
}

fn on_list(app: &App) -> bool {
    matches!(app.screen(), Screen::List)
}

fn notice(app: &App) -> String {
    app.notice().map(|n| n.text.clone()).unwrap_or_default()
}

fn severity(app: &App) -> Option<Severity> {
    app.notice().map(|n| n.severity)
}

/// The screen's text with its line breaks and border columns turned into single spaces, so
/// a sentence wrapped over several lines can be searched for.
fn flat(app: &App) -> String {
    screen(app)
        .lines()
        .map(|line| line.trim_matches(|c: char| c == '│' || c.is_whitespace()))
        .collect::<Vec<_>>()
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

// ----- effects -----

fn list_requests(effects: &[Effect]) -> Vec<RequestId> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Api(id, ApiRequest::ListKeys) => Some(*id),
            _ => None,
        })
        .collect()
}

fn sends_create(effects: &[Effect]) -> bool {
    effects.iter().any(|e| {
        matches!(
            e,
            Effect::Api(_, ApiRequest::CreateKey(_))
                | Effect::SendRecorded {
                    request: ApiRequest::CreateKey(_),
                    ..
                }
        )
    })
}

/// The single journal outcome in `effects`: (record, outcome).
fn outcome_of(effects: &[Effect]) -> (RecordId, Outcome) {
    let found: Vec<(RecordId, Outcome)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(Entry::Outcome {
                record, outcome, ..
            }) => Some((record.clone(), *outcome)),
            _ => None,
        })
        .collect();
    match found.as_slice() {
        [one] => one.clone(),
        other => panic!("expected one journal outcome, got {other:?} in {effects:?}"),
    }
}

fn record(text: &str) -> RecordId {
    RecordId(text.into())
}

// ----- replies -----

fn issued(key: ApiKey, secret: &str) -> IssuedSecret {
    IssuedSecret {
        key,
        secret: SecretString::from(secret),
        message: Some("Store this secret now; it will not be shown again.".into()),
    }
}

fn reply_secret(app: &mut App, id: RequestId, key: ApiKey, secret: &str) -> Vec<Effect> {
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Ok(ApiResponse::Secret(issued(key, secret))),
        }),
    )
}

fn reply_deleted(app: &mut App, id: RequestId, key_id: &str) -> Vec<Effect> {
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Ok(ApiResponse::Deleted(KeyId(key_id.into()))),
        }),
    )
}

fn delivered(app: &mut App, task: RequestId, result: Result<&str, &str>) -> Vec<Effect> {
    app.update(
        now(),
        Msg::Delivered {
            task,
            result: result.map(str::to_owned).map_err(str::to_owned),
        },
    )
}

fn paste(app: &mut App, text: &str) -> Vec<Effect> {
    app.update(now(), Msg::Paste(text.into()))
}

/// The key the server creates for the wizard's name.
fn created_key(name: &str) -> ApiKey {
    key(NEW_ID, name, PREFIX, NOW, None, &["sites:read"])
}

fn validation(field: &str, text: &str) -> ApiError {
    let mut errors = BTreeMap::new();
    errors.insert(field.to_owned(), vec![text.to_owned()]);
    ApiError::Validation {
        message: text.to_owned(),
        errors,
    }
}

// ----- driving the flows -----

fn loaded_app() -> App {
    loaded(SMALL, fixture_keys())
}

fn with_context_small(context: AppContext) -> App {
    with_context(context, SMALL)
}

/// `n`, the name typed, Enter: on the permissions step.
fn to_permissions(app: &mut App, name: &str) {
    press(app, "n");
    type_text(app, name);
    press(app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions, "{}", screen(app));
}

/// Focuses the row of `scope` in the picker.
fn focus_scope(app: &mut App, scope: &str) {
    press(app, "g");
    for _ in 0..wizard(app).picker().rows().len() {
        if wizard(app)
            .picker()
            .focused_scope()
            .map(|s| s.scope.as_str())
            == Some(scope)
        {
            return;
        }
        press(app, "j");
    }
    panic!("{scope} is not a visible row");
}

/// On to the review with `scopes` selected.
fn to_review_with(app: &mut App, name: &str, scopes: &[&str]) {
    to_permissions(app, name);
    for scope in scopes {
        focus_scope(app, scope);
        press(app, "space");
    }
    press(app, "enter");
    assert_eq!(app.mode(), Mode::WizardReview, "{}", screen(app));
}

fn to_review(app: &mut App, name: &str) {
    to_review_with(app, name, &["sites:read"]);
}

/// Enter on the review: the create request, sent only once its intent is journaled.
fn submit(app: &mut App) -> (RequestId, NewKey) {
    let effects = press(app, "enter");
    match effects.as_slice() {
        [
            Effect::SendRecorded {
                intent:
                    Entry::Intent {
                        op: Operation::Create,
                        ..
                    },
                id,
                request: ApiRequest::CreateKey(new_key),
            },
        ] => (*id, new_key.clone()),
        other => panic!("expected the recorded create request, got {other:?}"),
    }
}

/// A loaded app of `context` on the reveal screen of a created key (record `test-2`).
fn revealing(context: AppContext) -> App {
    let mut app = with_context_small(context);
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    reply_secret(&mut app, id, created_key("ci deploy"), SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    app
}

/// The single delivery asked for by `effects`.
fn delivery(effects: Vec<Effect>) -> (RequestId, Delivery) {
    let mut effects = effects.into_iter();
    match (effects.next(), effects.next()) {
        (Some(Effect::Deliver(task, delivery)), None) => (task, delivery),
        (first, second) => panic!("expected one delivery, got {first:?}, {second:?}"),
    }
}

// ============================================================================================
// Step 1: the name
// ============================================================================================

#[test]
fn n_opens_the_wizard_on_an_empty_name_step_and_typing_fills_it() {
    let mut app = loaded_app();
    assert!(press(&mut app, "n").is_empty());
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).step(), Step::Name);
    assert!(wizard(&app).name().is_empty());
    assert_eq!(wizard(&app).picker().selected_count(), 0);
    let text = screen(&app);
    assert!(text.contains("New key, step 1 of 3: name"), "{text}");
    assert!(text.contains("Name of the new key"), "{text}");
    assert!(text.contains("0 of 3 to 100 characters"), "{text}");

    type_text(&mut app, "ci deploy");
    assert_eq!(wizard(&app).name().text(), "ci deploy");
    let text = screen(&app);
    assert!(text.contains("> ci deploy"), "{text}");
    assert!(text.contains("9 of 3 to 100 characters"), "{text}");
    // Letters bound elsewhere (q quits the list, ? is help there) are text here.
    type_text(&mut app, " q?");
    assert_eq!(wizard(&app).name().text(), "ci deploy q?");
    assert_eq!(app.mode(), Mode::WizardName);
    press(&mut app, "backspace");
    press(&mut app, "backspace");
    press(&mut app, "backspace");
    assert_eq!(wizard(&app).name().text(), "ci deploy");
}

#[test]
fn enter_with_a_short_name_stays_and_says_why() {
    let mut app = loaded_app();
    press(&mut app, "n");
    type_text(&mut app, "ab");
    assert_eq!(wizard(&app).name_error(), None, "no complaint before Enter");
    assert!(!flat(&app).contains("needs at least"));
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::WizardName);
    let error = wizard(&app).name_error().expect("a reason");
    assert!(error.contains("at least 3 characters"), "{error}");
    assert!(error.contains("it has 2"), "{error}");
    assert!(
        flat(&app).contains("The name needs at least 3 characters"),
        "{}",
        screen(&app)
    );
    // Spaces at the ends do not count.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "   ab   ");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardName);
    assert!(wizard(&app).name_error().unwrap().contains("it has 2"));
    // Fixed: the reason goes, Enter goes on.
    press(&mut app, "ctrl-u");
    type_text(&mut app, "abc");
    assert_eq!(wizard(&app).name_error(), None);
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions);
}

#[test]
fn a_name_over_100_characters_is_refused_live() {
    let mut app = loaded_app();
    press(&mut app, "n");
    type_text(&mut app, &"n".repeat(100));
    assert_eq!(wizard(&app).name_error(), None);
    type_text(&mut app, "x");
    let error = wizard(&app)
        .name_error()
        .expect("too long, before any Enter");
    assert!(error.contains("at most 100 characters"), "{error}");
    assert!(error.contains("it has 101"), "{error}");
    assert!(
        flat(&app).contains("at most 100 characters; it has 101"),
        "{}",
        screen(&app)
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardName, "refused");
    press(&mut app, "backspace");
    assert_eq!(wizard(&app).name_error(), None);
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions);
}

#[test]
fn a_huge_paste_is_cut_at_the_field_cap_and_explained() {
    for size in [SMALL, WIDE] {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "n");
        assert!(paste(&mut app, &"y".repeat(10_000)).is_empty());
        assert_eq!(wizard(&app).name().char_count(), NAME_FIELD_CAP);
        let error = wizard(&app).name_error().expect("explained");
        assert!(
            error.contains(&format!("it has {NAME_FIELD_CAP}")),
            "{error}"
        );
        let text = flat(&app);
        assert!(text.contains("at most 100 characters"), "{text}");
        // The field scrolls: the screen never holds more than fits.
        assert!(
            screen(&app)
                .lines()
                .all(|l| l.chars().count() <= size.0 as usize)
        );
        press(&mut app, "enter");
        assert_eq!(app.mode(), Mode::WizardName);
        // A second paste into the full field changes nothing.
        paste(&mut app, "more");
        assert_eq!(wizard(&app).name().char_count(), NAME_FIELD_CAP);
    }
}

#[test]
fn control_characters_and_escape_sequences_in_a_paste_become_spaces() {
    let mut app = loaded_app();
    press(&mut app, "n");
    paste(&mut app, "ops\tkey\nline\x1b[31mred\x07bell\r\n");
    let name = wizard(&app).name().text().to_owned();
    assert_eq!(name, "ops key line [31mred bell ");
    assert!(!name.chars().any(char::is_control));
    let text = screen(&app);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text:?}");
    assert!(text.contains("ops key line [31mred bell"), "{text}");
    // The trailing space is dropped from what is sent.
    to_review_rest(&mut app);
    let (_, new_key) = submit(&mut app);
    assert_eq!(new_key.name(), "ops key line [31mred bell");
}

/// From the name step: Enter, select sites:read, Enter.
fn to_review_rest(app: &mut App) {
    press(app, "enter");
    focus_scope(app, "sites:read");
    press(app, "space");
    press(app, "enter");
    assert_eq!(app.mode(), Mode::WizardReview);
}

// ============================================================================================
// Step 2: the permission multiselect
// ============================================================================================

#[test]
fn the_picker_starts_empty_with_the_focus_on_the_first_row_and_j_k_move() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    let picker = wizard(&app).picker();
    assert_eq!(picker.selected_count(), 0);
    assert_eq!(picker.focus(), 0);
    assert!(matches!(picker.rows()[0], Row::Group { .. }));
    let text = screen(&app);
    assert!(text.contains("New key, step 2 of 3: permissions"), "{text}");
    assert!(text.contains("0 selected"), "{text}");
    assert!(text.contains("> [ ] Sites"), "{text}");

    press(&mut app, "j");
    assert_eq!(wizard(&app).picker().focus(), 1);
    assert_eq!(
        wizard(&app).picker().focused_scope().unwrap().scope,
        "sites:read"
    );
    press(&mut app, "down");
    assert_eq!(
        wizard(&app).picker().focused_scope().unwrap().scope,
        "sites:write"
    );
    press(&mut app, "k");
    assert_eq!(wizard(&app).picker().focus(), 1);
    presses(&mut app, "k up k");
    assert_eq!(wizard(&app).picker().focus(), 0, "clamped at the top");
    press(&mut app, "G");
    assert_eq!(
        wizard(&app).picker().focus(),
        wizard(&app).picker().rows().len() - 1
    );
    press(&mut app, "g");
    assert_eq!(wizard(&app).picker().focus(), 0);
}

#[test]
fn space_toggles_a_scope_and_on_a_group_header_the_whole_group() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    // On the Sites header: both its scopes.
    press(&mut app, "space");
    let picker = wizard(&app).picker();
    assert!(picker.is_selected("sites:read") && picker.is_selected("sites:write"));
    assert_eq!(picker.selected_count(), 2);
    assert!(matches!(
        picker.rows()[0],
        Row::Group {
            mark: GroupMark::All,
            selected: 2,
            total: 2,
            ..
        }
    ));
    assert!(screen(&app).contains("2 selected"));
    press(&mut app, "space");
    assert_eq!(wizard(&app).picker().selected_count(), 0, "cleared again");

    press(&mut app, "j");
    press(&mut app, "space");
    let picker = wizard(&app).picker();
    assert_eq!(picker.selected_scopes(), ["sites:read"]);
    assert!(matches!(
        picker.rows()[0],
        Row::Group {
            mark: GroupMark::Some,
            selected: 1,
            ..
        }
    ));
    let text = screen(&app);
    assert!(text.contains("1 selected"), "{text}");
    assert!(text.contains(">   [x] sites:read"), "{text}");
    assert!(text.contains("[-] Sites"), "{text}");
    press(&mut app, "space");
    assert_eq!(wizard(&app).picker().selected_count(), 0);
}

#[test]
fn the_filter_narrows_the_rows_keeps_the_selection_and_esc_clears_it() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    let all_rows = wizard(&app).picker().rows().len();
    focus_scope(&mut app, "sites:read");
    press(&mut app, "space");

    press(&mut app, "/");
    assert_eq!(app.mode(), Mode::WizardFilter);
    type_text(&mut app, "backups");
    let picker = wizard(&app).picker();
    assert_eq!(picker.query(), "backups");
    assert!(picker.rows().len() < all_rows);
    let visible: Vec<&str> = picker
        .rows()
        .iter()
        .filter_map(|row| match row {
            Row::Scope { scope } => Some(picker.scope(*scope).scope.as_str()),
            Row::Group { .. } => None,
        })
        .collect();
    assert!(visible.contains(&"backups:read"), "{visible:?}");
    assert!(!visible.contains(&"sites:read"), "{visible:?}");
    assert!(
        picker.is_selected("sites:read"),
        "hidden but still selected"
    );
    assert_eq!(picker.selected_count(), 1);
    let text = screen(&app);
    assert!(text.contains("1 selected"), "{text}");
    assert!(text.contains("filter /backups"), "{text}");
    assert!(!text.contains("sites:read"), "{text}");

    // Enter keeps the filter; the picker has the keys again.
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    assert_eq!(wizard(&app).filter().text(), "backups");
    assert_eq!(wizard(&app).picker().query(), "backups");
    // A toggle under the filter acts on visible rows only.
    focus_scope(&mut app, "backups:read");
    press(&mut app, "space");
    assert_eq!(wizard(&app).picker().selected_count(), 2);

    // Esc in the filter clears it: every row is back, the selection is kept.
    press(&mut app, "/");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    assert!(wizard(&app).filter().is_empty());
    assert_eq!(wizard(&app).picker().query(), "");
    assert_eq!(wizard(&app).picker().rows().len(), all_rows);
    assert_eq!(
        wizard(&app).picker().selected_scopes(),
        ["sites:read", "backups:read"]
    );
    assert!(!screen(&app).contains("filter /"));
}

#[test]
fn a_selects_every_visible_scope_or_clears_them() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    let total = wizard(&app).picker().scopes().len();
    press(&mut app, "a");
    assert_eq!(wizard(&app).picker().selected_count(), total);
    assert!(screen(&app).contains(&format!("{total} selected")));
    press(&mut app, "a");
    assert_eq!(wizard(&app).picker().selected_count(), 0);

    // Under a filter: only what is shown.
    press(&mut app, "/");
    type_text(&mut app, "backups");
    press(&mut app, "enter");
    let shown = wizard(&app)
        .picker()
        .rows()
        .iter()
        .filter(|r| matches!(r, Row::Scope { .. }))
        .count();
    assert!(shown > 0 && shown < total);
    press(&mut app, "a");
    assert_eq!(wizard(&app).picker().selected_count(), shown);
    assert!(wizard(&app).picker().is_selected("backups:read"));
    assert!(!wizard(&app).picker().is_selected("sites:read"));
}

#[test]
fn r_selects_the_read_only_preset() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    focus_scope(&mut app, "sites:write");
    press(&mut app, "space");
    press(&mut app, "r");
    let picker = wizard(&app).picker();
    let expected: Vec<String> = picker
        .scopes()
        .iter()
        .filter(|s| s.known && s.risk == Risk::Read && !picker.group(s.group).legacy)
        .map(|s| s.scope.clone())
        .collect();
    assert!(expected.len() > 5, "{expected:?}");
    let mut selected = picker.selected_scopes();
    selected.sort();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort();
    assert_eq!(selected, expected_sorted);
    assert!(!picker.is_selected("sites:write"), "the preset replaces");
    assert_eq!(picker.has_risky_selection(), Some(Risk::Read));
    assert!(screen(&app).contains(&format!("{} selected", expected.len())));
}

#[test]
fn plus_adds_a_valid_scope_and_refuses_an_invalid_one() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    press(&mut app, "+");
    assert_eq!(app.mode(), Mode::WizardScope);
    assert!(screen(&app).contains("Add scope (resource:action):"));
    type_text(&mut app, "Foo");
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::WizardScope, "stays on the input");
    let error = wizard(&app).scope_error().expect("a reason").to_owned();
    assert!(error.contains("lowercase"), "{error}");
    assert!(
        screen(&app).contains("Scopes are lowercase"),
        "{}",
        screen(&app)
    );
    assert_eq!(wizard(&app).picker().selected_count(), 0);
    // Editing clears the complaint.
    press(&mut app, "ctrl-u");
    assert_eq!(wizard(&app).scope_error(), None);
    type_text(&mut app, "foo");
    press(&mut app, "enter");
    assert!(
        wizard(&app).scope_error().unwrap().contains("colon"),
        "{:?}",
        wizard(&app).scope_error()
    );
    type_text(&mut app, ":read");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    let picker = wizard(&app).picker();
    assert!(picker.is_selected("foo:read"));
    assert_eq!(picker.selected_count(), 1);
    let focused = picker.focused_scope().expect("focused on the new scope");
    assert_eq!(focused.scope, "foo:read");
    assert!(!focused.known);
    let text = screen(&app);
    assert!(text.contains(">   [x] foo:read"), "{text}");
    assert!(text.contains("not in the catalogue"), "{text}");

    // Esc cancels the input and adds nothing.
    press(&mut app, "+");
    type_text(&mut app, "bar:write");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    assert!(!wizard(&app).picker().is_selected("bar:write"));
    assert_eq!(wizard(&app).picker().selected_count(), 1);
}

#[test]
fn enter_with_nothing_selected_stays_and_with_a_selection_goes_to_review() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::WizardPermissions);
    let error = wizard(&app)
        .permissions_error()
        .expect("a reason")
        .to_owned();
    assert!(error.contains("Select at least one scope"), "{error}");
    assert!(screen(&app).contains("Select at least one scope"));
    focus_scope(&mut app, "sites:read");
    press(&mut app, "space");
    assert_eq!(wizard(&app).permissions_error(), None, "a change clears it");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(wizard(&app).step(), Step::Review);
    // Esc goes back a step each time, keeping everything.
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    assert!(wizard(&app).picker().is_selected("sites:read"));
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "ci deploy");
}

// ============================================================================================
// Step 3: review and create
// ============================================================================================

#[test]
fn the_review_shows_the_name_and_scopes_without_a_warning_for_read_scopes() {
    let mut app = loaded_app();
    to_review_with(&mut app, "  ci deploy  ", &["sites:read", "backups:read"]);
    let text = screen(&app);
    assert!(
        text.contains("New key, step 3 of 3: review and create"),
        "{text}"
    );
    assert!(text.contains("Name     ci deploy"), "{text}");
    assert!(text.contains("Permissions (2)"), "{text}");
    assert!(text.contains("Sites"), "{text}");
    assert!(text.contains("Backups"), "{text}");
    assert!(text.contains("sites:read"), "{text}");
    assert!(text.contains("backups:read"), "{text}");
    assert!(!text.contains("Warning"), "{text}");
    assert!(
        text.contains("Enter creates the key; its secret is shown once."),
        "{text}"
    );
}

#[test]
fn a_write_or_admin_scope_shows_the_warning_line() {
    let mut app = loaded_app();
    to_review_with(&mut app, "ci deploy", &["sites:read", "sites:write"]);
    assert!(
        screen(&app).contains("Warning: write scopes let this key change configuration or data."),
        "{}",
        screen(&app)
    );
    let mut app = loaded_app();
    to_review_with(&mut app, "ci deploy", &["scripts:write"]);
    assert!(
        flat(&app).contains("Warning: admin scopes let this key act on devices"),
        "{}",
        screen(&app)
    );
}

#[test]
fn enter_on_review_journals_the_intent_before_the_request_with_the_trimmed_name() {
    let mut app = loaded_app();
    to_review_with(&mut app, "  ci deploy  ", &["sites:read", "scripts:read"]);
    let effects = press(&mut app, "enter");
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::SendRecorded {
        intent:
            Entry::Intent {
                record,
                op,
                api_host,
                demo,
                name,
                scopes,
                key_id,
                at,
            },
        ..
    } = &effects[0]
    else {
        panic!("the request with its intent record: {effects:?}");
    };
    assert_eq!(*op, Operation::Create);
    assert_eq!(record, &RecordId("test-2".into()));
    assert_eq!(api_host, "v1.api.altostrat.io");
    assert!(!demo);
    assert_eq!(name, "ci deploy");
    assert_eq!(scopes, &["sites:read", "scripts:read"]);
    assert_eq!(key_id, &None);
    assert_eq!(*at, now());
    let Effect::SendRecorded {
        id,
        request: ApiRequest::CreateKey(new_key),
        ..
    } = &effects[0]
    else {
        panic!("with the request: {effects:?}");
    };
    assert_eq!(new_key.name(), "ci deploy");
    assert_eq!(new_key.permissions(), ["sites:read", "scripts:read"]);
    assert_eq!(app.pending().map(|p| p.request), Some(*id));
    assert_eq!(wizard(&app).submitting(), Some(*id));
    assert!(
        screen(&app).contains("Creating the key ..."),
        "{}",
        screen(&app)
    );

    // In flight: a second Enter (or Esc, or a toggle) sends and changes nothing.
    assert!(press(&mut app, "enter").is_empty());
    assert!(press(&mut app, "esc").is_empty());
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(app.pending().map(|p| p.request), Some(*id));
}

// ============================================================================================
// The create's answer
// ============================================================================================

#[test]
fn a_created_key_journals_it_refreshes_and_reveals_the_secret_masked() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let effects = reply_secret(&mut app, id, created_key("ci deploy"), SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    assert!(app.pending().is_none());
    assert_eq!(without_actions(&effects).len(), 2, "{effects:?}");
    let Effect::Journal(entry) = &effects[0] else {
        panic!("the journal first: {effects:?}");
    };
    assert_eq!(
        entry,
        &Entry::Created {
            record: record("test-2"),
            key_id: KeyId(NEW_ID.into()),
            name: "ci deploy".into(),
            at: now(),
        }
    );
    assert_eq!(list_requests(&effects).len(), 1);
    assert_eq!(reveal(&app).op(), Operation::Create);
    assert_eq!(reveal(&app).key().id.as_str(), NEW_ID);

    let text = screen(&app);
    assert!(text.contains("New key ci deploy"), "{text}");
    assert!(text.contains(NEW_ID), "{text}");
    let masked = format!("{PREFIX}{}", "*".repeat(SECRET.len() - PREFIX.len()));
    assert!(text.contains(&masked), "{text}");
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains("SECRET0123"), "{text}");
    assert!(text.contains(ONLY_TIME_WARNING), "{text}");
    assert!(
        flat(&app).contains("The API says: Store this secret now"),
        "{text}"
    );

    press(&mut app, "v");
    assert!(reveal(&app).is_shown());
    let text = screen(&app);
    assert_eq!(
        text.lines().filter(|l| l.contains(SECRET)).count(),
        1,
        "whole, on one line: {text}"
    );
    assert!(!text.contains(&masked));
    press(&mut app, "v");
    assert!(!reveal(&app).is_shown());
    let text = screen(&app);
    assert!(!text.contains(SECRET) && text.contains(&masked), "{text}");
}

#[test]
fn a_refused_name_returns_to_the_name_step_with_the_servers_words_and_the_name_kept() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let effects = reply_error(
        &mut app,
        id,
        validation("name", "The name has already been taken."),
    );
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert!(!sends_create(&effects));
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "ci deploy");
    assert!(wizard(&app).picker().is_selected("sites:read"), "kept");
    assert_eq!(wizard(&app).submitting(), None);
    let error = wizard(&app).name_error().unwrap();
    assert!(
        error.contains("The name has already been taken."),
        "{error}"
    );
    assert!(flat(&app).contains("name: The name has already been taken."));
    // Enter without an edit stays (the server said no to this name); an edit clears it.
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardName);
    type_text(&mut app, " 2");
    assert_eq!(wizard(&app).name_error(), None);
    press(&mut app, "enter");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::WizardReview);
    let (_, new_key) = submit(&mut app);
    assert_eq!(new_key.name(), "ci deploy 2");
}

#[test]
fn a_refused_permission_returns_to_the_permissions_step_with_the_selection_kept() {
    let mut app = loaded_app();
    to_review_with(&mut app, "ci deploy", &["sites:read", "scripts:read"]);
    let (id, _) = submit(&mut app);
    let effects = reply_error(
        &mut app,
        id,
        validation("permissions.0", "The selected permissions.0 is invalid."),
    );
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert_eq!(app.mode(), Mode::WizardPermissions);
    assert_eq!(
        wizard(&app).picker().selected_scopes(),
        ["sites:read", "scripts:read"]
    );
    assert_eq!(wizard(&app).name().text(), "ci deploy");
    let error = wizard(&app).permissions_error().unwrap();
    assert!(
        error.contains("permissions.0: The selected permissions.0 is invalid."),
        "{error}"
    );
    assert!(
        screen(&app).contains("The selected permissions.0 is invalid."),
        "{}",
        screen(&app)
    );
}

#[test]
fn other_create_failures_stay_on_review_with_the_errors_own_sentence() {
    for error in [
        ApiError::Unauthorized { message: None },
        ApiError::Forbidden {
            message: Some("Insufficient permissions".into()),
        },
        ApiError::RateLimited {
            retry_after: Some(std::time::Duration::from_secs(30)),
            message: None,
        },
        ApiError::Server {
            status: 500,
            message: None,
        },
    ] {
        let mut app = loaded_app();
        to_review(&mut app, "ci deploy");
        let (id, _) = submit(&mut app);
        let effects = reply_error(&mut app, id, error.clone());
        assert_eq!(
            outcome_of(&effects),
            (record("test-2"), Outcome::NotCreated),
            "{error:?}"
        );
        assert!(
            list_requests(&effects).is_empty(),
            "{error:?}: not a lost answer"
        );
        assert_eq!(app.mode(), Mode::WizardReview, "{error:?}");
        assert_eq!(wizard(&app).submitting(), None);
        assert_eq!(wizard(&app).error(), Some(error.user_message().as_str()));
        let sentence = error.user_message();
        assert!(
            flat(&app).contains(&sentence),
            "{error:?}: {sentence}\n{}",
            screen(&app)
        );
        assert_eq!(wizard(&app).name().text(), "ci deploy");
        assert!(wizard(&app).picker().is_selected("sites:read"));
        // Enter tries again (a new record).
        let effects = press(&mut app, "enter");
        assert!(sends_create(&effects), "{error:?}: {effects:?}");
    }
}

#[test]
fn a_journal_failure_right_after_submit_shows_the_reason_and_loses_nothing() {
    let mut app = loaded_app();
    to_review_with(&mut app, "ci deploy", &["sites:read", "wan:read"]);
    let (first, _) = submit(&mut app);
    let reason = "The creation journal /home/op/.local/state/sdx-keys/journal.jsonl could not be \
                  written: no space left on device.";
    let effects = app.update(
        now(),
        Msg::JournalFailed {
            reason: reason.into(),
            held_back: Some(first),
        },
    );
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.pending().is_none(), "nothing is in flight");
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(wizard(&app).submitting(), None);
    let error = wizard(&app).error().unwrap();
    assert!(error.contains(reason), "{error}");
    assert!(error.contains("Nothing was sent"), "{error}");
    let text = flat(&app);
    assert!(text.contains("no space left on device"), "{text}");
    assert!(text.contains("Nothing was sent"), "{text}");
    assert_eq!(wizard(&app).name().text(), "ci deploy");
    assert_eq!(
        wizard(&app).picker().selected_scopes(),
        ["sites:read", "wan:read"]
    );
    // A late answer to the request that was never sent is ignored.
    let effects = reply_error(&mut app, first, ApiError::Timeout);
    assert!(effects.is_empty());
    assert_eq!(app.mode(), Mode::WizardReview);
    // Enter tries again.
    let (second, new_key) = submit(&mut app);
    assert_ne!(first, second);
    assert_eq!(new_key.name(), "ci deploy");
}

// ============================================================================================
// A create whose answer was lost
// ============================================================================================

#[test]
fn a_lost_create_answer_fetches_the_list_and_offers_the_new_key_for_recovery() {
    for lost in [
        ApiError::Network {
            detail: LOST_DETAIL.into(),
        },
        ApiError::Timeout,
    ] {
        let mut app = loaded_app();
        to_review(&mut app, "ci deploy");
        let (id, _) = submit(&mut app);
        let effects = reply_error(&mut app, id, lost.clone());
        let list = list_request(&effects);
        assert!(!sends_create(&effects), "{lost:?}: never sent again");
        assert!(
            without_actions(&effects)
                .iter()
                .all(|e| !matches!(e, Effect::Journal(_))),
            "{lost:?}: the intent stays open: {effects:?}"
        );
        assert!(notice(&app).contains("got no answer"), "{}", notice(&app));
        // Waiting for the list: Enter sends nothing.
        assert!(press(&mut app, "enter").is_empty(), "{lost:?}");

        let mut keys = fixture_keys();
        keys.push(created_key("ci deploy"));
        let effects = reply_keys(&mut app, list, keys);
        assert!(effects.is_empty(), "{effects:?}");
        assert_eq!(app.mode(), Mode::Recovery, "{lost:?}");
        let items = recovery(&app).items();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].key_id.as_str(), NEW_ID);
        assert_eq!(items[0].record, record("test-2"));
        assert_eq!(items[0].op, Operation::Create);
        assert!(items[0].guessed);
        assert!(recovery(&app).after_lost_answer);
        let text = flat(&app);
        assert!(text.contains("ci deploy"), "{text}");
        assert!(text.contains(NEW_ID), "{text}");
        assert!(text.contains("ci deploy was created at"), "{text}");
        assert!(text.contains("never confirmed saved"), "{text}");
        assert!(text.contains("Found by its name"), "{text}");
        assert!(
            notice(&app).contains("the key was created: its secret is lost"),
            "{}",
            notice(&app)
        );
    }
}

#[test]
fn a_lost_create_with_no_such_key_in_the_list_says_it_was_not_created() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let list = list_request(&reply_error(&mut app, id, ApiError::Timeout));
    let effects = reply_keys(&mut app, list, fixture_keys());
    // Nothing was created: the intent is closed, so a retried create is not taken for it at
    // the next start.
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(wizard(&app).submitting(), None);
    let error = wizard(&app).error().unwrap();
    assert!(error.contains("it was not created"), "{error}");
    assert!(
        flat(&app).contains("it was not created"),
        "{}",
        screen(&app)
    );
    // Everything is still there, and Enter tries again.
    assert_eq!(wizard(&app).name().text(), "ci deploy");
    assert!(sends_create(&press(&mut app, "enter")));
}

#[test]
fn a_key_of_the_same_name_that_existed_before_is_not_taken_for_the_lost_one() {
    let mut app = loaded_app();
    to_review(&mut app, "ansible"); // a fixture key has this name already
    let (id, _) = submit(&mut app);
    let list = list_request(&reply_error(
        &mut app,
        id,
        ApiError::Network {
            detail: LOST_DETAIL.into(),
        },
    ));
    reply_keys(&mut app, list, fixture_keys());
    assert_eq!(app.mode(), Mode::WizardReview);
    assert!(wizard(&app).error().unwrap().contains("not created"));
}

#[test]
fn could_not_connect_is_a_plain_failure_without_a_list_fetch() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let error = ApiError::Network {
        detail: "could not connect to v1.api.altostrat.io: connection refused".into(),
    };
    let effects = reply_error(&mut app, id, error.clone());
    assert!(list_requests(&effects).is_empty(), "{effects:?}");
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(wizard(&app).error(), Some(error.user_message().as_str()));
    assert!(flat(&app).contains("connection refused"));
}

#[test]
fn a_lost_create_whose_list_also_fails_says_so_on_the_wizard() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let list = list_request(&reply_error(&mut app, id, ApiError::Timeout));
    reply_error(&mut app, list, ApiError::Timeout);
    assert_eq!(app.mode(), Mode::WizardReview);
    assert_eq!(wizard(&app).submitting(), None);
    let error = wizard(&app).error().unwrap();
    assert!(error.contains("could not be fetched"), "{error}");
    assert!(error.contains("ci deploy"), "{error}");
}

/// The sentence after a lost create whose list also failed is one line of prose (no runs of
/// spaces from a broken string continuation).
#[test]
fn the_lost_create_list_failure_sentence_reads_as_one_sentence() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let list = list_request(&reply_error(&mut app, id, ApiError::Timeout));
    reply_error(&mut app, list, ApiError::Timeout);
    let error = wizard(&app).error().unwrap();
    assert!(!error.contains("  "), "runs of spaces in: {error:?}");
}

// ============================================================================================
// Clone
// ============================================================================================

#[test]
fn c_clones_the_selected_key_into_the_wizard() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    assert!(press(&mut app, "c").is_empty());
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "CI pipeline (copy)");
    let mut selected = wizard(&app).picker().selected_scopes();
    selected.sort();
    assert_eq!(selected, ["scripts:read", "scripts:write", "sites:read"]);
    assert!(screen(&app).contains("CI pipeline (copy)"));
    // Straight through to the create.
    presses(&mut app, "enter enter");
    assert_eq!(app.mode(), Mode::WizardReview);
    let (_, new_key) = submit(&mut app);
    assert_eq!(new_key.name(), "CI pipeline (copy)");
    let mut sent = new_key.permissions().to_vec();
    sent.sort();
    assert_eq!(sent, ["scripts:read", "scripts:write", "sites:read"]);

    // A scope the catalogue lacks comes along too.
    let mut app = loaded_app();
    select_key(&mut app, "Zabbix monitor");
    press(&mut app, "c");
    let picker = wizard(&app).picker();
    assert!(picker.is_selected("legacy:thing"));
    assert!(picker.is_selected("sites:read"));
    assert_eq!(picker.selected_count(), 2);
}

#[test]
fn c_with_no_key_selected_does_nothing() {
    let mut app = loaded(SMALL, Vec::new());
    press(&mut app, "c");
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
}

// ============================================================================================
// Leaving the wizard
// ============================================================================================

#[test]
fn esc_on_an_empty_name_step_closes_the_wizard_at_once() {
    let mut app = loaded_app();
    press(&mut app, "n");
    assert!(press(&mut app, "esc").is_empty());
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
    // Spaces only count as nothing typed.
    press(&mut app, "n");
    type_text(&mut app, "   ");
    press(&mut app, "esc");
    assert!(on_list(&app));
}

#[test]
fn esc_with_a_name_typed_asks_first_and_only_y_leaves() {
    let mut app = loaded_app();
    press(&mut app, "n");
    type_text(&mut app, "half a name");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardLeave);
    let text = screen(&app);
    assert!(text.contains("Leave the wizard?"), "{text}");
    assert!(text.contains("y leave   n stay"), "{text}");
    // Typing does nothing at the question.
    type_text(&mut app, "zz");
    assert_eq!(app.mode(), Mode::WizardLeave);
    assert_eq!(wizard(&app).name().text(), "half a name");
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "half a name");
    press(&mut app, "esc");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardName, "esc at the question stays");
    press(&mut app, "esc");
    assert!(press(&mut app, "y").is_empty());
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
    // A fresh wizard starts empty.
    press(&mut app, "n");
    assert!(wizard(&app).name().is_empty());
}

#[test]
fn ctrl_c_in_the_wizard_quits_at_once_when_empty_and_asks_when_not() {
    let mut app = loaded_app();
    press(&mut app, "n");
    assert!(matches!(
        press(&mut app, "ctrl-c").as_slice(),
        [Effect::Quit]
    ));

    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    assert!(press(&mut app, "ctrl-c").is_empty());
    assert_eq!(app.mode(), Mode::WizardLeave);
    assert!(screen(&app).contains("Quit sdx-keys?"));
    press(&mut app, "n");
    assert_eq!(app.mode(), Mode::WizardPermissions);
    press(&mut app, "ctrl-c");
    assert!(matches!(press(&mut app, "y").as_slice(), [Effect::Quit]));
}

// ============================================================================================
// The reveal screen's gate
// ============================================================================================

#[test]
fn leaving_without_a_delivery_asks_to_type_discard() {
    let mut app = revealing(context(true));
    for chord in ["esc", "q", "ctrl-c", "enter"] {
        let effects = press(&mut app, chord);
        assert!(effects.is_empty(), "{chord}: {effects:?}");
        assert_eq!(app.mode(), Mode::RevealDiscard, "{chord}");
        let text = flat(&app);
        assert!(text.contains("Discard the secret?"), "{chord}: {text}");
        assert!(
            text.contains("Type discard and press Enter"),
            "{chord}: {text}"
        );
        // Esc returns unchanged.
        assert!(press(&mut app, "esc").is_empty());
        assert_eq!(app.mode(), Mode::Reveal, "{chord}");
        assert!(reveal(&app).prompt().is_none());
        assert!(!reveal(&app).is_shown());
        assert_eq!(reveal(&app).key().id.as_str(), NEW_ID);
    }
    // A near miss stays.
    press(&mut app, "enter");
    type_text(&mut app, "discar");
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::RevealDiscard);
    type_text(&mut app, "ds");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::RevealDiscard, "discards is not the word");
    presses(&mut app, "backspace backspace");
    type_text(&mut app, "d");
    let effects = press(&mut app, "enter");
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(outcome_of(&effects), (record("test-2"), Outcome::Discarded));
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
    let text = screen(&app);
    assert!(!text.contains(SECRET), "{text}");
    assert!(!text.contains(&format!("{PREFIX}*")), "{text}");
    assert_eq!(severity(&app), Some(Severity::Warning));
    assert!(notice(&app).contains("discarded"), "{}", notice(&app));
}

#[test]
fn discard_typed_while_the_secret_is_shown_leaves_no_trace_of_it() {
    let mut app = revealing(context(true));
    press(&mut app, "v");
    assert!(screen(&app).contains(SECRET));
    press(&mut app, "q");
    type_text(&mut app, "discard");
    let effects = press(&mut app, "enter");
    assert_eq!(outcome_of(&effects).1, Outcome::Discarded);
    assert!(!screen(&app).contains(SECRET));
    assert!(!screen(&app).contains("SECRET0123"));
}

// ============================================================================================
// Deliveries
// ============================================================================================

#[test]
fn w_writes_to_a_file_and_once_written_enter_leaves() {
    let mut app = revealing(context(true));
    press(&mut app, "w");
    assert_eq!(app.mode(), Mode::RevealPath);
    let Some(Prompt::Path(field)) = reveal(&app).prompt() else {
        panic!("no path prompt");
    };
    assert!(field.is_empty());
    assert!(flat(&app).contains("Path of a NEW file for the secret"));
    // Enter with nothing typed stays on the prompt.
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(app.mode(), Mode::RevealPath);
    type_text(&mut app, "~/secrets/ci.key");
    let (task, what) = delivery(press(&mut app, "enter"));
    let Delivery::File { path, secret } = what else {
        panic!("not a file delivery: {what:?}");
    };
    assert_eq!(path, "~/secrets/ci.key");
    assert_eq!(secret.expose_secret(), SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).busy(), Some(DeliveryKind::File));
    assert!(screen(&app).contains("Delivering to the file ..."));
    // Enter while it runs still asks.
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::RevealDiscard);
    press(&mut app, "esc");

    // A result for another task is ignored.
    assert!(delivered(&mut app, RequestId(task.0 + 40), Ok("Written elsewhere.")).is_empty());
    assert_eq!(reveal(&app).delivered(), None);

    let effects = delivered(
        &mut app,
        task,
        Ok("Written to /home/op/secrets/ci.key (mode 0600)."),
    );
    assert_eq!(effects.len(), 1, "{effects:?}");
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::DeliveredFile)
    );
    assert_eq!(reveal(&app).delivered(), Some(DeliveryKind::File));
    assert_eq!(reveal(&app).busy(), None);
    let text = flat(&app);
    assert!(
        text.contains("Delivered to the file. Enter returns to the list."),
        "{text}"
    );
    assert!(
        text.contains("Written to /home/op/secrets/ci.key (mode 0600)."),
        "{text}"
    );

    // Recorded once, when it was written: leaving adds nothing (and there is no clipboard
    // to forget).
    let effects = press(&mut app, "enter");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.mode(), Mode::List);
    assert!(!screen(&app).contains(SECRET));
}

#[test]
fn esc_on_the_path_prompt_goes_back_without_writing() {
    let mut app = revealing(context(true));
    press(&mut app, "w");
    type_text(&mut app, "/tmp/x");
    assert!(press(&mut app, "esc").is_empty());
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).busy(), None);
    // A new prompt starts empty.
    press(&mut app, "w");
    let Some(Prompt::Path(field)) = reveal(&app).prompt() else {
        panic!("no path prompt");
    };
    assert!(field.is_empty());
}

#[test]
fn a_failed_delivery_is_explained_and_enter_still_asks_to_discard() {
    let mut app = revealing(context(true));
    press(&mut app, "w");
    type_text(&mut app, "~/secrets/ci.key");
    let (task, _) = delivery(press(&mut app, "enter"));
    let reason = "/home/op/secrets/ci.key exists already; sdx-keys never overwrites a file. Choose a new path.";
    let effects = delivered(&mut app, task, Err(reason));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(reveal(&app).delivered(), None);
    assert!(
        flat(&app).contains("never overwrites a file"),
        "{}",
        screen(&app)
    );
    assert!(
        flat(&app).contains("Not delivered yet: leaving now asks you to type discard."),
        "{}",
        screen(&app)
    );
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::RevealDiscard);
}

#[test]
fn s_without_a_sink_says_how_to_configure_one() {
    let mut app = revealing(context(true));
    assert!(press(&mut app, "s").is_empty());
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).busy(), None);
    let last = reveal(&app).reports().last().expect("a report");
    assert!(!last.ok);
    assert!(last.text.contains("SDX_KEYS_SINK"), "{}", last.text);
    assert!(
        flat(&app).contains("No sink is configured. Set the profile's sink (or SDX_KEYS_SINK)")
    );
}

#[test]
fn s_with_a_sink_sends_the_secret_to_it() {
    let mut with_sink = context(true);
    with_sink.sink = Some("pass insert -m sdx/{id}".into());
    let mut app = revealing(with_sink);
    assert!(flat(&app).contains("s send to the sink: pass insert -m sdx/{id}"));
    let (task, what) = delivery(press(&mut app, "s"));
    let Delivery::Sink {
        command,
        key_id,
        key_name,
        secret,
    } = what
    else {
        panic!("not a sink delivery: {what:?}");
    };
    assert_eq!(command, "pass insert -m sdx/{id}");
    assert_eq!(key_id, NEW_ID);
    assert_eq!(key_name, "ci deploy");
    assert_eq!(secret.expose_secret(), SECRET);
    // A second delivery while one runs is refused.
    assert!(press(&mut app, "s").is_empty());
    assert!(
        reveal(&app)
            .reports()
            .last()
            .unwrap()
            .text
            .contains("still running")
    );
    let effects = delivered(&mut app, task, Ok("Sent to the sink (pass); it exited 0."));
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::DeliveredSink)
    );
    let effects = press(&mut app, "enter");
    assert!(
        effects.is_empty(),
        "recorded once, when it ran: {effects:?}"
    );
    assert_eq!(app.mode(), Mode::List);
}

#[test]
fn the_clipboard_counts_only_once_p_says_it_was_pasted() {
    let mut app = revealing(context(true));
    // p before any copy.
    press(&mut app, "p");
    assert!(
        reveal(&app)
            .reports()
            .last()
            .unwrap()
            .text
            .contains("press c first")
    );
    assert_eq!(reveal(&app).delivered(), None);

    let (task, what) = delivery(press(&mut app, "c"));
    let Delivery::Clipboard { secret } = what else {
        panic!("not a clipboard delivery: {what:?}");
    };
    assert_eq!(secret.expose_secret(), SECRET);
    let effects = delivered(
        &mut app,
        task,
        Ok(
            "Sent to the terminal clipboard through tmux; your terminal cannot confirm it. \
            Paste it, then press p.",
        ),
    );
    assert!(effects.is_empty(), "not yet a delivery: {effects:?}");
    assert!(reveal(&app).clipboard_sent());
    assert_eq!(reveal(&app).delivered(), None);
    let text = flat(&app);
    assert!(text.contains("cannot confirm it"), "{text}");
    assert!(
        text.contains("Sent to the clipboard: press p once you have pasted it."),
        "{text}"
    );
    // Enter still asks to discard.
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::RevealDiscard);
    press(&mut app, "esc");

    assert!(press(&mut app, "p").is_empty());
    assert_eq!(reveal(&app).delivered(), Some(DeliveryKind::Clipboard));
    assert!(flat(&app).contains("Delivered to the clipboard. Enter returns to the list."));
    let effects = press(&mut app, "enter");
    assert_eq!(effects.len(), 2, "{effects:?}");
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::DeliveredClipboard)
    );
    assert!(matches!(effects[1], Effect::ForgetClipboard), "{effects:?}");
    assert_eq!(app.mode(), Mode::List);
}

#[test]
fn discarding_after_a_clipboard_copy_also_forgets_the_clipboard() {
    let mut app = revealing(context(true));
    let (task, _) = delivery(press(&mut app, "c"));
    delivered(&mut app, task, Ok("Sent to the terminal clipboard."));
    press(&mut app, "esc");
    type_text(&mut app, "discard");
    let effects = press(&mut app, "enter");
    assert_eq!(outcome_of(&effects).1, Outcome::Discarded);
    assert!(
        effects.iter().any(|e| matches!(e, Effect::ForgetClipboard)),
        "{effects:?}"
    );
}

#[test]
fn a_too_small_terminal_never_quits_away_a_secret() {
    let mut app = revealing(context(true));
    app.update(now(), Msg::Resize(50, 10));
    assert_eq!(app.mode(), Mode::TooSmall);
    assert!(press(&mut app, "q").is_empty());
    assert!(press(&mut app, "ctrl-c").is_empty());
    assert!(
        flat(&app).contains("a new secret is waiting"),
        "{}",
        screen(&app)
    );
    app.update(now(), Msg::Resize(80, 24));
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).key().id.as_str(), NEW_ID);
    // Elsewhere a too-small terminal still quits.
    let mut app = loaded_app();
    app.update(now(), Msg::Resize(50, 10));
    assert!(matches!(press(&mut app, "q").as_slice(), [Effect::Quit]));
}

/// The runtime's rule (src/effects.rs) with a journal that cannot be written: every append
/// fails and is reported, a `SendRecorded` request is held back, everything else runs.
/// Returns the effects that ran, then those of the model's answers to the failures.
fn run_with_failing_journal(app: &mut App, effects: Vec<Effect>) -> (Vec<Effect>, Vec<Effect>) {
    let mut ran = Vec::new();
    let mut failures = Vec::new();
    for effect in effects {
        match effect {
            Effect::Journal(_) => failures.push(None),
            Effect::SendRecorded { id, .. } => failures.push(Some(id)),
            other => ran.push(other),
        }
    }
    let mut answer = Vec::new();
    for held_back in failures {
        answer.extend(app.update(
            now(),
            Msg::JournalFailed {
                reason: "The creation journal could not be written: disk full.".into(),
                held_back,
            },
        ));
    }
    (ran, answer)
}

/// Leaving after a clipboard copy clears tmux's buffer whatever happens to the journal: a
/// failed outcome record holds nothing else back.
#[test]
fn the_clipboard_is_forgotten_even_when_the_outcome_cannot_be_journaled() {
    let mut app = revealing(context(true));
    let (task, _) = delivery(press(&mut app, "c"));
    delivered(&mut app, task, Ok("Sent to the terminal clipboard."));
    press(&mut app, "p");
    let effects = press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::List);
    let (ran, answer) = run_with_failing_journal(&mut app, effects);
    let forgotten = ran
        .iter()
        .chain(answer.iter())
        .any(|e| matches!(e, Effect::ForgetClipboard));
    assert!(
        forgotten,
        "the secret stays on tmux's clipboard: ran {ran:?}, then {answer:?}"
    );
}

// ============================================================================================
// Rotate
// ============================================================================================

#[test]
fn r_asks_before_rotating_and_n_or_esc_cancel() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    assert!(press(&mut app, "R").is_empty());
    assert_eq!(app.mode(), Mode::ConfirmRotate);
    let text = flat(&app);
    assert!(text.contains("Rotate CI pipeline?"), "{text}");
    assert!(text.contains(CI_ID), "{text}");
    assert!(
        text.contains("Its current secret stops working at once"),
        "{text}"
    );
    assert!(press(&mut app, "n").is_empty());
    assert_eq!(app.mode(), Mode::List);
    assert!(app.confirm().is_none());
    press(&mut app, "R");
    assert!(press(&mut app, "esc").is_empty());
    assert_eq!(app.mode(), Mode::List);
    assert!(app.pending().is_none());
}

#[test]
fn r_y_journals_the_intent_then_rotates_and_the_new_secret_is_revealed() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    press(&mut app, "R");
    let effects = press(&mut app, "y");
    assert_eq!(effects.len(), 1, "{effects:?}");
    let Effect::SendRecorded {
        intent:
            Entry::Intent {
                record: intent,
                op: Operation::Rotate,
                name,
                scopes,
                key_id,
                ..
            },
        id,
        request: ApiRequest::RotateKey(rotated),
    } = &effects[0]
    else {
        panic!("the request with its intent record: {effects:?}");
    };
    assert_eq!(intent, &record("test-2"));
    assert_eq!(name, "CI pipeline");
    assert_eq!(scopes, &["scripts:read", "scripts:write", "sites:read"]);
    assert_eq!(key_id.as_ref().map(KeyId::as_str), Some(CI_ID));
    assert_eq!(rotated.as_str(), CI_ID);
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(app.writing(), Some("rotating"));
    assert!(screen(&app).contains("rotating"));

    let rotated_key = key(
        CI_ID,
        "CI pipeline",
        PREFIX,
        "2026-04-28T12:00:00Z",
        None,
        &["scripts:read", "scripts:write", "sites:read"],
    );
    let effects = reply_secret(&mut app, *id, rotated_key, SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).op(), Operation::Rotate);
    assert!(matches!(
        &effects[0],
        Effect::Journal(Entry::Created { record: r, key_id: k, .. })
            if r == &record("test-2") && k.as_str() == CI_ID
    ));
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");
    let text = screen(&app);
    assert!(text.contains("New secret of CI pipeline"), "{text}");
    assert!(!text.contains(SECRET), "{text}");
}

#[test]
fn a_rotate_of_a_key_gone_elsewhere_says_so_and_refreshes() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    press(&mut app, "R");
    let effects = press(&mut app, "y");
    let Some(Effect::SendRecorded {
        id,
        request: ApiRequest::RotateKey(_),
        ..
    }) = effects.first()
    else {
        panic!("{effects:?}");
    };
    let effects = reply_error(&mut app, *id, ApiError::NotFound { message: None });
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(severity(&app), Some(Severity::Error));
    let text = notice(&app);
    assert!(text.contains("Rotating CI pipeline failed"), "{text}");
    assert!(text.contains("does not exist"), "{text}");
    assert!(app.pending().is_none());
}

#[test]
fn a_second_write_while_one_is_in_flight_is_refused() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    presses(&mut app, "R y");
    press(&mut app, "d");
    type_text(&mut app, "CI pipeline");
    let effects = press(&mut app, "enter");
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        notice(&app).contains("Still rotating a key; wait for the answer first"),
        "{}",
        notice(&app)
    );
    assert!(app.confirm().is_none());
}

// ============================================================================================
// Delete
// ============================================================================================

#[test]
fn d_asks_for_the_name_and_a_mismatch_stays() {
    let mut app = loaded_app();
    select_key(&mut app, "terraform");
    assert!(press(&mut app, "d").is_empty());
    assert_eq!(app.mode(), Mode::ConfirmDelete);
    let text = flat(&app);
    assert!(text.contains("Delete terraform?"), "{text}");
    assert!(text.contains(TERRAFORM_ID), "{text}");
    assert!(text.contains("cannot be brought back"), "{text}");
    for wrong in ["terrafrom", "Terraform", "terra", ""] {
        press(&mut app, "ctrl-u");
        type_text(&mut app, wrong);
        assert!(press(&mut app, "enter").is_empty(), "{wrong}");
        assert_eq!(app.mode(), Mode::ConfirmDelete, "{wrong}");
        assert!(app.confirm().unwrap().mismatch(), "{wrong}");
        assert!(
            flat(&app).contains("That is not the key's name or id; type it exactly."),
            "{wrong}: {}",
            screen(&app)
        );
    }
    // Typing again clears the complaint.
    type_text(&mut app, "t");
    assert!(!app.confirm().unwrap().mismatch());
    assert!(!flat(&app).contains("That is not the key's name"));
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::List);
    assert!(app.pending().is_none());
}

#[test]
fn the_exact_name_deletes_and_the_answer_removes_the_key_and_refreshes() {
    let mut app = loaded_app();
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    type_text(&mut app, "terraform");
    let effects = press(&mut app, "enter");
    let [Effect::Api(id, ApiRequest::DeleteKey(deleted))] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(deleted.as_str(), TERRAFORM_ID);
    assert_eq!(app.mode(), Mode::List);
    assert!(app.confirm().is_none());
    assert_eq!(app.writing(), Some("deleting"));
    assert!(screen(&app).contains("deleting"), "{}", screen(&app));

    let effects = reply_deleted(&mut app, *id, TERRAFORM_ID);
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");
    // No creation-journal record for a plain delete: only its action line.
    assert_eq!(without_actions(&effects).len(), 1, "{effects:?}");
    let Some(Effect::Journal(Entry::Action(action))) = effects.last() else {
        panic!("no action line: {effects:?}");
    };
    assert_eq!(action.action, sdx_keys::journal::ActionKind::Delete);
    assert!(action.ok);
    assert_eq!(
        action.command,
        format!("sdx-keys delete {TERRAFORM_ID} --yes")
    );
    assert!(app.keys().iter().all(|k| k.id.as_str() != TERRAFORM_ID));
    assert_eq!(app.keys().len(), 11);
    assert!(!names(&app).contains(&"terraform".to_owned()));
    assert!(notice(&app).contains("Deleted terraform."));
    assert!(app.pending().is_none());
}

#[test]
fn typing_the_key_id_also_confirms_a_delete() {
    let mut app = loaded_app();
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    paste(&mut app, TERRAFORM_ID);
    let effects = press(&mut app, "enter");
    assert!(
        matches!(effects.as_slice(), [Effect::Api(_, ApiRequest::DeleteKey(k))] if k.as_str() == TERRAFORM_ID),
        "{effects:?}"
    );
}

#[test]
fn a_delete_of_a_key_already_gone_says_so_and_refreshes() {
    let mut app = loaded_app();
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    type_text(&mut app, "terraform");
    let effects = press(&mut app, "enter");
    let [Effect::Api(id, _)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let effects = reply_error(&mut app, *id, ApiError::NotFound { message: None });
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");
    assert!(app.keys().iter().all(|k| k.id.as_str() != TERRAFORM_ID));
    assert_eq!(severity(&app), Some(Severity::Warning));
    assert!(
        notice(&app).contains("terraform was already gone"),
        "{}",
        notice(&app)
    );
}

#[test]
fn a_failed_delete_keeps_the_key_and_says_why() {
    let mut app = loaded_app();
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    type_text(&mut app, "terraform");
    let effects = press(&mut app, "enter");
    let [Effect::Api(id, _)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    let effects = reply_error(
        &mut app,
        *id,
        ApiError::Server {
            status: 503,
            message: None,
        },
    );
    let [Effect::Journal(Entry::Action(action))] = effects.as_slice() else {
        panic!("only the action line: {effects:?}");
    };
    assert!(
        !action.ok && action.result.contains("HTTP 503"),
        "{action:?}"
    );
    assert_eq!(app.keys().len(), 12);
    assert_eq!(severity(&app), Some(Severity::Error));
    assert!(
        notice(&app).contains("Deleting terraform failed"),
        "{}",
        notice(&app)
    );
}

// ============================================================================================
// Recovery
// ============================================================================================

fn unresolved(record_id: &str, name: &str, key_id: Option<&str>, at: &str) -> Unresolved {
    Unresolved {
        record: record(record_id),
        op: Operation::Create,
        name: name.into(),
        scopes: vec!["sites:read".into()],
        key_id: key_id.map(|id| KeyId(id.into())),
        created: key_id.is_some(),
        at: ts(at),
    }
}

fn started_with(records: Vec<Unresolved>) -> App {
    let mut app = App::new(context(true), SMALL, now()).with_unresolved(records);
    let id = list_request(&app.start(now()));
    let effects = reply_keys(&mut app, id, fixture_keys());
    assert!(effects.is_empty(), "{effects:?}");
    app
}

#[test]
fn an_unresolved_record_at_start_opens_the_recovery_screen_once_the_list_is_loaded() {
    let mut app = App::new(context(true), SMALL, now()).with_unresolved(vec![unresolved(
        "prev-3",
        "CI pipeline",
        Some(CI_ID),
        "2026-04-28T12:00:00Z",
    )]);
    let id = list_request(&app.start(now()));
    assert_eq!(app.mode(), Mode::List, "not before the list");
    reply_keys(&mut app, id, fixture_keys());
    assert_eq!(app.mode(), Mode::Recovery);
    let items = recovery(&app).items();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].key_id.as_str(), CI_ID);
    assert!(!items[0].guessed);
    assert_eq!(items[0].state, ItemState::Open);
    let text = flat(&app);
    assert!(
        text.contains("Recovery: secrets never confirmed saved"),
        "{text}"
    );
    assert!(text.contains("CI pipeline"), "{text}");
    assert!(text.contains(CI_ID), "{text}");
    assert!(
        text.contains("CI pipeline was created at") && text.contains("never confirmed saved"),
        "{text}"
    );
    assert!(!text.contains("Found by its name"), "{text}");
}

#[test]
fn a_record_without_a_key_id_is_found_by_name_among_newer_keys() {
    let mut app = started_with(vec![unresolved(
        "prev-4",
        "Zabbix monitor",
        None,
        "2026-05-01T11:59:00Z",
    )]);
    assert_eq!(app.mode(), Mode::Recovery);
    let items = recovery(&app).items();
    assert_eq!(items.len(), 1);
    assert!(items[0].guessed);
    assert_eq!(
        items[0].key_id.as_str(),
        "api_key_00000000000000000000000006"
    );
    assert!(flat(&app).contains("Found by its name"));
    press(&mut app, "K");
    assert_eq!(app.mode(), Mode::List);
}

#[test]
fn records_whose_key_is_gone_open_no_recovery_screen() {
    let app = started_with(vec![
        unresolved(
            "prev-5",
            "gone",
            Some("api_key_gone"),
            "2026-04-01T00:00:00Z",
        ),
        // Older than every key of that name (minus the slack): not a candidate.
        unresolved("prev-6", "ansible", None, "2026-04-01T00:00:00Z"),
    ]);
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
}

#[test]
fn k_keeps_a_key_and_the_screen_closes_when_every_key_is_settled() {
    let mut app = started_with(vec![
        unresolved("prev-3", "CI pipeline", Some(CI_ID), "2026-04-28T12:00:00Z"),
        unresolved(
            "prev-9",
            "terraform",
            Some(TERRAFORM_ID),
            "2026-04-29T00:00:00Z",
        ),
    ]);
    assert_eq!(recovery(&app).items().len(), 2);
    let effects = press(&mut app, "K");
    assert_eq!(outcome_of(&effects), (record("prev-3"), Outcome::Kept));
    assert_eq!(app.mode(), Mode::Recovery, "one is still open");
    assert_eq!(recovery(&app).items()[0].state, ItemState::Kept);
    assert!(screen(&app).contains("kept"));
    // A settled item is not acted on again.
    assert!(press(&mut app, "K").is_empty());
    press(&mut app, "j");
    assert!(flat(&app).contains("terraform was created at"));
    let effects = press(&mut app, "K");
    assert_eq!(outcome_of(&effects), (record("prev-9"), Outcome::Kept));
    assert_eq!(app.mode(), Mode::List);
    assert!(on_list(&app));
    assert!(notice(&app).contains("Every key on the recovery screen is settled."));
}

#[test]
fn d_on_recovery_asks_for_the_name_and_the_delete_settles_the_record() {
    let mut app = started_with(vec![unresolved(
        "prev-3",
        "CI pipeline",
        Some(CI_ID),
        "2026-04-28T12:00:00Z",
    )]);
    assert!(press(&mut app, "D").is_empty());
    assert_eq!(app.mode(), Mode::ConfirmDelete);
    assert!(flat(&app).contains("Delete CI pipeline?"));
    type_text(&mut app, "CI pipeline");
    let effects = press(&mut app, "enter");
    let [Effect::Api(id, ApiRequest::DeleteKey(deleted))] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(deleted.as_str(), CI_ID);
    assert_eq!(app.mode(), Mode::Recovery);
    assert_eq!(recovery(&app).items()[0].state, ItemState::Working);
    assert!(screen(&app).contains("working"), "{}", screen(&app));
    // Nothing more is asked of an item at work.
    assert!(press(&mut app, "K").is_empty());
    let effects = reply_deleted(&mut app, *id, CI_ID);
    assert_eq!(outcome_of(&effects), (record("prev-3"), Outcome::Deleted));
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");
    assert_eq!(app.mode(), Mode::List);
    assert!(app.keys().iter().all(|k| k.id.as_str() != CI_ID));
}

#[test]
fn r_on_recovery_rotates_reveals_and_returns_to_the_list_with_the_old_record_rotated() {
    let mut app = started_with(vec![unresolved(
        "prev-3",
        "CI pipeline",
        Some(CI_ID),
        "2026-04-28T12:00:00Z",
    )]);
    assert!(press(&mut app, "R").is_empty());
    assert_eq!(app.mode(), Mode::ConfirmRotate);
    assert!(flat(&app).contains("Rotate CI pipeline?"));
    let effects = press(&mut app, "y");
    assert!(
        matches!(
            effects.as_slice(),
            [Effect::SendRecorded {
                intent: Entry::Intent {
                    op: Operation::Rotate,
                    ..
                },
                request: ApiRequest::RotateKey(k),
                ..
            }] if k.as_str() == CI_ID
        ),
        "{effects:?}"
    );
    let Effect::SendRecorded { id, .. } = &effects[0] else {
        unreachable!()
    };
    assert_eq!(app.mode(), Mode::Recovery);
    assert_eq!(recovery(&app).items()[0].state, ItemState::Working);

    let rotated = key(
        CI_ID,
        "CI pipeline",
        PREFIX,
        "2026-04-28T12:00:00Z",
        None,
        &[],
    );
    let effects = reply_secret(&mut app, *id, rotated, SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    assert_eq!(reveal(&app).op(), Operation::Rotate);
    assert!(matches!(
        &effects[0],
        Effect::Journal(Entry::Created { record: r, .. }) if r == &record("test-2")
    ));
    assert_eq!(outcome_of(&effects), (record("prev-3"), Outcome::Rotated));
    assert_eq!(list_requests(&effects).len(), 1, "{effects:?}");

    press(&mut app, "w");
    type_text(&mut app, "~/ci.key");
    let (task, _) = delivery(press(&mut app, "enter"));
    let effects = delivered(
        &mut app,
        task,
        Ok("Written to /home/op/ci.key (mode 0600)."),
    );
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::DeliveredFile)
    );
    assert!(press(&mut app, "enter").is_empty());
    assert_eq!(
        app.mode(),
        Mode::List,
        "every key settled: back to the list"
    );
    assert!(on_list(&app));
}

#[test]
fn after_a_rotate_from_recovery_the_reveal_returns_to_the_keys_still_open() {
    let mut app = started_with(vec![
        unresolved("prev-3", "CI pipeline", Some(CI_ID), "2026-04-28T12:00:00Z"),
        unresolved(
            "prev-9",
            "terraform",
            Some(TERRAFORM_ID),
            "2026-04-29T00:00:00Z",
        ),
    ]);
    presses(&mut app, "R y");
    let rotated = key(
        CI_ID,
        "CI pipeline",
        PREFIX,
        "2026-04-28T12:00:00Z",
        None,
        &[],
    );
    reply_secret(&mut app, RequestId(2), rotated, SECRET);
    assert_eq!(app.mode(), Mode::Reveal);
    press(&mut app, "esc");
    type_text(&mut app, "discard");
    let effects = press(&mut app, "enter");
    assert_eq!(outcome_of(&effects), (record("test-2"), Outcome::Discarded));
    assert_eq!(app.mode(), Mode::Recovery);
    let items = recovery(&app).items();
    assert_eq!(items[0].state, ItemState::Rotated);
    assert_eq!(items[1].state, ItemState::Open);
    assert!(screen(&app).contains("rotated"));
}

#[test]
fn a_failed_rotate_from_recovery_can_be_tried_again() {
    let mut app = started_with(vec![unresolved(
        "prev-3",
        "CI pipeline",
        Some(CI_ID),
        "2026-04-28T12:00:00Z",
    )]);
    presses(&mut app, "R y");
    let effects = reply_error(
        &mut app,
        RequestId(2),
        ApiError::Server {
            status: 500,
            message: None,
        },
    );
    assert_eq!(
        outcome_of(&effects),
        (record("test-2"), Outcome::NotCreated)
    );
    assert_eq!(app.mode(), Mode::Recovery);
    assert!(matches!(
        recovery(&app).items()[0].state,
        ItemState::Failed(_)
    ));
    assert!(flat(&app).contains("failed,"), "{}", screen(&app));
    assert!(flat(&app).contains("internal problem (HTTP 500)"));
    press(&mut app, "R");
    assert_eq!(app.mode(), Mode::ConfirmRotate);
}

/// At 80 columns each recovery row keeps its whole state; the name gives way first.
#[test]
fn the_recovery_rows_show_their_whole_state_at_80_columns() {
    let mut app = started_with(vec![unresolved(
        "prev-3",
        "CI pipeline",
        Some(CI_ID),
        "2026-04-28T12:00:00Z",
    )]);
    presses(&mut app, "R y");
    reply_error(
        &mut app,
        RequestId(2),
        ApiError::Server {
            status: 500,
            message: None,
        },
    );
    assert!(matches!(
        recovery(&app).items()[0].state,
        ItemState::Failed(_)
    ));
    let text = screen(&app);
    assert!(text.contains("failed, try again"), "{text}");
}

// ============================================================================================
// Help
// ============================================================================================

#[test]
fn help_in_the_wizard_lists_the_bindings_of_its_step() {
    let mut app = loaded_app();
    to_permissions(&mut app, "ci deploy");
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::Help);
    assert_eq!(app.help().unwrap().under, Mode::WizardPermissions);
    let text = screen(&app);
    assert!(text.contains("Keys of the new key: permissions"), "{text}");
    assert!(text.contains("space"), "{text}");
    assert!(text.contains("Select or clear the focused scope"), "{text}");
    assert!(text.contains("Select the read-only preset"), "{text}");
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::WizardPermissions);

    // On the name step ? is text; f1 is the help.
    let mut app = loaded_app();
    press(&mut app, "n");
    type_text(&mut app, "abc");
    press(&mut app, "f1");
    assert_eq!(app.mode(), Mode::Help);
    assert_eq!(app.help().unwrap().under, Mode::WizardName);
    let text = screen(&app);
    assert!(text.contains("Keys of the new key: name"), "{text}");
    assert!(
        text.contains("Type the key's name (3 to 100 characters)"),
        "{text}"
    );
    assert!(text.contains("Go on to the permissions"), "{text}");
    press(&mut app, "esc");
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "abc");
}

#[test]
fn help_on_the_reveal_screen_lists_its_deliveries() {
    let mut app = revealing(context(true));
    press(&mut app, "?");
    assert_eq!(app.help().unwrap().under, Mode::Reveal);
    let text = screen(&app);
    assert!(text.contains("Keys of the secret screen"), "{text}");
    assert!(text.contains("Write the secret to a new file"), "{text}");
    press(&mut app, "?");
    assert_eq!(app.mode(), Mode::Reveal);
}

/// Ctrl-C in the help does what it does on the screen under it: over the reveal screen it
/// asks for `discard` instead of quitting with the secret undelivered.
/// The same in the wizard: Ctrl-C from the help asks before losing what was typed.
#[test]
fn ctrl_c_in_the_help_over_the_wizard_asks_before_losing_the_name() {
    let mut app = loaded_app();
    press(&mut app, "n");
    type_text(&mut app, "ci deploy");
    press(&mut app, "f1");
    assert_eq!(app.mode(), Mode::Help);
    let effects = press(&mut app, "ctrl-c");
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.mode(), Mode::WizardLeave);
    assert!(app.help().is_none());
}

#[test]
fn ctrl_c_in_the_help_over_the_reveal_screen_does_not_bypass_the_discard_gate() {
    let mut app = revealing(context(true));
    press(&mut app, "?");
    let effects = press(&mut app, "ctrl-c");
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Quit)),
        "quit with the secret undelivered: {effects:?}"
    );
}

// ============================================================================================
// In-flight bookkeeping
// ============================================================================================

/// A write in flight turns the spinner (and asks for the wake-ups that turn it), as a list
/// request does.
#[test]
fn the_spinner_turns_while_a_create_is_in_flight() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    submit(&mut app);
    assert!(
        app.wake_after(now()).is_some(),
        "no wake-up asked for while the create is in flight"
    );
    let first = app.spinner();
    app.update(now() + jiff::SignedDuration::from_millis(300), Msg::Tick);
    assert_ne!(app.spinner(), first, "the spinner did not move in 300 ms");
}

/// A `created` record that cannot be written is reported, but holds nothing back: the list
/// request of the same batch is still sent, so the model never waits for a request that was
/// never made.
#[test]
fn a_failed_created_record_still_sends_the_list_request() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let effects = reply_secret(&mut app, id, created_key("ci deploy"), SECRET);
    let (ran, answer) = run_with_failing_journal(&mut app, effects);
    let sent = list_requests(&ran);
    assert_eq!(sent.len(), 1, "{ran:?}");
    assert_eq!(app.remote().awaiting(), Some(sent[0]));
    assert!(answer.is_empty(), "{answer:?}");
    assert_eq!(app.mode(), Mode::Reveal, "the secret stays on screen");
    assert!(notice(&app).contains("only its journal record is missing"));
}

/// At 80x24, in a recorded session with a sink set, after two failed sink runs and a
/// clipboard copy, the newest report is still on screen (older ones give way first).
#[test]
fn the_newest_delivery_report_stays_on_screen_at_80x24() {
    let mut context = context(true);
    context.recorded = true;
    context.sink = Some("pass insert -m sdx/{id}".into());
    let mut app = revealing(context);
    for _ in 0..2 {
        let (task, _) = delivery(press(&mut app, "s"));
        delivered(
            &mut app,
            task,
            Err(
                "The sink exited with status 1 (gpg: decryption failed: No secret key). Fix \
                 the sink command or use w.",
            ),
        );
    }
    let (task, _) = delivery(press(&mut app, "c"));
    delivered(
        &mut app,
        task,
        Ok(
            "Sent to the terminal clipboard through tmux; your terminal cannot confirm it. \
            Paste it, then press p.",
        ),
    );
    assert_eq!(reveal(&app).reports().len(), 3);
    let text = flat(&app);
    assert!(
        text.contains("your terminal cannot confirm it"),
        "{}",
        screen(&app)
    );
}

#[test]
fn the_created_key_is_selected_once_the_list_comes_back() {
    let mut app = loaded_app();
    to_review(&mut app, "ci deploy");
    let (id, _) = submit(&mut app);
    let effects = reply_secret(&mut app, id, created_key("ci deploy"), SECRET);
    let list = list_requests(&effects)[0];
    let mut keys = fixture_keys();
    keys.push(created_key("ci deploy"));
    reply_keys(&mut app, list, keys);
    press(&mut app, "esc");
    type_text(&mut app, "discard");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::List);
    assert_eq!(selected_name(&app).as_deref(), Some("ci deploy"));
}

#[test]
fn rotate_delete_and_clone_work_from_the_details_panel() {
    let mut app = loaded_app();
    select_key(&mut app, "CI pipeline");
    press(&mut app, "enter");
    assert_eq!(app.mode(), Mode::Details);
    press(&mut app, "d");
    assert_eq!(app.mode(), Mode::ConfirmDelete);
    press(&mut app, "esc");
    press(&mut app, "R");
    assert_eq!(app.mode(), Mode::ConfirmRotate);
    press(&mut app, "n");
    press(&mut app, "c");
    assert_eq!(app.mode(), Mode::WizardName);
    assert_eq!(wizard(&app).name().text(), "CI pipeline (copy)");
}
