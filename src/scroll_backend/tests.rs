use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

use super::*;

fn screen(lines: &[&str]) -> Buffer {
    Buffer::with_lines(lines.iter().copied())
}

#[test]
fn a_list_moving_up_one_row_is_one_scroll() {
    let before = screen(&["head", "a   ", "b   ", "c   ", "d   ", "e   ", "foot"]);
    let after = screen(&["head", "b   ", "c   ", "d   ", "e   ", "f   ", "foot"]);
    let shift = find_shift(&before, &after).expect("a shift");
    assert_eq!(
        shift,
        Shift {
            top: 1,
            bottom: 5,
            lines: 1,
            up: true
        }
    );
    let mut shifted = before.clone();
    apply_shift(&mut shifted, shift);
    // Only the uncovered row remains to be drawn.
    let rows: std::collections::BTreeSet<u16> = shifted.diff(&after).iter().map(|c| c.1).collect();
    assert_eq!(rows.into_iter().collect::<Vec<_>>(), vec![5]);
}

#[test]
fn a_list_moving_down_half_a_page_is_one_scroll() {
    let before = screen(&["h", "a", "b", "c", "d", "e", "f", "g", "z"]);
    let after = screen(&["h", "x", "y", "a", "b", "c", "d", "e", "z"]);
    let shift = find_shift(&before, &after).expect("a shift");
    assert_eq!(
        shift,
        Shift {
            top: 1,
            bottom: 7,
            lines: 2,
            up: false
        }
    );
    let mut shifted = before.clone();
    apply_shift(&mut shifted, shift);
    let rows: std::collections::BTreeSet<u16> = shifted.diff(&after).iter().map(|c| c.1).collect();
    assert_eq!(rows.into_iter().collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn small_changes_are_not_scrolled() {
    let before = screen(&["a", "b", "c", "d"]);
    let after = screen(&["a", "x", "c", "d"]);
    assert_eq!(find_shift(&before, &after), None);
    let blank = Buffer::empty(Rect::new(0, 0, 0, 0));
    assert_eq!(find_shift(&blank, &blank), None);
}

#[test]
fn writes_the_scroll_then_only_the_new_cells() {
    let lines: Vec<String> = (0..20).map(|i| format!("row {i:02}")).collect();
    let mut backend = ScrollingBackend {
        inner: CrosstermBackend::new(Vec::<u8>::new()),
        screen: Buffer::with_lines(lines.iter().map(String::as_str)),
        cursor_hidden: true,
    };
    let moved: Vec<String> = (1..21).map(|i| format!("row {i:02}")).collect();
    let next = Buffer::with_lines(moved.iter().map(String::as_str));
    let changed = backend.screen.diff(&next);
    backend.draw(changed.into_iter()).unwrap();
    let written = String::from_utf8_lossy(backend.inner.writer()).into_owned();
    assert!(
        written.contains("\x1b[1;20r\x1b[20;1H\n\x1b[r"),
        "{written:?}"
    );
    let after_scroll = written.split("\x1b[r").nth(1).unwrap_or_default();
    assert!(after_scroll.contains("20"), "{written:?}");
    assert!(
        after_scroll.len() < 60,
        "unchanged rows were rewritten: {written:?}"
    );
    assert_eq!(backend.screen, next);
}

#[test]
fn a_frame_that_changed_nothing_writes_nothing() {
    let mut backend = ScrollingBackend {
        inner: CrosstermBackend::new(Vec::<u8>::new()),
        screen: Buffer::with_lines(["same", "rows"]),
        cursor_hidden: false,
    };
    backend.hide_cursor().unwrap();
    let after_first_hide = backend.inner.writer().len();
    assert!(after_first_hide > 0);
    backend.draw(std::iter::empty()).unwrap();
    backend.hide_cursor().unwrap();
    assert_eq!(backend.inner.writer().len(), after_first_hide);
}

#[test]
fn a_downward_shift_uses_reverse_index_at_the_top_margin() {
    let before: Vec<String> = (0..10).map(|i| format!("row {i}")).collect();
    let after: Vec<String> = std::iter::once("new".to_owned())
        .chain((0..9).map(|i| format!("row {i}")))
        .collect();
    let mut backend = ScrollingBackend {
        inner: CrosstermBackend::new(Vec::<u8>::new()),
        screen: Buffer::with_lines(before.iter().map(String::as_str)),
        cursor_hidden: true,
    };
    let next = Buffer::with_lines(after.iter().map(String::as_str));
    let changed = backend.screen.diff(&next);
    backend.draw(changed.into_iter()).unwrap();
    let written = String::from_utf8_lossy(backend.inner.writer()).into_owned();
    assert!(
        written.contains("\x1b[1;10r\x1b[1;1H\x1bM\x1b[r"),
        "{written:?}"
    );
    assert_eq!(backend.screen, next);
}
