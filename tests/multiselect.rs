//! Behaviour of the permission picker (`app::multiselect`) over the built-in catalogue, and
//! its rendering (`ui::multiselect`) into a `TestBackend`: marks, badges, the focus marker,
//! inert control characters, and that a toggle or a move redraws only the rows it changes.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use sdx_keys::app::multiselect::{GroupMark, NOT_IN_CATALOGUE, PermissionPicker, Row};
use sdx_keys::catalogue::{Catalogue, Risk};
use sdx_keys::ui::multiselect::render;
use sdx_keys::ui::theme::Theme;

const PAGE: usize = 10;

fn picker() -> PermissionPicker {
    PermissionPicker::new(Catalogue::builtin(), None, &[], &[])
}

fn owned(scopes: &[&str]) -> Vec<String> {
    scopes.iter().map(|s| s.to_string()).collect()
}

/// The row index of `scope` among the visible rows.
fn row_of(picker: &PermissionPicker, scope: &str) -> usize {
    picker
        .rows()
        .iter()
        .position(|row| matches!(row, Row::Scope { scope: i } if picker.scope(*i).scope == scope))
        .unwrap_or_else(|| panic!("{scope} not visible"))
}

fn focus_on(picker: &mut PermissionPicker, scope: &str) {
    let target = row_of(picker, scope) as isize;
    picker.move_by(target - picker.focus() as isize, PAGE);
    assert_eq!(picker.focused_scope().unwrap().scope, scope);
}

fn visible_scopes(picker: &PermissionPicker) -> Vec<&str> {
    picker
        .rows()
        .iter()
        .filter_map(|row| match row {
            Row::Scope { scope } => Some(picker.scope(*scope).scope.as_str()),
            Row::Group { .. } => None,
        })
        .collect()
}

/// The header row of the group titled `title`: (mark, selected, total).
fn header(picker: &PermissionPicker, title: &str) -> (GroupMark, usize, usize) {
    picker
        .rows()
        .iter()
        .find_map(|row| match *row {
            Row::Group {
                group,
                mark,
                selected,
                total,
            } if picker.group(group).title == title => Some((mark, selected, total)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no header {title}"))
}

#[test]
fn starts_empty_with_the_focus_on_the_first_row() {
    let picker = picker();
    let catalogue = Catalogue::builtin();
    assert_eq!(picker.selected_count(), 0);
    assert_eq!(picker.has_risky_selection(), None);
    assert_eq!((picker.focus(), picker.offset()), (0, 0));
    assert!(picker.focused_scope().is_none());
    let scopes = catalogue.permissions().count();
    assert_eq!(picker.rows().len(), catalogue.groups.len() + scopes);
    assert_eq!(header(&picker, "Sites"), (GroupMark::None, 0, 2));
    assert!(matches!(picker.rows()[0], Row::Group { group: 0, .. }));
    assert_eq!(
        visible_scopes(&picker),
        catalogue.scopes().collect::<Vec<_>>()
    );
    assert!(
        picker
            .scopes()
            .iter()
            .all(|row| row.known && row.grantable.is_none())
    );
}

#[test]
fn moves_clamp_and_scroll_one_row_at_a_time() {
    let mut picker = picker();
    let last = picker.rows().len() - 1;
    picker.move_by(-3, 5);
    assert_eq!(picker.focus(), 0);
    picker.move_by(1, 5);
    assert_eq!(picker.focused_scope().unwrap().scope, "sites:read");
    picker.move_by(4, 5);
    assert_eq!((picker.focus(), picker.offset()), (5, 1));
    picker.move_by(-2, 5);
    assert_eq!((picker.focus(), picker.offset()), (3, 1));
    picker.last(5);
    assert_eq!((picker.focus(), picker.offset()), (last, last - 4));
    picker.move_by(100, 5);
    assert_eq!(picker.focus(), last);
    picker.page_up(5);
    assert_eq!((picker.focus(), picker.offset()), (last - 5, last - 9));
    picker.first(5);
    assert_eq!((picker.focus(), picker.offset()), (0, 0));
    picker.page_down(5);
    assert_eq!((picker.focus(), picker.offset()), (5, 5));
    // A taller viewport after a resize: no blank rows below the end.
    picker.last(5);
    picker.fit(last + 10);
    assert_eq!((picker.focus(), picker.offset()), (last, 0));
}

#[test]
fn toggling_a_scope_updates_its_group_count() {
    let mut picker = picker();
    focus_on(&mut picker, "sites:read");
    picker.toggle();
    assert!(picker.is_selected("sites:read"));
    assert_eq!(header(&picker, "Sites"), (GroupMark::Some, 1, 2));
    assert_eq!(picker.has_risky_selection(), Some(Risk::Read));
    picker.toggle();
    assert_eq!(picker.selected_count(), 0);
    assert_eq!(header(&picker, "Sites"), (GroupMark::None, 0, 2));
}

#[test]
fn toggling_a_group_selects_all_then_none_and_completes_a_partial_group() {
    let mut picker = picker();
    picker.toggle();
    assert_eq!(
        picker.selected_scopes(),
        owned(&["sites:read", "sites:write"])
    );
    assert_eq!(header(&picker, "Sites"), (GroupMark::All, 2, 2));
    picker.toggle();
    assert_eq!(picker.selected_count(), 0);
    focus_on(&mut picker, "sites:write");
    picker.toggle();
    picker.first(PAGE);
    picker.toggle();
    assert_eq!(header(&picker, "Sites"), (GroupMark::All, 2, 2));
    assert_eq!(picker.selected_count(), 2);
}

#[test]
fn the_filter_narrows_rows_keeps_the_selection_and_the_focus() {
    let mut picker = picker();
    focus_on(&mut picker, "sites:write");
    picker.toggle();
    focus_on(&mut picker, "vpn:write");
    picker.set_filter("VPN");
    assert_eq!(visible_scopes(&picker), ["vpn:read", "vpn:write"]);
    assert_eq!(picker.rows().len(), 3);
    assert_eq!(picker.focused_scope().unwrap().scope, "vpn:write");
    assert_eq!(picker.selected_scopes(), owned(&["sites:write"]));
    // Descriptions match as substrings, group titles fuzzily.
    picker.set_filter("inventory");
    assert_eq!(visible_scopes(&picker), ["sites:read"]);
    assert_eq!(picker.focused_scope().unwrap().scope, "sites:read");
    picker.set_filter("failover");
    assert_eq!(visible_scopes(&picker), ["wan:read", "wan:write"]);
    picker.set_filter("legacy user");
    assert!(visible_scopes(&picker).contains(&"user:delete"));
    picker.set_filter("zzzz");
    assert!(picker.rows().is_empty());
    picker.toggle();
    picker.toggle_all_visible();
    picker.move_by(1, PAGE);
    picker.last(PAGE);
    assert!(picker.focused_scope().is_none());
    picker.set_filter("");
    assert_eq!(picker.selected_scopes(), owned(&["sites:write"]));
    assert_eq!(
        picker.rows().len(),
        14 + Catalogue::builtin().permissions().count()
    );
}

#[test]
fn a_group_toggle_under_a_filter_affects_only_visible_scopes() {
    let mut picker = picker();
    picker.set_filter("inventory");
    picker.first(PAGE);
    picker.toggle();
    assert_eq!(picker.selected_scopes(), owned(&["sites:read"]));
    // The mark follows the visible scopes; the count is the whole group's.
    assert_eq!(header(&picker, "Sites"), (GroupMark::All, 1, 2));
    picker.toggle();
    assert_eq!(picker.selected_count(), 0);
}

#[test]
fn toggle_all_selects_the_visible_scopes_or_clears_them() {
    let mut picker = picker();
    picker.set_filter("vpn");
    picker.toggle_all_visible();
    assert_eq!(picker.selected_scopes(), owned(&["vpn:read", "vpn:write"]));
    picker.toggle_all_visible();
    assert_eq!(picker.selected_count(), 0);
    picker.set_filter("");
    focus_on(&mut picker, "ai:chat");
    picker.toggle();
    picker.toggle_all_visible();
    assert_eq!(picker.selected_count(), picker.scopes().len());
    picker.toggle_all_visible();
    assert_eq!(picker.selected_count(), 0);
}

#[test]
fn the_read_only_preset_takes_current_grantable_read_scopes() {
    let catalogue = Catalogue::builtin();
    let grantable: Vec<String> = catalogue
        .scopes()
        .filter(|&s| s != "jobs:read")
        .map(str::to_owned)
        .chain(["reports:read".to_owned()])
        .collect();
    let mut picker = PermissionPicker::new(catalogue, Some(&grantable), &[], &[]);
    focus_on(&mut picker, "sites:write");
    picker.toggle();
    picker.set_filter("vpn");
    picker.preset_read_only();
    let expected: Vec<String> = catalogue
        .groups
        .iter()
        .filter(|group| !group.legacy)
        .flat_map(|group| &group.permissions)
        .filter(|p| p.risk == Risk::Read && p.scope != "jobs:read")
        .map(|p| p.scope.clone())
        .collect();
    assert_eq!(picker.selected_scopes(), expected);
    assert!(!picker.is_selected("site:view") && !picker.is_selected("reports:read"));
    assert_eq!(picker.has_risky_selection(), Some(Risk::Read));
}

#[test]
fn add_custom_validates_and_adds_selects_and_focuses() {
    let mut picker = picker();
    let before = picker.scopes().len();
    assert_eq!(
        picker.add_custom("  sites:read "),
        Ok("sites:read".to_owned())
    );
    assert_eq!(picker.scopes().len(), before);
    assert_eq!(picker.focused_scope().unwrap().scope, "sites:read");
    assert!(picker.is_selected("sites:read"));

    assert_eq!(
        picker.add_custom("vpn:rotate-keys"),
        Ok("vpn:rotate-keys".into())
    );
    let rotate = picker.focused_scope().unwrap();
    assert_eq!((rotate.known, rotate.risk), (false, Risk::Write));
    assert_eq!(rotate.description, NOT_IN_CATALOGUE);
    assert_eq!(
        row_of(&picker, "vpn:rotate-keys"),
        row_of(&picker, "vpn:write") + 1
    );
    assert_eq!(header(&picker, "VPN"), (GroupMark::Some, 1, 3));

    // A new resource under a filter that does not match it: a new group, shown anyway.
    picker.set_filter("backups");
    assert_eq!(
        picker.add_custom("reports.v2:read"),
        Ok("reports.v2:read".into())
    );
    assert_eq!(picker.focused_scope().unwrap().risk, Risk::Read);
    assert_eq!(header(&picker, "reports.v2"), (GroupMark::All, 1, 1));
    assert!(matches!(picker.rows().last(), Some(Row::Scope { .. })));
    assert_eq!(
        picker.selected_scopes(),
        owned(&["sites:read", "vpn:rotate-keys", "reports.v2:read"])
    );

    for bad in [
        "",
        "   ",
        "Sites:Read",
        "sites",
        "sites:",
        ":read",
        "sites: read",
        "sites:read:all",
        "-sites:read",
        "sites:_read",
        "sites:réad",
        "sites:read\u{1b}[2J",
    ] {
        let error = picker.add_custom(bad).unwrap_err();
        assert!(
            error.ends_with('.') && error.contains("sites:read"),
            "{bad:?}: {error}"
        );
    }
    let long = format!("sites:{}", "a".repeat(65));
    assert!(picker.add_custom(&long).unwrap_err().contains("64"));
    assert!(
        picker
            .add_custom(&format!("sites:{}", "a".repeat(64)))
            .is_ok()
    );
    assert!(
        picker
            .add_custom("Sites:read")
            .unwrap_err()
            .contains("lowercase")
    );
}

#[test]
fn unknown_scopes_from_existing_keys_join_their_resource_group() {
    let seen = [
        "sites:delete",
        "mystery:thing",
        "offline_access",
        "user:list",
        "",
        "sites:read",
        "mystery:thing",
    ];
    let picker = PermissionPicker::new(Catalogue::builtin(), None, &seen, &[]);
    let find = |scope: &str| {
        picker
            .scopes()
            .iter()
            .find(|row| row.scope == scope)
            .unwrap_or_else(|| panic!("{scope}"))
    };
    let title = |scope: &str| picker.group(find(scope).group).title.as_str();
    assert_eq!(title("sites:delete"), "Sites");
    assert_eq!(find("sites:delete").risk, Risk::Admin);
    assert_eq!(title("mystery:thing"), "mystery");
    assert_eq!(find("mystery:thing").risk, Risk::Write);
    assert_eq!(title("offline_access"), "other");
    // Same resource as the legacy `user:view`: the legacy group.
    assert_eq!(title("user:list"), "Legacy scopes (older SDX API)");
    assert_eq!(find("user:list").risk, Risk::Read);
    assert!(!find("mystery:thing").known);
    assert_eq!(picker.selected_count(), 0);
    let extra = picker.scopes().len() - Catalogue::builtin().permissions().count();
    assert_eq!(extra, 4);
    assert_eq!(picker.rows().len(), 16 + picker.scopes().len());
}

#[test]
fn grantable_marks_and_preselected_scopes_in_row_order() {
    let grantable = owned(&["sites:read", "vpn:write", "extra:read"]);
    let preselected = owned(&["vpn:write", "custom:x", "sites:read"]);
    let picker = PermissionPicker::new(Catalogue::builtin(), Some(&grantable), &[], &preselected);
    let grantable_of = |scope: &str| {
        let row = picker
            .scopes()
            .iter()
            .find(|row| row.scope == scope)
            .unwrap();
        row.grantable
    };
    assert_eq!(grantable_of("sites:read"), Some(true));
    assert_eq!(grantable_of("extra:read"), Some(true));
    assert_eq!(grantable_of("sites:write"), Some(false));
    assert_eq!(grantable_of("custom:x"), Some(false));
    assert_eq!(
        picker.selected_scopes(),
        owned(&["sites:read", "vpn:write", "custom:x"])
    );
    assert_eq!(picker.has_risky_selection(), Some(Risk::Write));
    assert_eq!((picker.focus(), picker.offset()), (0, 0));
}

fn draw(picker: &PermissionPicker, size: (u16, u16)) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).unwrap();
    let theme = Theme { color: true };
    terminal
        .draw(|frame| render(frame, Rect::new(0, 0, size.0, size.1), picker, &theme))
        .unwrap();
    terminal.backend().buffer().clone()
}

fn line(buffer: &Buffer, y: u16) -> String {
    (0..buffer.area.width)
        .map(|x| buffer[(x, y)].symbol())
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// The rows of the two buffers that differ in any cell (symbol or style).
fn changed_rows(before: &Buffer, after: &Buffer) -> Vec<u16> {
    let width = before.area.width;
    (0..before.area.height)
        .filter(|&y| (0..width).any(|x| before[(x, y)] != after[(x, y)]))
        .collect()
}

#[test]
fn renders_marks_badges_and_the_focus_marker() {
    let grantable = owned(&["sites:read"]);
    let seen = ["sites:delete"];
    let mut picker = PermissionPicker::new(Catalogue::builtin(), Some(&grantable), &seen, &[]);
    picker.fit(20);
    picker.move_by(1, 20);
    picker.toggle();
    let buffer = draw(&picker, (80, 20));
    assert_eq!(line(&buffer, 0), "  [-] Sites  1/3");
    let read = line(&buffer, 1);
    assert!(read.starts_with(">   [x] sites:read "), "{read}");
    assert!(read.contains(" read   View sites"), "{read}");
    assert!(!read.contains("not in your token"));
    let write = line(&buffer, 2);
    assert!(write.starts_with("    [ ] sites:write "), "{write}");
    assert!(
        write.contains(" write  (not in your token)  Create"),
        "{write}"
    );
    let unknown = line(&buffer, 3);
    assert!(unknown.contains("sites:delete") && unknown.contains(" admin "));
    assert!(unknown.ends_with(NOT_IN_CATALOGUE), "{unknown}");
    assert!(line(&buffer, 4).starts_with("  [ ] Scripts  0/2"));
    assert!(buffer.area.width as usize >= line(&buffer, 2).chars().count());

    // Focus: `>` plus reverse video over the whole row; badges coloured by risk.
    assert!(buffer[(79, 1)].modifier.contains(Modifier::REVERSED));
    assert!(!buffer[(79, 2)].modifier.contains(Modifier::REVERSED));
    let badge_x = read.find(" read ").unwrap() as u16 + 1;
    assert_eq!(buffer[(badge_x, 1)].fg, Color::Green);
    let scope_x = unknown.find("sites:delete").unwrap() as u16;
    assert!(buffer[(scope_x, 3)].modifier.contains(Modifier::ITALIC));
}

#[test]
fn control_characters_from_the_server_render_inert() {
    let seen = ["evil\u{1b}[2J:read\u{7}"];
    let mut picker = PermissionPicker::new(Catalogue::builtin(), None, &seen, &[]);
    picker.last(20);
    let buffer = draw(&picker, (80, 20));
    let text: String = (0..20).map(|y| line(&buffer, y)).collect();
    assert!(text.contains("evil?[2J:read?"), "{text}");
    assert!(!text.chars().any(char::is_control));
}

#[test]
fn an_empty_filter_result_says_so() {
    let mut picker = picker();
    picker.set_filter("zzzz");
    let buffer = draw(&picker, (40, 5));
    assert_eq!(line(&buffer, 0), "No permissions match \"zzzz\".");
}

#[test]
fn a_toggle_or_a_move_redraws_only_the_rows_it_changes() {
    let mut picker = picker();
    picker.fit(20);
    focus_on(&mut picker, "scripts:read");
    let before = draw(&picker, (80, 20));
    picker.toggle();
    let toggled = draw(&picker, (80, 20));
    assert_eq!(changed_rows(&before, &toggled), [3, 4]);
    picker.move_by(1, 20);
    let moved = draw(&picker, (80, 20));
    assert_eq!(changed_rows(&toggled, &moved), [4, 5]);
    picker.move_by(-2, 20);
    let at_header = draw(&picker, (80, 20));
    assert_eq!(changed_rows(&moved, &at_header), [3, 5]);
    // Completing the group: its header and the scope that was not selected yet.
    picker.toggle();
    let group = draw(&picker, (80, 20));
    assert_eq!(changed_rows(&at_header, &group), [3, 5]);
    assert_eq!(line(&group, 3), "> [x] Scripts  2/2");
}
