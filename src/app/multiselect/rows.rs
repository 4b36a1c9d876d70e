//! The picker's visible rows: rebuilt from the groups and the filter (each group header
//! followed by its matching scopes, the header's mark and counts kept current), and the
//! group-wide selection changes.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::pattern::Atom;

use super::{GroupMark, PermissionPicker, Row};

impl PermissionPicker {
    /// Rebuilds the visible rows from the groups and the filter (reusing the allocation).
    pub(super) fn rebuild_rows(&mut self) {
        let PermissionPicker {
            scopes,
            groups,
            rows,
            words,
            matcher,
            buf,
            pinned,
            ..
        } = self;
        rows.clear();
        for (g, group) in groups.iter().enumerate() {
            let header = rows.len();
            rows.push(Row::Group {
                group: g,
                mark: GroupMark::None,
                selected: 0,
                total: 0,
            });
            for &i in &group.scopes {
                let row = &scopes[i];
                let mut hit = |atom: &Atom, text: &str| {
                    atom.score(Utf32Str::new(text, buf), matcher).is_some()
                };
                let shown = words.iter().all(|word| {
                    hit(&word.fuzzy, &row.scope)
                        || hit(&word.fuzzy, &group.title)
                        || hit(&word.substring, &row.description)
                });
                if shown || *pinned == Some(i) {
                    rows.push(Row::Scope { scope: i });
                }
            }
            if rows.len() == header + 1 {
                rows.pop();
            }
        }
        self.refresh_counts();
    }

    /// Recomputes every header's mark and counts: one pass over the rows and the groups.
    pub(super) fn refresh_counts(&mut self) {
        let mut header = 0;
        while header < self.rows.len() {
            let end = self.group_end(header);
            if let Row::Group { group, .. } = self.rows[header] {
                let shown = end - header - 1;
                let shown_selected = self.count_selected(header + 1..end);
                let members = &self.groups[group].scopes;
                let selected = members.iter().filter(|&&i| self.scopes[i].selected);
                self.rows[header] = Row::Group {
                    group,
                    mark: match shown_selected {
                        0 => GroupMark::None,
                        n if n == shown => GroupMark::All,
                        _ => GroupMark::Some,
                    },
                    selected: selected.count(),
                    total: members.len(),
                };
            }
            header = end;
        }
    }

    /// The row after the last scope row following `header`.
    pub(super) fn group_end(&self, header: usize) -> usize {
        let scopes = self.rows[header + 1..]
            .iter()
            .take_while(|row| matches!(row, Row::Scope { .. }))
            .count();
        header + 1 + scopes
    }

    pub(super) fn count_selected(&self, rows: std::ops::Range<usize>) -> usize {
        self.rows[rows]
            .iter()
            .filter(|row| matches!(row, Row::Scope { scope } if self.scopes[*scope].selected))
            .count()
    }

    /// Selects the scopes among `rows`, or clears them if all already are.
    pub(super) fn flip_all(&mut self, rows: std::ops::Range<usize>) {
        let scope_rows = self.rows[rows.clone()]
            .iter()
            .filter(|row| matches!(row, Row::Scope { .. }))
            .count();
        let select = self.count_selected(rows.clone()) < scope_rows;
        for row in &self.rows[rows] {
            if let Row::Scope { scope } = *row {
                self.scopes[scope].selected = select;
            }
        }
    }
}

pub(super) fn same_row(row: &Row, old: &Row) -> bool {
    match (row, old) {
        (Row::Scope { scope: a }, Row::Scope { scope: b }) => a == b,
        (Row::Group { group: a, .. }, Row::Group { group: b, .. }) => a == b,
        _ => false,
    }
}
