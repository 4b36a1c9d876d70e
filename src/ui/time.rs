//! Relative time text ("just now", "5m ago", "3d ago") and absolute UTC text, as pure
//! functions of `(then, now)`; also when a relative text will next change, which drives the
//! model's `wake_after` (only for times younger than an hour, so an idle screen of older
//! keys never wakes the process).

use std::time::Duration;

use jiff::Timestamp;

/// Compact relative text: `just now`, `5m ago`, `3h ago`, `3d ago`, `2mo ago`, `1y ago`.
/// Times in the future (clock skew) read `just now` up to a minute ahead, then `in 5m` etc.
pub fn relative(then: Timestamp, now: Timestamp) -> String {
    let age = now.as_second().saturating_sub(then.as_second());
    if age < 0 {
        let ahead = age.unsigned_abs();
        if ahead < 60 {
            return "just now".into();
        }
        return format!("in {}", span(ahead));
    }
    let age = age.unsigned_abs();
    if age < 60 {
        "just now".into()
    } else {
        format!("{} ago", span(age))
    }
}

fn span(secs: u64) -> String {
    const MIN: u64 = 60;
    const HOUR: u64 = 60 * MIN;
    const DAY: u64 = 24 * HOUR;
    if secs < HOUR {
        format!("{}m", secs / MIN)
    } else if secs < DAY {
        format!("{}h", secs / HOUR)
    } else if secs < 30 * DAY {
        format!("{}d", secs / DAY)
    } else if secs < 365 * DAY {
        format!("{}mo", secs / (30 * DAY))
    } else {
        format!("{}y", secs / (365 * DAY))
    }
}

/// How long until [`relative`] would show a different text, for times less than an hour old
/// (or ahead); `None` for older times, which are allowed to age on screen until the next
/// redraw for another reason.
pub fn next_change(then: Timestamp, now: Timestamp) -> Option<Duration> {
    let age = now.as_second().saturating_sub(then.as_second());
    if !(-3600..3600).contains(&age) {
        return None;
    }
    let secs = if age < 0 {
        if age > -60 {
            // "just now" until it is a minute old.
            60 - age
        } else {
            // "in Nm": changes when the time ahead drops below the next whole minute.
            (-age) % 60 + 1
        }
    } else {
        60 - age % 60
    };
    Some(Duration::from_secs(secs.unsigned_abs()))
}

/// `2026-04-20 00:00:00 UTC`.
pub fn absolute(then: Timestamp) -> String {
    then.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn relative_texts() {
        let now = at("2026-05-01T12:00:00Z");
        assert_eq!(relative(at("2026-05-01T11:59:30Z"), now), "just now");
        assert_eq!(relative(at("2026-05-01T11:55:00Z"), now), "5m ago");
        assert_eq!(relative(at("2026-05-01T09:00:00Z"), now), "3h ago");
        assert_eq!(relative(at("2026-04-28T12:00:00Z"), now), "3d ago");
        assert_eq!(relative(at("2026-01-01T12:00:00Z"), now), "4mo ago");
        assert_eq!(relative(at("2024-01-01T12:00:00Z"), now), "2y ago");
        assert_eq!(relative(at("2026-05-01T12:10:00Z"), now), "in 10m");
    }

    #[test]
    fn next_change_only_for_young_times() {
        let now = at("2026-05-01T12:00:00Z");
        assert_eq!(
            next_change(at("2026-05-01T11:55:10Z"), now),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            next_change(at("2026-05-01T11:59:59Z"), now),
            Some(Duration::from_secs(59))
        );
        assert_eq!(next_change(at("2026-05-01T10:00:00Z"), now), None);
        assert_eq!(
            relative(at("2026-05-01T11:55:10Z"), at("2026-05-01T11:55:10Z")),
            "just now"
        );
    }

    #[test]
    fn absolute_is_utc() {
        assert_eq!(
            absolute(at("2026-04-20T00:00:00.123456Z")),
            "2026-04-20 00:00:00 UTC"
        );
    }
}
