//! Client configuration: credentials, endpoint, timeout, retries and HTTP client, given
//! explicitly or read from the environment.

use std::env::VarError;
use std::fmt;
use std::time::Duration;

use sdkgen_runtime::RetryPolicy;

use crate::signing::{Credentials, JdcloudSigner};
use crate::{BASE_URL, Client};

/// Access key id (required by [`Client::from_env`]).
pub const ENV_ACCESS_KEY: &str = "JDCLOUD_ACCESS_KEY";
/// Secret key (required by [`Client::from_env`]).
pub const ENV_SECRET_KEY: &str = "JDCLOUD_SECRET_KEY";
/// Security token of temporary credentials (optional).
pub const ENV_SECURITY_TOKEN: &str = "JDCLOUD_SECURITY_TOKEN";
/// Origin (`scheme://host[:port]`) replacing the spec's, e.g. `http://127.0.0.1:8080`
/// (optional). The spec's base path (`/v1`) is always appended.
pub const ENV_ENDPOINT: &str = "JDCLOUD_ENDPOINT";

/// The `User-Agent` sent by default.
const USER_AGENT: &str = concat!("jdcloud-vm-rust/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A client configured from the environment: credentials from [`ENV_ACCESS_KEY`],
    /// [`ENV_SECRET_KEY`] and optionally [`ENV_SECURITY_TOKEN`]; the origin from
    /// [`ENV_ENDPOINT`] if set. Timeout and retries are the defaults (10 s per attempt, 3
    /// attempts).
    pub fn from_env() -> Result<Client, ConfigError> {
        ClientBuilder::default().load_env()?.build()
    }

    /// A builder that takes every setting explicitly.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Builds a [`Client`]. Credentials are required; everything else has a default.
#[derive(Debug, Clone, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    endpoint: Option<Endpoint>,
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    http: Option<reqwest::Client>,
    user_agent: Option<String>,
    max_body_size: Option<u64>,
}

/// An endpoint override and where it came from (for error messages).
#[derive(Clone)]
struct Endpoint {
    origin: String,
    variable: Option<&'static str>,
}

impl ClientBuilder {
    /// The credentials every request is signed with.
    pub fn credentials(mut self, credentials: Credentials) -> ClientBuilder {
        self.credentials = Some(credentials);
        self
    }

    /// Sends requests to this origin (`scheme://host[:port]`, no path) instead of the
    /// spec's; the spec's base path (`/v1`) is appended.
    pub fn endpoint(mut self, origin: impl Into<String>) -> ClientBuilder {
        self.endpoint = Some(Endpoint {
            origin: origin.into(),
            variable: None,
        });
        self
    }

    /// The largest response body read into memory, in bytes (default
    /// [`DEFAULT_MAX_BODY_SIZE`](sdkgen_runtime::DEFAULT_MAX_BODY_SIZE), 10 MiB); a larger
    /// one ends the call with [`Error::BodyTooLarge`](crate::Error::BodyTooLarge).
    pub fn max_body_size(mut self, bytes: u64) -> ClientBuilder {
        self.max_body_size = Some(bytes);
        self
    }

    /// Timeout of one attempt, from signing to the last byte of the body (default 10 s).
    pub fn timeout(mut self, timeout: Duration) -> ClientBuilder {
        self.timeout = Some(timeout);
        self
    }

    /// When and how often to retry (default [`RetryPolicy::default`]: 3 attempts).
    pub fn retry(mut self, retry: RetryPolicy) -> ClientBuilder {
        self.retry = Some(retry);
        self
    }

    /// Sends through the caller's own `reqwest::Client` (proxies, TLS roots, pool).
    pub fn http_client(mut self, http: reqwest::Client) -> ClientBuilder {
        self.http = Some(http);
        self
    }

    /// Replaces the default `User-Agent` (`jdcloud-vm-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> ClientBuilder {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Takes credentials (required) and the endpoint (if set) from the environment
    /// variables [`ENV_ACCESS_KEY`], [`ENV_SECRET_KEY`], [`ENV_SECURITY_TOKEN`] and
    /// [`ENV_ENDPOINT`]; settings made later override them.
    pub fn load_env(self) -> Result<ClientBuilder, ConfigError> {
        self.load_env_from(|name| std::env::var(name))
    }

    /// [`load_env`](Self::load_env) with a stand-in for `std::env::var` (for tests: the
    /// process environment is shared by all threads).
    fn load_env_from(
        mut self,
        var: impl Fn(&str) -> Result<String, VarError>,
    ) -> Result<ClientBuilder, ConfigError> {
        let optional = |name: &'static str| match var(name) {
            Ok(value) if value.is_empty() => Ok(None),
            Ok(value) => Ok(Some(value)),
            Err(VarError::NotPresent) => Ok(None),
            Err(VarError::NotUnicode(_)) => Err(ConfigError::NotUnicode { name }),
        };
        let required =
            |name: &'static str| optional(name)?.ok_or(ConfigError::MissingVariable { name });
        let mut credentials =
            Credentials::new(required(ENV_ACCESS_KEY)?, required(ENV_SECRET_KEY)?);
        if let Some(token) = optional(ENV_SECURITY_TOKEN)? {
            credentials = credentials.with_security_token(token);
        }
        self.credentials = Some(credentials);
        if let Some(origin) = optional(ENV_ENDPOINT)? {
            self.endpoint = Some(Endpoint {
                origin,
                variable: Some(ENV_ENDPOINT),
            });
        }
        Ok(self)
    }

    /// The client; fails on missing credentials or an endpoint that is not a bare origin.
    pub fn build(self) -> Result<Client, ConfigError> {
        let credentials = self.credentials.ok_or(ConfigError::MissingCredentials)?;
        let base_url = match &self.endpoint {
            Some(endpoint) => format!("{}{}", endpoint.validated_origin()?, base_path(BASE_URL)),
            None => BASE_URL.to_owned(),
        };
        let mut runtime = sdkgen_runtime::Client::builder(&base_url)
            .auth(JdcloudSigner::new(credentials))
            .user_agent(self.user_agent.unwrap_or_else(|| USER_AGENT.to_owned()));
        if let Some(timeout) = self.timeout {
            runtime = runtime.timeout(timeout);
        }
        if let Some(retry) = self.retry {
            runtime = runtime.retry(retry);
        }
        if let Some(http) = self.http {
            runtime = runtime.http_client(http);
        }
        if let Some(bytes) = self.max_body_size {
            runtime = runtime.max_body_size(bytes);
        }
        Ok(Client::from_runtime(runtime.build()?))
    }
}

impl Endpoint {
    /// `scheme://host[:port]` of an endpoint that is exactly an HTTP(S) origin.
    fn validated_origin(&self) -> Result<String, ConfigError> {
        let invalid = |reason: &str| ConfigError::InvalidEndpoint {
            endpoint: self.redacted(),
            variable: self.variable,
            reason: reason.to_owned(),
        };
        let url = reqwest::Url::parse(&self.origin).map_err(|error| invalid(&error.to_string()))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(invalid("it has no host"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("it must not contain user information"));
        }
        if !matches!(url.path(), "" | "/") {
            return Err(invalid(
                "it must not have a path (the API's base path is appended automatically)",
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(invalid("it must not have a query or fragment"));
        }
        Ok(url.origin().ascii_serialization())
    }

    /// The endpoint as given, but with any user information in it replaced (it may hold a
    /// password, which must not reach error messages or `Debug` output), even when the
    /// endpoint does not parse.
    fn redacted(&self) -> String {
        let (scheme, rest) = self.origin.split_once("://").unwrap_or(("", &self.origin));
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        match rest[..authority_end].rfind('@') {
            Some(at) => format!("{scheme}://REDACTED{}", &rest[at..]),
            None => self.origin.clone(),
        }
    }
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("origin", &self.redacted())
            .field("variable", &self.variable)
            .finish()
    }
}

/// The path of `url` without a trailing `/` (`/v1` for `https://vm.jdcloud-api.com/v1`).
fn base_path(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    after_scheme
        .find('/')
        .map_or("", |start| &after_scheme[start..])
        .trim_end_matches('/')
}

/// Why a client could not be configured. Names the setting or environment variable; never
/// contains a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// A required environment variable is unset or empty.
    #[error("environment variable {name} is not set")]
    MissingVariable {
        /// The variable.
        name: &'static str,
    },
    /// An environment variable holds bytes that are not Unicode.
    #[error("environment variable {name} is not valid Unicode")]
    NotUnicode {
        /// The variable.
        name: &'static str,
    },
    /// [`ClientBuilder::build`] without credentials.
    #[error(
        "no credentials: set {ENV_ACCESS_KEY} and {ENV_SECRET_KEY}, or call ClientBuilder::credentials"
    )]
    MissingCredentials,
    /// The endpoint is not an `http(s)://host[:port]` origin.
    #[error(
        "invalid endpoint `{endpoint}`{}: {reason}; expected an origin such as `http://127.0.0.1:8080`",
        variable.map(|name| format!(" (from {name})")).unwrap_or_default()
    )]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// The environment variable it came from, if any.
        variable: Option<&'static str>,
        /// What is wrong with it.
        reason: String,
    },
    /// The HTTP client could not be built.
    #[error(transparent)]
    Build(#[from] sdkgen_runtime::BuildError),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Result<String, VarError> + 'a {
        move |name| {
            pairs
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
                .ok_or(VarError::NotPresent)
        }
    }

    const KEYS: [(&str, &str); 2] = [
        (ENV_ACCESS_KEY, "AKENV"),
        (ENV_SECRET_KEY, "secret-from-env"),
    ];

    #[test]
    fn base_path_comes_from_the_spec_url() {
        assert_eq!(base_path(BASE_URL), "/v1");
        assert_eq!(base_path("https://h/v1/"), "/v1");
        assert_eq!(base_path("https://h"), "");
        assert_eq!(base_path("http://h:1/a/b"), "/a/b");
    }

    #[test]
    fn env_credentials_are_required_by_name() {
        for (missing, present) in [
            (ENV_ACCESS_KEY, ENV_SECRET_KEY),
            (ENV_SECRET_KEY, ENV_ACCESS_KEY),
        ] {
            let pairs = [(present, "value"), (missing, "")];
            let error = ClientBuilder::default()
                .load_env_from(env(&pairs))
                .unwrap_err();
            assert!(
                matches!(error, ConfigError::MissingVariable { name } if name == missing),
                "{error:?}"
            );
            assert!(error.to_string().contains(missing), "{error}");
        }
    }

    #[test]
    fn env_reads_token_and_endpoint() {
        let pairs = [
            KEYS[0],
            KEYS[1],
            (ENV_SECURITY_TOKEN, "tok"),
            (ENV_ENDPOINT, "http://127.0.0.1:8080"),
        ];
        let builder = ClientBuilder::default().load_env_from(env(&pairs)).unwrap();
        let credentials = builder.credentials.as_ref().unwrap();
        assert_eq!(credentials.access_key(), "AKENV");
        assert_eq!(credentials.security_token(), Some("tok"));
        let endpoint = builder.endpoint.as_ref().unwrap();
        assert_eq!(
            endpoint.validated_origin().unwrap(),
            "http://127.0.0.1:8080"
        );
        assert!(!format!("{builder:?}").contains("secret-from-env"));
        assert!(!format!("{builder:?}").contains("tok\""));
    }

    #[test]
    fn not_unicode_names_the_variable() {
        let error = ClientBuilder::default()
            .load_env_from(|name| {
                if name == ENV_SECRET_KEY {
                    Err(VarError::NotUnicode(std::ffi::OsString::from("x")))
                } else {
                    Ok("AK".to_owned())
                }
            })
            .unwrap_err();
        assert!(
            matches!(
                error,
                ConfigError::NotUnicode {
                    name: ENV_SECRET_KEY
                }
            ),
            "{error:?}"
        );
    }

    #[test]
    fn endpoint_must_be_a_bare_origin() {
        let origin = |text: &str| {
            Endpoint {
                origin: text.to_owned(),
                variable: Some(ENV_ENDPOINT),
            }
            .validated_origin()
        };
        assert_eq!(
            origin("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            origin("http://127.0.0.1:8080/").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            origin("https://vm.jdcloud-api.com:443").unwrap(),
            "https://vm.jdcloud-api.com"
        );
        assert_eq!(origin("http://[::1]:9").unwrap(), "http://[::1]:9");
        for (bad, why) in [
            ("http://127.0.0.1:8080/v1", "path"),
            ("http://h/?a=b", "query"),
            ("http://h/#x", "fragment"),
            ("ftp://h", "scheme"),
            ("127.0.0.1:8080", "relative URL"),
            ("http://user:pw@h", "user information"),
            ("http://user:pw@h h", "domain name"),
            ("not a url", "relative URL"),
        ] {
            let error = origin(bad).unwrap_err();
            let message = error.to_string();
            assert!(message.contains(why), "{bad}: {message}");
            assert!(message.contains(ENV_ENDPOINT), "{bad}: {message}");
            assert!(!message.contains(":pw@"), "{message}");
        }
    }

    #[test]
    fn debug_hides_a_password_in_the_endpoint() {
        for endpoint in [
            "http://user:hunter2@127.0.0.1:8080",
            "http://hunter2@127.0.0.1:8080/v1?at=@x",
        ] {
            let builder = ClientBuilder::default().endpoint(endpoint);
            let shown = format!("{builder:?}");
            assert!(shown.contains("REDACTED@127.0.0.1:8080"), "{shown}");
            assert!(!shown.contains("hunter2"), "{shown}");
        }
    }

    #[test]
    fn build_without_credentials_fails() {
        let error = Client::builder().build().unwrap_err();
        assert!(
            matches!(error, ConfigError::MissingCredentials),
            "{error:?}"
        );
    }
}
