//! The server side of JD Cloud signing, written independently of the crate's signer (no
//! code shared with `jdcloud_vm::signing`): recomputes the JDCLOUD3-HMAC-SHA256 signature of
//! a received request from its raw request line, headers and body. It is itself checked
//! against signatures computed by JD Cloud's official Python SDK
//! (`data/python-signer-fixtures.json`) before it is trusted to judge the client.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::server::Received;

/// The credentials the tests give the client.
pub const ACCESS_KEY: &str = "AKINTEGRATION0001";
pub const SECRET_KEY: &str = "SK-integration-secret-0001";
/// Temporary credentials: access key, secret key, token, and the token's base64 form.
pub const TOKEN_ACCESS_KEY: &str = "AKTEMPORARY000001";
pub const TOKEN_SECRET_KEY: &str = "SK-temporary-secret-0001";
pub const TOKEN: &str = "session+token/0001=";
const TOKEN_BASE64: &str = "c2Vzc2lvbit0b2tlbi8wMDAxPQ==";

/// Checks a received request's signature; the error says what is wrong.
pub fn verify(request: &Received) -> Result<(), String> {
    let authorization = request
        .header("authorization")
        .ok_or("no Authorization header")?;
    let rest = authorization
        .strip_prefix("JDCLOUD3-HMAC-SHA256 Credential=")
        .ok_or_else(|| format!("unexpected Authorization: {authorization}"))?;
    let mut parts = rest.split(", ");
    let credential = parts.next().ok_or("no Credential")?;
    let signed = parts
        .next()
        .and_then(|p| p.strip_prefix("SignedHeaders="))
        .ok_or("no SignedHeaders")?;
    let signature = parts
        .next()
        .and_then(|p| p.strip_prefix("Signature="))
        .ok_or("no Signature")?;
    // The region is the path's regionId, which may itself hold `/`: take the fixed parts
    // from both ends.
    let scope: Vec<&str> = credential.split('/').collect();
    let [access_key, date8, ref middle @ .., service, terminator] = scope[..] else {
        return Err(format!("bad credential {credential}"));
    };
    let region = middle.join("/");
    let (secret, token) = match access_key {
        ACCESS_KEY => (SECRET_KEY, None),
        TOKEN_ACCESS_KEY => (TOKEN_SECRET_KEY, Some(TOKEN_BASE64)),
        other => return Err(format!("unknown access key {other}")),
    };
    let date = request
        .header("x-jdcloud-date")
        .ok_or("no x-jdcloud-date")?;
    let nonce = request
        .header("x-jdcloud-nonce")
        .ok_or("no x-jdcloud-nonce")?;
    check(
        date.len() == 16 && date.as_bytes()[8] == b'T' && date.ends_with('Z'),
        "date format",
    )?;
    check(
        date.starts_with(date8),
        "scope date differs from x-jdcloud-date",
    )?;
    check(
        nonce.len() == 36 && nonce.as_bytes()[14] == b'4',
        "nonce is not a UUID v4",
    )?;
    check(
        region == expected_region(request.path()),
        "scope region differs from the path's",
    )?;
    check(
        service == "vm" && terminator == "jdcloud3_request",
        "scope service or terminator",
    )?;
    check(
        request.header("x-jdcloud-security-token") == token,
        "security token header",
    )?;

    let signed_names: Vec<&str> = signed.split(';').collect();
    let mut required = vec!["content-type", "host", "x-jdcloud-date", "x-jdcloud-nonce"];
    if token.is_some() {
        required.push("x-jdcloud-security-token");
    }
    for name in required {
        check(
            signed_names.contains(&name),
            &format!("{name} is not signed"),
        )?;
    }
    for name in ["user-agent", "authorization"] {
        check(
            !signed_names.contains(&name),
            &format!("{name} must not be signed"),
        )?;
    }
    let payload = hex::encode(Sha256::digest(&request.body));
    check(
        request.header("x-jdcloud-content-sha256") == Some(payload.as_str()),
        "x-jdcloud-content-sha256",
    )?;

    let computed = compute(&Parts {
        method: &request.method,
        path: request.path(),
        query: request.query(),
        headers: &request.headers,
        signed: &signed_names,
        body: &request.body,
        region: &region,
        date,
        secret,
    })?;
    check(
        computed.signature == signature,
        &format!(
            "signature mismatch; canonical request:\n{}",
            computed.canonical_request
        ),
    )
}

fn check(ok: bool, what: &str) -> Result<(), String> {
    if ok { Ok(()) } else { Err(what.to_owned()) }
}

/// `/v1/regions/{regionId}/...` gives the region; anything else signs as `jdcloud-api`.
fn expected_region(path: &str) -> String {
    match path.strip_prefix("/v1/regions/") {
        Some(rest) => decode(rest.split('/').next().unwrap_or_default()),
        None => "jdcloud-api".to_owned(),
    }
}

/// What a signature is computed from, as the server sees it.
pub struct Parts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub headers: &'a [(String, String)],
    pub signed: &'a [&'a str],
    pub body: &'a [u8],
    pub region: &'a str,
    pub date: &'a str,
    pub secret: &'a str,
}

pub struct Computed {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
}

pub fn compute(parts: &Parts<'_>) -> Result<Computed, String> {
    let mut canonical_headers = String::new();
    let mut sorted = parts.signed.to_vec();
    sorted.sort_unstable();
    for name in &sorted {
        let values: Vec<&str> = parts
            .headers
            .iter()
            .filter(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim())
            .collect();
        if values.is_empty() {
            return Err(format!("signed header {name} was not received"));
        }
        canonical_headers += &format!("{name}:{}\n", values.join(","));
    }
    let canonical_request = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{}\n{}",
        parts.method,
        canonical_path(parts.path),
        canonical_query(parts.query),
        sorted.join(";"),
        hex::encode(Sha256::digest(parts.body)),
    );
    let scope = format!("{}/{}/vm/jdcloud3_request", &parts.date[..8], parts.region);
    let string_to_sign = format!(
        "JDCLOUD3-HMAC-SHA256\n{}\n{scope}\n{}",
        parts.date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut key = format!("JDCLOUD3{}", parts.secret).into_bytes();
    for step in [&parts.date[..8], parts.region, "vm", "jdcloud3_request"] {
        key = hmac(&key, step.as_bytes());
    }
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    Ok(Computed {
        canonical_request,
        string_to_sign,
        signature,
    })
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn canonical_path(path: &str) -> String {
    let decoded = decode(path);
    let mut out = String::from("/");
    for segment in decoded.split('/').filter(|segment| !segment.is_empty()) {
        out += &encode(segment, true);
        out.push('/');
    }
    // Keep a trailing slash only if the path had one.
    if !decoded.ends_with('/') && out.len() > 1 {
        out.pop();
    }
    out
}

fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for piece in query.split('&') {
        let Some((key, value)) = piece.split_once('=') else {
            continue;
        };
        let key = encode(&decode(key), false);
        if !key.is_empty() {
            pairs.push((key, encode(&decode(value), false)));
        }
    }
    // By key, then value (not as `k=v` strings: `ids` must sort before `ids.1`).
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-decoding with `+` as a space; malformed escapes stay literal.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex_pair = bytes.get(index + 1..index + 3).and_then(|pair| {
            std::str::from_utf8(pair)
                .ok()
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        });
        match (bytes[index], hex_pair) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn encode(text: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        let unreserved =
            byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) || (keep_slash && byte == b'/');
        if unreserved {
            out.push(byte as char);
        } else {
            out += &format!("%{byte:02X}");
        }
    }
    out
}
