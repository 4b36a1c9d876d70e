//! The built-in bindings of every mode: chords, command, description and footer hint. The
//! order of each table is the order the help overlay and the footer show.

use super::{Binding, Chord, Command, Keymap, Mode, ModeBindings};

fn chords(list: &str) -> Vec<Chord> {
    list.split(' ')
        .map(|c| c.parse().expect("built-in chord parses"))
        .collect()
}

fn bind(keys: &str, command: Command, description: &'static str) -> Binding {
    Binding {
        chords: chords(keys),
        command,
        description,
        hint: None,
    }
}

fn hint(keys: &str, command: Command, hint: &'static str, description: &'static str) -> Binding {
    Binding {
        hint: Some(hint),
        ..bind(keys, command, description)
    }
}

/// The line-editing keys of every text field.
fn editing() -> Vec<Binding> {
    use Command::*;
    vec![
        bind(
            "backspace",
            DeleteBack,
            "Delete the character before the cursor",
        ),
        bind(
            "delete",
            DeleteForward,
            "Delete the character under the cursor",
        ),
        bind("left", CursorLeft, "Move the cursor left"),
        bind("right", CursorRight, "Move the cursor right"),
        bind("home", CursorHome, "Move the cursor to the start"),
        bind("end ctrl-e", CursorEnd, "Move the cursor to the end"),
        bind("ctrl-u", ClearLine, "Erase the whole text of the input"),
        bind("ctrl-w", DeleteWordBack, "Erase the word before the cursor"),
    ]
}

/// A text prompt: Enter goes on, Esc goes back, and the line-editing keys; each pair is
/// the footer hint and the help's description.
fn prompt(
    submit: (&'static str, &'static str),
    back: (&'static str, &'static str),
) -> Vec<Binding> {
    let mut bindings = vec![
        hint("enter", Command::Submit, submit.0, submit.1),
        hint("esc", Command::Back, back.0, back.1),
    ];
    bindings.extend(editing());
    bindings
}

impl Default for Keymap {
    /// The built-in bindings. Ctrl chords are limited to `ctrl-c` and line-editing keys, so
    /// nothing collides with tmux or screen prefixes.
    fn default() -> Keymap {
        use Command::*;
        let list = vec![
            hint("j down", SelectNext, "move", "Select the next key"),
            hint("k up", SelectPrev, "move", "Select the previous key"),
            bind("g home", SelectFirst, "Select the first key"),
            bind("G end", SelectLast, "Select the last key"),
            bind("pgdn", PageDown, "Move down one page"),
            bind("pgup", PageUp, "Move up one page"),
            hint(
                "enter",
                OpenDetails,
                "details",
                "Show the selected key's details",
            ),
            hint(
                "/",
                OpenFilter,
                "filter",
                "Filter the list (fuzzy name and permissions)",
            ),
            hint("s", CycleSort, "sort", "Sort by the next column"),
            bind("S", ReverseSort, "Reverse the sort order"),
            bind("P", SwitchProfile, "Switch to another profile (asks first)"),
            bind(
                "u",
                ToggleUnused,
                "Only keys never used or unused for 90 days (again: all)",
            ),
            bind(
                "w",
                ToggleRisky,
                "Only keys with write or admin scopes (again: all)",
            ),
            hint(
                "r f5",
                Refresh,
                "refresh",
                "Refresh the key list from the API",
            ),
            hint("n", Create, "new", "Create a key"),
            bind(
                "c",
                CloneKey,
                "Create a key with the selected key's permissions",
            ),
            hint(
                "R",
                RotateKey,
                "rotate",
                "Rotate the selected key's secret (asks first)",
            ),
            hint(
                "d delete",
                DeleteKey,
                "delete",
                "Delete the selected key (asks for its name)",
            ),
            bind("esc", Cancel, "Dismiss the notice, else clear the filter"),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            hint("q", Quit, "quit", "Quit sdx-keys"),
            bind("ctrl-c", Quit, "Quit sdx-keys from anywhere"),
        ];
        let filter = vec![
            hint(
                "enter",
                ApplyFilter,
                "keep",
                "Keep the filter and return to the list",
            ),
            hint(
                "esc",
                ClearFilter,
                "clear",
                "Clear the filter and return to the list",
            ),
            hint("down", SelectNext, "move", "Select the next matching key"),
            hint("up", SelectPrev, "move", "Select the previous matching key"),
        ];
        let mut filter = filter;
        filter.extend(editing());
        filter.extend([
            hint("f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ]);
        let details = vec![
            hint(
                "esc enter",
                CloseDetails,
                "back",
                "Close the details, back to the list",
            ),
            hint("j down", ScrollDown, "scroll", "Scroll the details down"),
            hint("k up", ScrollUp, "scroll", "Scroll the details up"),
            bind("g home", ScrollTop, "Scroll to the top"),
            bind("G end", ScrollBottom, "Scroll to the bottom"),
            hint(
                "r f5",
                Refresh,
                "refresh",
                "Refresh the key list from the API",
            ),
            bind("c", CloneKey, "Create a key with this key's permissions"),
            hint(
                "R",
                RotateKey,
                "rotate",
                "Rotate this key's secret (asks first)",
            ),
            hint(
                "d delete",
                DeleteKey,
                "delete",
                "Delete this key (asks for its name)",
            ),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let help = vec![
            hint("? f1 esc q", ToggleHelp, "close", "Close the help"),
            hint("j down", ScrollDown, "scroll", "Scroll the help down"),
            hint("k up", ScrollUp, "scroll", "Scroll the help up"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let mut wizard_name = vec![
            hint(
                "enter",
                Submit,
                "next",
                "Go on to the permissions (when the name is valid)",
            ),
            hint(
                "esc",
                Back,
                "cancel",
                "Leave the wizard (asks if anything was typed)",
            ),
        ];
        wizard_name.extend(editing());
        wizard_name.extend([
            hint("f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys (asks if anything was typed)"),
        ]);
        let wizard_permissions = vec![
            hint(
                "space",
                ToggleSelect,
                "toggle",
                "Select or clear the focused scope (on a group: the whole group)",
            ),
            hint("j down", SelectNext, "move", "Focus the next row"),
            hint("k up", SelectPrev, "move", "Focus the previous row"),
            bind("g home", SelectFirst, "Focus the first row"),
            bind("G end", SelectLast, "Focus the last row"),
            bind("pgdn", PageDown, "Move down one page"),
            bind("pgup", PageUp, "Move up one page"),
            hint("/", OpenFilter, "filter", "Filter the scopes (fuzzy)"),
            hint(
                "a",
                ToggleAllVisible,
                "all",
                "Select all visible scopes, or clear them if all are selected",
            ),
            bind(
                "r",
                PresetReadOnly,
                "Select the read-only preset (every read scope)",
            ),
            bind(
                "+",
                AddScope,
                "Add a scope the catalogue lacks (resource:action)",
            ),
            hint(
                "enter",
                Submit,
                "next",
                "Go on to the review (when a scope is selected)",
            ),
            hint("esc", Back, "back", "Back to the name"),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys (asks first)"),
        ];
        let wizard_filter = vec![
            hint(
                "enter",
                Submit,
                "keep",
                "Keep the filter and return to the scopes",
            ),
            hint(
                "esc",
                Back,
                "clear",
                "Clear the filter and return to the scopes",
            ),
            hint("down", SelectNext, "move", "Focus the next row"),
            hint("up", SelectPrev, "move", "Focus the previous row"),
        ];
        let mut wizard_filter = wizard_filter;
        wizard_filter.extend(editing());
        wizard_filter.extend([
            hint("f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys (asks first)"),
        ]);
        let mut wizard_scope = prompt(
            ("add", "Add the scope (resource:action) and select it"),
            ("cancel", "Cancel, back to the scopes"),
        );
        wizard_scope.extend([
            hint("f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys (asks first)"),
        ]);
        let wizard_review = vec![
            hint("enter", Submit, "create", "Create the key"),
            hint("esc", Back, "back", "Back to the permissions"),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys (asks first)"),
        ];
        let wizard_leave = vec![
            hint("y", Confirm, "leave", "Leave and lose what was typed"),
            hint("n esc", Back, "stay", "Stay in the wizard"),
        ];
        let reveal = vec![
            hint(
                "v",
                ToggleSecret,
                "show/hide",
                "Show or hide the whole secret",
            ),
            hint(
                "w",
                WriteSecret,
                "file",
                "Write the secret to a new file (mode 0600)",
            ),
            hint(
                "s",
                SinkSecret,
                "sink",
                "Send the secret to the sink command (SDX_KEYS_SINK)",
            ),
            hint(
                "c",
                CopySecret,
                "clipboard",
                "Send the secret to the terminal clipboard",
            ),
            bind(
                "p",
                ConfirmPasted,
                "Say the clipboard copy was pasted somewhere safe",
            ),
            hint(
                "enter",
                Submit,
                "done",
                "Leave (only once the secret was delivered)",
            ),
            bind(
                "esc q ctrl-c",
                LeaveReveal,
                "Leave; without a delivery, asks you to type discard",
            ),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
        ];
        let reveal_path = prompt(
            ("write", "Write the secret to this new file"),
            ("cancel", "Cancel, back to the secret"),
        );
        let reveal_discard = prompt(
            ("confirm", "Leave without the secret (after typing discard)"),
            ("back", "Back to the secret, unchanged"),
        );
        let confirm_rotate = vec![
            hint(
                "y",
                Confirm,
                "rotate",
                "Rotate: the current secret stops working at once",
            ),
            hint("n esc", Back, "cancel", "Cancel"),
        ];
        let confirm_delete = prompt(
            ("delete", "Delete the key (when the typed text matches)"),
            ("cancel", "Cancel"),
        );
        let confirm_protected = prompt(
            (
                "go on",
                "Rotate or delete (when PROFILE/KEYNAME is typed exactly)",
            ),
            ("cancel", "Cancel"),
        );
        let profile_picker = vec![
            hint("j down", SelectNext, "move", "Select the next profile"),
            hint("k up", SelectPrev, "move", "Select the previous profile"),
            hint(
                "enter",
                Submit,
                "choose",
                "Switch to this profile (asks first)",
            ),
            hint("esc", Back, "cancel", "Stay with the profile in use"),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let confirm_switch = vec![
            hint(
                "y",
                Confirm,
                "switch",
                "Switch: the session starts again with that profile",
            ),
            hint("n esc", Back, "back", "Back to the profiles"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let recovery = vec![
            hint("j down", SelectNext, "move", "Select the next key"),
            hint("k up", SelectPrev, "move", "Select the previous key"),
            hint(
                "R",
                RotateKey,
                "rotate",
                "Rotate it now and deliver the new secret",
            ),
            hint("D", DeleteKey, "delete", "Delete it (asks for its name)"),
            hint(
                "K",
                KeepKey,
                "keep",
                "Keep it: its secret was saved after all",
            ),
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            hint(
                "q",
                Quit,
                "quit",
                "Quit sdx-keys (the keys stay listed for next time)",
            ),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let too_small = vec![
            hint("q", Quit, "quit", "Quit sdx-keys"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        Keymap {
            modes: vec![
                ModeBindings {
                    mode: Mode::List,
                    bindings: list,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::Filter,
                    bindings: filter,
                    text_input: Some("Type to narrow the list"),
                },
                ModeBindings {
                    mode: Mode::Details,
                    bindings: details,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::Help,
                    bindings: help,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::TooSmall,
                    bindings: too_small,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::WizardName,
                    bindings: wizard_name,
                    text_input: Some("Type the key's name (3 to 100 characters)"),
                },
                ModeBindings {
                    mode: Mode::WizardPermissions,
                    bindings: wizard_permissions,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::WizardFilter,
                    bindings: wizard_filter,
                    text_input: Some("Type to narrow the scopes"),
                },
                ModeBindings {
                    mode: Mode::WizardScope,
                    bindings: wizard_scope,
                    text_input: Some("Type a scope, e.g. sites:read"),
                },
                ModeBindings {
                    mode: Mode::WizardReview,
                    bindings: wizard_review,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::WizardLeave,
                    bindings: wizard_leave,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::Reveal,
                    bindings: reveal,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::RevealPath,
                    bindings: reveal_path,
                    text_input: Some("Type the path of a new file (~ is your home)"),
                },
                ModeBindings {
                    mode: Mode::RevealDiscard,
                    bindings: reveal_discard,
                    text_input: Some("Type discard to leave without the secret"),
                },
                ModeBindings {
                    mode: Mode::ConfirmRotate,
                    bindings: confirm_rotate,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::ConfirmDelete,
                    bindings: confirm_delete,
                    text_input: Some("Type the key's name (or its id)"),
                },
                ModeBindings {
                    mode: Mode::ConfirmProtected,
                    bindings: confirm_protected,
                    text_input: Some("Type PROFILE/KEYNAME exactly"),
                },
                ModeBindings {
                    mode: Mode::Recovery,
                    bindings: recovery,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::ProfilePicker,
                    bindings: profile_picker,
                    text_input: None,
                },
                ModeBindings {
                    mode: Mode::ConfirmSwitch,
                    bindings: confirm_switch,
                    text_input: None,
                },
            ],
        }
    }
}
