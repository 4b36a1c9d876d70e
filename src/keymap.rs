//! The keymap: keys become a [`Command`] at the edge, per [`Mode`], before the model sees them.
//!
//! Owns the command vocabulary (serde `snake_case` names, which are also the config file's
//! `[keys]` vocabulary), key chords (parsed from and formatted to text such as `ctrl-c`,
//! `shift-s`, `pgdn`, `f5`, `?`), the table of default bindings per mode, each with a
//! one-line description and an optional short footer hint, and the config file's remapping
//! of those chords ([`KeyOverrides`], applied by [`Keymap::with_overrides`]). The help
//! overlay and the footer are generated from the live table, so they cannot drift from what
//! the keys do. It knows nothing of the model's state: `App::update` holds one `match` over
//! commands per mode.

mod chord;
mod defaults;
mod overrides;
mod remap;

pub use chord::{Chord, ChordParseError};
pub use overrides::{Chords, KeyOverrides};
use ratatui::crossterm::event::KeyEvent;
pub use remap::KeymapError;
use serde::{Deserialize, Serialize};

/// Everything a key can ask the application to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Choose another profile of the config file (asks before switching).
    SwitchProfile,
    /// Show only keys never used or unused for 90 days (again: all keys).
    ToggleUnused,
    /// Show only keys holding write or admin scopes (again: all keys).
    ToggleRisky,
    Refresh,
    Create,
    /// Open the creation wizard pre-filled from the selected key.
    CloneKey,
    RotateKey,
    DeleteKey,
    ToggleHelp,
    /// Esc in the list: dismiss the notice, else clear the filter.
    Cancel,
    // Steps, prompts and questions.
    /// Go on: the next step, or accept what was typed.
    Submit,
    /// Go back a step, or cancel a prompt.
    Back,
    /// Answer yes to a question.
    Confirm,
    // The permission picker.
    ToggleSelect,
    ToggleAllVisible,
    PresetReadOnly,
    AddScope,
    // The reveal screen.
    ToggleSecret,
    CopySecret,
    WriteSecret,
    SinkSecret,
    ConfirmPasted,
    /// Leave the reveal screen (asks unless the secret was delivered).
    LeaveReveal,
    // The recovery screen.
    KeepKey,
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

/// The input modes. Each has its own bindings, a table in [`Keymap::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
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
    /// Wizard step 1: typing the key's name.
    WizardName,
    /// Wizard step 2: the permission multiselect.
    WizardPermissions,
    /// Typing the permission filter.
    WizardFilter,
    /// Typing a scope the catalogue lacks.
    WizardScope,
    /// Wizard step 3: review, then create.
    WizardReview,
    /// Asked whether to leave the wizard and lose what was typed.
    WizardLeave,
    /// The one-time secret of a created or rotated key.
    Reveal,
    /// Typing the path of the file the secret goes to.
    RevealPath,
    /// Asked to type `discard` to leave without delivering the secret.
    RevealDiscard,
    /// Asked to confirm a rotate.
    ConfirmRotate,
    /// Asked to type the key's name to confirm a delete.
    ConfirmDelete,
    /// On a protected profile: asked to type `PROFILE/KEYNAME` to confirm a rotate or delete.
    ConfirmProtected,
    /// Keys whose secret was never confirmed saved.
    Recovery,
    /// Choosing a profile to switch to.
    ProfilePicker,
    /// Asked whether to switch to the chosen profile.
    ConfirmSwitch,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::List => "key list",
            Mode::Filter => "filter input",
            Mode::Details => "key details",
            Mode::Help => "help",
            Mode::TooSmall => "terminal too small",
            Mode::WizardName => "new key: name",
            Mode::WizardPermissions => "new key: permissions",
            Mode::WizardFilter => "permission filter",
            Mode::WizardScope => "scope input",
            Mode::WizardReview => "new key: review",
            Mode::WizardLeave => "leave question",
            Mode::Reveal => "secret screen",
            Mode::RevealPath => "file path input",
            Mode::RevealDiscard => "discard question",
            Mode::ConfirmRotate => "rotate question",
            Mode::ConfirmDelete => "delete question",
            Mode::ConfirmProtected => "protected profile question",
            Mode::Recovery => "recovery screen",
            Mode::ProfilePicker => "profile picker",
            Mode::ConfirmSwitch => "switch question",
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

    /// The first chord bound to `command` in `mode`, as text (`R`, `ctrl-r`), for sentences
    /// such as "press R to rotate".
    pub fn key_for(&self, mode: Mode, command: Command) -> Option<String> {
        self.bindings(mode)
            .iter()
            .find(|b| b.command == command)
            .and_then(|b| b.chords.first())
            .map(ToString::to_string)
    }

    /// The same keymap without `commands` in any mode (a read-only profile drops create,
    /// rotate and delete, so neither the footer nor the help offers them).
    pub fn without(mut self, commands: &[Command]) -> Keymap {
        for mode in &mut self.modes {
            mode.bindings.retain(|b| !commands.contains(&b.command));
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
