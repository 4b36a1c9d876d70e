//! Relative time text ("just now", "5m ago", "3d ago") and absolute UTC text, as pure
//! functions of `(then, now)`; also when a relative text will next change, which drives the
//! model's `wake_after`.
//!
//! Ages are counted in whole wall-clock minutes (the minute of `now` minus the minute of
//! `then`), so every relative text on screen changes at the same instant, on the minute:
//! one wake-up a minute at most, and only while a time younger than an hour is shown (an idle
//! screen of older keys never wakes the process). The price is an age that can read up to
//! a minute more than the exact one.

use std::time::Duration;

use jiff::Timestamp;

fn minute(t: Timestamp) -> i64 {
    t.as_second().div_euclid(60)
}

/// Compact relative text: `just now`, `5m ago`, `3h ago`, `3d ago`, `2mo ago`, `1y ago`.
/// Times in the future (clock skew) read `just now` within the same minute, then `in 5m`.
pub fn relative(then: Timestamp, now: Timestamp) -> String {
    let minutes = minute(now).saturating_sub(minute(then));
    match minutes {
        0 => "just now".into(),
        m if m < 0 => format!("in {}", span(m.unsigned_abs().saturating_mul(60))),
        m => format!("{} ago", span(m.unsigned_abs().saturating_mul(60))),
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
/// (or ahead): always the next wall-clock minute. `None` for older times, which are allowed
/// to age on screen until the next redraw for another reason.
pub fn next_change(then: Timestamp, now: Timestamp) -> Option<Duration> {
    let minutes = minute(now).saturating_sub(minute(then));
    if !(-60..60).contains(&minutes) {
        return None;
    }
    Some(until_next_minute(now))
}

/// Time from `now` to the next whole wall-clock minute (never zero).
pub fn until_next_minute(now: Timestamp) -> Duration {
    let into_minute = now.as_second().rem_euclid(60) as u64;
    let subsec = u64::from(now.subsec_nanosecond().max(0) as u32);
    Duration::from_secs(60 - into_minute) - Duration::from_nanos(subsec)
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
        assert_eq!(relative(at("2026-05-01T12:00:00Z"), now), "just now");
        assert_eq!(relative(at("2026-05-01T11:59:30Z"), now), "1m ago");
        assert_eq!(relative(at("2026-05-01T11:55:00Z"), now), "5m ago");
        assert_eq!(relative(at("2026-05-01T09:00:00Z"), now), "3h ago");
        assert_eq!(relative(at("2026-04-28T12:00:00Z"), now), "3d ago");
        assert_eq!(relative(at("2026-01-01T12:00:00Z"), now), "4mo ago");
        assert_eq!(relative(at("2024-01-01T12:00:00Z"), now), "2y ago");
        assert_eq!(relative(at("2026-05-01T12:10:00Z"), now), "in 10m");
    }

    #[test]
    fn every_young_time_changes_on_the_next_minute() {
        let now = at("2026-05-01T12:00:50Z");
        let next = Some(Duration::from_secs(10));
        assert_eq!(next_change(at("2026-05-01T11:55:10Z"), now), next);
        assert_eq!(next_change(at("2026-05-01T11:59:59Z"), now), next);
        assert_eq!(next_change(at("2026-05-01T12:00:40Z"), now), next);
        assert_eq!(next_change(at("2026-05-01T10:00:00Z"), now), None);
        assert_eq!(
            next_change(at("2026-05-01T12:00:00Z"), at("2026-05-01T12:00:00.250Z")),
            Some(Duration::from_millis(59_750))
        );
        assert_eq!(
            relative(at("2026-05-01T11:55:10Z"), at("2026-05-01T11:55:10Z")),
            "just now"
        );
        // Whole wall-clock minutes: 11:59:59 is "1m ago" at 12:00:50.
        assert_eq!(relative(at("2026-05-01T11:59:59Z"), now), "1m ago");
        assert_eq!(relative(at("2026-05-01T12:00:01Z"), now), "just now");
    }

    #[test]
    fn absolute_is_utc() {
        assert_eq!(
            absolute(at("2026-04-20T00:00:00.123456Z")),
            "2026-04-20 00:00:00 UTC"
        );
    }
}
