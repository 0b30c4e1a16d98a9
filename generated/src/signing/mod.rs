//! JD Cloud request signing, `JDCLOUD3-HMAC-SHA256`, as described in
//! `shared/docs/jdcloud-signing.md` and pinned down by the official SDK's test vectors
//! (`tests/data/sign-vectors.json`).
//!
//! [`sign`] is the pure computation; [`JdcloudSigner`] plugs it into the runtime as the
//! [`Authenticator`](sdkgen_runtime::Authenticator) that signs every attempt.

mod canonical;
mod credentials;
mod date;
mod sign;
mod signer;

pub use credentials::Credentials;
pub use date::{InvalidSigningDate, SigningDate};
pub use sign::{
    ALGORITHM, DEFAULT_REGION, Signature, SigningKey, SigningRequest, sign, sign_with_key,
};
pub use signer::JdcloudSigner;
