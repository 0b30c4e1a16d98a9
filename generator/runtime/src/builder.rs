//! Configuring a [`Client`]: base URL, transport, authentication, retries, timeout, headers.

use std::sync::Arc;
use std::time::Duration;

use http::header::USER_AGENT;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::auth::{Authenticator, NoAuth};
use crate::client::{Client, Settings};
use crate::retry::{RetryPolicy, TokenBucket};

/// The user agent of a client built without one, on an HTTP client the runtime builds.
const DEFAULT_USER_AGENT: &str = concat!("sdkgen-runtime/", env!("CARGO_PKG_VERSION"));

/// The largest response body read into memory by default: 10 MiB, a thousand times a large
/// JSON page of a typical API, small enough that a runaway response cannot exhaust memory.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 10 * 1024 * 1024;

/// The `Accept` header sent by default: the generated client decodes JSON, and error pages
/// in other types are still reported with their status and start.
const DEFAULT_ACCEPT: &str = "application/json";

/// Builds a [`Client`]. Defaults: no auth, 10 s per attempt, [`RetryPolicy::default`],
/// bodies up to [`DEFAULT_MAX_BODY_SIZE`], `Accept: application/json`.
///
/// `Debug` shows default headers by name only: their values may be credentials.
pub struct ClientBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    auth: Arc<dyn Authenticator>,
    retry: RetryPolicy,
    timeout: Duration,
    user_agent: Option<String>,
    accept: String,
    max_body_size: u64,
    default_headers: Vec<(String, String)>,
}

impl ClientBuilder {
    /// The defaults, for the API at `base_url` (checked by [`build`](Self::build)).
    pub(crate) fn new(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_owned(),
            http: None,
            auth: Arc::new(NoAuth),
            retry: RetryPolicy::default(),
            timeout: Duration::from_secs(10),
            user_agent: None,
            accept: DEFAULT_ACCEPT.to_owned(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            default_headers: Vec::new(),
        }
    }

    /// Use the caller's own `reqwest::Client` (proxies, TLS roots, connection pool).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }
    /// The authenticator that signs or decorates every attempt (default [`NoAuth`]).
    pub fn auth(mut self, auth: impl Authenticator) -> Self {
        self.auth = Arc::new(auth);
        self
    }
    /// When and how often attempts are repeated.
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
    /// The largest response body read into memory, in bytes (default
    /// [`DEFAULT_MAX_BODY_SIZE`]). A larger one ends the call with
    /// [`Error::BodyTooLarge`](crate::Error::BodyTooLarge) as soon as it is known (from
    /// `Content-Length`, or while reading); use
    /// [`Client::execute_streaming`](crate::Client::execute_streaming) for large downloads.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body_size = bytes;
        self
    }
    /// The `Accept` header of requests that set none themselves (default
    /// `application/json`).
    pub fn accept(mut self, media_range: impl Into<String>) -> Self {
        self.accept = media_range.into();
        self
    }
    /// Timeout of one attempt: authentication, sending, and reading the head and the whole
    /// body (default 10 s). The retry policy's deadline bounds all attempts together.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
    /// The `User-Agent` of every request. Without one, a client the runtime builds sends
    /// `sdkgen-runtime/<version>` and a caller's own client sends its own.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }
    /// A header sent with every request, present before it is authenticated (so a signer
    /// sees it); a request's own header of the same name is added beside it.
    pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.default_headers.push((name.into(), value.into()));
        self
    }
    /// Checks the base URL and headers and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = parse_base_url(&self.base_url)?;
        let headers = self.headers()?;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(DEFAULT_USER_AGENT)
                .build()?,
        };
        let accept =
            HeaderValue::from_str(&self.accept).map_err(|_| BuildError::InvalidHeader {
                name: http::header::ACCEPT.to_string(),
                reason: "value not sendable in a header",
            })?;
        Ok(Client::from_settings(Settings {
            http,
            base_url,
            auth: self.auth,
            budget: self.retry.budget.map(TokenBucket::new),
            retry: self.retry,
            timeout: self.timeout,
            headers,
            accept,
            max_body_size: self.max_body_size,
            clock: Default::default(),
        }))
    }

    fn headers(&self) -> Result<HeaderMap, BuildError> {
        let mut headers = HeaderMap::new();
        for (name, value) in &self.default_headers {
            let header_name =
                HeaderName::from_bytes(name.as_bytes()).map_err(|_| BuildError::InvalidHeader {
                    name: name.clone(),
                    reason: "not a valid header name",
                })?;
            let mut header_value =
                HeaderValue::from_str(value).map_err(|_| BuildError::InvalidHeader {
                    name: name.clone(),
                    reason: "value not sendable in a header",
                })?;
            // Hidden from the `Debug` of the client (and of every request built from it).
            header_value.set_sensitive(true);
            headers.append(header_name, header_value);
        }
        if let Some(user_agent) = &self.user_agent {
            let value =
                HeaderValue::from_str(user_agent).map_err(|_| BuildError::InvalidHeader {
                    name: USER_AGENT.to_string(),
                    reason: "value not sendable in a header",
                })?;
            headers.insert(USER_AGENT, value);
        }
        Ok(headers)
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let header_names: Vec<&str> = self
            .default_headers
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("http", &self.http)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .field("accept", &self.accept)
            .field("max_body_size", &self.max_body_size)
            .field("default_headers", &header_names)
            .finish()
    }
}

/// An absolute `http`/`https` URL without query or fragment.
fn parse_base_url(text: &str) -> Result<url::Url, BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: text.to_owned(),
        reason: reason.to_owned(),
    };
    let url = url::Url::parse(text).map_err(|error| invalid(&error.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    Ok(url)
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http`/`https` URL without query or fragment.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A default header or the user agent cannot be sent (the value is not shown: it may be
    /// a secret).
    #[error("invalid header `{name}`: {reason}")]
    InvalidHeader {
        /// The header name as given.
        name: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// reqwest could not build its client (e.g. TLS initialisation).
    #[error("could not build the HTTP client: {0}")]
    Http(#[from] reqwest::Error),
}
