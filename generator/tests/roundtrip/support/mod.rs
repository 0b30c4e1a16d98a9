//! Helpers shared by the round-trip tests; `cargo xtask corpus` copies this file into each
//! fixture crate as `tests/support/mod.rs`.

// Each test file uses its own subset of these.
#![allow(dead_code)]

use serde_json::Value;

/// Decodes `value` as `T`, naming the value when it does not decode.
pub fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"))
}

/// Encodes `value` as a JSON value (compared with `json!`, so field order never matters).
pub fn encode<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("encodes")
}

/// A default value with some fields set (works whether or not the type is `#[non_exhaustive]`).
pub fn with<T: Default>(set: impl FnOnce(&mut T)) -> T {
    let mut value = T::default();
    set(&mut value);
    value
}

/// One HTTP/1.1 request as a loopback test server read it.
pub struct RawRequest {
    pub method: String,
    /// The request target as sent: path and query, still percent-encoded.
    pub target: String,
    /// Lower-case names, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Reads one request: the request line, the headers, and a body of `content-length` bytes.
pub fn read_request(reader: &mut impl std::io::BufRead) -> RawRequest {
    let mut line = String::new();
    reader.read_line(&mut line).expect("reads the request line");
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let target = words.next().unwrap_or_default().to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("reads a header");
        let Some((name, value)) = line.trim_end().split_once(':') else {
            break;
        };
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .map_or(0, |(_, value)| value.parse().expect("a length"));
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("reads the body");
    RawRequest {
        method,
        target,
        headers,
        body,
    }
}
