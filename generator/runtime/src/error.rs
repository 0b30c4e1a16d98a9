//! The one error type of every generated operation.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

/// Why a call failed. `E` is the operation's typed error body (one type, or an enum of the
/// documented error statuses' types).
///
/// Messages name the status and request id where there is one, never credentials: the
/// transport errors inside [`Connection`](Error::Connection) and
/// [`IncompleteBody`](Error::IncompleteBody) have their URL removed (an API key may be in
/// its query).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error<E> {
    /// The service answered with a documented error status and a body that decoded as `E`
    /// (boxed, like the headers below, to keep `Result<_, Error<E>>` small).
    #[error("service error: HTTP {}{}", .0.status, request_id_suffix(.0.request_id.as_deref()))]
    Service(Box<ServiceError<E>>),
    /// A status the spec does not document for this operation.
    #[error("unexpected HTTP status {status}{}", request_id_suffix(.request_id.as_deref()))]
    UnexpectedStatus {
        /// The status received.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The request id, from the body's envelope or the request-id header.
        request_id: Option<String>,
        /// The raw body.
        body: Bytes,
    },
    /// The body did not decode as the documented type (not JSON, truncated, wrong shape).
    #[error("could not decode the HTTP {status} response{}: {source}", request_id_suffix(.request_id.as_deref()))]
    Decode {
        /// The status received.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The request id, from the body's envelope (if it got that far) or the header.
        request_id: Option<String>,
        /// The raw body.
        body: Bytes,
        /// Where and why decoding failed.
        source: DecodeError,
    },
    /// No complete response within the per-attempt timeout or the overall deadline.
    #[error("timed out after {attempts} attempt(s)")]
    Timeout {
        /// Attempts made, the first included.
        attempts: u32,
    },
    /// Connecting or sending failed, or the connection closed before a response arrived.
    #[error("connection failed after {attempts} attempt(s): {source}{}", root_cause(.source))]
    Connection {
        /// Attempts made, the first included.
        attempts: u32,
        /// The transport error (its URL removed).
        source: reqwest::Error,
    },
    /// The response head arrived but its body broke off mid-transfer (the connection closed
    /// or failed before `Content-Length` bytes or the last chunk). Retried like a connection
    /// failure; `body` keeps what did arrive.
    #[error(
        "the HTTP {status} response broke off after {} body bytes{}: {source}{}",
        .body.len(),
        request_id_suffix(.request_id.as_deref()),
        root_cause(.source)
    )]
    IncompleteBody {
        /// The status received.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The request id from the request-id header (the body is incomplete).
        request_id: Option<String>,
        /// The part of the body that arrived.
        body: Bytes,
        /// Attempts made, the first included.
        attempts: u32,
        /// The transport error (its URL removed).
        source: reqwest::Error,
    },
    /// The request was refused before sending (bad parameter value, body not serialisable).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// The authenticator could not sign the request.
    #[error("authentication failed: {0}")]
    Auth(#[from] crate::auth::AuthError),
}

impl<E> Error<E> {
    /// The HTTP status, if a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Service(error) => Some(error.status),
            Error::UnexpectedStatus { status, .. }
            | Error::Decode { status, .. }
            | Error::IncompleteBody { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id, if a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(error) => error.request_id.as_deref(),
            Error::UnexpectedStatus { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::IncompleteBody { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// The raw (or, for [`IncompleteBody`](Error::IncompleteBody), partial) body, if a
    /// response arrived.
    pub fn raw_body(&self) -> Option<&Bytes> {
        match self {
            Error::Service(error) => Some(&error.raw),
            Error::UnexpectedStatus { body, .. }
            | Error::Decode { body, .. }
            | Error::IncompleteBody { body, .. } => Some(body),
            _ => None,
        }
    }
}

fn request_id_suffix(request_id: Option<&str>) -> String {
    request_id
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

/// The innermost cause of a transport error (e.g. `Connection refused`), which reqwest's
/// own message leaves out.
fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: Option<&dyn std::error::Error> = None;
    let mut next = std::error::Error::source(error);
    while let Some(inner) = next {
        cause = Some(inner);
        next = inner.source();
    }
    cause.map(|cause| format!(" ({cause})")).unwrap_or_default()
}

/// A documented error response.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServiceError<E> {
    /// The status received.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The request id, from the body's envelope or the request-id header.
    pub request_id: Option<String>,
    /// The typed error body.
    pub body: E,
    /// The raw body, as received.
    pub raw: Bytes,
}

/// A body that did not match its documented type; names the JSON path that failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at `{path}`: {message}")]
pub struct DecodeError {
    /// Path of the field that failed, e.g. `result.image.osType` (`.` for the root).
    pub path: String,
    /// What was wrong there (serde_json's message, with line and column).
    pub message: String,
}

impl DecodeError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Clippy's `result_large_err` (128 bytes) must not fire on generated functions, whatever
    /// the size of their error body.
    #[test]
    fn errors_stay_small_whatever_the_body() {
        assert!(
            size_of::<Error<[u8; 4096]>>() <= 128,
            "{}",
            size_of::<Error<[u8; 4096]>>()
        );
    }
}
