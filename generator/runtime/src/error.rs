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
    #[error(
        "service error: HTTP {}{}{}",
        .0.status,
        .0.message.as_deref().map(|message| format!(": {message}")).unwrap_or_default(),
        request_id_suffix(.0.request_id.as_deref())
    )]
    Service(Box<ServiceError<E>>),
    /// A status the spec does not document for this operation, or an error status whose
    /// body is not the documented one (an HTML page from a proxy or load balancer). The
    /// message shows the body's media type and its start.
    #[error(
        "unexpected HTTP status {status}{}{}",
        request_id_suffix(.request_id.as_deref()),
        body_excerpt(.headers, .body)
    )]
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
    /// The response body is larger than the client's limit
    /// ([`ClientBuilder::max_body_size`](crate::ClientBuilder::max_body_size)); reading
    /// stopped there (or before reading, when `Content-Length` said so). Not retried.
    #[error(
        "the HTTP {status} response body is larger than the {limit}-byte limit{} (raise it with ClientBuilder::max_body_size, or stream the body)",
        request_id_suffix(.request_id.as_deref())
    )]
    BodyTooLarge {
        /// The status received.
        status: StatusCode,
        /// The response headers.
        headers: Box<HeaderMap>,
        /// The request id from the request-id header.
        request_id: Option<String>,
        /// The limit, in bytes.
        limit: u64,
    },
    /// A paged listing cannot go on: the server returned the same page again (it ignores
    /// the page parameter), or ran out of items before the total it reported.
    #[error("paging stopped at page {page}: {reason}")]
    Paging {
        /// The page number requested when the problem showed.
        page: i64,
        /// What the server did.
        reason: String,
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
            | Error::IncompleteBody { status, .. }
            | Error::BodyTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The request id, if a response carried one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(error) => error.request_id.as_deref(),
            Error::UnexpectedStatus { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::IncompleteBody { request_id, .. }
            | Error::BodyTooLarge { request_id, .. } => request_id.as_deref(),
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

/// How much of a body an error message shows.
const EXCERPT_CHARS: usize = 200;

/// `; text/html body: 502 Bad Gateway nginx`: the body's media type and its first
/// characters, tags stripped from HTML and whitespace collapsed (empty for an empty body).
fn body_excerpt(headers: &HeaderMap, body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let media_type = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map_or("untyped", str::trim);
    let text = String::from_utf8_lossy(body);
    let text = if media_type.contains("html") {
        strip_tags(&text)
    } else {
        text.into_owned()
    };
    format!("; {media_type} body: {}", shorten(&text))
}

/// The text outside `<...>` tags (comments and scripts are rare in error pages).
fn strip_tags(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// Whitespace collapsed, at most [`EXCERPT_CHARS`] characters (`...` marks a cut).
fn shorten(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let joined = words.join(" ");
    match joined.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}...", &joined[..cut]),
        None => joined,
    }
}

/// What a JSON error body says, for messages: the `code` (unless it just repeats the HTTP
/// status) and a string `status`, then `message` (or `msg`, or RFC 7807's `title` and
/// `detail`), found in the envelope's `error_field`, else at the top level or in an `error`
/// object there. `None` if the body is not JSON or has none of these.
pub(crate) fn server_message(
    status: StatusCode,
    body: &[u8],
    error_field: Option<&str>,
) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let mut object = match error_field {
        Some(field) => value.get(field).unwrap_or(&value),
        None => &value,
    };
    if let Some(inner) = object.get("error").filter(|inner| inner.is_object()) {
        object = inner;
    }
    let text = |key: &str| match object.get(key)? {
        serde_json::Value::String(text) => Some(text.clone()),
        serde_json::Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    let mut codes = Vec::new();
    if let Some(code) = text("code").filter(|code| *code != status.as_str()) {
        codes.push(code);
    }
    if let Some(name) = object.get("status").and_then(|name| name.as_str()) {
        codes.push(name.to_owned());
    }
    let messages: Vec<String> = ["message", "msg", "title", "detail"]
        .iter()
        .filter_map(|key| object.get(*key)?.as_str())
        .map(shorten)
        .collect();
    let parts: Vec<String> = [codes.join(" "), messages.join(": ")]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join(": "))
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
    /// What the server said, for messages and logs: the error body's code and message
    /// (e.g. `NOT_FOUND: Image img-1 not found`), when it has fields by those common names.
    /// The typed `body` holds them too.
    pub message: Option<String>,
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
    fn json(status: u16, body: &str, field: Option<&str>) -> Option<String> {
        server_message(
            StatusCode::from_u16(status).unwrap(),
            body.as_bytes(),
            field,
        )
    }

    #[test]
    fn server_messages_from_common_error_shapes() {
        let jd = r#"{"requestId":"r","error":{"code":404,"status":"NOT_FOUND","message":"Image not found"}}"#;
        assert_eq!(
            json(404, jd, Some("error")).as_deref(),
            Some("NOT_FOUND: Image not found")
        );
        assert_eq!(
            json(400, r#"{"code":"InvalidParameter","message":"bad"}"#, None).as_deref(),
            Some("InvalidParameter: bad")
        );
        assert_eq!(
            json(
                409,
                r#"{"error":{"code":"Conflict","message":"busy"}}"#,
                None
            )
            .as_deref(),
            Some("Conflict: busy")
        );
        assert_eq!(
            json(422, r#"{"title":"Invalid","detail":"name too long"}"#, None).as_deref(),
            Some("Invalid: name too long")
        );
        assert_eq!(json(500, "<html>", None), None);
        assert_eq!(json(500, r#"{"other":1}"#, None), None);
    }

    #[test]
    fn excerpts_strip_html_collapse_whitespace_and_cut() {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            "text/html; charset=utf-8".parse().unwrap(),
        );
        let page = b"<html><head><title>502 Bad Gateway</title></head>\n<body>\n<h1>502</h1> nginx</body></html>";
        assert_eq!(
            body_excerpt(&headers, page),
            "; text/html body: 502 Bad Gateway 502 nginx"
        );
        let long = "x".repeat(500);
        let excerpt = body_excerpt(&HeaderMap::new(), long.as_bytes());
        assert!(excerpt.starts_with("; untyped body: xxx"), "{excerpt}");
        assert!(excerpt.ends_with("x..."), "{excerpt}");
        assert!(excerpt.len() < 250);
        assert_eq!(body_excerpt(&headers, b""), "");
    }

    #[test]
    fn errors_stay_small_whatever_the_body() {
        assert!(
            size_of::<Error<[u8; 4096]>>() <= 128,
            "{}",
            size_of::<Error<[u8; 4096]>>()
        );
    }
}
