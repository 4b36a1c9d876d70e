//! The creation wizard: step 1 the name, step 2 the permission multiselect, step 3 review and
//! create. Owns what the operator typed and chose, each step's error text, the question
//! asked before what was typed is thrown away, and whether the create request is in flight.
//!
//! It sends nothing itself: `update` returns a [`WizardAction`] and the app turns a submit into
//! the journal record and the request. Nothing typed is ever lost by an error: a refused or
//! failed create leaves every field as it was, with the server's words on the step they
//! concern.

use crate::api::models::{NAME_MAX_CHARS, NAME_MIN_CHARS};
use crate::api::{ApiError, FieldErrors, NewKey, RequestId};
use crate::catalogue::Catalogue;
use crate::keymap::{Command, Mode};

use super::field::TextField;
use super::multiselect::PermissionPicker;

/// Characters the name field takes: beyond the API's limit, so an over-long paste is shown
/// and explained rather than silently cut at exactly the limit.
pub const NAME_FIELD_CAP: usize = 256;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Name,
    Permissions,
    Review,
}

/// What the app must do after a key in the wizard.
#[derive(Debug, PartialEq, Eq)]
pub enum WizardAction {
    Stay,
    /// Leave the wizard (what was typed is dropped).
    Close,
    /// Leave the wizard and quit sdx-keys.
    Quit,
    /// Send the create request.
    Submit(NewKey),
    /// Open the help for this mode.
    Help(Mode),
}

/// Where the "leave the wizard?" question leads on yes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leaving {
    Close,
    Quit,
}

pub struct Wizard {
    step: Step,
    name: TextField,
    /// The server's complaint about the name, shown until the name is edited.
    name_server_error: Option<String>,
    /// Why Enter did not go on from the name (shown once Enter was pressed).
    name_tried: bool,
    picker: PermissionPicker,
    /// The permission filter input; `Some` while it has the keyboard or holds text.
    filter: TextField,
    filtering: bool,
    /// The free-text scope input, while open.
    scope_input: Option<TextField>,
    scope_error: Option<String>,
    permissions_error: Option<String>,
    leaving: Option<Leaving>,
    submitting: Option<RequestId>,
    /// A failure of the last create that is not about one field.
    error: Option<String>,
}

/// Whether a trimmed name is acceptable; `Err` says why in a sentence.
pub fn check_name(text: &str) -> Result<(), String> {
    let chars = text.trim().chars().count();
    if chars < NAME_MIN_CHARS {
        Err(format!(
            "The name needs at least {NAME_MIN_CHARS} characters (not counting spaces at the ends); it has {chars}."
        ))
    } else if chars > NAME_MAX_CHARS {
        Err(format!(
            "The name may have at most {NAME_MAX_CHARS} characters; it has {chars}. Shorten it."
        ))
    } else {
        Ok(())
    }
}

impl Wizard {
    /// A new wizard; `name` and `scopes` pre-fill it (for cloning a key).
    pub fn new(
        catalogue: &Catalogue,
        grantable: Option<&[String]>,
        seen: &[&str],
        name: &str,
        scopes: &[String],
    ) -> Wizard {
        Wizard {
            step: Step::Name,
            name: TextField::with_text(name, NAME_FIELD_CAP),
            name_server_error: None,
            name_tried: false,
            picker: PermissionPicker::new(catalogue, grantable, seen, scopes),
            filter: TextField::default(),
            filtering: false,
            scope_input: None,
            scope_error: None,
            permissions_error: None,
            leaving: None,
            submitting: None,
            error: None,
        }
    }

    // ----- reading -----

    pub fn step(&self) -> Step {
        self.step
    }

    pub fn mode(&self) -> Mode {
        if self.leaving.is_some() {
            return Mode::WizardLeave;
        }
        match self.step {
            Step::Name => Mode::WizardName,
            Step::Permissions if self.scope_input.is_some() => Mode::WizardScope,
            Step::Permissions if self.filtering => Mode::WizardFilter,
            Step::Permissions => Mode::WizardPermissions,
            Step::Review => Mode::WizardReview,
        }
    }

    pub fn name(&self) -> &TextField {
        &self.name
    }

    /// The name problem to show under the field: the server's, else the local rule's once
    /// Enter was tried or the text is long enough to judge.
    pub fn name_error(&self) -> Option<String> {
        if let Some(error) = &self.name_server_error {
            return Some(error.clone());
        }
        match check_name(self.name.text()) {
            Ok(()) => None,
            Err(_) if !self.name_tried && self.name.char_count() < NAME_MIN_CHARS => None,
            Err(reason) => Some(reason),
        }
    }

    pub fn picker(&self) -> &PermissionPicker {
        &self.picker
    }

    pub fn filter(&self) -> &TextField {
        &self.filter
    }

    pub fn is_filtering(&self) -> bool {
        self.filtering
    }

    pub fn scope_input(&self) -> Option<&TextField> {
        self.scope_input.as_ref()
    }

    pub fn scope_error(&self) -> Option<&str> {
        self.scope_error.as_deref()
    }

    pub fn permissions_error(&self) -> Option<&str> {
        self.permissions_error.as_deref()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn submitting(&self) -> Option<RequestId> {
        self.submitting
    }

    pub fn leaving(&self) -> Option<Leaving> {
        self.leaving
    }

    /// Something typed or chosen that leaving would lose.
    pub fn is_dirty(&self) -> bool {
        !self.name.text().trim().is_empty() || self.picker.selected_count() > 0
    }

    // ----- changing -----

    /// Keeps the picker's focus inside `rows` visible rows.
    pub fn fit(&mut self, rows: usize) {
        self.picker.fit(rows);
    }

    /// Typed text for the field that has the keyboard.
    pub fn type_text(&mut self, text: &str) {
        if self.leaving.is_some() || self.submitting.is_some() {
            return;
        }
        match self.mode() {
            Mode::WizardName if self.name.insert_str(text) => self.name_server_error = None,
            Mode::WizardFilter if self.filter.insert_str(text) => {
                self.picker.set_filter(self.filter.text());
            }
            Mode::WizardScope => {
                if let Some(input) = self.scope_input.as_mut()
                    && input.insert_str(text)
                {
                    self.scope_error = None;
                }
            }
            _ => {}
        }
    }

    /// Applies a command of the wizard's current mode; `page` is the picker's row count.
    pub fn command(&mut self, command: Command, page: usize) -> WizardAction {
        if let Some(leaving) = self.leaving {
            return match command {
                Command::Confirm => match leaving {
                    Leaving::Close => WizardAction::Close,
                    Leaving::Quit => WizardAction::Quit,
                },
                Command::Back => {
                    self.leaving = None;
                    WizardAction::Stay
                }
                _ => WizardAction::Stay,
            };
        }
        if command == Command::ToggleHelp {
            return WizardAction::Help(self.mode());
        }
        if command == Command::Quit {
            return self.leave(Leaving::Quit);
        }
        if self.submitting.is_some() {
            // In flight: a second Enter (or anything else) must not send or change anything.
            return WizardAction::Stay;
        }
        match self.mode() {
            Mode::WizardName => self.name_command(command),
            Mode::WizardPermissions => self.permissions_command(command, page),
            Mode::WizardFilter => self.filter_command(command, page),
            Mode::WizardScope => self.scope_command(command),
            Mode::WizardReview => self.review_command(command),
            _ => WizardAction::Stay,
        }
    }

    fn leave(&mut self, how: Leaving) -> WizardAction {
        if self.is_dirty() {
            self.leaving = Some(how);
            WizardAction::Stay
        } else if how == Leaving::Quit {
            WizardAction::Quit
        } else {
            WizardAction::Close
        }
    }

    fn name_command(&mut self, command: Command) -> WizardAction {
        if let Some(edited) = self.name.edit(command) {
            if edited {
                self.name_server_error = None;
            }
            return WizardAction::Stay;
        }
        match command {
            Command::Submit => {
                self.name_tried = true;
                if check_name(self.name.text()).is_ok() && self.name_server_error.is_none() {
                    self.step = Step::Permissions;
                }
                WizardAction::Stay
            }
            Command::Back => self.leave(Leaving::Close),
            _ => WizardAction::Stay,
        }
    }

    fn navigate(&mut self, command: Command, page: usize) -> bool {
        match command {
            Command::SelectNext => self.picker.move_by(1, page),
            Command::SelectPrev => self.picker.move_by(-1, page),
            Command::SelectFirst => self.picker.first(page),
            Command::SelectLast => self.picker.last(page),
            Command::PageDown => self.picker.page_down(page),
            Command::PageUp => self.picker.page_up(page),
            _ => return false,
        }
        true
    }

    fn permissions_command(&mut self, command: Command, page: usize) -> WizardAction {
        if self.navigate(command, page) {
            return WizardAction::Stay;
        }
        let changed_selection = match command {
            Command::ToggleSelect => {
                self.picker.toggle();
                true
            }
            Command::ToggleAllVisible => {
                self.picker.toggle_all_visible();
                true
            }
            Command::PresetReadOnly => {
                self.picker.preset_read_only();
                true
            }
            Command::OpenFilter => {
                self.filtering = true;
                self.filter.end();
                false
            }
            Command::AddScope => {
                self.scope_input = Some(TextField::new(130));
                self.scope_error = None;
                false
            }
            Command::Submit => {
                if self.picker.selected_count() == 0 {
                    self.permissions_error =
                        Some("Select at least one scope (Space toggles the focused one).".into());
                } else {
                    self.step = Step::Review;
                }
                false
            }
            Command::Back => {
                self.step = Step::Name;
                false
            }
            _ => false,
        };
        if changed_selection {
            self.permissions_error = None;
            self.error = None;
        }
        WizardAction::Stay
    }

    fn filter_command(&mut self, command: Command, page: usize) -> WizardAction {
        if self.navigate(command, page) {
            return WizardAction::Stay;
        }
        if let Some(edited) = self.filter.edit(command) {
            if edited {
                self.picker.set_filter(self.filter.text());
            }
            return WizardAction::Stay;
        }
        match command {
            Command::Submit => self.filtering = false,
            Command::Back => {
                self.filtering = false;
                if self.filter.clear() {
                    self.picker.set_filter("");
                }
            }
            _ => {}
        }
        WizardAction::Stay
    }

    fn scope_command(&mut self, command: Command) -> WizardAction {
        let Some(input) = self.scope_input.as_mut() else {
            return WizardAction::Stay;
        };
        if let Some(edited) = input.edit(command) {
            if edited {
                self.scope_error = None;
            }
            return WizardAction::Stay;
        }
        match command {
            Command::Submit => match self.picker.add_custom(input.text()) {
                Ok(_) => {
                    self.scope_input = None;
                    self.scope_error = None;
                    self.permissions_error = None;
                }
                Err(reason) => self.scope_error = Some(reason),
            },
            Command::Back => {
                self.scope_input = None;
                self.scope_error = None;
            }
            _ => {}
        }
        WizardAction::Stay
    }

    fn review_command(&mut self, command: Command) -> WizardAction {
        match command {
            Command::Submit => {
                match NewKey::new(self.name.text(), &self.picker.selected_scopes()) {
                    Ok(new_key) => WizardAction::Submit(new_key),
                    Err(errors) => {
                        self.apply_field_errors(&errors);
                        WizardAction::Stay
                    }
                }
            }
            Command::Back => {
                self.step = Step::Permissions;
                WizardAction::Stay
            }
            _ => WizardAction::Stay,
        }
    }

    /// The create request `id` is on its way.
    pub fn submitted(&mut self, id: RequestId) {
        self.submitting = Some(id);
        self.error = None;
    }

    /// The create did not happen (or could not be sent): show why, on the step it concerns.
    pub fn failed(&mut self, error: &ApiError) {
        self.submitting = None;
        match error {
            ApiError::Validation { errors, message } if !errors.is_empty() => {
                self.apply_field_errors(errors);
                if self.error.is_none()
                    && self.name_server_error.is_none()
                    && self.permissions_error.is_none()
                {
                    self.error = Some(message.clone());
                }
            }
            other => self.error = Some(other.user_message()),
        }
    }

    /// A failure that is not the API's (the journal could not be written): stay on review.
    pub fn blocked(&mut self, reason: String) {
        self.submitting = None;
        self.error = Some(reason);
    }

    /// Maps Laravel field errors back to their steps, and moves to the earliest step with one.
    fn apply_field_errors(&mut self, errors: &FieldErrors) {
        let mut name = Vec::new();
        let mut permissions = Vec::new();
        let mut other = Vec::new();
        for (field, texts) in errors {
            let target = if field == "name" {
                &mut name
            } else if field == "permissions" || field.starts_with("permissions.") {
                &mut permissions
            } else {
                &mut other
            };
            target.extend(texts.iter().map(|t| format!("{field}: {t}")));
        }
        if !other.is_empty() {
            self.error = Some(other.join(" "));
        }
        if !permissions.is_empty() {
            self.permissions_error = Some(permissions.join(" "));
            self.step = Step::Permissions;
        }
        if !name.is_empty() {
            self.name_server_error = Some(name.join(" "));
            self.step = Step::Name;
        }
    }
}
