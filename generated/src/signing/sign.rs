//! The pure JDCLOUD3-HMAC-SHA256 computation: request parts in, signature parts out. No
//! clock, no randomness, no I/O, so the published vectors pin it down exactly.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::canonical;
use super::{Credentials, SigningDate};

/// The algorithm name, first line of the string to sign and prefix of `Authorization`.
pub const ALGORITHM: &str = "JDCLOUD3-HMAC-SHA256";
/// Prefix of the secret key in the first HMAC step.
const KEY_PREFIX: &str = "JDCLOUD3";
/// Last element of the credential scope.
const SCOPE_TERMINATOR: &str = "jdcloud3_request";
/// Region of operations that have none.
pub const DEFAULT_REGION: &str = "jdcloud-api";

/// What the signer needs to know about one request.
#[derive(Debug, Clone, Copy)]
pub struct SigningRequest<'a> {
    /// HTTP method, upper case (`GET`).
    pub method: &'a str,
    /// The URL as it goes on the wire; host, port, path and query are signed.
    pub url: &'a reqwest::Url,
    /// Headers present at signing time (name, value); all but `authorization` and
    /// `user-agent` are signed, `host` comes from `url`. Put `x-jdcloud-date`,
    /// `x-jdcloud-nonce` (and the security token) here to have them signed.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body bytes (empty for none).
    pub body: &'a [u8],
    /// Signing region (the request's `regionId`, [`DEFAULT_REGION`] when it has none).
    pub region: &'a str,
    /// Service name, e.g. `vm`.
    pub service: &'a str,
    /// Who signs.
    pub credentials: &'a Credentials,
    /// The signing time; must equal the `x-jdcloud-date` header sent.
    pub date: &'a SigningDate,
}

/// Every intermediate and final value of one signature (the intermediates are what a server
/// log shows when a signature is rejected, so they are kept for diagnosis and tests).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Signature {
    /// Lowercase hex SHA-256 of the body; also sent as `x-jdcloud-content-sha256`.
    pub payload_sha256: String,
    /// The canonical request (step 7).
    pub canonical_request: String,
    /// `date8/region/service/jdcloud3_request`.
    pub credential_scope: String,
    /// The string to sign (step 8).
    pub string_to_sign: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// Lowercase hex signature.
    pub signature: String,
    /// The `Authorization` header value.
    pub authorization: String,
}

/// `kSigning` (step 9): the same for every request of one access key, day, region and
/// service, so a signer keeps it instead of running four HMACs per request (as AWS's SDKs
/// keep their SigV4 key). `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningKey {
    access_key: String,
    date8: String,
    region: String,
    service: String,
    key: [u8; 32],
}

impl SigningKey {
    /// Derives the key for the scope of `request`.
    pub fn derive(request: &SigningRequest<'_>) -> Self {
        let secret = [KEY_PREFIX, request.credentials.secret_key()].concat();
        let k_date = hmac(secret.as_bytes(), request.date.date8().as_bytes());
        let k_region = hmac(&k_date, request.region.as_bytes());
        let k_service = hmac(&k_region, request.service.as_bytes());
        SigningKey {
            access_key: request.credentials.access_key().to_owned(),
            date8: request.date.date8().to_owned(),
            region: request.region.to_owned(),
            service: request.service.to_owned(),
            key: hmac(&k_service, SCOPE_TERMINATOR.as_bytes()),
        }
    }

    /// Whether this key signs `request` (same access key, day, region and service).
    pub fn fits(&self, request: &SigningRequest<'_>) -> bool {
        self.date8 == request.date.date8()
            && self.region == request.region
            && self.service == request.service
            && self.access_key == request.credentials.access_key()
    }
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("date8", &self.date8)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("key", &"***")
            .finish()
    }
}

/// Signs one request (steps 2 to 10 of `jdcloud-signing.md`).
pub fn sign(request: &SigningRequest<'_>) -> Signature {
    sign_with_key(request, &SigningKey::derive(request))
}

/// [`sign`] with a key kept from an earlier request; a key that does not [fit](SigningKey::fits)
/// the request is not used (a fresh one is derived), so a stale key can never sign.
pub fn sign_with_key(request: &SigningRequest<'_>, key: &SigningKey) -> Signature {
    if !key.fits(request) {
        return sign(request);
    }
    let payload_sha256 = if request.body.is_empty() {
        EMPTY_SHA256.to_owned()
    } else {
        sha256_hex(request.body)
    };
    let host = canonical::host(request.url);
    let (canonical_headers, signed_headers) =
        canonical::headers(&host, request.headers.iter().copied());
    let canonical_request = [
        request.method,
        &canonical::uri(request.url.path()),
        &canonical::query(request.url.query().unwrap_or_default()),
        &canonical_headers,
        &signed_headers,
        &payload_sha256,
    ]
    .join("\n");
    // `concat` sizes each string once; `format!` costs as much as a hash here.
    let credential_scope = [
        request.date.date8(),
        "/",
        request.region,
        "/",
        request.service,
        "/",
        SCOPE_TERMINATOR,
    ]
    .concat();
    let mut string_to_sign = [
        ALGORITHM,
        "\n",
        request.date.as_str(),
        "\n",
        &credential_scope,
        "\n",
    ]
    .concat();
    push_hex(
        &mut string_to_sign,
        &Sha256::digest(canonical_request.as_bytes()),
    );
    let signature = lower_hex(&hmac(&key.key, string_to_sign.as_bytes()));
    let authorization = [
        ALGORITHM,
        " Credential=",
        request.credentials.access_key(),
        "/",
        &credential_scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ]
    .concat();
    Signature {
        payload_sha256,
        canonical_request,
        credential_scope,
        string_to_sign,
        signed_headers,
        signature,
        authorization,
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC is defined for keys of every length, so this constructor cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Hex SHA-256 of the empty body (every GET), spared the hashing.
const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Lowercase hex SHA-256.
pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    lower_hex(&Sha256::digest(bytes))
}

/// Lowercase hex, by table (`hex::encode` goes through a `char` iterator, several times slower).
fn lower_hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    push_hex(&mut out, bytes);
    out
}

/// Appends lowercase hex to `out`, sparing a temporary string where the hex is part of a
/// larger one.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_body_hash_is_the_documented_constant() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn signing_key_matches_the_vectors_key() {
        let credentials =
            Credentials::new("AKTEST0000000000", "SKTEST0000000000000000000000000000");
        let url = reqwest::Url::parse("https://vm.jdcloud-api.com/").unwrap();
        let date: SigningDate = "20260102T030405Z".parse().unwrap();
        let request = SigningRequest {
            method: "GET",
            url: &url,
            headers: &[],
            body: b"",
            region: "cn-north-1",
            service: "vm",
            credentials: &credentials,
            date: &date,
        };
        let key = SigningKey::derive(&request);
        assert_eq!(
            hex::encode(key.key),
            "2ed31a6307011c51342a66bb1304f59fff47eeff8d7543171004fe04202e64f2"
        );
        assert!(
            !format!("{key:?}").contains("2ed31a63"),
            "Debug hides the key"
        );
    }

    #[test]
    fn a_kept_key_signs_like_a_fresh_one_and_a_stale_key_is_never_used() {
        let credentials =
            Credentials::new("AKTEST0000000000", "SKTEST0000000000000000000000000000");
        let url =
            reqwest::Url::parse("https://vm.jdcloud-api.com/v1/regions/cn-north-1/images").unwrap();
        let day1: SigningDate = "20260102T030405Z".parse().unwrap();
        let day2: SigningDate = "20260103T000001Z".parse().unwrap();
        let request = |date, region| SigningRequest {
            method: "GET",
            url: &url,
            headers: &[],
            body: b"",
            region,
            service: "vm",
            credentials: &credentials,
            date,
        };
        let kept = SigningKey::derive(&request(&day1, "cn-north-1"));
        for (date, region) in [
            (&day1, "cn-north-1"),
            (&day2, "cn-north-1"),
            (&day1, "cn-east-2"),
        ] {
            let request = request(date, region);
            assert_eq!(kept.fits(&request), date == &day1 && region == "cn-north-1");
            assert_eq!(
                sign_with_key(&request, &kept),
                sign(&request),
                "{date:?} {region}"
            );
        }
    }
}
