//! `multipart/form-data` request bodies (RFC 7578): one part per field, with a boundary that
//! occurs in no part.
//!
//! The body is assembled in memory: the runtime signs the body's bytes and may send them
//! again on a retry, so it needs them whole. A binary part is held as [`Bytes`] (shared, not
//! copied) until the body is assembled.

use std::fmt::Display;

use bytes::{Bytes, BytesMut};
use serde::Serialize;

use crate::request::{Body, Request};

/// The parts of a `multipart/form-data` body, in order.
#[derive(Debug, Clone, Default)]
pub struct Multipart {
    parts: Vec<Part>,
    /// Why a JSON part could not be serialised; the request is then refused.
    invalid: Option<String>,
}

#[derive(Debug, Clone)]
struct Part {
    name: String,
    filename: Option<String>,
    content_type: Option<String>,
    body: Bytes,
}

impl Multipart {
    /// No parts yet.
    pub fn new() -> Multipart {
        Multipart::default()
    }

    /// A text part (no `Content-Type`, which RFC 7578 reads as `text/plain`).
    pub fn text(self, name: &str, value: impl Display) -> Multipart {
        self.push(name, None, None, value.to_string().into())
    }

    /// A part of the given media type.
    pub fn part(self, name: &str, content_type: &str, body: impl Into<Bytes>) -> Multipart {
        self.push(name, None, Some(content_type), body.into())
    }

    /// A part holding `value` as JSON (`application/json`).
    pub fn json<T: Serialize + ?Sized>(mut self, name: &str, value: &T) -> Multipart {
        match serde_json::to_vec(value) {
            Ok(json) => self.push(name, None, Some("application/json"), json.into()),
            Err(error) => {
                self.invalid
                    .get_or_insert_with(|| format!("multipart field `{name}`: {error}"));
                self
            }
        }
    }

    /// The properties of a JSON object as parts: a string as text, an array as one part per
    /// item, `null` as none, any other value as JSON, in property-name order. For bodies the
    /// spec gives no properties.
    pub fn from_json(value: &serde_json::Value) -> Multipart {
        use serde_json::Value;
        let Value::Object(properties) = value else {
            return Multipart {
                parts: Vec::new(),
                invalid: Some("a multipart body must be an object".to_owned()),
            };
        };
        let mut form = Multipart::new();
        for (name, value) in crate::encode::sorted_fields(properties) {
            let items = match value {
                Value::Array(items) => &items[..],
                other => std::slice::from_ref(other),
            };
            for item in items {
                form = match item {
                    Value::Null => form,
                    Value::String(text) => form.text(name, text),
                    other => form.json(name, other),
                };
            }
        }
        form
    }

    /// A file part: `body` with a file name and a media type.
    pub fn file(
        self,
        name: &str,
        filename: &str,
        content_type: &str,
        body: impl Into<Bytes>,
    ) -> Multipart {
        self.push(name, Some(filename), Some(content_type), body.into())
    }

    fn push(
        mut self,
        name: &str,
        filename: Option<&str>,
        content_type: Option<&str>,
        body: Bytes,
    ) -> Multipart {
        self.parts.push(Part {
            name: name.to_owned(),
            filename: filename.map(str::to_owned),
            content_type: content_type.map(str::to_owned),
            body,
        });
        self
    }

    /// The body's `Content-Type` (with its boundary) and bytes.
    fn encode(&self) -> (String, Bytes) {
        let boundary = loop {
            let candidate = format!(
                "sdkgen-{:016x}{:016x}",
                fastrand::u64(..),
                fastrand::u64(..)
            );
            if !self
                .parts
                .iter()
                .any(|part| contains(&part.body, &candidate))
            {
                break candidate;
            }
        };
        let size: usize = self.parts.iter().map(|part| part.body.len() + 160).sum();
        let mut body = BytesMut::with_capacity(size + boundary.len() + 8);
        for part in &self.parts {
            let mut head = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{}\"",
                escape(&part.name)
            );
            if let Some(filename) = &part.filename {
                head.push_str(&format!("; filename=\"{}\"", escape(filename)));
            }
            if let Some(content_type) = &part.content_type {
                head.push_str(&format!("\r\nContent-Type: {content_type}"));
            }
            head.push_str("\r\n\r\n");
            body.extend_from_slice(head.as_bytes());
            body.extend_from_slice(&part.body);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        (
            format!("multipart/form-data; boundary={boundary}"),
            body.freeze(),
        )
    }
}

/// A name as a quoted-string of `Content-Disposition`, escaped as browsers do (WHATWG).
fn escape(name: &str) -> String {
    name.replace('"', "%22")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

impl Request {
    /// A `multipart/form-data` body.
    pub fn multipart_body(mut self, form: Multipart) -> Self {
        self.body = Some(match &form.invalid {
            Some(reason) => Body::Invalid(reason.clone()),
            None => {
                let (content_type, bytes) = form.encode();
                Body::Bytes {
                    content_type,
                    bytes,
                }
            }
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_a_boundary_they_do_not_contain() {
        let form = Multipart::new()
            .text("name", "Ann \"A\"")
            .json("meta", &serde_json::json!({"k": 1}))
            .file(
                "file",
                "a\r\n.bin",
                "image/png",
                Bytes::from_static(b"\x89PNG\r\n--"),
            );
        let (content_type, body) = form.encode();
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .expect("a boundary");
        let mut expected = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nAnn \"A\"\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\n\
             Content-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; \
             filename=\"a%0D%0A.bin\"\r\nContent-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        expected.extend_from_slice(b"\x89PNG\r\n--\r\n");
        expected.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        assert_eq!(body, expected);
    }

    #[test]
    fn a_json_object_gives_one_part_per_property_or_item() {
        // Out of name order: parts follow the names whatever serde_json's map keeps.
        let value = serde_json::json!({"d": {"k": true}, "b": [1, "y"], "c": null, "a": "x"});
        let form = Multipart::from_json(&value);
        let parts: Vec<(&str, Option<&str>, &[u8])> = form
            .parts
            .iter()
            .map(|p| (p.name.as_str(), p.content_type.as_deref(), &p.body[..]))
            .collect();
        let json = Some("application/json");
        assert_eq!(
            parts,
            [
                ("a", None, &b"x"[..]),
                ("b", json, b"1"),
                ("b", None, b"y"),
                ("d", json, br#"{"k":true}"#)
            ]
        );
        let invalid = Multipart::from_json(&serde_json::json!([1])).invalid;
        assert_eq!(
            invalid.as_deref(),
            Some("a multipart body must be an object")
        );
    }

    #[test]
    fn a_json_part_that_cannot_be_serialised_refuses_the_request() {
        let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let form = Multipart::new().json("bad", &map);
        assert!(
            form.invalid
                .as_deref()
                .unwrap()
                .starts_with("multipart field `bad`")
        );
    }
}
