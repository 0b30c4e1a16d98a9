//! What generated code hands the runtime: the static description of an operation and the
//! per-call values of its parameters and body.

use std::fmt::Display;

use crate::auth::SecurityRequirement;
use crate::encode::{PathStyle, encode, expand_path, indexed_pairs, styled_segment};

/// HTTP method of an operation (a plain enum so `Operation` can be a `static`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `PUT`
    Put,
    /// `POST`
    Post,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
    /// `HEAD`
    Head,
    /// `PATCH`
    Patch,
    /// `TRACE`
    Trace,
}

impl Method {
    /// Whether a request of this method may be repeated once it may have reached the server:
    /// GET, HEAD, OPTIONS, TRACE and PUT may; POST, PATCH and DELETE may not.
    ///
    /// RFC 9110 counts DELETE as idempotent because the resource's final state is the same,
    /// but the answer is not: a repeated DELETE whose first attempt succeeded (and whose
    /// answer was lost to a timeout) answers "not found", turning a success into an error.
    /// PUT stays retried: repeating a replacement leaves the same state and gets the same
    /// answer. A request that carries an idempotency token, reused on every attempt, is
    /// marked retryable with [`Request::idempotent`] whatever its method.
    pub fn is_idempotent(self) -> bool {
        !matches!(self, Method::Post | Method::Patch | Method::Delete)
    }

    /// The method as `http` names it.
    pub fn as_http(self) -> http::Method {
        match self {
            Method::Get => http::Method::GET,
            Method::Put => http::Method::PUT,
            Method::Post => http::Method::POST,
            Method::Delete => http::Method::DELETE,
            Method::Options => http::Method::OPTIONS,
            Method::Head => http::Method::HEAD,
            Method::Patch => http::Method::PATCH,
            Method::Trace => http::Method::TRACE,
        }
    }
}

/// Where a JSON response keeps its payload, its error and its request id
/// (the spec's `x-sdk-envelope` extension, see `schema/EXTENSIONS.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// Field that holds the successful result, e.g. `result`.
    pub result: Option<&'static str>,
    /// Field that holds the error object, e.g. `error`.
    pub error: Option<&'static str>,
    /// Field that holds the request id, e.g. `requestId`.
    pub request_id: Option<&'static str>,
}

/// Static description of one operation, emitted by the generator as a `static`.
#[derive(Debug)]
pub struct Operation {
    /// The spec's operationId (or the generator's stable derived name).
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// Path template relative to the client's base URL, e.g. `/regions/{regionId}/images/{imageId}`.
    pub path: &'static str,
    /// The operation's security requirements, in the spec's order: alternatives, each a set
    /// of schemes that must all be applied to the same request. Empty means no security; an
    /// empty requirement means the operation may also be called without credentials.
    pub security: &'static [SecurityRequirement],
    /// Response envelope, if the spec declares one.
    pub envelope: Option<Envelope>,
    /// Header that carries the request id when the body does not (`x-sdk-request-id-header`).
    pub request_id_header: Option<&'static str>,
}

/// How an array-valued query parameter goes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArrayStyle {
    /// `style: form, explode: true` (the OpenAPI default): `ids=a&ids=b`.
    FormExploded,
    /// `style: form, explode: false`: `ids=a,b`.
    Form,
    /// `spaceDelimited`: `ids=a%20b`.
    SpaceDelimited,
    /// `pipeDelimited`: `ids=a|b`.
    PipeDelimited,
    /// `x-sdk-array-style: indexed`: `ids.1=a&ids.2=b` (1-based).
    Indexed,
}

/// A fresh idempotency token (a random UUID v4, 36 characters) for an operation whose
/// caller set none. Generated code makes one per call, before the first attempt, so every
/// retry of that call carries the same token and the service performs it at most once.
pub fn idempotency_token() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// One call's parameters and body, built by generated code. Values are kept raw (unencoded);
/// the runtime encodes them when it sends, and refuses invalid ones with
/// [`Error::InvalidRequest`](crate::Error::InvalidRequest).
#[derive(Debug)]
pub struct Request {
    pub(crate) operation: &'static Operation,
    pub(crate) path_params: Vec<(&'static str, String)>,
    /// Path segments encoded in a style ([`Request::path_array`]), by name: these replace the
    /// encoding of the raw value `path_params` holds for an authenticator.
    pub(crate) path_segments: Vec<(&'static str, String)>,
    /// Query pairs, already percent-encoded (array delimiters stay literal).
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) body: Option<Body>,
    /// Set by [`Request::idempotent`]; else the method decides.
    pub(crate) idempotent: Option<bool>,
    /// A parameter that could not be encoded; reported when the request is executed.
    pub(crate) invalid: Option<String>,
}

#[derive(Debug)]
pub(crate) enum Body {
    Bytes {
        content_type: String,
        bytes: bytes::Bytes,
    },
    /// Serialising the JSON body failed; reported when the request is executed.
    Invalid(String),
}

impl Request {
    /// An empty request for `operation`.
    pub fn new(operation: &'static Operation) -> Self {
        Request {
            operation,
            path_params: Vec::new(),
            path_segments: Vec::new(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            idempotent: None,
            invalid: None,
        }
    }

    /// Declares whether repeating this request is safe once it may have reached the server
    /// (by default: its method is idempotent, [`Method::is_idempotent`]). A `POST` or
    /// `DELETE` that carries an idempotency token, the same on every attempt, is idempotent;
    /// a `PUT` with side effects beyond replacing a resource is not.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = Some(idempotent);
        self
    }

    /// Whether the request may be retried after it may have reached the server.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
            .unwrap_or_else(|| self.operation.method.is_idempotent())
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// A path parameter, by its name in the template. Percent-encoded when sent; an empty
    /// value, `.` or `..` is refused before sending.
    pub fn path_param(mut self, name: &'static str, value: impl Display) -> Self {
        self.path_params.push((name, value.to_string()));
        self
    }

    /// A path parameter in an OpenAPI `style`: an array's items (or a scalar as one item),
    /// each percent-encoded, joined with literal delimiters: `simple` `a,b`, `label` `.a.b`
    /// or `.a,b`, `matrix` `;id=a;id=b` or `;id=a,b`. Authenticators see the segment
    /// unencoded (`a,b`). A segment that is empty, `.` or `..` is refused before sending.
    pub fn path_array<V: Display>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
        style: PathStyle,
    ) -> Self {
        let items: Vec<String> = values.into_iter().map(|value| value.to_string()).collect();
        let raw = styled_segment(name, &items, style, str::to_owned);
        let encoded = styled_segment(name, &items, style, encode);
        self.path_params.push((name, raw));
        self.path_segments.push((name, encoded));
        self
    }

    /// A scalar query parameter.
    pub fn query(mut self, name: &'static str, value: impl Display) -> Self {
        self.query.push((encode(name), encode(&value.to_string())));
        self
    }

    /// An optional scalar query parameter; `None` sends nothing.
    pub fn query_opt<V: Display>(self, name: &'static str, value: Option<V>) -> Self {
        match value {
            Some(value) => self.query(name, value),
            None => self,
        }
    }

    /// An array query parameter in the given style; an empty array sends nothing.
    pub fn query_array<V: Display>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
        style: ArrayStyle,
    ) -> Self {
        let values: Vec<String> = values
            .into_iter()
            .map(|value| encode(&value.to_string()))
            .collect();
        if values.is_empty() {
            return self;
        }
        let key = encode(name);
        match style {
            ArrayStyle::FormExploded => self
                .query
                .extend(values.into_iter().map(|value| (key.clone(), value))),
            ArrayStyle::Form => self.query.push((key, values.join(","))),
            ArrayStyle::SpaceDelimited => self.query.push((key, values.join("%20"))),
            ArrayStyle::PipeDelimited => self.query.push((key, values.join("|"))),
            ArrayStyle::Indexed => self.query.extend(
                values
                    .into_iter()
                    .enumerate()
                    .map(|(index, value)| (format!("{key}.{}", index + 1), value)),
            ),
        }
        self
    }

    /// A query parameter of any serialisable shape (typically an array of objects, such as
    /// JD Cloud's `filters`) in the indexed style of `x-sdk-array-style: indexed`:
    /// `filters.1.name=a&filters.1.values.1=x`, 1-based at every level, unset (`None`)
    /// fields omitted, booleans as `true`/`false`, every key and value percent-encoded.
    pub fn query_indexed<V: serde::Serialize + ?Sized>(
        mut self,
        name: &'static str,
        value: &V,
    ) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.query.extend(indexed_pairs(name, &value)),
            Err(error) => {
                self.invalid = Some(format!(
                    "query parameter `{name}` could not be encoded: {error}"
                ))
            }
        }
        self
    }

    /// A header parameter.
    pub fn header(mut self, name: &'static str, value: impl Display) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    /// A JSON body (`application/json`).
    pub fn json_body<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(match serde_json::to_vec(body) {
            Ok(bytes) => Body::Bytes {
                content_type: "application/json".to_owned(),
                bytes: bytes.into(),
            },
            Err(error) => Body::Invalid(error.to_string()),
        });
        self
    }

    /// A body of any other media type, sent as given.
    pub fn bytes_body(mut self, content_type: &str, bytes: impl Into<bytes::Bytes>) -> Self {
        self.body = Some(Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: bytes.into(),
        });
        self
    }

    /// The path (template expanded and encoded) and the query string (empty if none).
    pub(crate) fn path_and_query(&self) -> Result<(String, String), String> {
        if let Some(invalid) = &self.invalid {
            return Err(invalid.clone());
        }
        let path = expand_path(self.operation.path, &self.path_params, &self.path_segments)?;
        let query = self
            .query
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join("&");
        Ok((path, query))
    }
}
