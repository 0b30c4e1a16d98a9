//! A pretend API, shaped like JD Cloud's (envelope, request-id header), written the way the
//! generator emits operations: statics, typed bodies and decode functions.

use std::time::Duration;

use sdkgen_runtime::{
    ApiKeyLocation, Client, DecodeError, Envelope, Method, Operation, Outcome, RawResponse,
    RetryPolicy, SchemeKind, SecurityScheme,
};
use serde::Deserialize;

pub const ENVELOPE: Envelope = Envelope {
    result: Some("result"),
    error: Some("error"),
    request_id: Some("requestId"),
};

pub static DESCRIBE_IMAGE: Operation = Operation {
    id: "describeImage",
    method: Method::Get,
    path: "/regions/{regionId}/images/{imageId}",
    security: &[],
    envelope: Some(ENVELOPE),
    request_id_header: Some("x-request-id"),
};

pub static MODIFY_IMAGE: Operation = Operation {
    id: "modifyImageAttribute",
    method: Method::Post,
    path: "/regions/{regionId}/images/{imageId}:modify",
    security: &[],
    envelope: Some(ENVELOPE),
    request_id_header: Some("x-request-id"),
};

pub static BEARER: SecurityScheme = SecurityScheme {
    name: "bearerAuth",
    kind: SchemeKind::Http { scheme: "bearer" },
    extensions: "{}",
};

pub static API_KEY_HEADER: SecurityScheme = SecurityScheme {
    name: "apiKeyHeader",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Header,
        name: "X-Api-Key",
    },
    extensions: "{}",
};

pub static API_KEY_QUERY: SecurityScheme = SecurityScheme {
    name: "apiKeyQuery",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Query,
        name: "api_key",
    },
    extensions: "{}",
};

pub static API_KEY_COOKIE: SecurityScheme = SecurityScheme {
    name: "apiKeyCookie",
    kind: SchemeKind::ApiKey {
        location: ApiKeyLocation::Cookie,
        name: "session",
    },
    extensions: "{}",
};

/// `GET /things` secured by any of the schemes above.
pub static LIST_THINGS: Operation = Operation {
    id: "listThings",
    method: Method::Get,
    path: "/things",
    security: &[
        &[&BEARER],
        &[&API_KEY_HEADER],
        &[&API_KEY_QUERY],
        &[&API_KEY_COOKIE],
    ],
    envelope: None,
    request_id_header: None,
};

/// `GET /things` secured by the header API key only.
pub static LIST_THINGS_KEY_ONLY: Operation = Operation {
    id: "listThingsKeyOnly",
    method: Method::Get,
    path: "/things",
    security: &[&[&API_KEY_HEADER]],
    envelope: None,
    request_id_header: None,
};

/// `GET /things` needing the header API key and the bearer token together, or else the
/// query API key alone.
pub static LIST_THINGS_BOTH: Operation = Operation {
    id: "listThingsBoth",
    method: Method::Get,
    path: "/things",
    security: &[&[&API_KEY_HEADER, &BEARER], &[&API_KEY_QUERY]],
    envelope: None,
    request_id_header: None,
};

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub image_id: String,
    pub os_type: String,
    pub size: u32,
}

#[derive(Debug, Deserialize)]
pub struct ImageResult {
    pub image: Image,
}

#[derive(Debug, Deserialize, PartialEq)]
pub struct ApiError {
    pub code: u16,
    pub status: String,
    pub message: String,
}

/// 200 is the image; 400, 401, 404, 500 and 503 are documented errors; the rest is not.
pub fn decode_image(raw: &mut RawResponse) -> Result<Outcome<ImageResult, ApiError>, DecodeError> {
    match raw.status().as_u16() {
        200 => raw.json_result().map(Outcome::Success),
        400 | 401 | 404 | 500 | 503 => raw.json_error().map(Outcome::Failure),
        _ => Ok(Outcome::Unexpected),
    }
}

/// Any 2xx as free-form JSON, nothing documented otherwise.
pub fn decode_any(raw: &mut RawResponse) -> Result<Outcome<serde_json::Value, ()>, DecodeError> {
    if raw.status().is_success() {
        raw.json().map(Outcome::Success)
    } else {
        Ok(Outcome::Unexpected)
    }
}

pub fn image_body(request_id: &str) -> String {
    format!(
        r#"{{"requestId":"{request_id}","result":{{"image":{{"imageId":"img-1","osType":"linux","size":40,"platform":"Ubuntu","newField":{{"x":[1,2]}}}}}}}}"#
    )
}

pub fn error_body(request_id: &str, code: u16, status: &str) -> String {
    format!(
        r#"{{"requestId":"{request_id}","error":{{"code":{code},"status":"{status}","message":"it failed"}}}}"#
    )
}

/// Retries quickly: millisecond backoffs keep the tests fast.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(20))
        .with_deadline(Some(Duration::from_secs(10)))
}

pub fn client(base_url: &str) -> Client {
    Client::builder(base_url)
        .retry(fast_retry())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}
