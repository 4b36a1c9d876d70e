//! The keymap: keys become a [`Command`] at the edge, per [`Mode`], before the model sees them.
//!
//! Owns the command vocabulary (serde `snake_case` names, which are also the future keybinding
//! file's vocabulary), key chords (parsed from and formatted to text such as `ctrl-c`,
//! `shift-s`, `pgdn`, `f5`, `?`), and the table of default bindings per mode, each with a
//! one-line description and an optional short footer hint. The help overlay and the footer
//! are generated from this table, so they cannot drift from what the keys do. It knows
//! nothing of the model's state: `App::update` holds one `match` over commands per mode.

use std::fmt;
use std::str::FromStr;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::{Deserialize, Serialize};

/// Everything a key can ask the application to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    Quit,
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    PageDown,
    PageUp,
    OpenDetails,
    CloseDetails,
    ScrollDown,
    ScrollUp,
    ScrollTop,
    ScrollBottom,
    OpenFilter,
    ApplyFilter,
    ClearFilter,
    CycleSort,
    ReverseSort,
    Refresh,
    Create,
    ToggleHelp,
    /// Esc in the list: dismiss the notice, else clear the filter.
    Cancel,
    // Line editing (the filter input).
    DeleteBack,
    DeleteForward,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    ClearLine,
    DeleteWordBack,
}

/// The input modes. Each has its own bindings; the future wizard, reveal and confirm screens
/// add variants here and a table in [`Keymap::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The key list (also its loading, empty and failed states).
    List,
    /// Typing into the filter input.
    Filter,
    /// The selected key's details panel has the focus.
    Details,
    /// The help overlay.
    Help,
    /// The terminal is below the minimum size: only quitting works.
    TooSmall,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::List => "key list",
            Mode::Filter => "filter input",
            Mode::Details => "key details",
            Mode::Help => "help",
            Mode::TooSmall => "terminal too small",
        }
    }
}

/// One key with its modifiers. For character keys the SHIFT modifier is folded into the
/// character (`shift-s` is `S`), because terminals disagree on whether they report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Chord {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Chord {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Chord {
        let mut mods = mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match code {
            KeyCode::Char(c) => {
                if mods.contains(KeyModifiers::SHIFT) && c.is_ascii_lowercase() {
                    KeyCode::Char(c.to_ascii_uppercase())
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::BackTab => KeyCode::BackTab,
            other => other,
        };
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Chord { code, mods }
    }

    pub fn from_event(event: &KeyEvent) -> Chord {
        Chord::new(event.code, event.modifiers)
    }

    /// A printable character typed without ctrl or alt, if this chord is one.
    pub fn text_char(&self) -> Option<char> {
        match self.code {
            KeyCode::Char(c)
                if !self
                    .mods
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
                    && !c.is_control() =>
            {
                Some(c)
            }
            _ => None,
        }
    }
}

/// Why a chord's text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown key chord `{0}`")]
pub struct ChordParseError(pub String);

impl FromStr for Chord {
    type Err = ChordParseError;

    fn from_str(text: &str) -> Result<Chord, ChordParseError> {
        let err = || ChordParseError(text.to_owned());
        let mut rest = text;
        let mut mods = KeyModifiers::NONE;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (prefix, flag) = if lower.starts_with("ctrl-") {
                ("ctrl-", KeyModifiers::CONTROL)
            } else if lower.starts_with("alt-") {
                ("alt-", KeyModifiers::ALT)
            } else if lower.starts_with("shift-") {
                ("shift-", KeyModifiers::SHIFT)
            } else {
                break;
            };
            if rest.len() == prefix.len() {
                break; // `ctrl-` alone: the key is `-` handled below only if a char follows
            }
            mods |= flag;
            rest = &rest[prefix.len()..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "backspace" | "bs" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pgup" | "pageup" => KeyCode::PageUp,
                "pgdn" | "pagedown" => KeyCode::PageDown,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "space" => KeyCode::Char(' '),
                name => {
                    let n = name
                        .strip_prefix('f')
                        .and_then(|n| n.parse::<u8>().ok())
                        .filter(|n| (1..=24).contains(n))
                        .ok_or_else(err)?;
                    KeyCode::F(n)
                }
            },
        };
        Ok(Chord::new(code, mods))
    }
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("enter"),
            KeyCode::Esc => f.write_str("esc"),
            KeyCode::Tab => f.write_str("tab"),
            KeyCode::BackTab => f.write_str("backtab"),
            KeyCode::Backspace => f.write_str("backspace"),
            KeyCode::Delete => f.write_str("delete"),
            KeyCode::Insert => f.write_str("insert"),
            KeyCode::Home => f.write_str("home"),
            KeyCode::End => f.write_str("end"),
            KeyCode::PageUp => f.write_str("pgup"),
            KeyCode::PageDown => f.write_str("pgdn"),
            KeyCode::Up => f.write_str("up"),
            KeyCode::Down => f.write_str("down"),
            KeyCode::Left => f.write_str("left"),
            KeyCode::Right => f.write_str("right"),
            KeyCode::F(n) => write!(f, "f{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// One binding: the chords that trigger a command in a mode, what it does, and the short
/// label the footer shows (bindings without one appear only in the help overlay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub chords: Vec<Chord>,
    pub command: Command,
    pub description: &'static str,
    pub hint: Option<&'static str>,
}

impl Binding {
    /// The chords as the help and footer show them, e.g. `j/down`.
    pub fn keys_label(&self) -> String {
        let mut out = String::new();
        for (i, chord) in self.chords.iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(&chord.to_string());
        }
        out
    }
}

/// The bindings of one mode, and whether unbound printable characters are text input there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeBindings {
    pub mode: Mode,
    pub bindings: Vec<Binding>,
    /// Unbound printable characters are typed into a text field (shown in help as `(type)`).
    pub text_input: Option<&'static str>,
}

/// Bindings for every mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    modes: Vec<ModeBindings>,
}

/// What a key press means in a mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Command(Command),
    /// A printable character for the mode's text field.
    Text(char),
}

impl Keymap {
    pub fn mode(&self, mode: Mode) -> Option<&ModeBindings> {
        self.modes.iter().find(|m| m.mode == mode)
    }

    /// The bindings of `mode` in their table order (empty for an unknown mode).
    pub fn bindings(&self, mode: Mode) -> &[Binding] {
        self.mode(mode)
            .map(|m| m.bindings.as_slice())
            .unwrap_or(&[])
    }

    pub fn command(&self, mode: Mode, chord: Chord) -> Option<Command> {
        self.bindings(mode)
            .iter()
            .find(|b| b.chords.contains(&chord))
            .map(|b| b.command)
    }

    /// Resolves a key event in `mode`: a bound command first, else typed text in modes with
    /// a text field, else nothing.
    pub fn resolve(&self, mode: Mode, event: &KeyEvent) -> Option<Action> {
        let chord = Chord::from_event(event);
        if let Some(command) = self.command(mode, chord) {
            return Some(Action::Command(command));
        }
        let text = self.mode(mode).and_then(|m| m.text_input).is_some();
        if text {
            chord.text_char().map(Action::Text)
        } else {
            None
        }
    }

    /// The footer hints of `mode` in table order: the first chord of each hinted binding,
    /// with neighbours of the same label merged (`j/k move`).
    pub fn hints(&self, mode: Mode) -> Vec<(String, &'static str)> {
        let mut hints: Vec<(String, &'static str)> = Vec::new();
        for binding in self.bindings(mode) {
            let (Some(label), Some(chord)) = (binding.hint, binding.chords.first()) else {
                continue;
            };
            match hints.last_mut() {
                Some((keys, last)) if *last == label => {
                    keys.push('/');
                    keys.push_str(&chord.to_string());
                }
                _ => hints.push((chord.to_string(), label)),
            }
        }
        hints
    }
}

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
                "Reload the key list from the API",
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
                "Reload the key list from the API",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chords_parse_and_format() {
        for (text, shown) in [
            ("ctrl-c", "ctrl-c"),
            ("shift-s", "S"),
            ("S", "S"),
            ("pgdn", "pgdn"),
            ("f5", "f5"),
            ("?", "?"),
            ("-", "-"),
            ("ctrl--", "ctrl--"),
            ("space", "space"),
            ("Enter", "enter"),
        ] {
            let chord: Chord = text.parse().unwrap();
            assert_eq!(chord.to_string(), shown, "{text}");
            assert_eq!(shown.parse::<Chord>().unwrap(), chord);
        }
        assert!("hyper-x".parse::<Chord>().is_err());
        assert!("f99".parse::<Chord>().is_err());
        assert!("".parse::<Chord>().is_err());
    }

    #[test]
    fn shift_is_folded_into_characters() {
        let event = KeyEvent::new(KeyCode::Char('s'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&event), "S".parse().unwrap());
        let event = KeyEvent::new(KeyCode::Char('S'), KeyModifiers::SHIFT);
        assert_eq!(Chord::from_event(&event), "S".parse().unwrap());
    }

    #[test]
    fn no_chord_is_bound_twice_in_a_mode() {
        let keymap = Keymap::default();
        for mode in &keymap.modes {
            let mut seen = std::collections::HashSet::new();
            for b in &mode.bindings {
                for c in &b.chords {
                    assert!(seen.insert(*c), "{c} bound twice in {:?}", mode.mode);
                }
            }
        }
    }

    #[test]
    fn commands_use_snake_case_names() {
        let json = serde_json::to_string(&Command::DeleteWordBack).unwrap();
        assert_eq!(json, "\"delete_word_back\"");
    }
}
