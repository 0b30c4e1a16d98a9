//! Waiters: poll an operation until a field of its result reaches a final state (the spec's
//! `x-sdk-waiters`, the same idea as smithy's `@waitable`).
//!
//! Each poll is an ordinary call, so it goes through the client's retry policy: a throttled
//! or failed poll is retried there, and a poll that still fails ends the wait with
//! [`WaitError::Poll`], unless its status is one the waiter lists as keeping it waiting
//! ([`Waiter::keep_waiting_on`], as smithy's `errorType` acceptor with state `retry`): a
//! `404` right after a create, before the new resource is visible. Between polls the waiter sleeps its interval; it gives up with
//! [`WaitError::TimedOut`], carrying the last state seen, when the next poll would start
//! after its maximum wait.
//!
//! A path through an array (`taskSet[].taskStatus`) reads the field of every element
//! ([`State::Each`]), judged as smithy's `allStringEquals` and `anyStringEquals` together:
//! the wait fails as soon as any element is in a failure state, succeeds when there is at
//! least one element and every element is in a success state, and otherwise goes on. An
//! empty or missing array keeps waiting: a list that has not caught up with a create yet is
//! not a success.

use std::fmt;
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
    /// HTTP statuses of a failed poll that keep the waiter waiting, as no state does: a
    /// `404` right after a create, before the new resource is visible.
    pub keep_waiting_on: &'static [u16],
}

/// The polled field's value in one result.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// A path to one field (`instance.status`): its value, as text.
    Value(String),
    /// A path through an array (`taskSet[].taskStatus`): the field of every element, in
    /// order, as text; `None` where an element lacks it.
    Each(Vec<Option<String>>),
}

impl fmt::Display for State {
    /// `running`; `[finished, running, (unset)]` for the elements of an array.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            State::Value(value) => f.write_str(value),
            State::Each(values) => {
                f.write_str("[")?;
                for (index, value) in values.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(value.as_deref().unwrap_or("(unset)"))?;
                }
                f.write_str("]")
            }
        }
    }
}

/// What a waiter makes of one state.
#[derive(Debug, PartialEq, Eq)]
enum Verdict<'a> {
    Success,
    /// A failure state, and for [`State::Each`] the index of the first element in one.
    Failure(&'a str, Option<usize>),
    Wait,
}

impl Waiter {
    /// Whether a poll that failed with `error` keeps the wait going: a complete response
    /// whose status is one of `keep_waiting_on`.
    fn keeps_waiting<E>(&self, error: &Error<E>) -> bool {
        let status = match error {
            Error::Service(error) => error.status,
            Error::UnexpectedStatus { status, .. } | Error::Decode { status, .. } => *status,
            _ => return false,
        };
        self.keep_waiting_on.contains(&status.as_u16())
    }

    /// Success for a success state (of every element, and at least one); failure for a
    /// failure state (of any element); anything else, or no state, keeps waiting.
    fn judge<'a>(&self, state: Option<&'a State>) -> Verdict<'a> {
        match state {
            None => Verdict::Wait,
            Some(State::Value(value)) if self.failure.contains(&value.as_str()) => {
                Verdict::Failure(value, None)
            }
            Some(State::Value(value)) if self.success.contains(&value.as_str()) => Verdict::Success,
            Some(State::Value(_)) => Verdict::Wait,
            Some(State::Each(values)) => {
                let failed = values.iter().enumerate().find_map(|(index, value)| {
                    let value = value.as_deref()?;
                    self.failure
                        .contains(&value)
                        .then_some(Verdict::Failure(value, Some(index)))
                });
                let succeeded = !values.is_empty()
                    && values
                        .iter()
                        .all(|value| value.as_deref().is_some_and(|v| self.success.contains(&v)));
                match failed {
                    Some(failure) => failure,
                    None if succeeded => Verdict::Success,
                    None => Verdict::Wait,
                }
            }
        }
    }
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
    /// The polled field (of any element, for a path through an array) reached one of the
    /// waiter's failure states.
    #[error(
        "waiter `{waiter}`: `{path}`{} is `{state}`, a failure state{}",
        element_note(.element),
        request_id_note(.request_id)
    )]
    Failed {
        /// The waiter's name.
        waiter: &'static str,
        /// The polled field's path.
        path: &'static str,
        /// The failure state seen.
        state: String,
        /// For a path through an array, the index of the first element in a failure state.
        element: Option<usize>,
        /// The request id of the poll that saw it.
        request_id: Option<String>,
    },
    /// The maximum wait passed before a success or failure state was seen.
    #[error(
        "waiter `{waiter}` gave up after {waited:?} and {polls} poll(s); last `{path}` seen: {}",
        last_state.as_ref().map_or_else(|| "none".to_owned(), ToString::to_string)
    )]
    TimedOut {
        /// The waiter's name.
        waiter: &'static str,
        /// The polled field's path.
        path: &'static str,
        /// The last state seen (`None` if the field was never present; a missing field
        /// keeps the state an earlier poll saw).
        last_state: Option<State>,
        /// Polls made.
        polls: u32,
        /// Time from the first poll to giving up.
        waited: Duration,
    },
    /// The waiter needs this parameter set on the request (a non-empty list, for a list),
    /// as its declaration requires; nothing was sent.
    #[error("waiter `{waiter}` needs `{parameter}` set on the request; nothing was sent")]
    MissingParameter {
        /// The waiter's name.
        waiter: &'static str,
        /// The parameter's name in the spec.
        parameter: &'static str,
    },
    /// The request sets a parameter the waiter refuses, as its declaration excludes: a filter
    /// that would hide the states the waiter waits for; nothing was sent.
    #[error(
        "waiter `{waiter}` cannot wait on a request with `{parameter}` set (it would hide the \
         states the waiter waits for); nothing was sent"
    )]
    ExcludedParameter {
        /// The waiter's name.
        waiter: &'static str,
        /// The parameter's name in the spec.
        parameter: &'static str,
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

fn element_note(element: &Option<usize>) -> String {
    element
        .map(|index| format!(" of element {index}"))
        .unwrap_or_default()
}

fn request_id_note(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

/// Polls with `poll` until `state` of the result is a success state (returning that
/// response) or a failure state (for arrays, see the module documentation), a poll fails,
/// or `options.max_wait` passes. Any other state, or none, keeps the waiter waiting.
pub async fn wait<T, E, P, F>(
    waiter: &Waiter,
    options: WaitOptions,
    mut poll: P,
    state: fn(&T) -> Option<State>,
) -> Result<Response<T>, WaitError<E>>
where
    P: FnMut() -> F,
    F: Future<Output = Result<Response<T>, Error<E>>>,
{
    let started = Instant::now();
    // A maximum wait too long for the clock (`Duration::MAX`) means no deadline.
    let deadline = started.checked_add(options.max_wait);
    let mut polls = 0;
    let mut last_state = None;
    loop {
        polls += 1;
        let seen = match poll().await {
            Ok(response) => {
                let seen = state(&response.body);
                match waiter.judge(seen.as_ref()) {
                    Verdict::Success => return Ok(response),
                    Verdict::Failure(value, element) => {
                        return Err(WaitError::Failed {
                            waiter: waiter.name,
                            path: waiter.path,
                            state: value.to_owned(),
                            element,
                            request_id: response.request_id,
                        });
                    }
                    Verdict::Wait => seen,
                }
            }
            Err(error) if waiter.keeps_waiting(&error) => {
                let status = error.status().map(|status| status.as_u16());
                tracing::debug!(waiter = waiter.name, status, "a status that keeps waiting");
                None
            }
            Err(error) => {
                return Err(WaitError::Poll {
                    waiter: waiter.name,
                    error,
                });
            }
        };
        tracing::debug!(
            waiter = waiter.name,
            state = seen.as_ref().map(ToString::to_string),
            polls,
            "still waiting"
        );
        last_state = seen.or(last_state);
        let next_poll = Instant::now().checked_add(options.interval);
        if deadline.is_some_and(|deadline| next_poll.is_none_or(|next| next > deadline)) {
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
        keep_waiting_on: &[404],
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

    fn state(body: &Option<String>) -> Option<State> {
        body.clone().map(State::Value)
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

    /// On the paused test clock, so the count of polls does not depend on the machine's speed:
    /// one at 0 ms and after each 1 ms pause, the last at 40 ms, when the next would be late.
    #[tokio::test(start_paused = true)]
    async fn gives_up_with_the_last_state_seen() {
        let (result, polls) = run(&[Some("pending"), Some("starting"), None]).await;
        match result {
            Err(WaitError::TimedOut {
                last_state,
                polls: counted,
                waited,
                ..
            }) => {
                assert_eq!(last_state, Some(State::Value("starting".to_owned())));
                assert_eq!(counted as usize, polls);
                assert_eq!(polls, 41);
                assert_eq!(waited, Duration::from_millis(40));
            }
            other => panic!("expected a timeout, got {other:?}"),
        }
    }

    /// `Duration::MAX` (wait as long as it takes) is no deadline, not a clock overflow; an
    /// interval that long only ends the wait when there is a deadline to pass.
    #[tokio::test]
    async fn a_maximum_wait_too_long_for_the_clock_has_no_deadline() {
        let polls = Cell::new(0);
        let forever = WaitOptions {
            interval: Duration::from_millis(1),
            max_wait: Duration::MAX,
        };
        let result: Result<_, WaitError<()>> = wait(
            &WAITER,
            forever,
            || {
                polls.set(polls.get() + 1);
                let seen = if polls.get() < 3 {
                    "pending"
                } else {
                    "running"
                };
                async move { Ok(response(Some(seen))) }
            },
            state,
        )
        .await;
        assert_eq!(result.ok().and_then(|r| r.body).as_deref(), Some("running"));
        assert_eq!(polls.get(), 3);

        let never_again = WaitOptions {
            interval: Duration::MAX,
            max_wait: Duration::from_secs(60),
        };
        let result: Result<_, WaitError<()>> = wait(
            &WAITER,
            never_again,
            || async { Ok(response(Some("pending"))) },
            state,
        )
        .await;
        assert!(
            matches!(result, Err(WaitError::TimedOut { polls: 1, .. })),
            "{result:?}"
        );
    }

    fn each(values: &[Option<&str>]) -> State {
        State::Each(values.iter().map(|v| v.map(str::to_owned)).collect())
    }

    #[test]
    fn an_array_succeeds_when_every_element_does_and_fails_when_any_does() {
        let judge = |values: &[Option<&str>]| WAITER.judge(Some(&each(values))).to_owned_verdict();
        assert_eq!(judge(&[Some("running"), Some("running")]), Ok(true));
        assert_eq!(judge(&[Some("running"), Some("pending")]), Ok(false));
        assert_eq!(
            judge(&[Some("running"), None]),
            Ok(false),
            "an unset element waits"
        );
        assert_eq!(judge(&[]), Ok(false), "an empty array waits");
        assert_eq!(
            judge(&[Some("running"), Some("pending"), Some("error")]),
            Err(("error".to_owned(), Some(2)))
        );
        assert_eq!(
            judge(&[None, Some("error"), Some("error")]),
            Err(("error".to_owned(), Some(1))),
            "the first failed element"
        );
        assert_eq!(WAITER.judge(None).to_owned_verdict(), Ok(false));
    }

    impl Verdict<'_> {
        /// `Ok(done)`, or the failure state and element.
        fn to_owned_verdict(&self) -> Result<bool, (String, Option<usize>)> {
            match self {
                Verdict::Success => Ok(true),
                Verdict::Wait => Ok(false),
                Verdict::Failure(state, element) => Err(((*state).to_owned(), *element)),
            }
        }
    }

    #[test]
    fn states_read_as_text() {
        assert_eq!(State::Value("running".to_owned()).to_string(), "running");
        assert_eq!(
            each(&[Some("finished"), None, Some("running")]).to_string(),
            "[finished, (unset), running]"
        );
        assert_eq!(each(&[]).to_string(), "[]");
    }

    fn status_error(status: u16) -> Error<()> {
        Error::UnexpectedStatus {
            status: StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT),
            headers: Box::default(),
            request_id: None,
            body: bytes::Bytes::new(),
        }
    }

    #[tokio::test]
    async fn a_status_listed_keeps_waiting_and_another_ends_the_wait() {
        let polls = Cell::new(0);
        let result = wait(
            &WAITER,
            FAST,
            || {
                polls.set(polls.get() + 1);
                let answer = match polls.get() {
                    1 | 2 => Err(status_error(404)),
                    _ => Ok(response(Some("running"))),
                };
                async move { answer }
            },
            state,
        )
        .await;
        assert_eq!(result.ok().and_then(|r| r.body).as_deref(), Some("running"));
        assert_eq!(polls.get(), 3);

        let result: Result<Response<Option<String>>, WaitError<()>> =
            wait(&WAITER, FAST, || async { Err(status_error(410)) }, state).await;
        assert!(
            matches!(&result, Err(WaitError::Poll { error, .. }) if error.status().is_some_and(|s| s == 410)),
            "{result:?}"
        );
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
