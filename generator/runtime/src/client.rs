//! The transport: one `Client` shared by all of a generated crate's operations.

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use http::header::CONTENT_TYPE;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use tokio::time::Instant;
use tracing::{Instrument, Span, field};

use crate::auth::{AuthContext, AuthError, Authenticator};
use crate::builder::ClientBuilder;
use crate::error::{DecodeError, Error, ServiceError};
use crate::request::{Body, Request};
use crate::response::{Outcome, RawResponse, Response};
use crate::retry::RetryPolicy;

/// What a generated decode function looks like.
type Decode<T, E> = fn(&mut RawResponse) -> Result<Outcome<T, E>, DecodeError>;

/// Cheap to clone (an `Arc`); `Send + Sync`.
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

    /// The base URL operation paths are appended to.
    pub fn base_url(&self) -> &url::Url {
        &self.inner.base_url
    }

    /// Sends `request` (retrying as the policy allows) and decodes the final response with
    /// the generated `decode` function.
    ///
    /// Each attempt is authenticated afresh and must complete (head and whole body) within
    /// the per-attempt timeout and the policy's overall deadline. Only idempotent methods
    /// are retried, on 429, 500, 502, 503, 504, timeouts, connection failures and bodies
    /// that break off; the last response is decoded whatever its status.
    pub async fn execute<T, E>(
        &self,
        request: Request,
        decode: fn(&mut RawResponse) -> Result<Outcome<T, E>, DecodeError>,
    ) -> Result<Response<T>, Error<E>> {
        let operation = request.operation;
        let span = tracing::info_span!(
            "sdk_call",
            operation = operation.id,
            method = %operation.method.as_http(),
            attempts = field::Empty,
        );
        self.run(request, decode, span.clone())
            .instrument(span)
            .await
    }

    async fn run<T, E>(
        &self,
        request: Request,
        decode: Decode<T, E>,
        call_span: Span,
    ) -> Result<Response<T>, Error<E>> {
        let prepared = self.prepare(&request).map_err(Error::InvalidRequest)?;
        let policy = &self.inner.retry;
        let max_attempts = policy.max_attempts.max(1);
        let deadline = policy.deadline.map(|deadline| Instant::now() + deadline);
        let idempotent = request.operation.method.is_idempotent();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "attempt",
                attempt,
                status = field::Empty,
                request_id = field::Empty
            );
            let mut result = self
                .attempt(&request, &prepared, attempt, deadline)
                .instrument(span.clone())
                .await;
            if let Ok(raw) = &result {
                span.record("status", raw.status.as_u16());
                span.record("request_id", raw.request_id.as_deref());
            }
            let retryable = idempotent && attempt < max_attempts && is_retryable(&result);
            let delay = retryable
                .then(|| policy.backoff(attempt, result.as_ref().ok().map(|raw| &raw.headers)))
                .flatten()
                .filter(|delay| deadline.is_none_or(|deadline| Instant::now() + *delay < deadline));
            let Some(delay) = delay else {
                call_span.record("attempts", attempt);
                return finish(result, decode, attempt, &span);
            };
            if let Ok(raw) = &mut result {
                raw.read_body_request_id();
                span.record("request_id", raw.request_id.as_deref());
            }
            let reason = retry_reason(&result);
            tracing::debug!(parent: &span, delay_ms = delay.as_millis(), %reason, "retrying");
            tokio::time::sleep(delay).await;
        }
    }

    /// Builds, authenticates and sends one attempt, reading the whole body within the
    /// attempt's time limit.
    async fn attempt(
        &self,
        request: &Request,
        prepared: &Prepared,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Result<RawResponse, AttemptError> {
        let operation = request.operation;
        let mut http_request = prepared.build();
        let context = AuthContext {
            operation,
            schemes: operation.security,
            path_params: &request.path_params,
            attempt,
        };
        self.inner
            .auth
            .authenticate(&mut http_request, &context)
            .map_err(AttemptError::Auth)?;
        let limit = match deadline {
            Some(deadline) => self
                .inner
                .timeout
                .min(deadline.saturating_duration_since(Instant::now())),
            None => self.inner.timeout,
        };
        let (status, headers, body) =
            tokio::time::timeout(limit, read_response(&self.inner.http, http_request))
                .await
                .map_err(|_| AttemptError::Timeout)?
                .map_err(|error| match error {
                    ReadError::Send(error) => AttemptError::Transport(error),
                    ReadError::Body {
                        status,
                        headers,
                        partial,
                        source,
                    } => AttemptError::Incomplete(
                        RawResponse::new(operation, status, headers, partial),
                        source,
                    ),
                })?;
        Ok(RawResponse::new(operation, status, headers, body))
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

/// The parts of a request that every attempt copies.
struct Prepared {
    method: http::Method,
    url: url::Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl Prepared {
    fn build(&self) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        request
    }
}

/// How one attempt failed short of a complete response.
enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
    /// The body broke off; the response holds what arrived.
    Incomplete(RawResponse, reqwest::Error),
    Auth(AuthError),
}

enum ReadError {
    Send(reqwest::Error),
    Body {
        status: StatusCode,
        headers: HeaderMap,
        partial: Bytes,
        source: reqwest::Error,
    },
}

/// Sends and reads the whole body, keeping what arrived if it breaks off.
async fn read_response(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<(StatusCode, HeaderMap, Bytes), ReadError> {
    let mut response = http.execute(request).await.map_err(ReadError::Send)?;
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let mut body = BytesMut::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => return Ok((status, headers, body.freeze())),
            Err(source) => {
                return Err(ReadError::Body {
                    status,
                    headers,
                    partial: body.freeze(),
                    source,
                });
            }
        }
    }
}

/// Retryable statuses and transport failures; never authentication failures, nor
/// requests reqwest refused to build.
fn is_retryable(result: &Result<RawResponse, AttemptError>) -> bool {
    match result {
        Ok(raw) => RetryPolicy::retries_status(raw.status),
        Err(AttemptError::Timeout | AttemptError::Incomplete(..)) => true,
        Err(AttemptError::Transport(error)) => !error.is_builder(),
        Err(AttemptError::Auth(_)) => false,
    }
}

fn retry_reason(result: &Result<RawResponse, AttemptError>) -> String {
    match result {
        Ok(raw) => format!("HTTP {}", raw.status),
        Err(AttemptError::Timeout) => "timeout".to_owned(),
        Err(AttemptError::Transport(error)) => match std::error::Error::source(error) {
            Some(cause) => format!("connection failure: {cause}"),
            None => "connection failure".to_owned(),
        },
        Err(AttemptError::Incomplete(..)) => "body broke off".to_owned(),
        Err(AttemptError::Auth(_)) => "authentication".to_owned(),
    }
}

/// Turns the last attempt into the call's result, decoding a complete response.
fn finish<T, E>(
    result: Result<RawResponse, AttemptError>,
    decode: Decode<T, E>,
    attempts: u32,
    span: &Span,
) -> Result<Response<T>, Error<E>> {
    let mut raw = match result {
        Ok(raw) => raw,
        Err(AttemptError::Timeout) => return Err(Error::Timeout { attempts }),
        Err(AttemptError::Transport(source)) if source.is_timeout() => {
            return Err(Error::Timeout { attempts });
        }
        Err(AttemptError::Transport(source)) => {
            return Err(Error::Connection {
                attempts,
                source: source.without_url(),
            });
        }
        Err(AttemptError::Incomplete(raw, source)) => {
            let RawResponse {
                status,
                headers,
                body,
                request_id,
                ..
            } = raw;
            let (headers, source) = (Box::new(headers), source.without_url());
            return Err(Error::IncompleteBody {
                status,
                headers,
                request_id,
                body,
                attempts,
                source,
            });
        }
        Err(AttemptError::Auth(error)) => return Err(Error::Auth(error)),
    };
    let outcome = decode(&mut raw);
    raw.read_body_request_id();
    span.record("request_id", raw.request_id.as_deref());
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
            body,
            raw: raw_body,
        }))),
        Ok(Outcome::Unexpected) => Err(Error::UnexpectedStatus {
            status,
            headers: Box::new(headers),
            request_id,
            body: raw_body,
        }),
        Err(source) => Err(Error::Decode {
            status,
            headers: Box::new(headers),
            request_id,
            body: raw_body,
            source,
        }),
    }
}
