//! Waiters: poll an operation until a field of its result reaches a final state (the spec's
//! `x-sdk-waiters`, the same idea as smithy's `@waitable`).
//!
//! Each poll is an ordinary call, so it goes through the client's retry policy: a throttled
//! or failed poll is retried there, and a poll that still fails ends the wait with
//! [`WaitError::Poll`]. Between polls the waiter sleeps its interval; it gives up with
//! [`WaitError::TimedOut`], carrying the last state seen, when the next poll would start
//! after its maximum wait.

use std::future::Future;
use std::time::Duration;

use tokio::time::Instant;

use crate::error::Error;
use crate::response::Response;

/// What one waiter declares: the states of the polled field that end the wait.
#[derive(Debug, Clone, Copy)]
pub struct Waiter {
    /// The waiter's name in the spec, e.g. `instanceRunning`.
    pub name: &'static str,
    /// The polled field's path in the result, e.g. `instance.status`, for messages.
    pub path: &'static str,
    /// States that end the wait successfully.
    pub success: &'static [&'static str],
    /// States that end the wait with [`WaitError::Failed`].
    pub failure: &'static [&'static str],
}

/// How long to wait: the pause between polls and the longest total wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitOptions {
    /// The pause after each poll that did not end the wait.
    pub interval: Duration,
    /// The longest time from the first poll to the start of the last one.
    pub max_wait: Duration,
}

/// Why a wait ended without reaching a success state.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WaitError<E> {
    /// The polled field reached one of the waiter's failure states.
    #[error("waiter `{waiter}`: `{path}` is `{state}`, a failure state{}", request_id_note(.request_id))]
    Failed {
        /// The waiter's name.
        waiter: &'static str,
        /// The polled field's path.
        path: &'static str,
        /// The failure state seen.
        state: String,
        /// The request id of the poll that saw it.
        request_id: Option<String>,
    },
    /// The maximum wait passed before a success or failure state was seen.
    #[error(
        "waiter `{waiter}` gave up after {waited:?} and {polls} poll(s); last `{path}` seen: {}",
        last_state.as_deref().unwrap_or("none")
    )]
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// The polled field's path.
        path: &'static str,
        /// The last state seen (`None` if the field was never present).
        last_state: Option<String>,
        /// Polls made.
        polls: u32,
        /// Time from the first poll to giving up.
        waited: Duration,
    },
    /// A poll failed after the client's retries.
    #[error("waiter `{waiter}`: a poll failed: {error}")]
    Poll {
        /// The waiter's name.
        waiter: &'static str,
        /// The call's error.
        error: Error<E>,
    },
}

fn request_id_note(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

/// Polls with `poll` until `state` of the result is a success state (returning that
/// response) or a failure state, a poll fails, or `options.max_wait` passes. A state in
/// neither list, or a missing field, keeps the waiter waiting.
pub async fn wait<T, E, P, F>(
    waiter: &Waiter,
    options: WaitOptions,
    mut poll: P,
    state: fn(&T) -> Option<String>,
) -> Result<Response<T>, WaitError<E>>
where
    P: FnMut() -> F,
    F: Future<Output = Result<Response<T>, Error<E>>>,
{
    let started = Instant::now();
    let deadline = started + options.max_wait;
    let mut polls = 0;
    let mut last_state = None;
    loop {
        polls += 1;
        let response = poll().await.map_err(|error| WaitError::Poll {
            waiter: waiter.name,
            error,
        })?;
        let seen = state(&response.body);
        match seen.as_deref() {
            Some(value) if waiter.success.contains(&value) => return Ok(response),
            Some(value) if waiter.failure.contains(&value) => {
                return Err(WaitError::Failed {
                    waiter: waiter.name,
                    path: waiter.path,
                    state: value.to_owned(),
                    request_id: response.request_id,
                });
            }
            _ => {}
        }
        tracing::debug!(
            waiter = waiter.name,
            state = seen.as_deref(),
            polls,
            "still waiting"
        );
        last_state = seen.or(last_state);
        if Instant::now() + options.interval > deadline {
            return Err(WaitError::TimedOut {
                waiter: waiter.name,
                path: waiter.path,
                last_state,
                polls,
                waited: started.elapsed(),
            });
        }
        tokio::time::sleep(options.interval).await;
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use http::{HeaderMap, StatusCode};

    use super::*;

    const WAITER: Waiter = Waiter {
        name: "instanceRunning",
        path: "status",
        success: &["running"],
        failure: &["error"],
    };

    const FAST: WaitOptions = WaitOptions {
        interval: Duration::from_millis(1),
        max_wait: Duration::from_millis(40),
    };

    fn response(state: Option<&str>) -> Response<Option<String>> {
        Response {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            request_id: Some("req-1".to_owned()),
            body: state.map(str::to_owned),
        }
    }

    fn state(body: &Option<String>) -> Option<String> {
        body.clone()
    }

    /// Polls that see `states` in turn, then the last one forever.
    async fn run(
        states: &[Option<&str>],
    ) -> (Result<Response<Option<String>>, WaitError<()>>, usize) {
        let polls = Cell::new(0);
        let result = wait(
            &WAITER,
            FAST,
            || {
                let seen = states[polls.get().min(states.len() - 1)];
                polls.set(polls.get() + 1);
                async move { Ok(response(seen)) }
            },
            state,
        )
        .await;
        (result, polls.get())
    }

    #[tokio::test]
    async fn succeeds_on_a_success_state_after_waiting() {
        let (result, polls) = run(&[None, Some("pending"), Some("running")]).await;
        assert_eq!(result.ok().and_then(|r| r.body).as_deref(), Some("running"));
        assert_eq!(polls, 3);
    }

    #[tokio::test]
    async fn fails_on_a_failure_state_naming_it() {
        let (result, polls) = run(&[Some("pending"), Some("error")]).await;
        let error = result.err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(
            error,
            "waiter `instanceRunning`: `status` is `error`, a failure state (request id req-1)"
        );
        assert_eq!(polls, 2);
    }

    #[tokio::test]
    async fn gives_up_with_the_last_state_seen() {
        let (result, polls) = run(&[Some("pending"), Some("starting"), None]).await;
        match result {
            Err(WaitError::TimedOut {
                last_state,
                polls: counted,
                ..
            }) => {
                assert_eq!(last_state.as_deref(), Some("starting"));
                assert_eq!(counted as usize, polls);
                assert!(polls >= 3, "polled {polls} times");
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_failed_poll_ends_the_wait() {
        let result: Result<Response<Option<String>>, WaitError<()>> = wait(
            &WAITER,
            FAST,
            || async { Err(Error::Timeout { attempts: 3 }) },
            state,
        )
        .await;
        assert!(matches!(
            result,
            Err(WaitError::Poll {
                error: Error::Timeout { attempts: 3 },
                ..
            })
        ));
    }
}
