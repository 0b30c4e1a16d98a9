//! When and how often an attempt is repeated.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// Retries idempotent requests on 429, 500, 502, 503, 504, timeouts and connection failures,
/// with capped exponential backoff and full jitter, honouring `Retry-After`: never sooner
/// than the server asks, and not at all when it asks for more than `max_backoff` (the call
/// then ends with that response, whose headers say when to come back).
///
/// Build one from [`RetryPolicy::default`] (or [`RetryPolicy::none`]) and the `with_*`
/// setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 disables retries). Default 3.
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles each time. Default 200 ms.
    pub initial_backoff: Duration,
    /// Cap on one backoff; a longer `Retry-After` ends the retries. Default 5 s.
    pub max_backoff: Duration,
    /// Overall deadline for all attempts and backoffs. Default 30 s.
    pub deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Some(Duration::from_secs(30)),
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries (the other settings as in [`Default`]).
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (0 counts as 1).
    pub fn with_max_attempts(mut self, max_attempts: u32) -> Self {
        self.max_attempts = max_attempts;
        self
    }

    /// Backoff before the first retry.
    pub fn with_initial_backoff(mut self, initial_backoff: Duration) -> Self {
        self.initial_backoff = initial_backoff;
        self
    }

    /// Cap on one backoff; a longer `Retry-After` ends the retries.
    pub fn with_max_backoff(mut self, max_backoff: Duration) -> Self {
        self.max_backoff = max_backoff;
        self
    }

    /// Overall deadline for all attempts and backoffs (`None`: only the attempt count bounds it).
    pub fn with_deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Whether a response with `status` is worth another attempt.
    pub(crate) fn retries_status(status: StatusCode) -> bool {
        matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
    }

    /// The pause after failed attempt number `attempt` (1-based): the response's
    /// `Retry-After` if it has one, else a random duration up to the exponential backoff
    /// ("full jitter"). `None` when the server asks for a longer wait than `max_backoff`:
    /// retrying sooner than asked would only be refused again.
    pub(crate) fn backoff(&self, attempt: u32, headers: Option<&HeaderMap>) -> Option<Duration> {
        match headers.and_then(retry_after) {
            Some(asked) => (asked <= self.max_backoff).then_some(asked),
            None => Some(self.jittered(attempt)),
        }
    }

    /// A random duration up to `initial_backoff` doubled `attempt - 1` times, at most
    /// `max_backoff`.
    fn jittered(&self, attempt: u32) -> Duration {
        let doublings = attempt.saturating_sub(1).min(31);
        let ceiling = self
            .initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff);
        let ceiling_nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=ceiling_nanos))
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (a date in the past means no wait).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(http::header::RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn backoff_is_jittered_below_a_doubling_capped_ceiling() {
        let policy = RetryPolicy::default()
            .with_initial_backoff(Duration::from_millis(100))
            .with_max_backoff(Duration::from_millis(350));
        let backoff = |attempt| policy.backoff(attempt, None).unwrap();
        for _ in 0..200 {
            assert!(backoff(1) <= Duration::from_millis(100));
            assert!(backoff(2) <= Duration::from_millis(200));
            assert!(backoff(3) <= Duration::from_millis(350));
            assert!(backoff(60) <= Duration::from_millis(350));
        }
        // Full jitter: not a constant.
        let samples: Vec<Duration> = (0..50).map(|_| backoff(3)).collect();
        assert!(samples.iter().any(|sample| *sample != samples[0]));
    }

    #[test]
    fn retry_after_is_waited_for_exactly_unless_it_exceeds_the_cap() {
        let policy = RetryPolicy::default().with_max_backoff(Duration::from_secs(2));
        let backoff = |retry_after: &str| policy.backoff(1, Some(&headers(retry_after)));
        assert_eq!(backoff("1"), Some(Duration::from_secs(1)));
        assert_eq!(backoff(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(backoff("120"), None);
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
        assert_eq!(backoff(&later), None);
        assert_eq!(
            backoff("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        // Unparseable: falls back to the jittered backoff.
        assert!(backoff("soon").is_some_and(|delay| delay <= policy.initial_backoff));
    }

    #[test]
    fn retried_statuses() {
        for status in [429, 500, 502, 503, 504] {
            assert!(RetryPolicy::retries_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
        for status in [200, 400, 401, 404, 409, 501] {
            assert!(!RetryPolicy::retries_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
    }
}
