//! Switching profile inside the TUI: an explicit action (`P` in the list), never implicit. A
//! picker shows every profile of the config file; choosing one asks again, naming the target,
//! and only a `y` ends the session so the new profile starts fresh (its own token source,
//! base URL and settings, with the terminal restored in between for a token command that may
//! ask for a passphrase).

use crate::keymap::{Command, Mode};

use super::notice::Severity;
use super::{App, Effect};

/// The picker, then the question.
#[derive(Debug, Clone)]
pub struct ProfileSwitch {
    pub choices: Vec<String>,
    pub cursor: usize,
    /// The choice was made: asking whether to switch to it.
    pub confirming: bool,
}

impl ProfileSwitch {
    pub fn mode(&self) -> Mode {
        if self.confirming {
            Mode::ConfirmSwitch
        } else {
            Mode::ProfilePicker
        }
    }

    pub fn target(&self) -> Option<&str> {
        self.choices.get(self.cursor).map(String::as_str)
    }
}

impl App {
    /// `P`: opens the picker on the profile in use.
    pub(super) fn open_switch(&mut self) {
        if self.busy_writing() {
            return;
        }
        let choices = self.context.profiles.clone();
        if choices.len() < 2 {
            self.raise(
                Severity::Warning,
                "There is no other profile to switch to. Add [profiles.NAME] sections to the \
                 config file.",
            );
            return;
        }
        let cursor = choices
            .iter()
            .position(|name| *name == self.context.profile.name)
            .unwrap_or(0);
        self.switch = Some(ProfileSwitch {
            choices,
            cursor,
            confirming: false,
        });
    }

    pub(super) fn switch_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let Some(switch) = self.switch.as_mut() else {
            return;
        };
        let last = switch.choices.len().saturating_sub(1);
        match (switch.confirming, command) {
            (false, Command::SelectNext) => switch.cursor = (switch.cursor + 1).min(last),
            (false, Command::SelectPrev) => switch.cursor = switch.cursor.saturating_sub(1),
            (false, Command::Submit) => {
                if switch.target() == Some(self.context.profile.name.as_str()) {
                    self.switch = None;
                    self.raise(Severity::Info, "That is the profile in use already.");
                } else {
                    switch.confirming = true;
                }
            }
            (true, Command::Confirm) => {
                if let Some(target) = switch.target() {
                    effects.push(Effect::SwitchProfile(target.to_owned()));
                }
            }
            (false, Command::Back) => self.switch = None,
            (true, Command::Back) => switch.confirming = false,
            (_, Command::ToggleHelp) => {
                let mode = switch.mode();
                self.open_help(mode);
            }
            (_, Command::Quit) => effects.push(Effect::Quit),
            _ => {}
        }
    }

    /// The profile picker or its question, if open.
    pub fn profile_switch(&self) -> Option<&ProfileSwitch> {
        self.switch.as_ref()
    }
}
