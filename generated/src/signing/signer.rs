//! [`JdcloudSigner`]: the runtime's [`Authenticator`] for JD Cloud. Each attempt gets a fresh
//! date and nonce, is signed, and carries the payload hash.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use base64::Engine as _;
use reqwest::header::{
    AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, InvalidHeaderValue, USER_AGENT,
};
use sdkgen_runtime::{
    AuthContext, AuthError, AuthFuture, AuthRequest, Authenticator, SecurityScheme, ready_auth,
};
use serde::Deserialize;

use super::{
    ALGORITHM, Credentials, DEFAULT_REGION, SigningDate, SigningKey, SigningRequest, sign_with_key,
};

const DATE: HeaderName = HeaderName::from_static("x-jdcloud-date");
const NONCE: HeaderName = HeaderName::from_static("x-jdcloud-nonce");
const SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-jdcloud-security-token");
const CONTENT_SHA256: HeaderName = HeaderName::from_static("x-jdcloud-content-sha256");

/// Signs every request with JDCLOUD3-HMAC-SHA256, reading the service name and the region
/// parameter from the operation's security scheme (`x-jdcloud-signing`, see
/// `schema/EXTENSIONS.md`).
pub struct JdcloudSigner {
    credentials: Credentials,
    /// Parsed `x-jdcloud-signing` extensions, keyed by the scheme's static extensions text,
    /// so each scheme's JSON is parsed once.
    schemes: RwLock<BTreeMap<&'static str, Arc<SchemeSigning>>>,
    /// The last signing key; it changes only with the day, region or service.
    key: Mutex<Option<Arc<SigningKey>>>,
}

/// The `x-jdcloud-signing` extension of one security scheme.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SchemeSigning {
    algorithm: Option<String>,
    service: String,
    region_parameter: Option<String>,
}

#[derive(Deserialize)]
struct Extensions {
    #[serde(rename = "x-jdcloud-signing")]
    signing: Option<SchemeSigning>,
}

impl JdcloudSigner {
    /// A signer for these credentials.
    pub fn new(credentials: Credentials) -> JdcloudSigner {
        JdcloudSigner {
            credentials,
            schemes: RwLock::new(BTreeMap::new()),
            key: Mutex::new(None),
        }
    }

    /// The kept signing key if it fits `request`, else a fresh one, which is then kept.
    fn key_for(&self, request: &SigningRequest<'_>) -> Arc<SigningKey> {
        // A poisoned lock only means another thread panicked mid-update of a cache.
        let mut kept = self.key.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some(key) if key.fits(request) => Arc::clone(key),
            _ => Arc::clone(kept.insert(Arc::new(SigningKey::derive(request)))),
        }
    }

    /// The `x-jdcloud-signing` settings of `scheme`, or `None` if it has none.
    fn scheme_signing(
        &self,
        scheme: &'static SecurityScheme,
    ) -> Result<Option<Arc<SchemeSigning>>, AuthError> {
        let cached = self
            .schemes
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(scheme.extensions)
            .cloned();
        if let Some(signing) = cached {
            return Ok(Some(signing));
        }
        let extensions: Extensions = serde_json::from_str(scheme.extensions).map_err(|error| {
            AuthError(format!(
                "security scheme `{}`: invalid `x-jdcloud-signing` extension: {error}",
                scheme.name
            ))
        })?;
        let Some(signing) = extensions.signing else {
            return Ok(None);
        };
        if let Some(algorithm) = signing.algorithm.as_deref().filter(|a| *a != ALGORITHM) {
            return Err(AuthError(format!(
                "security scheme `{}`: unsupported signing algorithm `{algorithm}` (only {ALGORITHM})",
                scheme.name
            )));
        }
        let signing = Arc::new(signing);
        self.schemes
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(scheme.extensions, Arc::clone(&signing));
        Ok(Some(signing))
    }

    /// The first of the operation's schemes that is JD Cloud signing.
    fn find_signing(
        &self,
        context: &AuthContext<'_>,
    ) -> Result<Option<Arc<SchemeSigning>>, AuthError> {
        for scheme in context.schemes {
            if let Some(signing) = self.scheme_signing(scheme)? {
                return Ok(Some(signing));
            }
        }
        Ok(None)
    }
}

impl fmt::Debug for JdcloudSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The credentials' own Debug redacts the secret key and token.
        f.debug_struct("JdcloudSigner")
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl Authenticator for JdcloudSigner {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        // Signing needs no I/O: the future is ready at once.
        ready_auth(self.sign(request, context))
    }
}

impl JdcloudSigner {
    /// Signs `request` at the runtime's (clock-skew corrected) time.
    fn sign(&self, request: &mut AuthRequest, context: &AuthContext<'_>) -> Result<(), AuthError> {
        let operation = context.operation.id;
        let Some(signing) = self.find_signing(context)? else {
            if context.schemes.is_empty() {
                // The spec says this operation needs no authentication.
                return Ok(());
            }
            return Err(AuthError(format!(
                "operation `{operation}`: none of its security schemes has an `x-jdcloud-signing` extension"
            )));
        };
        let region = signing_region(&signing, context);
        let date = SigningDate::at(context.time);
        let nonce = uuid::Uuid::new_v4().to_string();
        let headers = request.headers_mut();
        add_headers_to_sign(headers, &date, &nonce, self.credentials.security_token())
            .map_err(|error| AuthError(format!("operation `{operation}`: {error}")))?;

        let header_pairs = header_pairs(request.headers())
            .map_err(|error| AuthError(format!("operation `{operation}`: {error}")))?;
        let signing_request = SigningRequest {
            method: request.method().as_str(),
            url: request.url(),
            headers: &header_pairs,
            body: request.body(),
            region,
            service: &signing.service,
            credentials: &self.credentials,
            date: &date,
        };
        let key = self.key_for(&signing_request);
        let signature = sign_with_key(&signing_request, &key);

        let authorization = sensitive(&signature.authorization).map_err(|_| {
            AuthError(format!(
                "operation `{operation}`: the access key or region is not a valid header value"
            ))
        })?;
        let payload_sha256 = HeaderValue::try_from(signature.payload_sha256)
            .map_err(|error| AuthError(format!("operation `{operation}`: {error}")))?;
        let headers = request.headers_mut();
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(CONTENT_SHA256, payload_sha256);
        Ok(())
    }
}

/// The value of the scheme's region parameter, [`DEFAULT_REGION`] for operations without one.
fn signing_region<'a>(signing: &SchemeSigning, context: &'a AuthContext<'_>) -> &'a str {
    let parameter = signing.region_parameter.as_deref();
    context
        .path_params
        .iter()
        .find(|(name, _)| Some(*name) == parameter)
        .map_or(DEFAULT_REGION, |(_, value)| value.as_str())
}

/// Adds the headers JD Cloud signs: date, nonce, content type and, with temporary
/// credentials, the base64-encoded security token. Replaces earlier values (a retried
/// request is signed afresh), and drops a previous attempt's signature.
fn add_headers_to_sign(
    headers: &mut HeaderMap,
    date: &SigningDate,
    nonce: &str,
    security_token: Option<&str>,
) -> Result<(), String> {
    headers.remove(AUTHORIZATION);
    headers.remove(CONTENT_SHA256);
    headers.remove(SECURITY_TOKEN);
    if !headers.contains_key(CONTENT_TYPE) {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let invalid = |name: &str| format!("the {name} is not a valid header value");
    headers.insert(
        DATE,
        HeaderValue::try_from(date.as_str()).map_err(|_| invalid("date"))?,
    );
    headers.insert(
        NONCE,
        HeaderValue::try_from(nonce).map_err(|_| invalid("nonce"))?,
    );
    if let Some(token) = security_token {
        let encoded = base64::engine::general_purpose::STANDARD.encode(token);
        let value = sensitive(&encoded).map_err(|_| invalid("security token"))?;
        headers.insert(SECURITY_TOKEN, value);
    }
    Ok(())
}

/// The headers to sign as text pairs; a signed header that is not visible ASCII cannot be
/// signed reliably, so it is refused by name (unsigned ones may hold anything).
fn header_pairs(headers: &HeaderMap) -> Result<Vec<(&str, &str)>, String> {
    headers
        .iter()
        .filter(|(name, _)| *name != AUTHORIZATION && *name != USER_AGENT)
        .map(|(name, value)| {
            value
                .to_str()
                .map(|value| (name.as_str(), value))
                .map_err(|_| format!("header `{name}` is not visible ASCII and cannot be signed"))
        })
        .collect()
}

/// A header value that `Debug` output of requests never shows.
fn sensitive(text: &str) -> Result<HeaderValue, InvalidHeaderValue> {
    let mut value = HeaderValue::try_from(text)?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use sdkgen_runtime::{
        Client, DecodeError, Error, Method, Operation, Outcome, RawResponse, Request, RetryPolicy,
        SchemeKind,
    };

    use super::*;

    const SECRET: &str = "signer-test-secret";

    static NO_SIGNING: SecurityScheme = SecurityScheme {
        name: "plainScheme",
        kind: SchemeKind::Http { scheme: "jdcloud" },
        extensions: "{}",
    };
    static OLD_ALGORITHM: SecurityScheme = SecurityScheme {
        name: "oldScheme",
        kind: SchemeKind::Http { scheme: "jdcloud" },
        extensions: r#"{"x-jdcloud-signing":{"algorithm":"JDCLOUD2-HMAC-SHA256","service":"vm"}}"#,
    };
    static BROKEN: SecurityScheme = SecurityScheme {
        name: "brokenScheme",
        kind: SchemeKind::Http { scheme: "jdcloud" },
        extensions: r#"{"x-jdcloud-signing":{"algorithm":"JDCLOUD3-HMAC-SHA256"}}"#,
    };

    static UNSIGNABLE: Operation = Operation {
        id: "unsignable",
        method: Method::Get,
        path: "/things",
        security: &[&[&NO_SIGNING]],
        envelope: None,
        request_id_header: None,
    };
    static OLD: Operation = Operation {
        id: "old",
        security: &[&[&OLD_ALGORITHM]],
        ..UNSIGNABLE
    };
    static MISCONFIGURED: Operation = Operation {
        id: "misconfigured",
        security: &[&[&BROKEN]],
        ..UNSIGNABLE
    };

    fn decode(_: &mut RawResponse) -> Result<Outcome<(), ()>, DecodeError> {
        Ok(Outcome::Unexpected)
    }

    /// Calls `operation` on a port nothing listens on: the signer's refusals come back as
    /// authentication errors before anything is sent, anything it lets through as a
    /// connection error.
    async fn call(operation: &'static Operation) -> Error<()> {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
        drop(listener);
        let client = Client::builder(&base_url)
            .auth(JdcloudSigner::new(Credentials::new("AKTEST", SECRET)))
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        client
            .execute(Request::new(operation), decode)
            .await
            .unwrap_err()
    }

    fn auth_message(error: &Error<()>) -> &str {
        match error {
            Error::Auth(AuthError(message)) => message,
            other => panic!("expected an authentication error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn refuses_operations_it_cannot_sign_naming_operation_and_scheme() {
        let error = call(&UNSIGNABLE).await;
        let message = auth_message(&error);
        assert!(message.contains("`unsignable`"), "{message}");
        assert!(message.contains("x-jdcloud-signing"), "{message}");

        let error = call(&OLD).await;
        let message = auth_message(&error);
        assert!(
            message.contains("`oldScheme`") && message.contains("JDCLOUD2-HMAC-SHA256"),
            "{message}"
        );

        let error = call(&MISCONFIGURED).await;
        let message = auth_message(&error);
        assert!(
            message.contains("`brokenScheme`") && message.contains("service"),
            "{message}"
        );
        assert!(!format!("{error} {error:?}").contains(SECRET));
    }

    #[tokio::test]
    async fn operations_without_security_pass_unsigned() {
        static OPEN: Operation = Operation {
            id: "open",
            security: &[],
            ..UNSIGNABLE
        };
        // Not an authentication error: the request went on to the absent server.
        let error = call(&OPEN).await;
        assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    }
}
