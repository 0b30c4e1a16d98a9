//! Signing conformance example: reads one test vector's `inputs` object (see
//! `tests/data/sign-vectors.json`) as JSON on stdin and prints the signature as JSON.
//!
//! ```text
//! jq '.vectors[0].inputs' generated/tests/data/sign-vectors.json \
//!     | cargo run -p jdcloud-vm --example sign
//! ```
//!
//! It signs `host` plus the headers in `headers_before_signing` other than `user-agent` and
//! `authorization` (with `security_token` set, the base64 token header too), at the
//! `datetime` and with the `nonce` of the inputs, then adds the headers JD Cloud's clients send
//! after signing.

use std::io::Read as _;
use std::process::ExitCode;

use base64::Engine as _;
use jdcloud_vm::signing::{Credentials, SigningDate, SigningRequest, sign};
use serde_json::{Map, Value, json};

fn main() -> ExitCode {
    let mut input = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut input) {
        eprintln!("error: could not read stdin: {error}");
        return ExitCode::FAILURE;
    }
    match sign_inputs(&input) {
        Ok(output) => {
            println!("{output:#}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Signs the request a vector's `inputs` describe; the output object has
/// `canonical_request`, `string_to_sign`, `signed_headers`, `authorization`,
/// `payload_sha256` and `headers` (all headers to send).
pub fn sign_inputs(input: &str) -> Result<Value, String> {
    let inputs: Map<String, Value> = serde_json::from_str(input)
        .map_err(|error| format!("inputs are not a JSON object: {error}"))?;
    let text = |name: &str| -> Result<&str, String> {
        match inputs.get(name) {
            Some(Value::String(value)) => Ok(value),
            Some(_) => Err(format!("input `{name}` is not a string")),
            None => Err(format!("input `{name}` is missing")),
        }
    };
    let optional_text = |name: &str| text(name).ok().filter(|value| !value.is_empty());

    let query = optional_text("query")
        .map(|query| format!("?{query}"))
        .unwrap_or_default();
    let url_text = format!(
        "{}://{}{}{query}",
        text("scheme")?,
        text("host")?,
        text("path")?
    );
    let url =
        reqwest::Url::parse(&url_text).map_err(|error| format!("URL `{url_text}`: {error}"))?;
    let date: SigningDate = text("datetime")?
        .parse()
        .map_err(|error| format!("{error}"))?;
    let nonce = text("nonce")?;
    let mut credentials = Credentials::new(text("access_key")?, text("secret_key")?);
    if let Some(token) = optional_text("security_token") {
        credentials = credentials.with_security_token(token);
    }

    let mut headers: Vec<(String, String)> = match inputs.get("headers_before_signing") {
        None => Vec::new(),
        Some(Value::Object(headers)) => headers
            .iter()
            .map(|(name, value)| match value {
                Value::String(value) => Ok((name.clone(), value.clone())),
                _ => Err(format!("header `{name}` is not a string")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("input `headers_before_signing` is not an object".to_owned()),
    };
    if let Some(token) = optional_text("security_token") {
        let encoded = base64::engine::general_purpose::STANDARD.encode(token);
        headers.push(("x-jdcloud-security-token".to_owned(), encoded));
    }

    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let signature = sign(&SigningRequest {
        method: text("method")?,
        url: &url,
        headers: &pairs,
        body: optional_text("body").unwrap_or_default().as_bytes(),
        region: text("region")?,
        service: text("service")?,
        credentials: &credentials,
        date: &date,
    });

    // What goes on the wire: the signed headers, then what the official client adds after
    // signing (date and nonce unless already present, the signature, the payload hash).
    let mut sent: Map<String, Value> = headers
        .into_iter()
        .map(|(name, value)| (name, Value::String(value)))
        .collect();
    let has = |sent: &Map<String, Value>, name: &str| {
        sent.keys().any(|key| key.eq_ignore_ascii_case(name))
    };
    for (name, value) in [
        ("x-jdcloud-date", date.as_str()),
        ("x-jdcloud-nonce", nonce),
    ] {
        if !has(&sent, name) {
            sent.insert(name.to_owned(), json!(value));
        }
    }
    sent.retain(|name, _| {
        !name.eq_ignore_ascii_case("authorization")
            && !name.eq_ignore_ascii_case("x-jdcloud-content-sha256")
    });
    sent.insert("Authorization".to_owned(), json!(signature.authorization));
    sent.insert(
        "x-jdcloud-content-sha256".to_owned(),
        json!(signature.payload_sha256),
    );

    Ok(json!({
        "canonical_request": signature.canonical_request,
        "string_to_sign": signature.string_to_sign,
        "credential_scope": signature.credential_scope,
        "signed_headers": signature.signed_headers,
        "payload_sha256": signature.payload_sha256,
        "authorization": signature.authorization,
        "headers": sent,
    }))
}
