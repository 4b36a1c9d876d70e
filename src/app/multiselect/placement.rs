//! Where a scope the catalogue lacks goes (the group of its resource, a group already holding
//! that resource's scopes, or a new group), the risk guessed from its action, and what a
//! scope typed by hand may look like.

use super::{NOT_IN_CATALOGUE, PermissionGroup, PermissionPicker, ScopeRow};

/// The group of scopes without a `resource:` part.
const OTHER_GROUP: &str = "other";
impl PermissionPicker {
    pub(super) fn find(&self, scope: &str) -> Option<usize> {
        self.scopes.iter().position(|row| row.scope == scope)
    }

    /// Adds `row` at the end of its group and returns its index (rows are rebuilt later).
    pub(super) fn push_scope(&mut self, row: ScopeRow) -> usize {
        let index = self.scopes.len();
        self.groups[row.group].scopes.push(index);
        self.scopes.push(row);
        index
    }

    /// A row for a scope the catalogue lacks, in the group of its resource (created if
    /// needed); its risk is guessed from the action.
    pub(super) fn unknown_row(&mut self, scope: &str) -> ScopeRow {
        let (resource, action) = match scope.split_once(':') {
            Some((resource, action)) if !resource.is_empty() => (resource, action),
            _ => (OTHER_GROUP, scope),
        };
        let risk = crate::catalogue::guess_risk(action);
        ScopeRow {
            scope: scope.to_owned(),
            description: NOT_IN_CATALOGUE.to_owned(),
            risk,
            known: false,
            grantable: self.claims_known.then_some(false),
            selected: false,
            group: self.group_for(resource),
        }
    }

    /// The group named `resource`, else a group holding catalogue scopes of that resource
    /// (the legacy group for `user:…`), else a new group at the end.
    pub(super) fn group_for(&mut self, resource: &str) -> usize {
        let by_name = self.groups.iter().position(|g| g.name == resource);
        let by_member = || {
            self.groups.iter().position(|g| {
                g.scopes.iter().any(|&i| {
                    let row = &self.scopes[i];
                    row.known && row.scope.split_once(':').map(|(r, _)| r) == Some(resource)
                })
            })
        };
        if let Some(g) = by_name.or_else(by_member) {
            return g;
        }
        self.groups.push(PermissionGroup {
            name: resource.to_owned(),
            title: resource.to_owned(),
            legacy: false,
            scopes: Vec::new(),
        });
        self.groups.len() - 1
    }
}
