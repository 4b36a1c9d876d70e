//! Key handling: resolves a key to a [`Command`] in the current [`Mode`] through the keymap,
//! then applies it with one `match` per mode, or hands it to the screen on top (the wizard,
//! the reveal screen, a confirmation, the recovery screen), which owns its own update. Only
//! state changes and returned effects.

use ratatui::crossterm::event::KeyEvent;

use super::confirm::Destructive;
use super::details::{Help, Scroll};
use super::{App, Effect, Focus, Screen};
use crate::keymap::{Action, Command, Mode};

impl App {
    pub(super) fn on_key(&mut self, key: &KeyEvent, effects: &mut Vec<Effect>) {
        let mode = self.mode();
        let Some(action) = self.keymap.resolve(mode, key) else {
            return;
        };
        if mode == Mode::Help && action == Action::Command(Command::Quit) {
            // Quitting from the help is what the same key does on the screen under it: the
            // wizard asks before losing what was typed, the secret screen asks for `discard`.
            self.help = None;
            return self.on_key(key, effects);
        }
        match (mode, action) {
            (_, Action::Text(c)) => {
                let mut buf = [0u8; 4];
                self.on_text(c.encode_utf8(&mut buf));
            }
            (Mode::TooSmall, Action::Command(command)) => {
                // A secret waiting for delivery is never lost to a key pressed on a screen
                // that cannot show what it would do.
                if command == Command::Quit && !self.holds_secret() {
                    effects.push(Effect::Quit);
                }
            }
            (Mode::List, Action::Command(command)) => self.list_command(command, effects),
            (Mode::ProfilePicker | Mode::ConfirmSwitch, Action::Command(command)) => {
                self.switch_command(command, effects)
            }
            (Mode::Filter, Action::Command(command)) => self.filter_command(command, effects),
            (Mode::Details, Action::Command(command)) => self.details_command(command, effects),
            (Mode::Help, Action::Command(command)) => self.help_command(command),
            (
                Mode::WizardName
                | Mode::WizardPermissions
                | Mode::WizardFilter
                | Mode::WizardScope
                | Mode::WizardReview
                | Mode::WizardLeave,
                Action::Command(command),
            ) => self.wizard_command(command, effects),
            (Mode::Reveal | Mode::RevealPath | Mode::RevealDiscard, Action::Command(command)) => {
                self.reveal_command(command, effects)
            }
            (
                Mode::ConfirmRotate | Mode::ConfirmDelete | Mode::ConfirmProtected,
                Action::Command(command),
            ) => self.confirm_command(command, effects),
            (Mode::Recovery, Action::Command(command)) => self.recovery_command(command, effects),
        }
    }

    /// Typed or pasted text, for the text field of the current mode (if it has one).
    pub(super) fn on_text(&mut self, text: &str) {
        match self.mode() {
            Mode::Filter if self.filter.editor.insert_str(text) => self.refilter(),
            Mode::ConfirmDelete | Mode::ConfirmProtected => {
                if let Some(confirm) = self.confirm.as_mut() {
                    confirm.type_text(text);
                }
            }
            Mode::WizardName | Mode::WizardFilter | Mode::WizardScope => {
                if let Screen::Wizard(wizard) = &mut self.screen {
                    wizard.type_text(text);
                }
            }
            Mode::RevealPath | Mode::RevealDiscard => {
                if let Screen::Reveal(reveal) = &mut self.screen {
                    reveal.type_text(text);
                }
            }
            _ => {}
        }
    }

    /// Navigation shared by the list and the filter input. Returns false for other commands.
    fn navigate(&mut self, command: Command) -> bool {
        let rows = self.list_rows();
        let before = self.view.selected_key();
        match command {
            Command::SelectNext => self.view.move_by(1, rows),
            Command::SelectPrev => self.view.move_by(-1, rows),
            Command::SelectFirst => self.view.select_first(rows),
            Command::SelectLast => self.view.select_last(rows),
            Command::PageDown => self.view.page_down(rows),
            Command::PageUp => self.view.page_up(rows),
            _ => return false,
        }
        if self.view.selected_key() != before {
            self.details.reset();
        }
        true
    }

    pub(super) fn open_help(&mut self, under: Mode) {
        self.help = Some(Help {
            under,
            scroll: Scroll::default(),
        });
    }

    fn list_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        if self.navigate(command) {
            return;
        }
        match command {
            Command::Quit => effects.push(Effect::Quit),
            Command::OpenDetails if self.selected_key().is_some() => {
                self.focus = Focus::Details;
                self.details.reset();
            }
            Command::OpenFilter => {
                self.focus = Focus::Filter;
                self.filter.editor.end();
            }
            Command::CycleSort => {
                self.sort.cycle();
                self.resort();
            }
            Command::ReverseSort => {
                self.sort.reverse();
                self.resort();
            }
            Command::Refresh => self.refresh(effects),
            Command::Create => self.open_wizard(false),
            Command::CloneKey => self.open_wizard(true),
            Command::RotateKey => self.ask(Destructive::Rotate),
            Command::DeleteKey => self.ask(Destructive::Delete),
            Command::ToggleHelp => self.open_help(Mode::List),
            Command::Cancel => self.cancel(),
            Command::SwitchProfile => self.open_switch(),
            Command::ToggleUnused => self.toggle_quick(true),
            Command::ToggleRisky => self.toggle_quick(false),
            _ => {}
        }
    }

    /// Esc in the list: dismiss the notice if there is one, else clear the filter (its text
    /// and the quick filters).
    ///
    /// Clearing a kept filter keeps the key that was selected in the filtered list (the one
    /// the operator searched for), now shown among all the others.
    fn cancel(&mut self) {
        if self.notice.take().is_some() {
            return;
        }
        let quick = self.filter.unused || self.filter.risky;
        let text = self.filter.editor.clear();
        if !quick && !text {
            return;
        }
        self.filter.unused = false;
        self.filter.risky = false;
        self.view.set_preferred(self.view.selected_key());
        if quick {
            self.filter.sync();
            self.rebuild_visible();
        } else {
            self.refilter();
        }
    }

    fn filter_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        if self.navigate(command) {
            return;
        }
        if let Some(edited) = self.filter.editor.edit(command) {
            if edited {
                self.refilter();
            }
            return;
        }
        let edited = match command {
            Command::Quit => {
                effects.push(Effect::Quit);
                false
            }
            Command::ApplyFilter => {
                // Keeping the filter chooses the key selected in it.
                self.focus = Focus::List;
                self.view.set_preferred(self.view.selected_key());
                false
            }
            Command::ClearFilter => {
                self.focus = Focus::List;
                self.filter.editor.clear()
            }
            Command::ToggleHelp => {
                self.open_help(Mode::Filter);
                false
            }
            _ => false,
        };
        if edited {
            self.refilter();
        }
    }

    fn details_command(&mut self, command: Command, effects: &mut Vec<Effect>) {
        let max = self.details_max_scroll();
        if self.details.apply(command, max) {
            return;
        }
        match command {
            Command::Quit => effects.push(Effect::Quit),
            Command::CloseDetails => self.focus = Focus::List,
            Command::Refresh => self.refresh(effects),
            Command::CloneKey => self.open_wizard(true),
            Command::RotateKey => self.ask(Destructive::Rotate),
            Command::DeleteKey => self.ask(Destructive::Delete),
            Command::ToggleHelp => self.open_help(Mode::Details),
            _ => {}
        }
    }

    /// Scrolling and closing; quitting was handed to the screen under the help already.
    fn help_command(&mut self, command: Command) {
        let Some(help) = self.help.as_mut() else {
            return;
        };
        let max = crate::layout::help::max_scroll(&self.keymap, help.under, self.size);
        if !help.scroll.apply(command, max) && command == Command::ToggleHelp {
            self.help = None;
        }
    }

    fn details_max_scroll(&self) -> usize {
        match self.selected_key() {
            Some(key) => crate::layout::details::max_scroll(
                key,
                self.size,
                self.notice.as_ref().map(|n| n.status()),
            ),
            None => 0,
        }
    }
}
