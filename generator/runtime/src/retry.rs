//! When and how often an attempt is repeated, and the budget that stops retries from
//! multiplying the load on a service that is already failing.
//!
//! Whether a failed attempt is retried is decided by [`RetryPolicy::should_retry`] from
//! three explicit inputs: what went wrong ([`Failure`]), whether the request may have
//! reached the server ([`Delivery`]), and whether repeating it is safe (the request is
//! idempotent by method, or marked so with [`Request::idempotent`](crate::Request::idempotent),
//! e.g. because it carries an idempotency token that is reused on every attempt).

use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// The statuses retried by default: throttling and the transient server errors.
const DEFAULT_RETRYABLE_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// Retries on 429, 500, 502, 503, 504, timeouts and connection failures, with capped
/// exponential backoff and full jitter, honouring `Retry-After`: never sooner than the
/// server asks, and not at all when it asks for more than `max_backoff` (the call then ends
/// with that response, whose headers say when to come back).
///
/// A request that may have reached the server is retried only if it is idempotent; one that
/// certainly did not (the connection was refused) is retried whatever its method. Every
/// retry is paid from the client's [`RetryBudget`], shared by all its calls, so an outage
/// does not triple the load.
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
    /// Response statuses worth another attempt. Default 429, 500, 502, 503, 504.
    pub retryable_statuses: Vec<StatusCode>,
    /// Whether an attempt that timed out is retried. Default true.
    pub retry_timeouts: bool,
    /// Whether connection failures and bodies that break off are retried. Default true.
    pub retry_connection_errors: bool,
    /// The token bucket retries are paid from (`None`: unlimited). Default
    /// [`RetryBudget::default`].
    pub budget: Option<RetryBudget>,
}

/// A token bucket, as the AWS SDKs' "standard" retry mode has: each retry costs tokens, a
/// call that succeeds first time adds one back, and one that succeeds after retrying
/// returns what its last retry cost. When the bucket cannot pay for a retry, the call ends
/// with its last result. With the defaults, a client whose every call fails stops retrying
/// after 100 retries (50 timeouts) and then sends each call once, until successes refill it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryBudget {
    /// Tokens in a full bucket (a client starts full). Default 500.
    pub capacity: u32,
    /// Cost of retrying after an error status or a connection failure. Default 5.
    pub retry_cost: u32,
    /// Cost of retrying after a timeout. Default 10.
    pub timeout_cost: u32,
    /// Tokens a call that succeeded at its first attempt adds back. Default 1.
    pub success_refund: u32,
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget {
            capacity: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        }
    }
}

impl RetryBudget {
    /// A bucket of `capacity` tokens, the other settings as in [`Default`].
    pub fn with_capacity(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            ..RetryBudget::default()
        }
    }
}

/// What went wrong with an attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// A complete response with this status.
    Status(StatusCode),
    /// No complete response within the attempt's time.
    Timeout,
    /// Connecting or sending failed, or the connection closed before a response.
    Connection,
    /// The response head arrived but the body broke off.
    BodyBrokeOff,
}

/// Whether an attempt may have reached the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Certainly not: the connection was never established.
    NotSent,
    /// Possibly or certainly: the server may have acted on it.
    MaybeDelivered,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            deadline: Some(Duration::from_secs(30)),
            retryable_statuses: DEFAULT_RETRYABLE_STATUSES
                .iter()
                .filter_map(|status| StatusCode::from_u16(*status).ok())
                .collect(),
            retry_timeouts: true,
            retry_connection_errors: true,
            budget: Some(RetryBudget::default()),
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

    /// The statuses worth another attempt (replacing the default list).
    pub fn with_retryable_statuses(
        mut self,
        statuses: impl IntoIterator<Item = StatusCode>,
    ) -> Self {
        self.retryable_statuses = statuses.into_iter().collect();
        self
    }

    /// Whether attempts that time out are retried.
    pub fn with_retry_timeouts(mut self, retry: bool) -> Self {
        self.retry_timeouts = retry;
        self
    }

    /// Whether connection failures and bodies that break off are retried.
    pub fn with_retry_connection_errors(mut self, retry: bool) -> Self {
        self.retry_connection_errors = retry;
        self
    }

    /// The retry budget (`None`: retries limited only by attempts and deadline).
    pub fn with_budget(mut self, budget: Option<RetryBudget>) -> Self {
        self.budget = budget;
        self
    }

    /// Whether a failed attempt is worth another one: the failure must be of a kind this
    /// policy retries, and a request that may have reached the server must be `idempotent`
    /// (by method, or because it carries an idempotency token reused on every attempt).
    /// Attempt count, deadline and budget are checked separately.
    pub fn should_retry(&self, failure: Failure, delivery: Delivery, idempotent: bool) -> bool {
        let kind_retried = match failure {
            Failure::Status(status) => self.retryable_statuses.contains(&status),
            Failure::Timeout => self.retry_timeouts,
            Failure::Connection | Failure::BodyBrokeOff => self.retry_connection_errors,
        };
        kind_retried && (idempotent || delivery == Delivery::NotSent)
    }

    /// The pause after failed attempt number `attempt` (1-based): the response's
    /// `Retry-After` if it has one (an HTTP date is read against `now`, the client's
    /// skew-corrected clock, since it is the server's time), else a random duration up to the
    /// exponential backoff ("full jitter"). `None` when the server asks for a longer wait
    /// than `max_backoff`: retrying sooner than asked would only be refused again.
    pub(crate) fn backoff(
        &self,
        attempt: u32,
        headers: Option<&HeaderMap>,
        now: SystemTime,
    ) -> Option<Duration> {
        match headers.and_then(|headers| retry_after(headers, now)) {
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

/// The live token count of a [`RetryBudget`], shared by every call of one client.
#[derive(Debug)]
pub(crate) struct TokenBucket {
    budget: RetryBudget,
    tokens: Mutex<u32>,
}

impl TokenBucket {
    pub(crate) fn new(budget: RetryBudget) -> Self {
        TokenBucket {
            budget,
            tokens: Mutex::new(budget.capacity),
        }
    }

    /// Takes the cost of retrying after `failure`; `None` (and nothing taken) if the bucket
    /// holds too few tokens.
    pub(crate) fn withdraw(&self, failure: Failure) -> Option<u32> {
        let cost = match failure {
            Failure::Timeout => self.budget.timeout_cost,
            _ => self.budget.retry_cost,
        };
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *tokens = tokens.checked_sub(cost)?;
        Some(cost)
    }

    /// After a successful call: gives back what its last retry cost, or the success refund
    /// if it did not retry; never beyond capacity.
    pub(crate) fn refund(&self, last_retry_cost: Option<u32>) {
        let amount = last_retry_cost.unwrap_or(self.budget.success_refund);
        let mut tokens = self
            .tokens
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *tokens = tokens.saturating_add(amount).min(self.budget.capacity);
    }
}

/// `Retry-After` as delay-seconds or an HTTP date measured from `now` (a date in the past
/// means no wait).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
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
        let backoff = |attempt| policy.backoff(attempt, None, SystemTime::now()).unwrap();
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
        let backoff =
            |retry_after: &str| policy.backoff(1, Some(&headers(retry_after)), SystemTime::now());
        assert_eq!(backoff("1"), Some(Duration::from_secs(1)));
        assert_eq!(backoff(" 2 "), Some(Duration::from_secs(2)));
        assert_eq!(backoff("120"), None);
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
        assert_eq!(backoff(&later), None);
        assert_eq!(
            backoff("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        // A date is the server's time: read against the skew-corrected clock.
        let server_now = SystemTime::now() + Duration::from_secs(3600);
        let soon = httpdate::fmt_http_date(server_now + Duration::from_secs(1));
        let delay = policy.backoff(1, Some(&headers(&soon)), server_now);
        assert!(
            delay.is_some_and(|delay| delay <= Duration::from_secs(1)),
            "{delay:?}"
        );
        // Unparseable: falls back to the jittered backoff.
        assert!(backoff("soon").is_some_and(|delay| delay <= policy.initial_backoff));
    }

    fn status(code: u16) -> Failure {
        Failure::Status(StatusCode::from_u16(code).unwrap())
    }

    #[test]
    fn retried_statuses_by_default_and_configured() {
        let policy = RetryPolicy::default();
        let retried = |policy: &RetryPolicy, code| {
            policy.should_retry(status(code), Delivery::MaybeDelivered, true)
        };
        for code in [429, 500, 502, 503, 504] {
            assert!(retried(&policy, code), "{code}");
        }
        for code in [200, 400, 401, 404, 409, 501] {
            assert!(!retried(&policy, code), "{code}");
        }
        let custom = policy.with_retryable_statuses([StatusCode::CONFLICT]);
        assert!(retried(&custom, 409));
        assert!(!retried(&custom, 503));
    }

    #[test]
    fn requests_that_may_have_arrived_are_retried_only_if_idempotent() {
        let policy = RetryPolicy::default();
        for failure in [
            status(503),
            Failure::Timeout,
            Failure::Connection,
            Failure::BodyBrokeOff,
        ] {
            assert!(policy.should_retry(failure, Delivery::MaybeDelivered, true));
            assert!(!policy.should_retry(failure, Delivery::MaybeDelivered, false));
        }
        assert!(policy.should_retry(Failure::Connection, Delivery::NotSent, false));
        let strict = RetryPolicy::default()
            .with_retry_timeouts(false)
            .with_retry_connection_errors(false);
        assert!(!strict.should_retry(Failure::Timeout, Delivery::MaybeDelivered, true));
        assert!(!strict.should_retry(Failure::Connection, Delivery::NotSent, true));
    }

    #[test]
    fn the_bucket_pays_until_empty_and_refills_on_success() {
        let budget = RetryBudget {
            capacity: 12,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
        };
        let bucket = TokenBucket::new(budget);
        assert_eq!(bucket.withdraw(Failure::Connection), Some(5));
        assert_eq!(bucket.withdraw(status(503)), Some(5));
        assert_eq!(bucket.withdraw(status(503)), None, "2 tokens left");
        bucket.refund(None);
        bucket.refund(None);
        bucket.refund(None);
        assert_eq!(bucket.withdraw(Failure::Timeout), None, "5 tokens left");
        assert_eq!(bucket.withdraw(status(500)), Some(5));
        bucket.refund(Some(5));
        bucket.refund(Some(500));
        assert_eq!(bucket.withdraw(Failure::Timeout), Some(10), "capped at 12");
        assert_eq!(bucket.withdraw(status(500)), None);
    }
}
