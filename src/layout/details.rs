//! The text of the details panel of one key, as role-tagged lines: every field, absolute UTC
//! and relative times, and the full permission list with each scope's description and risk
//! from the catalogue (scopes the catalogue does not know are marked as such). Field lines are
//! cut to the panel; only permission descriptions wrap, so the line count (and so the scroll
//! range the model clamps to) depends on the width only, never on the time.

use jiff::Timestamp;
use ratatui::layout::Rect;

use super::text::{fit, has_unshowable, wrap};
use super::time::{absolute, relative};
use super::{DocLine, Role, Status, areas, piece};
use crate::api::ApiKey;
use crate::catalogue::Catalogue;

const LABEL: usize = 11;
/// `2026-04-20 00:00:00 UTC (12mo ago)`: the absolute time and the widest relative text.
const ONE_LINE_TIME: usize = 23 + 2 + 8 + 1;

/// The panel's lines for `key` at an inner width of `width`.
pub fn lines(key: &ApiKey, width: usize, now: Timestamp) -> Vec<DocLine> {
    let value_width = width.saturating_sub(LABEL);
    let field = |label: &str, value: String, role| {
        vec![
            piece(Role::Dim, format!("{label:<LABEL$}")),
            piece(role, fit(&value, value_width)),
        ]
    };
    // Absolute and relative on one line when the widest relative text fits, else two lines
    // (decided by width only, so the line count never depends on the time).
    let one_line = value_width >= ONE_LINE_TIME;
    let time_lines = |label: &str, at: Timestamp| -> Vec<DocLine> {
        if one_line {
            let text = format!("{} ({})", absolute(at), relative(at, now));
            vec![field(label, text, Role::Plain)]
        } else {
            vec![
                field(label, absolute(at), Role::Plain),
                field("", relative(at, now), Role::Plain),
            ]
        }
    };
    // Names and identifiers never lose characters: operators copy them. A value too long to
    // sit beside its label goes on the lines below it, at nearly the panel's full width, so
    // that a key id (35 characters) stays in one piece for mouse selection where it can.
    let wrapped = |label: &str, value: &str, role| -> Vec<DocLine> {
        let beside = wrap(value, value_width.max(1));
        if beside.len() <= 1 {
            return vec![field(label, value.to_owned(), role)];
        }
        let mut lines = vec![vec![piece(Role::Dim, label)]];
        lines.extend(
            wrap(value, width.saturating_sub(2).max(1))
                .into_iter()
                .map(|part| vec![piece(Role::Plain, "  "), piece(role, part)]),
        );
        lines
    };
    let mut out = Vec::new();
    out.extend(wrapped("Name", &key.name, Role::Title));
    if has_unshowable(&key.name) {
        // A name that could pass for another: say so where the operator reads it.
        let note = "(holds characters that cannot be shown safely; each is drawn as ?)";
        for line in wrap(note, value_width.max(1)) {
            out.push(vec![
                piece(Role::Dim, format!("{:<LABEL$}", "")),
                piece(Role::UnknownScope, line),
            ]);
        }
    }
    out.extend(wrapped("ID", &key.id.0, Role::Plain));
    out.extend(wrapped("Status", &key.status, Role::StatusWord));
    out.extend(wrapped("Prefix", &key.key_prefix, Role::Plain));
    out.extend(wrapped("Client ID", &key.client_id, Role::Plain));
    out.extend(time_lines("Created", key.created_at));
    match key.last_used_at {
        Some(at) => out.extend(time_lines("Last used", at)),
        None => out.push(field("Last used", "never".into(), Role::Dim)),
    }
    out.push(Vec::new());
    out.push(vec![piece(
        Role::Title,
        fit(&format!("Permissions ({})", key.permissions.len()), width),
    )]);
    if key.permissions.is_empty() {
        out.push(vec![piece(Role::Dim, "  none")]);
    }
    let catalogue = Catalogue::builtin();
    let indent = 4;
    for scope in &key.permissions {
        let scope_width = width.saturating_sub(2 + 2 + 5).max(1);
        let scope_text = fit(scope, scope_width);
        match catalogue.get(scope) {
            Some(permission) => {
                out.push(vec![
                    piece(Role::Plain, format!("  {scope_text}  ")),
                    piece(Role::Risk(permission.risk), permission.risk.label()),
                ]);
                for line in wrap(&permission.description, width.saturating_sub(indent).max(1)) {
                    out.push(vec![piece(Role::Plain, format!("{:indent$}{line}", ""))]);
                }
            }
            None => {
                let text = format!("  {scope_text}  not in the catalogue");
                out.push(vec![piece(Role::UnknownScope, fit(&text, width))]);
            }
        }
    }
    out
}

/// The panel's area: beside the list on wide terminals, over the list otherwise.
pub fn panel_area(size: (u16, u16), notice: Status) -> Rect {
    let areas = areas(Rect::new(0, 0, size.0, size.1), notice);
    areas.side.unwrap_or(areas.list)
}

/// The largest useful scroll position of the details of `key` at this size.
pub fn max_scroll(key: &ApiKey, size: (u16, u16), notice: Status) -> usize {
    let area = panel_area(size, notice);
    let inner_width = area.width.saturating_sub(2) as usize;
    let inner_height = area.height.saturating_sub(2) as usize;
    lines(key, inner_width, key.created_at)
        .len()
        .saturating_sub(inner_height)
}
