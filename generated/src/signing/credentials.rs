//! JD Cloud access keys. `Debug` shows the access key id only: the secret key and the
//! security token never reach logs or error messages.

use std::fmt;

/// An access key pair, optionally with the security token of temporary credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key: String,
    secret_key: String,
    security_token: Option<String>,
}

impl Credentials {
    /// Long-term credentials: an access key id and its secret key.
    pub fn new(access_key: impl Into<String>, secret_key: impl Into<String>) -> Credentials {
        Credentials {
            access_key: access_key.into(),
            secret_key: secret_key.into(),
            security_token: None,
        }
    }

    /// Adds the security token of temporary credentials (sent base64-encoded in
    /// `x-jdcloud-security-token`, and signed).
    pub fn with_security_token(mut self, security_token: impl Into<String>) -> Credentials {
        self.security_token = Some(security_token.into());
        self
    }

    /// The access key id (not secret: it is sent in every `Authorization` header).
    pub fn access_key(&self) -> &str {
        &self.access_key
    }

    pub(crate) fn secret_key(&self) -> &str {
        &self.secret_key
    }

    pub(crate) fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secret_and_token() {
        let credentials =
            Credentials::new("AKID", "very-secret-key").with_security_token("session-token-xyz");
        let shown = format!("{credentials:?} {credentials:#?}");
        assert!(shown.contains("AKID"), "{shown}");
        assert!(!shown.contains("very-secret-key"), "{shown}");
        assert!(!shown.contains("session-token-xyz"), "{shown}");
    }
}
