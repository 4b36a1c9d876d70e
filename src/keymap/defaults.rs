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
            hint(
                "r f5",
                Refresh,
                "refresh",
                "Refresh the key list from the API",
            ),
            hint("n", Create, "new", "Create a key"),
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
            bind("ctrl-u", ClearLine, "Erase the whole filter text"),
            bind("ctrl-w", DeleteWordBack, "Erase the word before the cursor"),
            hint("f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
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
            hint("? f1", ToggleHelp, "help", "Show all keys of this screen"),
            bind("ctrl-c", Quit, "Quit sdx-keys"),
        ];
        let help = vec![
            hint("? f1 esc q", ToggleHelp, "close", "Close the help"),
            hint("j down", ScrollDown, "scroll", "Scroll the help down"),
            hint("k up", ScrollUp, "scroll", "Scroll the help up"),
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
            ],
        }
    }
}
