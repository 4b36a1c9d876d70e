//! Sorting of the key list: which column, which direction, and the stable ordering itself.
//!
//! Owns the comparison of two keys per column. The order is computed over indices into the
//! server's list (never clones of keys) with a stable sort, so keys that compare equal keep
//! the server's order, in both directions.

use std::cmp::Ordering;

use crate::api::ApiKey;

/// The columns the list can be sorted by, in the order `s` cycles through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Name,
    Created,
    LastUsed,
    Permissions,
    Status,
    Prefix,
}

impl SortColumn {
    pub const ALL: [SortColumn; 6] = [
        SortColumn::Name,
        SortColumn::Created,
        SortColumn::LastUsed,
        SortColumn::Permissions,
        SortColumn::Status,
        SortColumn::Prefix,
    ];

    pub fn next(self) -> SortColumn {
        let i = Self::ALL.iter().position(|c| *c == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::Name => "name",
            SortColumn::Created => "created",
            SortColumn::LastUsed => "last used",
            SortColumn::Permissions => "permissions",
            SortColumn::Status => "status",
            SortColumn::Prefix => "prefix",
        }
    }

    /// The direction a column starts in: text A to Z; times newest first; counts most first.
    pub fn default_descending(self) -> bool {
        matches!(
            self,
            SortColumn::Created | SortColumn::LastUsed | SortColumn::Permissions
        )
    }

    /// Ascending comparison of two keys by this column.
    pub fn compare(self, a: &ApiKey, b: &ApiKey) -> Ordering {
        match self {
            SortColumn::Name => cmp_ignore_case(&a.name, &b.name),
            SortColumn::Created => a.created_at.cmp(&b.created_at),
            // Never used sorts as the oldest.
            SortColumn::LastUsed => a.last_used_at.cmp(&b.last_used_at),
            SortColumn::Permissions => a.permissions.len().cmp(&b.permissions.len()),
            SortColumn::Status => cmp_ignore_case(&a.status, &b.status),
            SortColumn::Prefix => a.key_prefix.cmp(&b.key_prefix),
        }
    }
}

/// The current sort: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: SortColumn,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Sort {
        Sort {
            column: SortColumn::Name,
            descending: false,
        }
    }
}

impl Sort {
    /// Moves to the next column, in that column's natural direction.
    pub fn cycle(&mut self) {
        self.column = self.column.next();
        self.descending = self.column.default_descending();
    }

    pub fn reverse(&mut self) {
        self.descending = !self.descending;
    }

    /// `v` for descending, `^` for ascending (ASCII, as the column header shows it).
    pub fn arrow(&self) -> char {
        if self.descending { 'v' } else { '^' }
    }

    /// Fills `order` with the indices of `keys` in this sort's order (stable: ties keep the
    /// server's order whatever the direction).
    pub fn order(&self, keys: &[ApiKey], order: &mut Vec<usize>) {
        order.clear();
        order.extend(0..keys.len());
        let column = self.column;
        let text: Option<fn(&ApiKey) -> &str> = match column {
            SortColumn::Name => Some(|key| key.name.as_str()),
            SortColumn::Status => Some(|key| key.status.as_str()),
            _ => None,
        };
        if let Some(text) = text {
            // Case-folded once per key, not twice per comparison: sorting 10,000 names by
            // folding inside the comparator took about 25 ms. Comparing the folded strings
            // byte-wise is the same order as comparing their characters (UTF-8 keeps it).
            let folded: Vec<String> = keys.iter().map(|key| fold_case(text(key))).collect();
            if self.descending {
                order.sort_by(|&a, &b| folded[b].cmp(&folded[a]));
            } else {
                order.sort_by(|&a, &b| folded[a].cmp(&folded[b]));
            }
        } else if self.descending {
            order.sort_by(|&a, &b| column.compare(&keys[b], &keys[a]));
        } else {
            order.sort_by(|&a, &b| column.compare(&keys[a], &keys[b]));
        }
    }
}

fn fold_case(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

fn cmp_ignore_case(a: &str, b: &str) -> Ordering {
    a.chars()
        .flat_map(char::to_lowercase)
        .cmp(b.chars().flat_map(char::to_lowercase))
}
