//! Authentication: the generated code names the security schemes of each operation; the
//! authenticator chosen by the application signs or decorates each attempt.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{AUTHORIZATION, COOKIE};
use http::{HeaderMap, HeaderValue};

use crate::encode::encode;

/// A security scheme from the spec's `components.securitySchemes`, emitted as a `static`.
#[derive(Debug)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub name: &'static str,
    /// Its `type` and the details that go with it.
    pub kind: SchemeKind,
    /// The scheme's `x-` extensions as one JSON object, passed on uninterpreted (`{}` if none).
    pub extensions: &'static str,
}

/// One security requirement of an operation: schemes that must all be applied to the same
/// request (`{apiKey: [], bearer: []}` is one requirement of two schemes).
pub type SecurityRequirement = &'static [&'static SecurityScheme];

/// The `type` of a security scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
    /// `type: apiKey`: a key in a header, query parameter or cookie.
    ApiKey {
        /// The scheme's `in`.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: &'static str,
    },
    /// `type: http`, with its `scheme` (`bearer`, `basic`, ...).
    Http {
        /// The HTTP authentication scheme, as the spec spells it.
        scheme: &'static str,
    },
    /// `type: oauth2` (its access token is sent as a bearer token).
    OAuth2,
    /// `type: openIdConnect` (its token is sent as a bearer token).
    OpenIdConnect,
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// A request header.
    Header,
    /// A query parameter.
    Query,
    /// A cookie.
    Cookie,
}

/// What an authenticator knows about the attempt it signs.
#[derive(Debug)]
#[non_exhaustive]
pub struct AuthContext<'a> {
    /// The operation being called.
    pub operation: &'static crate::Operation,
    /// Every scheme the operation's requirements name, each once, in the spec's order.
    pub schemes: &'a [&'static SecurityScheme],
    /// The operation's security requirements, in the spec's order: alternatives, each a set
    /// of schemes applied together (see [`Operation::security`](crate::Operation::security)).
    /// [`MultiAuth`] hands each of its authenticators only the schemes it is to apply.
    pub requirements: &'a [&'a [&'static SecurityScheme]],
    /// The call's path parameters by template name, raw (not percent-encoded).
    pub path_params: &'a [(&'static str, String)],
    /// 1 for the first attempt; every retry is authenticated afresh.
    pub attempt: u32,
    /// The time to sign with: the local clock corrected by the offset the client learned
    /// from a server that rejected a request and whose `Date` was minutes away (see
    /// [`Client`](crate::Client)). Signers should use this, not `SystemTime::now()`.
    pub time: SystemTime,
}

/// The request an authenticator signs: the runtime's own view, so authenticators do not
/// depend on the HTTP client's types. Method and body are fixed; URL (e.g. a query API key)
/// and headers may be changed.
///
/// `Debug` shows the method, the URL without its query (which may hold a key) and the
/// headers (values marked sensitive hidden).
pub struct AuthRequest {
    pub(crate) method: http::Method,
    pub(crate) url: url::Url,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Bytes>,
}

impl AuthRequest {
    /// A request to sign; the runtime builds these, tests of authenticators may too.
    pub fn new(
        method: http::Method,
        url: url::Url,
        headers: HeaderMap,
        body: Option<Bytes>,
    ) -> Self {
        AuthRequest {
            method,
            url,
            headers,
            body,
        }
    }
    /// The HTTP method.
    pub fn method(&self) -> &http::Method {
        &self.method
    }
    /// The URL as it will be sent (path and query encoded).
    pub fn url(&self) -> &url::Url {
        &self.url
    }
    /// The URL, to add query parameters.
    pub fn url_mut(&mut self) -> &mut url::Url {
        &mut self.url
    }
    /// The headers as they will be sent (the `User-Agent` may be added by the HTTP client).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The headers, to add credentials.
    pub fn headers_mut(&mut self) -> &mut HeaderMap {
        &mut self.headers
    }
    /// The body bytes; empty when there is no body.
    pub fn body(&self) -> &[u8] {
        self.body.as_deref().unwrap_or_default()
    }
}

impl fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut shown = self.url.clone();
        shown.set_query(None);
        f.debug_struct("AuthRequest")
            .field("method", &self.method)
            .field("url", &shown.as_str())
            .field("headers", &self.headers)
            .field("body_len", &self.body().len())
            .finish()
    }
}

/// What [`Authenticator::authenticate`] returns: a boxed future, so the trait stays usable
/// as `dyn Authenticator` and an implementation may await (e.g. refresh a token).
pub type AuthFuture<'a> = Pin<Box<dyn Future<Output = Result<(), AuthError>> + Send + 'a>>;

/// The future of an authenticator that needs no I/O: already complete with `result`.
///
/// ```
/// use sdkgen_runtime::{AuthContext, AuthError, AuthFuture, AuthRequest, Authenticator, ready_auth};
///
/// /// Adds a fixed header to every request.
/// #[derive(Debug)]
/// struct Tenant(&'static str);
///
/// impl Tenant {
///     fn sign(&self, request: &mut AuthRequest) -> Result<(), AuthError> {
///         let value = self.0.parse().map_err(|_| AuthError("bad tenant".into()))?;
///         request.headers_mut().insert("x-tenant", value);
///         Ok(())
///     }
/// }
///
/// impl Authenticator for Tenant {
///     fn authenticate<'a>(
///         &'a self,
///         request: &'a mut AuthRequest,
///         _context: &'a AuthContext<'a>,
///     ) -> AuthFuture<'a> {
///         ready_auth(self.sign(request))
///     }
/// }
/// ```
pub fn ready_auth(result: Result<(), AuthError>) -> AuthFuture<'static> {
    Box::pin(std::future::ready(result))
}

/// Signs or decorates one attempt. Called after the request is fully built (URL, headers,
/// body), before it is sent; called again for each retry, within the attempt's timeout.
///
/// A synchronous implementation returns [`ready_auth`]`(result)`; one that refreshes
/// credentials awaits inside `Box::pin(async move { ... })`.
pub trait Authenticator: fmt::Debug + Send + Sync + 'static {
    /// Adds credentials to `request` (headers, query) or fails without sending.
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a>;

    /// Whether this authenticator supplies the credentials of `scheme`: [`MultiAuth`] asks,
    /// per operation, to pick the authenticators a security requirement needs. The default,
    /// `false`, suits an authenticator used on its own that decides per request (a signer).
    fn supplies(&self, scheme: &SecurityScheme) -> bool {
        let _ = scheme;
        false
    }
}

/// Why an authenticator could not sign. The message must never contain a secret.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct AuthError(pub String);

/// Sends requests as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAuth;

impl Authenticator for NoAuth {
    fn authenticate<'a>(
        &'a self,
        _: &'a mut AuthRequest,
        _: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        ready_auth(Ok(()))
    }
}

/// `Authorization: Bearer <token>`; `Debug` never shows the token.
///
/// Applies to `http`/`bearer`, `oauth2` and `openIdConnect` schemes. An operation without
/// security is sent as is; one whose schemes all need something else is refused.
#[derive(Clone)]
pub struct BearerToken {
    token: String,
}

impl BearerToken {
    /// A bearer token, sent as given.
    pub fn new(token: impl Into<String>) -> Self {
        BearerToken {
            token: token.into(),
        }
    }

    fn fits(kind: &SchemeKind) -> bool {
        match kind {
            SchemeKind::Http { scheme } => scheme.eq_ignore_ascii_case("bearer"),
            SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => true,
            SchemeKind::ApiKey { .. } => false,
        }
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerToken")
            .field("token", &"***")
            .finish()
    }
}

impl BearerToken {
    fn sign(&self, request: &mut AuthRequest, context: &AuthContext<'_>) -> Result<(), AuthError> {
        if !applies(context, "a bearer token", |scheme| Self::fits(&scheme.kind))? {
            return Ok(());
        }
        let value = sensitive_value(&format!("Bearer {}", self.token), "the bearer token")?;
        request.headers_mut().insert(AUTHORIZATION, value);
        Ok(())
    }
}

impl Authenticator for BearerToken {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        ready_auth(self.sign(request, context))
    }

    fn supplies(&self, scheme: &SecurityScheme) -> bool {
        Self::fits(&scheme.kind)
    }
}

/// An API key in a header, query parameter or cookie; `Debug` never shows the key.
///
/// Applies to `apiKey` schemes with the same location and name (header names compared
/// case-insensitively). An operation without security is sent as is; one whose schemes all
/// need something else is refused.
#[derive(Clone)]
pub struct ApiKey {
    location: ApiKeyLocation,
    name: String,
    key: String,
}

impl ApiKey {
    /// The key `key`, sent in the header, query parameter or cookie called `name`.
    pub fn new(location: ApiKeyLocation, name: impl Into<String>, key: impl Into<String>) -> Self {
        ApiKey {
            location,
            name: name.into(),
            key: key.into(),
        }
    }

    fn fits(&self, kind: &SchemeKind) -> bool {
        match *kind {
            SchemeKind::ApiKey { location, name } if location == self.location => match location {
                ApiKeyLocation::Header => name.eq_ignore_ascii_case(&self.name),
                ApiKeyLocation::Query | ApiKeyLocation::Cookie => name == self.name,
            },
            _ => false,
        }
    }

    fn add_header(&self, request: &mut AuthRequest) -> Result<(), AuthError> {
        let name = http::HeaderName::from_bytes(self.name.as_bytes())
            .map_err(|_| AuthError(format!("`{}` is not a valid header name", self.name)))?;
        let value = sensitive_value(&self.key, "the API key")?;
        request.headers_mut().insert(name, value);
        Ok(())
    }

    fn add_query(&self, request: &mut AuthRequest) {
        let pair = format!("{}={}", encode(&self.name), encode(&self.key));
        let query = match request.url().query() {
            Some(existing) if !existing.is_empty() => format!("{existing}&{pair}"),
            _ => pair,
        };
        request.url_mut().set_query(Some(&query));
    }

    fn add_cookie(&self, request: &mut AuthRequest) -> Result<(), AuthError> {
        let pair = format!("{}={}", self.name, self.key);
        let cookie = match request
            .headers()
            .get(COOKIE)
            .and_then(|value| value.to_str().ok())
        {
            Some(existing) => format!("{existing}; {pair}"),
            None => pair,
        };
        let value = sensitive_value(&cookie, "the API key cookie")?;
        request.headers_mut().insert(COOKIE, value);
        Ok(())
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKey")
            .field("location", &self.location)
            .field("name", &self.name)
            .field("key", &"***")
            .finish()
    }
}

impl Authenticator for ApiKey {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        ready_auth(self.sign(request, context))
    }

    fn supplies(&self, scheme: &SecurityScheme) -> bool {
        self.fits(&scheme.kind)
    }
}

impl ApiKey {
    fn sign(&self, request: &mut AuthRequest, context: &AuthContext<'_>) -> Result<(), AuthError> {
        if !applies(context, "an API key", |scheme| self.fits(&scheme.kind))? {
            return Ok(());
        }
        match self.location {
            ApiKeyLocation::Header => self.add_header(request),
            ApiKeyLocation::Query => {
                self.add_query(request);
                Ok(())
            }
            ApiKeyLocation::Cookie => self.add_cookie(request),
        }
    }
}

/// `Ok(true)` if one of the operation's requirements is met by this one credential (every
/// scheme of it fits), `Ok(false)` if the operation has no security or may be called without
/// (an empty requirement), else an error naming the operation and its requirements.
fn applies(
    context: &AuthContext<'_>,
    what: &str,
    fits: impl Fn(&SecurityScheme) -> bool,
) -> Result<bool, AuthError> {
    let requirements = context.requirements;
    if requirements
        .iter()
        .any(|requirement| !requirement.is_empty() && requirement.iter().all(|s| fits(s)))
    {
        return Ok(true);
    }
    if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
        return Ok(false);
    }
    Err(AuthError(format!(
        "{what} does not fit operation `{}`, which needs {}",
        context.operation.id,
        describe(requirements)
    )))
}

/// `one of: a; b and c`, with a hint at [`MultiAuth`] when a requirement has several schemes.
fn describe(requirements: &[&[&'static SecurityScheme]]) -> String {
    let alternatives: Vec<String> = requirements
        .iter()
        .map(|requirement| {
            let names: Vec<&str> = requirement.iter().map(|scheme| scheme.name).collect();
            names.join(" and ")
        })
        .collect();
    let hint = if requirements.iter().any(|r| r.len() > 1) {
        " (a requirement of several schemes needs a `MultiAuth` holding an authenticator for each)"
    } else {
        ""
    };
    format!("one of: {}{hint}", alternatives.join("; "))
}

/// Every scheme `requirements` name, each once, in order: [`AuthContext::schemes`].
pub(crate) fn schemes_of(
    requirements: &[&[&'static SecurityScheme]],
) -> Vec<&'static SecurityScheme> {
    let mut schemes: Vec<&'static SecurityScheme> = Vec::new();
    for scheme in requirements
        .iter()
        .flat_map(|requirement| requirement.iter())
    {
        if !schemes.iter().any(|known| std::ptr::eq(*known, *scheme)) {
            schemes.push(scheme);
        }
    }
    schemes
}

/// Several authenticators, one per kind of credential, for APIs whose security requirements
/// combine schemes (`security: [{apiKey: [], bearer: []}]`: both on the same request).
///
/// Per operation, it takes the first requirement (in the spec's order) whose every scheme one
/// of its authenticators [supplies](Authenticator::supplies), and applies each authenticator
/// that requirement needs, each seeing only its own schemes in [`AuthContext::requirements`].
/// Alternatives stay alternatives: a requirement it cannot meet in full is skipped, never
/// half-applied. An operation without security, or whose only met requirement is the empty
/// one, is sent as is; one it cannot meet is refused, naming the requirements.
///
/// ```
/// use sdkgen_runtime::{ApiKey, ApiKeyLocation, BearerToken, Client, MultiAuth};
///
/// let auth = MultiAuth::new()
///     .with(ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "key"))
///     .with(BearerToken::new("token"));
/// let client = Client::builder("https://api.example.com").auth(auth).build();
/// # client.unwrap();
/// ```
#[derive(Debug, Default)]
pub struct MultiAuth {
    parts: Vec<Box<dyn Authenticator>>,
}

/// The authenticators to apply for one operation: each by index, with the schemes it covers.
type Plan = Vec<(usize, Vec<&'static SecurityScheme>)>;

impl MultiAuth {
    /// An empty set (it meets only operations that need no credentials).
    pub fn new() -> Self {
        MultiAuth::default()
    }

    /// Adds an authenticator; for a scheme that several supply, the first added is used.
    pub fn with(mut self, authenticator: impl Authenticator) -> Self {
        self.parts.push(Box::new(authenticator));
        self
    }

    /// The first requirement met in full, as the authenticators to apply.
    fn plan(&self, context: &AuthContext<'_>) -> Result<Plan, AuthError> {
        let requirements = context.requirements;
        for requirement in requirements.iter().filter(|r| !r.is_empty()) {
            if let Some(plan) = self.cover(requirement) {
                return Ok(plan);
            }
        }
        if requirements.is_empty() || requirements.iter().any(|r| r.is_empty()) {
            return Ok(Vec::new());
        }
        Err(AuthError(format!(
            "the authenticators given do not fit operation `{}`, which needs {}",
            context.operation.id,
            describe(requirements)
        )))
    }

    fn cover(&self, requirement: &[&'static SecurityScheme]) -> Option<Plan> {
        let mut plan: Plan = Vec::new();
        for scheme in requirement {
            let index = self.parts.iter().position(|part| part.supplies(scheme))?;
            match plan.iter_mut().find(|(known, _)| *known == index) {
                Some((_, schemes)) => schemes.push(scheme),
                None => plan.push((index, vec![scheme])),
            }
        }
        Some(plan)
    }
}

impl Authenticator for MultiAuth {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        Box::pin(async move {
            for (index, schemes) in self.plan(context)? {
                let requirement = [schemes.as_slice()];
                let own = AuthContext {
                    schemes: &schemes,
                    requirements: &requirement,
                    ..*context
                };
                self.parts[index].authenticate(request, &own).await?;
            }
            Ok(())
        })
    }

    fn supplies(&self, scheme: &SecurityScheme) -> bool {
        self.parts.iter().any(|part| part.supplies(scheme))
    }
}

/// A header value marked sensitive (so `http` hides it from its own `Debug`); the error
/// names `what` but never shows the value.
fn sensitive_value(value: &str, what: &str) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| AuthError(format!("{what} is not a valid header value")))?;
    value.set_sensitive(true);
    Ok(value)
}
