//! The transport: one `Client` shared by all of a generated crate's operations.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::{ACCEPT, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use crate::auth::{AuthContext, AuthError, AuthRequest, Authenticator, schemes_of};
use crate::builder::ClientBuilder;
use crate::clock::Clock;
use crate::error::{DecodeError, Error, ServiceError, server_message};
use crate::request::{Body, Request};
use crate::response::{Outcome, RawResponse, Response};
use crate::retry::{Delivery, Failure, RetryPolicy, TokenBucket};
use crate::stream::ByteStream;

/// What a generated decode function looks like.
pub(crate) type Decode<T, E> = fn(&mut RawResponse) -> Result<Outcome<T, E>, DecodeError>;

/// Cheap to clone (an `Arc`); `Send + Sync`. Clones share the retry budget and the learned
/// clock offset.
#[derive(Debug, Clone)]
pub struct Client {
    inner: Arc<Settings>,
}

/// Everything a client is configured with, shared by its clones.
#[derive(Debug)]
pub(crate) struct Settings {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: url::Url,
    pub(crate) auth: Arc<dyn Authenticator>,
    pub(crate) retry: RetryPolicy,
    pub(crate) timeout: Duration,
    /// Sent on every request before it is authenticated: default headers, then the user agent.
    pub(crate) headers: HeaderMap,
    /// Sent as `Accept` unless the request or the default headers have one.
    pub(crate) accept: HeaderValue,
    /// The largest response body read into memory, in bytes.
    pub(crate) max_body_size: u64,
    /// The live state of `retry.budget`.
    pub(crate) budget: Option<TokenBucket>,
    pub(crate) clock: Clock,
}

impl Client {
    /// Starts a client for the API at `base_url` (which may have a path, e.g.
    /// `https://host/v1`; operation paths are appended to it).
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder::new(base_url)
    }

    /// A client from settings [`ClientBuilder::build`] has checked.
    pub(crate) fn from_settings(settings: Settings) -> Client {
        Client {
            inner: Arc::new(settings),
        }
    }

    /// The largest response body read into memory, in bytes.
    pub(crate) fn max_body_size(&self) -> u64 {
        self.inner.max_body_size
    }

    /// The base URL operation paths are appended to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// Sends `request` (retrying as the policy allows) and decodes the final response with
    /// the generated `decode` function.
    ///
    /// Each attempt is authenticated afresh and must complete (authentication, head and
    /// whole body) within the per-attempt timeout and the policy's overall deadline; a body
    /// larger than [`ClientBuilder::max_body_size`] ends the call with
    /// [`Error::BodyTooLarge`] as soon as the limit is passed. Retries follow
    /// [`RetryPolicy::should_retry`] and the client's retry budget; a rejection as
    /// unauthenticated from a server whose clock differs by minutes is re-signed with the
    /// corrected time and sent once more. The last response is decoded whatever its status.
    pub fn execute<T, E>(
        &self,
        request: Request,
        decode: Decode<T, E>,
    ) -> ResponseFuture<'_, T, E> {
        let span = call_span(&request);
        let call = span.clone();
        let exchange = async move {
            let prepared = self.prepare(&request)?;
            Ok(self.send(&request, &prepared, false, &call).await)
        }
        .instrument(span.clone());
        ResponseFuture {
            exchange: Box::pin(exchange),
            decode,
            span,
        }
    }

    /// Like [`execute`](Self::execute), but a success (2xx) body is not read: it is handed
    /// over as a [`ByteStream`], for large binary responses. The per-attempt timeout covers
    /// authentication and the response head; each chunk of the stream must then arrive
    /// within the per-attempt timeout of the previous one, and the stream has no size
    /// limit (the caller decides how much to read). Error statuses are read (within the
    /// size limit) and decoded with `decode` as `execute` does.
    pub async fn execute_streaming<T, E>(
        &self,
        request: Request,
        decode: Decode<T, E>,
    ) -> Result<Response<ByteStream>, Error<E>> {
        let span = call_span(&request);
        async {
            let prepared = self.prepare(&request).map_err(Error::InvalidRequest)?;
            let last = self.send(&request, &prepared, true, &span).await;
            let received = into_received(last.result, last.attempts)?;
            let Received { mut raw, unread } = received;
            if !raw.status.is_success() {
                // A non-2xx status documented as a success (rare) has no stream to give.
                let body = raw.body.clone();
                return match finish(raw, decode, &last.span) {
                    Ok(response) => Err(unexpected(
                        response.status,
                        response.headers,
                        response.request_id,
                        body,
                    )),
                    Err(error) => Err(error),
                };
            }
            let body = match unread {
                Some(response) => ByteStream::live(response, self.inner.timeout),
                None => ByteStream::whole(std::mem::take(&mut raw.body)),
            };
            Ok(Response {
                status: raw.status,
                headers: raw.headers,
                request_id: raw.request_id,
                body,
            })
        }
        .instrument(span.clone())
        .await
    }

    /// The request exactly as the first attempt would send it (URL, headers and body,
    /// authenticated at the client's clock), without sending anything: for dry runs and
    /// presigning. A new nonce or date makes each call's signature differ.
    pub async fn sign(&self, request: &Request) -> Result<AuthRequest, Error<()>> {
        let prepared = self.prepare(request).map_err(Error::InvalidRequest)?;
        let mut auth_request = prepared.auth_request();
        let schemes = schemes_of(request.operation.security);
        let context = AuthContext {
            operation: request.operation,
            schemes: &schemes,
            requirements: request.operation.security,
            path_params: &request.path_params,
            attempt: 1,
            time: self.inner.clock.now(),
        };
        self.inner
            .auth
            .authenticate(&mut auth_request, &context)
            .await?;
        Ok(auth_request)
    }

    /// Sends attempts until one succeeds or the policy, deadline or budget says stop.
    async fn send(
        &self,
        request: &Request,
        prepared: &Prepared,
        streaming: bool,
        call_span: &Span,
    ) -> LastAttempt {
        let deadline = self
            .inner
            .retry
            .deadline
            // A deadline too far for the clock (`Duration::MAX`) is no deadline.
            .and_then(|deadline| Instant::now().checked_add(deadline));
        let idempotent = request.is_idempotent();
        let mut attempt = 0;
        let mut skew_retries = 0;
        let mut last_retry_cost = None;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = field::Empty,
                request_id = field::Empty
            );
            let clock_offset = self.inner.clock.offset();
            let mut result = self
                .attempt(
                    request,
                    prepared,
                    attempt,
                    clock_offset,
                    deadline,
                    streaming,
                )
                .instrument(span.clone())
                .await;
            if let Ok(received) = &result {
                span.record("status", received.raw.status.as_u16());
                span.record("request_id", received.raw.request_id.as_deref());
            }
            if skew_retries == 0 && self.skewed(&result, clock_offset, &span) && before(deadline) {
                skew_retries = 1;
                continue;
            }
            let retry = self.next_retry(&result, attempt - skew_retries, idempotent, deadline);
            let Some((delay, cost)) = retry else {
                if let (Some(bucket), Ok(received)) = (&self.inner.budget, &result) {
                    if received.raw.status.is_success() {
                        bucket.refund(last_retry_cost);
                    }
                }
                call_span.record("attempts", attempt);
                return LastAttempt {
                    result,
                    attempts: attempt,
                    span,
                };
            };
            last_retry_cost = Some(cost);
            if let Ok(received) = &mut result {
                received.raw.read_body_request_id();
                span.record("request_id", received.raw.request_id.as_deref());
            }
            let reason = retry_reason(&result);
            tracing::debug!(parent: &span, delay_ms = delay.as_millis(), %reason, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// The pause before retrying after attempt number `attempt` (skew re-sends not counted)
    /// and the tokens it cost; `None` when the policy, the deadline or the budget says stop.
    fn next_retry(
        &self,
        result: &Result<Received, AttemptError>,
        attempt: u32,
        idempotent: bool,
        deadline: Option<Instant>,
    ) -> Option<(Duration, u32)> {
        let policy = &self.inner.retry;
        let (failure, delivery) = failure_of(result)?;
        if attempt >= policy.max_attempts || !policy.should_retry(failure, delivery, idempotent) {
            return None;
        }
        let headers = result.as_ref().ok().map(|received| &received.raw.headers);
        let delay = policy
            .backoff(attempt, headers, self.inner.clock.now())
            .filter(|delay| {
                // A pause too long for the clock ends after any deadline.
                deadline.is_none_or(|deadline| {
                    Instant::now()
                        .checked_add(*delay)
                        .is_some_and(|resume| resume < deadline)
                })
            })?;
        let Some(bucket) = &self.inner.budget else {
            return Some((delay, 0));
        };
        match bucket.withdraw(failure) {
            Some(cost) => Some((delay, cost)),
            None => {
                tracing::debug!("retry budget exhausted; not retrying");
                None
            }
        }
    }

    /// Whether `result` is an authentication rejection by a server whose clock is minutes
    /// away from the time the attempt was signed with (clock offset `signed_with`); the
    /// offset is then learned, and later attempts are signed with it.
    fn skewed(
        &self,
        result: &Result<Received, AttemptError>,
        signed_with: i64,
        span: &Span,
    ) -> bool {
        let Ok(received) = result else {
            return false;
        };
        let Some(offset) =
            self.inner
                .clock
                .learn(received.raw.status, &received.raw.headers, signed_with)
        else {
            return false;
        };
        tracing::warn!(
            parent: span,
            offset_s = offset.as_secs(),
            "the server rejected the request and its clock differs from ours; re-signing with its time"
        );
        true
    }

    /// One attempt, signed with clock offset `clock_offset`, within its time limit (the
    /// per-attempt timeout, or less if the deadline is nearer).
    async fn attempt(
        &self,
        request: &Request,
        prepared: &Prepared,
        attempt: u32,
        clock_offset: i64,
        deadline: Option<Instant>,
        streaming: bool,
    ) -> Result<Received, AttemptError> {
        let limit = match deadline {
            Some(deadline) => self
                .inner
                .timeout
                .min(deadline.saturating_duration_since(Instant::now())),
            None => self.inner.timeout,
        };
        let exchange = self.exchange(request, prepared, attempt, clock_offset, streaming);
        tokio::time::timeout(limit, exchange)
            .await
            .map_err(|_| AttemptError::Timeout)?
    }

    /// Authenticates, sends, and reads the body (unless it is a success to be streamed).
    async fn exchange(
        &self,
        request: &Request,
        prepared: &Prepared,
        attempt: u32,
        clock_offset: i64,
        streaming: bool,
    ) -> Result<Received, AttemptError> {
        let operation = request.operation;
        let mut auth_request = prepared.auth_request();
        let schemes = schemes_of(operation.security);
        let context = AuthContext {
            operation,
            schemes: &schemes,
            requirements: operation.security,
            path_params: &request.path_params,
            attempt,
            time: Clock::at(clock_offset),
        };
        self.inner
            .auth
            .authenticate(&mut auth_request, &context)
            .await
            .map_err(AttemptError::Auth)?;
        let mut response = self
            .inner
            .http
            .execute(into_reqwest(auth_request))
            .await
            .map_err(AttemptError::Transport)?;
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        if streaming && status.is_success() {
            return Ok(Received {
                raw: RawResponse::new(operation, status, headers, Bytes::new()),
                unread: Some(response),
            });
        }
        match read_body(response, self.inner.max_body_size).await {
            Ok(body) => Ok(Received {
                raw: RawResponse::new(operation, status, headers, body),
                unread: None,
            }),
            Err(BodyError::TooLarge) => Err(AttemptError::TooLarge(
                RawResponse::new(operation, status, headers, Bytes::new()),
                self.inner.max_body_size,
            )),
            Err(BodyError::Broken { partial, source }) => Err(AttemptError::Incomplete(
                RawResponse::new(operation, status, headers, partial),
                source,
            )),
        }
    }

    /// Everything about the request that does not change between attempts.
    fn prepare(&self, request: &Request) -> Result<Prepared, String> {
        let (path, query) = request.path_and_query()?;
        let mut url = self.inner.base_url.clone();
        let base_path = url.path().trim_end_matches('/');
        let separator = if path.starts_with('/') { "" } else { "/" };
        let joined = format!("{base_path}{separator}{path}");
        url.set_path(&joined);
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        let mut headers = self.inner.headers.clone();
        for (name, value) in &request.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("header parameter `{name}` is not a valid header name"))?;
            let header_value = HeaderValue::from_str(value).map_err(|_| {
                format!("header parameter `{name}` has a value that cannot be sent in a header")
            })?;
            headers.append(header_name, header_value);
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, self.inner.accept.clone());
        }
        let body = match &request.body {
            None => None,
            Some(Body::Invalid(reason)) => {
                return Err(format!(
                    "the request body could not be serialised: {reason}"
                ));
            }
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                let value = HeaderValue::from_str(content_type).map_err(|_| {
                    format!("content type `{content_type}` cannot be sent in a header")
                })?;
                headers.insert(CONTENT_TYPE, value);
                Some(bytes.clone())
            }
        };
        Ok(Prepared {
            method: request.operation.method.as_http(),
            url,
            headers,
            body,
        })
    }
}

/// What [`Client::execute`] returns, and a generated operation's `send()` and `.await`: a
/// call, decoded into the operation's types when it completes.
///
/// The exchange (signing, attempts, retries) does not depend on the operation's types, so it
/// is compiled once, as one boxed future; only the final decoding is generic. Generated
/// crates therefore add no future type per operation, which keeps them quick to compile.
/// `Send`, and `Unpin`.
#[must_use = "a call does nothing until it is awaited"]
pub struct ResponseFuture<'a, T, E> {
    exchange: Pin<Box<dyn Future<Output = Result<LastAttempt, String>> + Send + 'a>>,
    decode: Decode<T, E>,
    /// The call's span, entered again while the final response is decoded.
    span: Span,
}

impl<T, E> Future for ResponseFuture<'_, T, E> {
    type Output = Result<Response<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        let settled = ready!(this.exchange.as_mut().poll(cx));
        let _entered = this.span.enter();
        Poll::Ready(match settled {
            Err(invalid) => Err(Error::InvalidRequest(invalid)),
            Ok(last) => into_received(last.result, last.attempts)
                .and_then(|received| finish(received.raw, this.decode, &last.span)),
        })
    }
}

impl<T, E> std::fmt::Debug for ResponseFuture<'_, T, E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

fn call_span(request: &Request) -> Span {
    let operation = request.operation;
    tracing::info_span!(
        "sdk_call",
        operation = operation.id,
        method = %operation.method.as_http(),
        attempts = field::Empty,
    )
}

fn before(deadline: Option<Instant>) -> bool {
    deadline.is_none_or(|deadline| Instant::now() < deadline)
}

/// The parts of a request that every attempt copies.
struct Prepared {
    method: http::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Prepared {
    fn auth_request(&self) -> AuthRequest {
        AuthRequest::new(
            self.method.clone(),
            self.url.clone(),
            self.headers.clone(),
            self.body.clone(),
        )
    }
}

fn into_reqwest(request: AuthRequest) -> reqwest::Request {
    let AuthRequest {
        method,
        url,
        headers,
        body,
    } = request;
    let mut http_request = reqwest::Request::new(method, url);
    *http_request.headers_mut() = headers;
    *http_request.body_mut() = body.map(reqwest::Body::from);
    http_request
}

/// A response as one attempt got it: the body read, or (streaming a success) left unread.
struct Received {
    raw: RawResponse,
    unread: Option<reqwest::Response>,
}

/// The final attempt of a call.
struct LastAttempt {
    result: Result<Received, AttemptError>,
    attempts: u32,
    span: Span,
}

/// How one attempt failed short of a complete response.
enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
    /// The body broke off; the response holds what arrived.
    Incomplete(RawResponse, reqwest::Error),
    /// The body passed the size limit (given); the response has no body.
    TooLarge(RawResponse, u64),
    Auth(AuthError),
}

enum BodyError {
    TooLarge,
    Broken {
        partial: Bytes,
        source: reqwest::Error,
    },
}

/// Reads the whole body, at most `limit` bytes (refusing a larger `Content-Length` before
/// reading), keeping what arrived if it breaks off.
async fn read_body(mut response: reqwest::Response, limit: u64) -> Result<Bytes, BodyError> {
    if response
        .content_length()
        .is_some_and(|length| length > limit)
    {
        return Err(BodyError::TooLarge);
    }
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let length = u64::try_from(body.len() + chunk.len()).unwrap_or(u64::MAX);
                if length > limit {
                    return Err(BodyError::TooLarge);
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body.freeze()),
            Err(source) => {
                return Err(BodyError::Broken {
                    partial: body.freeze(),
                    source,
                });
            }
        }
    }
}

/// What went wrong, and whether the request may have reached the server; `None` for a
/// success and for failures that are never retried (authentication, an oversized body,
/// a request reqwest refused to build).
fn failure_of(result: &Result<Received, AttemptError>) -> Option<(Failure, Delivery)> {
    match result {
        Ok(received) if received.raw.status.is_success() => None,
        Ok(received) => Some((
            Failure::Status(received.raw.status),
            Delivery::MaybeDelivered,
        )),
        Err(AttemptError::Timeout) => Some((Failure::Timeout, Delivery::MaybeDelivered)),
        Err(AttemptError::Transport(error)) if error.is_builder() => None,
        Err(AttemptError::Transport(error)) if error.is_timeout() => {
            Some((Failure::Timeout, Delivery::MaybeDelivered))
        }
        Err(AttemptError::Transport(error)) => {
            let delivery = if error.is_connect() {
                Delivery::NotSent
            } else {
                Delivery::MaybeDelivered
            };
            Some((Failure::Connection, delivery))
        }
        Err(AttemptError::Incomplete(..)) => {
            Some((Failure::BodyBrokeOff, Delivery::MaybeDelivered))
        }
        Err(AttemptError::TooLarge(..) | AttemptError::Auth(_)) => None,
    }
}

fn retry_reason(result: &Result<Received, AttemptError>) -> String {
    match result {
        Ok(received) => format!("HTTP {}", received.raw.status),
        Err(AttemptError::Timeout) => "timeout".to_owned(),
        Err(AttemptError::Transport(error)) => match std::error::Error::source(error) {
            Some(cause) => format!("connection failure: {cause}"),
            None => "connection failure".to_owned(),
        },
        Err(AttemptError::Incomplete(..)) => "body broke off".to_owned(),
        Err(AttemptError::TooLarge(..)) => "body too large".to_owned(),
        Err(AttemptError::Auth(_)) => "authentication".to_owned(),
    }
}

/// The final attempt's response, or the error it ended in.
fn into_received<E>(
    result: Result<Received, AttemptError>,
    attempts: u32,
) -> Result<Received, Error<E>> {
    match result {
        Ok(received) => Ok(received),
        Err(AttemptError::Timeout) => Err(Error::Timeout { attempts }),
        Err(AttemptError::Transport(source)) if source.is_timeout() => {
            Err(Error::Timeout { attempts })
        }
        Err(AttemptError::Transport(source)) => Err(Error::Connection {
            attempts,
            source: source.without_url(),
        }),
        Err(AttemptError::Incomplete(raw, source)) => {
            let RawResponse {
                status,
                headers,
                body,
                request_id,
                ..
            } = raw;
            Err(Error::IncompleteBody {
                status,
                headers: Box::new(headers),
                request_id,
                body,
                attempts,
                source: source.without_url(),
            })
        }
        Err(AttemptError::TooLarge(raw, limit)) => Err(Error::BodyTooLarge {
            status: raw.status,
            headers: Box::new(raw.headers),
            request_id: raw.request_id,
            limit,
        }),
        Err(AttemptError::Auth(error)) => Err(Error::Auth(error)),
    }
}

/// Decodes a complete response into the call's result. An error status whose body does
/// not decode as documented (an HTML page from a proxy) is reported with its status and
/// raw body as [`Error::UnexpectedStatus`], never as a decode failure.
fn finish<T, E>(
    mut raw: RawResponse,
    decode: Decode<T, E>,
    span: &Span,
) -> Result<Response<T>, Error<E>> {
    let outcome = decode(&mut raw);
    raw.read_body_request_id();
    span.record("request_id", raw.request_id.as_deref());
    let error_field = raw.envelope.and_then(|envelope| envelope.error);
    let RawResponse {
        status,
        headers,
        body: raw_body,
        request_id,
        ..
    } = raw;
    match outcome {
        Ok(Outcome::Success(body)) => Ok(Response {
            status,
            headers,
            request_id,
            body,
        }),
        Ok(Outcome::Failure(body)) => Err(Error::Service(Box::new(ServiceError {
            status,
            headers,
            request_id,
            message: server_message(status, &raw_body, error_field),
            body,
            raw: raw_body,
        }))),
        Ok(Outcome::Unexpected) => Err(unexpected(status, headers, request_id, raw_body)),
        Err(_) if !status.is_success() => Err(unexpected(status, headers, request_id, raw_body)),
        Err(source) => Err(Error::Decode {
            status,
            headers: Box::new(headers),
            request_id,
            body: raw_body,
            source,
        }),
    }
}

fn unexpected<E>(
    status: StatusCode,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Bytes,
) -> Error<E> {
    Error::UnexpectedStatus {
        status,
        headers: Box::new(headers),
        request_id,
        body,
    }
}
