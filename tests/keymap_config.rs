//! The config file's `[keys]` table, read with the `toml` crate as the config file is: remaps
//! change what keys do and what the footer shows, and every table that cannot be applied is
//! refused in a sentence naming what is wrong.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use sdx_keys::keymap::{Action, Command, KeyOverrides, Keymap, Mode};

/// The part of the config file these tests write.
#[derive(serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    keys: KeyOverrides,
}

fn read(text: &str) -> Result<KeyOverrides, String> {
    toml::from_str::<ConfigFile>(text)
        .map(|file| file.keys)
        .map_err(|err| err.to_string())
}

fn remap(text: &str) -> Result<Keymap, String> {
    Keymap::with_overrides(&read(text)?).map_err(|err| err.0)
}

fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

fn char_key(c: char) -> KeyEvent {
    key(KeyCode::Char(c), KeyModifiers::NONE)
}

#[test]
fn a_remap_moves_the_command_to_the_new_chord_only() {
    let keymap = remap(
        r#"
        [keys.list]
        rotate_key = ["ctrl-r"]
        delete_key = ["x", "delete"]
        refresh = "f5"
        "#,
    )
    .unwrap();
    let ctrl_r = key(KeyCode::Char('r'), KeyModifiers::CONTROL);
    let resolve = |event: &KeyEvent| keymap.resolve(Mode::List, event);
    assert_eq!(resolve(&ctrl_r), Some(Action::Command(Command::RotateKey)));
    assert_eq!(resolve(&char_key('R')), None, "R no longer rotates");
    assert_eq!(
        resolve(&char_key('x')),
        Some(Action::Command(Command::DeleteKey))
    );
    assert_eq!(resolve(&char_key('d')), None, "d no longer deletes");
    assert_eq!(resolve(&char_key('r')), None, "r no longer refreshes");
    let f5 = key(KeyCode::F(5), KeyModifiers::NONE);
    assert_eq!(resolve(&f5), Some(Action::Command(Command::Refresh)));
    // Other modes keep their own keys.
    assert_eq!(
        keymap.resolve(Mode::Details, &char_key('R')),
        Some(Action::Command(Command::RotateKey))
    );
}

#[test]
fn the_footer_shows_the_new_chord_in_the_same_place() {
    let before = Keymap::default().hints(Mode::List);
    let keymap = remap("[keys.list]\nrotate_key = \"ctrl-r\"").unwrap();
    let after = keymap.hints(Mode::List);
    let labels = |hints: &[(String, &'static str)]| -> Vec<&'static str> {
        hints.iter().map(|h| h.1).collect()
    };
    assert_eq!(
        labels(&after),
        labels(&before),
        "same hints in the same order"
    );
    assert!(
        after.contains(&("ctrl-r".to_owned(), "rotate")),
        "{after:?}"
    );
    assert!(!after.iter().any(|(keys, _)| keys == "R"), "{after:?}");
}

#[test]
fn key_for_names_the_first_chord() {
    let keymap = Keymap::default();
    assert_eq!(
        keymap.key_for(Mode::List, Command::RotateKey).as_deref(),
        Some("R")
    );
    assert_eq!(keymap.key_for(Mode::List, Command::KeepKey), None);
    let keymap = remap("[keys.list]\nrotate_key = [\"ctrl-r\", \"R\"]").unwrap();
    assert_eq!(
        keymap.key_for(Mode::List, Command::RotateKey).as_deref(),
        Some("ctrl-r")
    );
}

#[test]
fn no_keys_table_is_the_built_in_keymap() {
    assert_eq!(remap("").unwrap(), Keymap::default());
    assert_eq!(remap("[keys]").unwrap(), Keymap::default());
}

#[test]
fn a_chord_bound_twice_is_refused_naming_both_commands() {
    let err = remap("[keys.list]\ndelete_key = \"x\"\nrefresh = \"x\"").unwrap_err();
    assert_eq!(
        err,
        "In the key list, `x` is bound to both refresh and delete_key; give one of them \
         another key in [keys.list]."
    );
}

#[test]
fn taking_a_built_in_key_is_a_conflict_until_its_command_moves_too() {
    let err = remap("[keys.list]\nrefresh = \"n\"").unwrap_err();
    assert!(err.contains("`n`"), "{err}");
    assert!(
        err.contains("refresh") && err.contains("create (its built-in key)"),
        "{err}"
    );
    assert!(err.contains("[keys.list]"), "{err}");
    let keymap = remap("[keys.list]\nrefresh = \"n\"\ncreate = \"N\"").unwrap();
    assert_eq!(
        keymap.resolve(Mode::List, &char_key('n')),
        Some(Action::Command(Command::Refresh))
    );
}

#[test]
fn unknown_command_and_mode_names_are_refused_by_name() {
    let err = read("[keys.list]\nrotate = \"x\"").unwrap_err();
    assert!(err.contains("`rotate`"), "{err}");
    let err = read("[keys.lsit]\nrefresh = \"x\"").unwrap_err();
    assert!(err.contains("`lsit`"), "{err}");
}

#[test]
fn a_bad_chord_is_refused_with_the_accepted_forms() {
    let err = read("[keys.list]\nrefresh = [\"f5\", \"ctrl-\"]").unwrap_err();
    assert!(err.contains("`ctrl-` is not a key"), "{err}");
    assert!(err.contains("ctrl-r") && err.contains("shift-tab"), "{err}");
}

#[test]
fn a_printable_character_in_a_text_mode_is_refused() {
    let err = remap("[keys.filter]\nclear_filter = \"x\"").unwrap_err();
    assert!(
        err.contains("In [keys.filter]") && err.contains("`x` from being typed"),
        "{err}"
    );
    let err = remap("[keys.wizard_name]\nback = \"space\"").unwrap_err();
    assert!(err.contains("typed"), "{err}");
    let keymap = remap("[keys.filter]\nclear_filter = [\"esc\", \"ctrl-g\"]").unwrap();
    let ctrl_g = key(KeyCode::Char('g'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.resolve(Mode::Filter, &ctrl_g),
        Some(Action::Command(Command::ClearFilter))
    );
    assert_eq!(
        keymap.resolve(Mode::Filter, &char_key('x')),
        Some(Action::Text('x'))
    );
}

#[test]
fn a_command_of_another_mode_is_refused() {
    let err = remap("[keys.list]\nkeep_key = \"x\"").unwrap_err();
    assert!(
        err.contains("keep_key is not a command of the key list"),
        "{err}"
    );
    assert!(err.contains("[keys.recovery]"), "{err}");
}

#[test]
fn there_is_always_a_way_out() {
    let err = remap("[keys.list]\nquit = []").unwrap_err();
    assert!(err.contains("at least one key"), "{err}");
    let err = remap("[keys.list]\nrefresh = \"ctrl-c\"").unwrap_err();
    assert!(err.contains("refresh cannot have ctrl-c"), "{err}");
    let err = remap("[keys.help]\nquit = \"x\"").unwrap_err();
    assert!(err.contains("quit cannot be remapped"), "{err}");
    let keymap = remap("[keys.list]\nquit = \"x\"").unwrap();
    let ctrl_c = key(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(
        keymap.resolve(Mode::List, &ctrl_c),
        Some(Action::Command(Command::Quit)),
        "ctrl-c still quits"
    );
}

#[test]
fn shift_tab_is_a_key_a_terminal_can_send() {
    let keymap = remap("[keys.wizard_permissions]\nback = [\"esc\", \"shift-tab\"]").unwrap();
    let back_tab = key(KeyCode::BackTab, KeyModifiers::SHIFT);
    assert_eq!(
        keymap.resolve(Mode::WizardPermissions, &back_tab),
        Some(Action::Command(Command::Back))
    );
}
