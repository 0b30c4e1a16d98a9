//! What the runtime hands back: the typed value with its metadata, and the raw response that
//! generated decode functions read.

use std::marker::PhantomData;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use serde::de::{DeserializeOwned, IgnoredAny};

use crate::envelope::{EnvelopeSeed, decode, from_absent};
use crate::error::DecodeError;
use crate::request::{Envelope, Operation};

/// A successful call: the typed body plus what the server said about it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Response<T> {
    /// The status received.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// From the body's envelope field if there is one, else the request-id header.
    pub request_id: Option<String>,
    /// The typed body (the envelope's result, unwrapped).
    pub body: T,
}

impl<T> Response<T> {
    /// The typed body, dropping the metadata.
    pub fn into_inner(self) -> T {
        self.body
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.body
    }
}

/// What a generated decode function makes of one response.
#[derive(Debug)]
pub enum Outcome<T, E> {
    /// A documented success status.
    Success(T),
    /// A documented error status (or `default`): becomes [`Error::Service`](crate::Error::Service).
    Failure(E),
    /// A status the spec does not document: becomes [`Error::UnexpectedStatus`](crate::Error::UnexpectedStatus).
    Unexpected,
}

/// A fully read response, given (mutably) to the generated decode function.
///
/// Generated code calls `status()`, then one of `json_result`, `json_error`, `json`,
/// `bytes` or `text` according to the documented status.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) request_id: Option<String>,
    pub(crate) envelope: Option<Envelope>,
    /// Whether the body's request-id field has been looked for already.
    pub(crate) body_request_id_read: bool,
}

impl RawResponse {
    /// A response to `operation` (whose envelope and request-id header apply); the request
    /// id starts as the header's value. The runtime builds these; tests of generated decode
    /// functions may too.
    pub fn new(operation: &Operation, status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let request_id = operation
            .request_id_header
            .and_then(|name| headers.get(name))
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        RawResponse {
            status,
            headers,
            body,
            request_id,
            envelope: operation.envelope,
            body_request_id_read: false,
        }
    }

    /// The status received.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }
    /// The request id found so far: the envelope's (once a `json_*` helper has read it),
    /// else the request-id header's.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The whole body as JSON.
    pub fn json<T: DeserializeOwned>(&mut self) -> Result<T, DecodeError> {
        decode(&self.body, PhantomData::<T>)
    }

    /// A success body: the envelope's result field (the whole body without an envelope),
    /// picking up the envelope's request id in the same pass.
    pub fn json_result<T: DeserializeOwned>(&mut self) -> Result<T, DecodeError> {
        self.json_field(self.envelope.and_then(|envelope| envelope.result))
    }

    /// An error body: the envelope's error field (the whole body without an envelope),
    /// picking up the envelope's request id in the same pass.
    pub fn json_error<T: DeserializeOwned>(&mut self) -> Result<T, DecodeError> {
        self.json_field(self.envelope.and_then(|envelope| envelope.error))
    }

    /// The body as bytes (non-JSON media types).
    pub fn bytes(&mut self) -> Result<Bytes, DecodeError> {
        Ok(self.body.clone())
    }

    /// The body as UTF-8 text (`text/*`).
    pub fn text(&mut self) -> Result<String, DecodeError> {
        String::from_utf8(self.body.to_vec())
            .map_err(|error| DecodeError::new(".", format!("the body is not UTF-8: {error}")))
    }

    /// `field` of the envelope as `T` (an absent field decodes only into unit-like types).
    fn json_field<T: DeserializeOwned>(
        &mut self,
        field: Option<&'static str>,
    ) -> Result<T, DecodeError> {
        let Some(field) = field else {
            return self.json();
        };
        let request_id_field = self.envelope.and_then(|envelope| envelope.request_id);
        let (value, request_id) = decode(
            &self.body,
            EnvelopeSeed::<T>::new(Some(field), request_id_field),
        )?;
        self.record_request_id(request_id);
        value.map_or_else(|| from_absent(field), Ok)
    }

    /// Looks for the envelope's request id if no `json_*` helper has (best effort: a body
    /// that is not a JSON object just has none).
    pub(crate) fn read_body_request_id(&mut self) {
        let Some(field) = self.envelope.and_then(|envelope| envelope.request_id) else {
            return;
        };
        if self.body_request_id_read || !self.body.trim_ascii_start().starts_with(b"{") {
            return;
        }
        if let Ok((_, request_id)) = decode(
            &self.body,
            EnvelopeSeed::<IgnoredAny>::new(None, Some(field)),
        ) {
            self.record_request_id(request_id);
        }
    }

    fn record_request_id(&mut self, request_id: Option<String>) {
        self.body_request_id_read = true;
        if request_id.is_some() {
            self.request_id = request_id;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::Method;

    static PLAIN: Operation = Operation {
        id: "plain",
        method: Method::Get,
        path: "/",
        security: &[],
        envelope: None,
        request_id_header: Some("x-request-id"),
    };

    static WRAPPED: Operation = Operation {
        id: "wrapped",
        envelope: Some(Envelope {
            result: Some("result"),
            error: Some("error"),
            request_id: Some("requestId"),
        }),
        ..PLAIN
    };

    fn raw(operation: &Operation, body: &'static str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-request-id",
            http::HeaderValue::from_static("from-header"),
        );
        RawResponse::new(
            operation,
            StatusCode::OK,
            headers,
            Bytes::from_static(body.as_bytes()),
        )
    }

    #[test]
    fn without_an_envelope_the_whole_body_is_decoded() {
        let mut response = raw(&PLAIN, r#"{"result":1,"requestId":"ignored"}"#);
        let value: serde_json::Value = response.json_result().unwrap();
        assert_eq!(value["result"], 1);
        assert_eq!(response.request_id(), Some("from-header"));
    }

    #[test]
    fn the_envelope_request_id_replaces_the_header_one() {
        let mut response = raw(&WRAPPED, r#"{"requestId":"from-body","error":{"code":7}}"#);
        let error: serde_json::Value = response.json_error().unwrap();
        assert_eq!(error["code"], 7);
        assert_eq!(response.request_id(), Some("from-body"));
    }

    #[test]
    fn an_absent_result_decodes_only_into_unit_like_types() {
        let mut response = raw(&WRAPPED, r#"{"requestId":"r"}"#);
        assert_eq!(response.json_result::<Option<u32>>(), Ok(None));
        let error = response.json_result::<u32>().unwrap_err();
        assert_eq!(
            (error.path.as_str(), error.message.as_str()),
            (".", "missing field `result`")
        );
    }

    #[test]
    fn the_request_id_is_read_from_a_body_no_helper_unwrapped() {
        let mut response = raw(&WRAPPED, r#"{"requestId":"late","result":{}}"#);
        let _: serde_json::Value = response.json().unwrap();
        assert_eq!(response.request_id(), Some("from-header"));
        response.read_body_request_id();
        assert_eq!(response.request_id(), Some("late"));
        let mut html = raw(&WRAPPED, "<html>");
        html.read_body_request_id();
        assert_eq!(html.request_id(), Some("from-header"));
    }

    #[test]
    fn text_must_be_utf8() {
        assert_eq!(raw(&PLAIN, "héllo").text().as_deref(), Ok("héllo"));
        let mut bad = raw(&PLAIN, "");
        bad.body = Bytes::from_static(&[0xff, 0xfe]);
        assert!(bad.text().unwrap_err().message.contains("not UTF-8"));
    }
}
