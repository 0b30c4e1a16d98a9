//! Clock-skew correction: request signatures carry the client's time, so a client whose clock
//! is minutes off has every request rejected. When a server rejects a request as
//! unauthenticated and its `Date` header is further than [`SKEW_THRESHOLD`] from the time
//! that attempt was signed with, the client learns the difference and signs later attempts
//! with the corrected time.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime};

use http::header::DATE;
use http::{HeaderMap, StatusCode};

/// How far a server's `Date` may be from the client's clock before it counts as skew
/// (servers commonly accept signatures up to 5 minutes off; `Date` has 1 s resolution).
pub const SKEW_THRESHOLD: Duration = Duration::from_secs(4 * 60);

/// The local clock plus the offset learned from servers, shared by a client's calls.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    /// Server time minus local time, in milliseconds.
    offset_ms: AtomicI64,
}

impl Clock {
    /// The offset learned so far (server time minus local time, in milliseconds); an attempt
    /// takes it once, signs with [`Clock::at`] and hands it back to [`Clock::learn`].
    pub(crate) fn offset(&self) -> i64 {
        self.offset_ms.load(Ordering::Relaxed)
    }

    /// The current time corrected by `offset` (from [`Clock::offset`]).
    pub(crate) fn at(offset: i64) -> SystemTime {
        shift(SystemTime::now(), offset)
    }

    /// The corrected current time.
    pub(crate) fn now(&self) -> SystemTime {
        Clock::at(self.offset())
    }

    /// After a response with `status` to an attempt signed with offset `signed_with`: if it
    /// is an authentication rejection (401, 403) whose `Date` is more than
    /// [`SKEW_THRESHOLD`] from the time the attempt was signed with, learns the server's
    /// offset and returns it (the caller re-signs and retries once).
    ///
    /// The comparison is with the attempt's offset, not the client's current one: calls
    /// signed concurrently before another call learned the offset must be re-signed too.
    pub(crate) fn learn(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        signed_with: i64,
    ) -> Option<Duration> {
        if !matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN) {
            return None;
        }
        let server = headers.get(DATE)?.to_str().ok()?;
        let server = httpdate::parse_http_date(server).ok()?;
        let offset_ms = signed_millis(server, SystemTime::now());
        let threshold = u64::try_from(SKEW_THRESHOLD.as_millis()).unwrap_or(u64::MAX);
        if offset_ms.abs_diff(signed_with) <= threshold {
            return None;
        }
        self.offset_ms.store(offset_ms, Ordering::Relaxed);
        Some(Duration::from_millis(offset_ms.unsigned_abs()))
    }
}

/// `later - earlier` in milliseconds, negative when `later` is earlier.
fn signed_millis(later: SystemTime, earlier: SystemTime) -> i64 {
    let millis = |duration: Duration| i64::try_from(duration.as_millis()).unwrap_or(i64::MAX);
    match later.duration_since(earlier) {
        Ok(ahead) => millis(ahead),
        Err(behind) => -millis(behind.duration()),
    }
}

fn shift(time: SystemTime, offset_ms: i64) -> SystemTime {
    let by = Duration::from_millis(offset_ms.unsigned_abs());
    let shifted = if offset_ms >= 0 {
        time.checked_add(by)
    } else {
        time.checked_sub(by)
    };
    shifted.unwrap_or(time)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dated(at: SystemTime) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(DATE, httpdate::fmt_http_date(at).parse().unwrap());
        headers
    }

    #[test]
    fn learns_only_from_rejections_far_from_the_clock() {
        let clock = Clock::default();
        let ahead = SystemTime::now() + Duration::from_secs(600);
        assert_eq!(clock.learn(StatusCode::OK, &dated(ahead), 0), None);
        assert_eq!(
            clock.learn(StatusCode::UNAUTHORIZED, &HeaderMap::new(), 0),
            None
        );
        let near = SystemTime::now() + Duration::from_secs(60);
        assert_eq!(clock.learn(StatusCode::UNAUTHORIZED, &dated(near), 0), None);

        let learned = clock
            .learn(StatusCode::UNAUTHORIZED, &dated(ahead), 0)
            .unwrap();
        assert!(learned.as_secs().abs_diff(600) <= 2, "{learned:?}");
        let corrected = clock.now().duration_since(SystemTime::now()).unwrap();
        assert!(corrected.as_secs().abs_diff(600) <= 2, "{corrected:?}");
        // An attempt signed with the corrected clock learns nothing new from the same time;
        // one signed before the correction (a concurrent call) is told to re-sign.
        let corrected = clock.offset();
        assert_eq!(
            clock.learn(StatusCode::FORBIDDEN, &dated(ahead), corrected),
            None
        );
        assert!(
            clock
                .learn(StatusCode::FORBIDDEN, &dated(ahead), 0)
                .is_some()
        );
    }

    #[test]
    fn learns_a_clock_that_is_ahead_of_the_server() {
        let clock = Clock::default();
        let behind = SystemTime::now() - Duration::from_secs(3600);
        assert!(
            clock
                .learn(StatusCode::FORBIDDEN, &dated(behind), 0)
                .is_some()
        );
        let lag = SystemTime::now().duration_since(clock.now()).unwrap();
        assert!(lag.as_secs().abs_diff(3600) <= 2, "{lag:?}");
    }
}
