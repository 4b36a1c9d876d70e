//! The retry policy for idempotent GETs (list, retrieve). POST and DELETE never come here.
//!
//! Retried: transport failures (`Network`: refused, reset, closed early), 429, 502, 503, 504
//! (`ApiError::is_transient`). Not retried: a whole-request `Timeout` (the user already spent
//! the full request timeout; three of them would freeze the screen for 90 s, and `r` retries on
//! demand), 500 and every other status. The delay is `Retry-After` when a 429 carries one,
//! otherwise a jittered exponential backoff (200 ms · 2^n, ±50 %). The budget counts all the
//! time since the first attempt began, attempts included: when the next delay would exceed
//! what is left of it, the policy gives up and the last error is returned at once, rather
//! than sleeping part way.

use std::time::Duration;

use super::ApiError;

/// First backoff step, before jitter.
pub(crate) const BACKOFF_BASE: Duration = Duration::from_millis(200);

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Sleep this long, then try again.
    RetryAfter(Duration),
    /// Return the error.
    GiveUp,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) budget: Duration,
}

impl RetryPolicy {
    /// `attempt` is the number of the attempt that just failed (1-based); `spent` is the
    /// time since the first attempt began; `jitter` is a factor in `[0.5, 1.5)`.
    pub(crate) fn decide(
        &self,
        error: &ApiError,
        attempt: u32,
        spent: Duration,
        jitter: f64,
    ) -> Decision {
        if attempt >= self.max_attempts || !error.is_transient() {
            return Decision::GiveUp;
        }
        let delay = match error {
            ApiError::RateLimited {
                retry_after: Some(wait),
                ..
            } => *wait,
            _ => backoff(attempt, jitter),
        };
        if delay > self.budget.saturating_sub(spent) {
            return Decision::GiveUp;
        }
        Decision::RetryAfter(delay)
    }
}

/// 200 ms after the first failure, 400 ms after the second, ..., times `jitter`.
pub(crate) fn backoff(attempt: u32, jitter: f64) -> Duration {
    let exponent = attempt.saturating_sub(1).min(10);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.5, 1.5)
    } else {
        1.0
    };
    BACKOFF_BASE.mul_f64(f64::from(1u32 << exponent) * jitter)
}

/// A fresh jitter factor in `[0.5, 1.5)`.
pub(crate) fn jitter() -> f64 {
    use rand::Rng;
    rand::rng().random_range(0.5..1.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 3,
            budget: Duration::from_secs(20),
        }
    }

    fn server(status: u16) -> ApiError {
        ApiError::Server {
            status,
            message: None,
        }
    }

    #[test]
    fn transient_errors_are_retried_until_the_last_attempt() {
        let p = policy();
        for error in [
            server(502),
            server(503),
            server(504),
            ApiError::Network { detail: "x".into() },
            ApiError::RateLimited {
                retry_after: None,
                message: None,
            },
        ] {
            assert_eq!(
                p.decide(&error, 1, Duration::ZERO, 1.0),
                Decision::RetryAfter(Duration::from_millis(200))
            );
            assert_eq!(
                p.decide(&error, 2, Duration::ZERO, 1.0),
                Decision::RetryAfter(Duration::from_millis(400))
            );
            assert_eq!(p.decide(&error, 3, Duration::ZERO, 1.0), Decision::GiveUp);
        }
    }

    #[test]
    fn other_errors_are_not_retried() {
        let p = policy();
        for error in [
            server(500),
            server(501),
            server(302),
            ApiError::Timeout,
            ApiError::Unauthorized { message: None },
            ApiError::NotFound { message: None },
            ApiError::TooLarge { limit: 1 },
            ApiError::Decode { detail: "x".into() },
        ] {
            assert_eq!(p.decide(&error, 1, Duration::ZERO, 1.0), Decision::GiveUp);
        }
    }

    #[test]
    fn retry_after_is_honoured_within_the_budget_only() {
        let p = policy();
        let limited = |secs| ApiError::RateLimited {
            retry_after: Some(Duration::from_secs(secs)),
            message: None,
        };
        assert_eq!(
            p.decide(&limited(1), 1, Duration::ZERO, 1.4),
            Decision::RetryAfter(Duration::from_secs(1))
        );
        assert_eq!(
            p.decide(&limited(20), 1, Duration::ZERO, 1.0),
            Decision::RetryAfter(Duration::from_secs(20))
        );
        assert_eq!(
            p.decide(&limited(21), 1, Duration::ZERO, 1.0),
            Decision::GiveUp
        );
        assert_eq!(
            p.decide(&limited(5), 2, Duration::from_secs(16), 1.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn backoff_is_jittered_within_half_either_side() {
        assert_eq!(backoff(1, 0.5), Duration::from_millis(100));
        assert_eq!(backoff(1, 1.5), Duration::from_millis(300));
        assert_eq!(backoff(3, 1.0), Duration::from_millis(800));
        assert_eq!(backoff(1, f64::NAN), Duration::from_millis(200));
        assert_eq!(backoff(1, 9.0), Duration::from_millis(300));
        assert_eq!(backoff(u32::MAX, 1.0), Duration::from_millis(200 * 1024));
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.5..1.5).contains(&j));
        }
    }

    #[test]
    fn a_backoff_beyond_the_budget_gives_up() {
        let p = RetryPolicy {
            max_attempts: 10,
            budget: Duration::from_millis(250),
        };
        let error = server(503);
        assert_eq!(
            p.decide(&error, 1, Duration::ZERO, 1.0),
            Decision::RetryAfter(Duration::from_millis(200))
        );
        assert_eq!(
            p.decide(&error, 2, Duration::from_millis(200), 1.0),
            Decision::GiveUp
        );
    }
}
