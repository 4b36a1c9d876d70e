//! insta snapshots of the write flows' screens rendered into a `TestBackend` at 80x24 and
//! 120x40 with a fixed `now` and a fixed fake secret: the wizard's three steps, the leave
//! question, the reveal screen (masked, shown, with its prompts, after a delivery), the
//! rotate and delete confirmations and the recovery screen; as text, plus a few with their
//! styles encoded where the focus is the point.

mod common_tui;

use common_tui::*;
use sdx_keys::api::{ApiKey, ApiReply, ApiResponse, IssuedSecret, KeyId, RequestId};
use sdx_keys::app::{App, AppContext, Effect, Msg};
use sdx_keys::journal::{Operation, RecordId, Unresolved};
use sdx_keys::keymap::Mode;
use secrecy::SecretString;

const SMALL: (u16, u16) = (80, 24);
const WIDE: (u16, u16) = (120, 40);
const SIZES: [((u16, u16), &str); 2] = [(SMALL, "80x24"), (WIDE, "120x40")];

/// The fixed fake secret; its key's visible prefix is [`PREFIX`].
const SECRET: &str = "alto_sk_TESTTESTTESTTESTTESTTESTTESTTESTTESTTESTTESTTEST";
const PREFIX: &str = "alto_sk_TEST";
const NEW_ID: &str = "api_key_00000000000000000000000099";

fn snap(name: &str, app: &App) {
    insta::assert_snapshot!(name, screen(app));
}

fn snap_masked(name: &str, app: &App) {
    let text = screen(app);
    assert!(
        !text.contains(SECRET),
        "{name}: the secret is on screen:\n{text}"
    );
    assert!(
        !text.contains(&format!("{PREFIX}T")),
        "{name}: more than the prefix is on screen:\n{text}"
    );
    insta::assert_snapshot!(name, text);
}

fn focus_scope(app: &mut App, scope: &str) {
    press(app, "g");
    for _ in 0..200 {
        if let sdx_keys::app::Screen::Wizard(wizard) = app.screen()
            && wizard.picker().focused_scope().map(|s| s.scope.as_str()) == Some(scope)
        {
            return;
        }
        press(app, "j");
    }
    panic!("{scope} is not a visible row");
}

fn to_permissions(app: &mut App) {
    press(app, "n");
    type_text(app, "ci deploy");
    press(app, "enter");
    assert_eq!(app.mode(), Mode::WizardPermissions);
}

fn to_review(app: &mut App, scopes: &[&str]) {
    to_permissions(app);
    for scope in scopes {
        focus_scope(app, scope);
        press(app, "space");
    }
    press(app, "enter");
    assert_eq!(app.mode(), Mode::WizardReview);
}

/// Creates `ci deploy` and shows its secret.
fn revealing(context: AppContext, size: (u16, u16)) -> App {
    let mut app = with_context(context, size);
    to_review(&mut app, &["sites:read"]);
    let effects = press(&mut app, "enter");
    let Some(Effect::SendRecorded { id, .. }) = effects.first() else {
        panic!("{effects:?}");
    };
    let id = *id;
    reply_secret(
        &mut app,
        id,
        key(NEW_ID, "ci deploy", PREFIX, NOW, None, &["sites:read"]),
    );
    assert_eq!(app.mode(), Mode::Reveal);
    app
}

fn reply_secret(app: &mut App, id: RequestId, key: ApiKey) {
    app.update(
        now(),
        Msg::Api(ApiReply {
            id,
            result: Ok(ApiResponse::Secret(IssuedSecret {
                key,
                secret: SecretString::from(SECRET),
                message: Some("Store this secret now; it will not be shown again.".into()),
            })),
        }),
    );
}

fn recovering(size: (u16, u16)) -> App {
    let records = vec![
        Unresolved {
            record: RecordId("prev-3".into()),
            op: Operation::Create,
            name: "CI pipeline".into(),
            scopes: vec!["sites:read".into()],
            key_id: Some(KeyId("api_key_00000000000000000000000004".into())),
            created: true,
            at: ts("2026-04-28T12:00:00Z"),
        },
        Unresolved {
            record: RecordId("prev-9".into()),
            op: Operation::Rotate,
            name: "terraform".into(),
            scopes: vec!["sites:write".into()],
            key_id: Some(KeyId("api_key_00000000000000000000000012".into())),
            created: false,
            at: ts("2026-04-30T08:15:00Z"),
        },
    ];
    let mut app = App::new(context(true), size, now()).with_unresolved(records);
    let id = list_request(&app.start(now()));
    reply_keys(&mut app, id, fixture_keys());
    assert_eq!(app.mode(), Mode::Recovery);
    app
}

// ----- the wizard -----

#[test]
fn wizard_name_step() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "n");
        snap(&format!("wizard_name_empty_{tag}"), &app);
        type_text(&mut app, "ab");
        press(&mut app, "enter");
        snap(&format!("wizard_name_error_{tag}"), &app);
    }
    let mut app = loaded(SMALL, fixture_keys());
    press(&mut app, "n");
    type_text(&mut app, &"a long name ".repeat(9));
    snap("wizard_name_too_long_80x24", &app);
}

#[test]
fn wizard_permissions_step() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        to_permissions(&mut app);
        snap(&format!("wizard_permissions_initial_{tag}"), &app);
        presses(&mut app, "j space j j j space");
        snap(&format!("wizard_permissions_selected_{tag}"), &app);
        press(&mut app, "/");
        type_text(&mut app, "back");
        snap(&format!("wizard_permissions_filter_{tag}"), &app);
    }
    // Nothing selected and Enter; a refused hand-typed scope.
    let mut app = loaded(SMALL, fixture_keys());
    to_permissions(&mut app);
    press(&mut app, "enter");
    snap("wizard_permissions_nothing_selected_80x24", &app);
    press(&mut app, "+");
    type_text(&mut app, "Foo");
    press(&mut app, "enter");
    snap("wizard_permissions_scope_error_80x24", &app);
}

#[test]
fn wizard_permissions_focus_styles() {
    let mut app = loaded(SMALL, fixture_keys());
    to_permissions(&mut app);
    presses(&mut app, "j space j");
    insta::assert_snapshot!(
        "wizard_permissions_focus_80x24_styles",
        styled_text(&render_buffer(&app, SMALL))
    );
}

#[test]
fn wizard_review() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        to_review(&mut app, &["sites:read", "sites:write", "backups:read"]);
        snap(&format!("wizard_review_write_warning_{tag}"), &app);
        press(&mut app, "enter");
        snap(&format!("wizard_review_in_flight_{tag}"), &app);
    }
}

#[test]
fn wizard_leave_question() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "n");
        type_text(&mut app, "half a name");
        press(&mut app, "esc");
        assert_eq!(app.mode(), Mode::WizardLeave);
        snap(&format!("wizard_leave_{tag}"), &app);
    }
}

// ----- the reveal screen -----

#[test]
fn reveal_masked_and_shown() {
    for (size, tag) in SIZES {
        let mut app = revealing(context(true), size);
        snap_masked(&format!("reveal_masked_{tag}"), &app);
        press(&mut app, "v");
        let text = screen(&app);
        assert_eq!(
            text.lines().filter(|l| l.contains(SECRET)).count(),
            1,
            "whole on one line:\n{text}"
        );
        snap(&format!("reveal_shown_{tag}"), &app);
    }
}

#[test]
fn reveal_prompts() {
    for (size, tag) in SIZES {
        let mut app = revealing(context(true), size);
        press(&mut app, "w");
        type_text(&mut app, "~/secrets/ci-deploy.key");
        snap_masked(&format!("reveal_path_prompt_{tag}"), &app);
        press(&mut app, "esc");
        press(&mut app, "esc");
        type_text(&mut app, "disc");
        assert_eq!(app.mode(), Mode::RevealDiscard);
        snap_masked(&format!("reveal_discard_{tag}"), &app);
    }
}

#[test]
fn reveal_after_a_delivery() {
    for (size, tag) in SIZES {
        let mut app = revealing(context(true), size);
        press(&mut app, "w");
        type_text(&mut app, "~/secrets/ci-deploy.key");
        let effects = press(&mut app, "enter");
        let [Effect::Deliver(task, _)] = effects.as_slice() else {
            panic!("{effects:?}");
        };
        app.update(
            now(),
            Msg::Delivered {
                task: *task,
                result: Ok("Written to /home/op/secrets/ci-deploy.key (mode 0600).".into()),
            },
        );
        snap_masked(&format!("reveal_delivered_{tag}"), &app);
    }
}

#[test]
fn reveal_with_a_sink_in_a_recorded_session_after_a_clipboard_copy() {
    let mut context = context(true);
    context.sink = Some("pass insert -m sdx/{id}".into());
    context.recorded = true;
    let mut app = revealing(context, SMALL);
    let effects = press(&mut app, "c");
    let [Effect::Deliver(task, _)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    app.update(
        now(),
        Msg::Delivered {
            task: *task,
            result: Ok(
                "Sent to the terminal clipboard through tmux; your terminal cannot \
                        confirm it. Paste it, then press p."
                    .into(),
            ),
        },
    );
    snap_masked("reveal_sink_recorded_clipboard_80x24", &app);
}

// ----- rotate, delete, recovery -----

#[test]
fn rotate_confirmation() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        select_key(&mut app, "CI pipeline");
        press(&mut app, "R");
        assert_eq!(app.mode(), Mode::ConfirmRotate);
        snap(&format!("confirm_rotate_{tag}"), &app);
    }
}

#[test]
fn delete_confirmation() {
    for (size, tag) in SIZES {
        let mut app = loaded(size, fixture_keys());
        select_key(&mut app, "terraform");
        press(&mut app, "d");
        snap(&format!("confirm_delete_{tag}"), &app);
        type_text(&mut app, "terrafrom");
        press(&mut app, "enter");
        assert!(app.confirm().unwrap().mismatch());
        snap(&format!("confirm_delete_mismatch_{tag}"), &app);
    }
}

#[test]
fn delete_confirmation_styles() {
    let mut app = loaded(SMALL, fixture_keys());
    select_key(&mut app, "terraform");
    press(&mut app, "d");
    type_text(&mut app, "terrafrom");
    press(&mut app, "enter");
    insta::assert_snapshot!(
        "confirm_delete_mismatch_80x24_styles",
        styled_text(&render_buffer(&app, SMALL))
    );
}

#[test]
fn recovery_screen() {
    for (size, tag) in SIZES {
        let mut app = recovering(size);
        snap(&format!("recovery_{tag}"), &app);
        press(&mut app, "j");
        snap(&format!("recovery_second_selected_{tag}"), &app);
    }
}

#[test]
fn recovery_screen_styles() {
    let mut app = recovering(SMALL);
    press(&mut app, "K");
    insta::assert_snapshot!(
        "recovery_after_keep_80x24_styles",
        styled_text(&render_buffer(&app, SMALL))
    );
}

#[test]
fn wizard_help_overlay() {
    let mut app = loaded(SMALL, fixture_keys());
    to_permissions(&mut app);
    press(&mut app, "?");
    snap("wizard_permissions_help_80x24", &app);
}

#[test]
fn new_screens_at_degenerate_sizes_do_not_panic() {
    for size in [(0, 0), (1, 1), (59, 40), (60, 15), (200, 14), (61, 16)] {
        let mut app = revealing(context(true), (80, 24));
        app.update(now(), Msg::Resize(size.0, size.1));
        let _ = render_buffer(&app, size);
        press(&mut app, "v");
        let _ = render_buffer(&app, size);
        let mut app = loaded(size, fixture_keys());
        press(&mut app, "n");
        type_text(&mut app, "ci deploy");
        press(&mut app, "enter");
        let _ = render_buffer(&app, size);
        press(&mut app, "space");
        press(&mut app, "enter");
        let _ = render_buffer(&app, size);
        let mut app = recovering((80, 24));
        app.update(now(), Msg::Resize(size.0, size.1));
        let _ = render_buffer(&app, size);
    }
}
