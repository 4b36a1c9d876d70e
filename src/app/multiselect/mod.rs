//! The permission picker of the key-creation wizard (step 2): the scope rows grouped by
//! resource, which of them are selected, the focused row, the viewport's first row and the
//! filter that narrows the rows shown.
//!
//! It is a pure model: no I/O, no clock, no rendering (`ui::multiselect` only reads it) and
//! no keymap knowledge (the wizard maps commands to these methods). The catalogue's groups
//! come first, in catalogue order; scopes seen on existing keys, preselected (cloning a key)
//! or grantable that the catalogue lacks join the group of their resource, or a new group.
//! Rows hold indices only; a move or a toggle walks the rows at most once and allocates
//! nothing, so a key press stays far below a millisecond.

use std::collections::{HashMap, HashSet};

use nucleo_matcher::Matcher;
use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization};

mod placement;
mod rows;

use super::viewport::Viewport;
use crate::catalogue::validate_scope;
use crate::catalogue::{Catalogue, Risk};
use rows::same_row;

/// The description given to scopes the catalogue does not know.
pub const NOT_IN_CATALOGUE: &str = "not in the catalogue";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopeRow {
    pub scope: String,
    pub description: String,
    /// The catalogue's risk; for unknown scopes a guess from the action.
    pub risk: Risk,
    /// Whether the catalogue knows this scope.
    pub known: bool,
    /// None when the token's claims are unknown; `Some(false)`: the user's token lacks it, so
    /// the server will likely refuse to grant it.
    pub grantable: Option<bool>,
    pub selected: bool,
    /// Index of its group (see [`PermissionPicker::group`]).
    pub group: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PermissionGroup {
    pub name: String,
    pub title: String,
    /// Scopes of the older SDX API.
    pub legacy: bool,
    /// Its scopes (indices for [`PermissionPicker::scope`]), in display order.
    pub scopes: Vec<usize>,
}

/// The check mark of a group header, from the group's visible scopes (what a toggle of the
/// header acts on).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupMark {
    All,
    Some,
    None,
}

/// One visible row: a group header, followed by its visible scopes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// `selected` and `total` count the whole group, hidden scopes included.
    Group {
        group: usize,
        mark: GroupMark,
        selected: usize,
        total: usize,
    },
    Scope {
        scope: usize,
    },
}

/// One word of the filter: fuzzy for scopes and group titles, a plain substring for the
/// descriptions (where a fuzzy match of a few letters would hit almost every sentence).
#[derive(Debug, Clone)]
struct Word {
    fuzzy: Atom,
    substring: Atom,
}

#[derive(Debug, Clone, Default)]
pub struct PermissionPicker {
    scopes: Vec<ScopeRow>,
    groups: Vec<PermissionGroup>,
    rows: Vec<Row>,
    /// The focused row's position in `rows` and the first row on screen.
    window: Viewport,
    /// The viewport height last given to a navigation method or [`PermissionPicker::fit`].
    page: usize,
    claims_known: bool,
    query: String,
    words: Vec<Word>,
    matcher: Matcher,
    buf: Vec<char>,
    /// A scope just added by hand: shown even when the filter does not match it, until the
    /// filter changes.
    pinned: Option<usize>,
}

impl PermissionPicker {
    pub fn new(
        catalogue: &Catalogue,
        grantable: Option<&[String]>,
        seen: &[&str],
        preselected: &[String],
    ) -> PermissionPicker {
        let mut picker = PermissionPicker {
            claims_known: grantable.is_some(),
            ..PermissionPicker::default()
        };
        let mut index: HashMap<String, usize> = HashMap::new();
        for group in &catalogue.groups {
            let g = picker.groups.len();
            picker.groups.push(PermissionGroup {
                name: group.name.clone(),
                title: group.title.clone(),
                legacy: group.legacy,
                scopes: Vec::new(),
            });
            for permission in &group.permissions {
                if index.contains_key(&permission.scope) {
                    continue;
                }
                let row = ScopeRow {
                    scope: permission.scope.clone(),
                    description: permission.description.clone(),
                    risk: permission.risk,
                    known: true,
                    grantable: None,
                    selected: false,
                    group: g,
                };
                index.insert(row.scope.clone(), picker.push_scope(row));
            }
        }
        let mut extra: Vec<&str> = seen
            .iter()
            .copied()
            .chain(preselected.iter().map(String::as_str))
            .chain(grantable.unwrap_or_default().iter().map(String::as_str))
            .filter(|scope| !scope.trim().is_empty() && !index.contains_key(*scope))
            .collect();
        extra.sort_unstable();
        extra.dedup();
        for scope in extra {
            let row = picker.unknown_row(scope);
            index.insert(scope.to_owned(), picker.push_scope(row));
        }
        if let Some(grantable) = grantable {
            let grantable: HashSet<&str> = grantable.iter().map(String::as_str).collect();
            for row in &mut picker.scopes {
                row.grantable = Some(grantable.contains(row.scope.as_str()));
            }
        }
        for scope in preselected {
            if let Some(&i) = index.get(scope) {
                picker.scopes[i].selected = true;
            }
        }
        picker.rebuild_rows();
        picker
    }

    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn scope(&self, index: usize) -> &ScopeRow {
        &self.scopes[index]
    }

    pub fn group(&self, index: usize) -> &PermissionGroup {
        &self.groups[index]
    }

    /// Every scope, visible or not, by index.
    pub fn scopes(&self) -> &[ScopeRow] {
        &self.scopes
    }

    /// Position of the focused row in [`PermissionPicker::rows`].
    pub fn focus(&self) -> usize {
        self.window.cursor
    }

    /// Position in [`PermissionPicker::rows`] of the first row on screen.
    pub fn offset(&self) -> usize {
        self.window.offset
    }

    /// The filter query as last set (empty: no filter).
    pub fn query(&self) -> &str {
        &self.query
    }

    pub fn focused_scope(&self) -> Option<&ScopeRow> {
        match self.rows.get(self.window.cursor) {
            Some(&Row::Scope { scope }) => Some(&self.scopes[scope]),
            _ => None,
        }
    }

    pub fn is_selected(&self, scope: &str) -> bool {
        self.find(scope).is_some_and(|i| self.scopes[i].selected)
    }

    /// The selected scopes, hidden ones included, in row order (groups, then their scopes).
    pub fn selected_scopes(&self) -> Vec<String> {
        self.groups
            .iter()
            .flat_map(|group| &group.scopes)
            .map(|&i| &self.scopes[i])
            .filter(|row| row.selected)
            .map(|row| row.scope.clone())
            .collect()
    }

    pub fn selected_count(&self) -> usize {
        self.scopes.iter().filter(|row| row.selected).count()
    }

    /// The highest risk among the selected scopes (None when nothing is selected).
    pub fn has_risky_selection(&self) -> Option<Risk> {
        self.scopes
            .iter()
            .filter(|row| row.selected)
            .map(|row| row.risk)
            .max()
    }

    /// On a scope row, flips it; on a group header, selects the group's visible scopes, or
    /// clears them if all already are.
    pub fn toggle(&mut self) {
        match self.rows.get(self.window.cursor) {
            Some(&Row::Scope { scope }) => {
                self.scopes[scope].selected ^= true;
            }
            Some(Row::Group { .. }) => {
                let end = self.group_end(self.window.cursor);
                self.flip_all(self.window.cursor + 1..end);
            }
            None => return,
        }
        self.refresh_counts();
    }

    /// Selects every visible scope, or clears them all if all already are.
    pub fn toggle_all_visible(&mut self) {
        self.flip_all(0..self.rows.len());
        self.refresh_counts();
    }

    /// Replaces the selection with the catalogue's read scopes, leaving out legacy ones and
    /// those the token lacks (`grantable == Some(false)`). Hidden rows count too.
    pub fn preset_read_only(&mut self) {
        let groups = &self.groups;
        for row in &mut self.scopes {
            row.selected = row.known
                && row.risk == Risk::Read
                && !groups[row.group].legacy
                && row.grantable != Some(false);
        }
        self.refresh_counts();
    }

    /// Shows only the scopes where every word of `query` matches, ignoring case, the scope
    /// or its group's title fuzzily, or its description as a substring. The selection is kept; the
    /// focus stays on its row if still shown, else goes to the first scope.
    pub fn set_filter(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        let focused = self.rows.get(self.window.cursor).copied();
        self.query.clear();
        self.query.push_str(query);
        self.words.clear();
        for word in query.split_whitespace() {
            let atom = |kind| {
                Atom::new(
                    word,
                    CaseMatching::Ignore,
                    Normalization::Smart,
                    kind,
                    false,
                )
            };
            self.words.push(Word {
                fuzzy: atom(AtomKind::Fuzzy),
                substring: atom(AtomKind::Substring),
            });
        }
        self.pinned = None;
        self.rebuild_rows();
        self.window.cursor = focused
            .and_then(|old| self.rows.iter().position(|row| same_row(row, &old)))
            .or_else(|| {
                let is_scope = |row: &Row| matches!(row, Row::Scope { .. });
                self.rows.iter().position(is_scope)
            })
            .unwrap_or(0);
        self.fit(self.page);
    }

    /// Selects and focuses a scope typed by hand (trimmed, `resource:action`), adding it to
    /// its resource's group (or a new group) when the catalogue lacks it. Returns the scope,
    /// or a sentence saying what form is expected.
    pub fn add_custom(&mut self, text: &str) -> Result<String, String> {
        let scope = validate_scope(text)?;
        let index = match self.find(scope) {
            Some(index) => index,
            None => {
                let row = self.unknown_row(scope);
                self.push_scope(row)
            }
        };
        self.scopes[index].selected = true;
        let target = Row::Scope { scope: index };
        if self.rows.contains(&target) {
            self.refresh_counts();
        } else {
            self.pinned = Some(index);
            self.rebuild_rows();
        }
        let at = self.rows.iter().position(|r| *r == target).unwrap_or(0);
        self.window.jump(at, self.rows.len(), self.page);
        Ok(scope.to_owned())
    }

    /// Moves the focus by `delta` rows (clamped), scrolling just enough to keep it shown in
    /// a viewport of `page` rows.
    pub fn move_by(&mut self, delta: isize, page: usize) {
        self.page = page;
        self.window.move_by(delta, self.rows.len(), page);
    }

    pub fn first(&mut self, page: usize) {
        self.page = page;
        self.window.jump(0, self.rows.len(), page);
    }

    pub fn last(&mut self, page: usize) {
        self.page = page;
        self.window.jump(usize::MAX, self.rows.len(), page);
    }

    /// A page down: the focus and the viewport both move by a page.
    pub fn page_down(&mut self, page: usize) {
        self.page = page;
        self.window.page_down(self.rows.len(), page);
    }

    pub fn page_up(&mut self, page: usize) {
        self.page = page;
        self.window.page_up(self.rows.len(), page);
    }

    /// Keeps the viewport valid for `page` rows (after a resize or a change of the rows): no
    /// blank rows below the end when there are enough rows, and the focus on screen. A focus
    /// already on screen does not move the viewport. `page == 0` (nothing on screen) leaves
    /// the viewport as it was.
    pub fn fit(&mut self, page: usize) {
        self.page = page;
        self.window.fit(self.rows.len(), page);
    }
}
