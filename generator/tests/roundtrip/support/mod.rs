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
