//! Calling an operation by its operationId with its parameters as one JSON object, keyed by
//! the spec's names (what a generated `call` module does, for command-line tools and tests).
//! The values decode into the operation's typed parameters, so a call goes through the same
//! encoding as the typed API; anything unknown, missing or mistyped is an error naming it.

use std::collections::BTreeMap;
use std::future::IntoFuture;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::Error;
use crate::request::Request;
use crate::response::Response;

/// Why an operation could not be called by name, or what the call returned instead of a result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CallError {
    /// No operation has this operationId.
    #[error("unknown operation `{0}`")]
    UnknownOperation(String),
    /// The parameters are not a JSON object.
    #[error("`{operation}`: the parameters must be a JSON object, not {found}")]
    NotAnObject {
        /// The operation.
        operation: &'static str,
        /// What was given instead.
        found: String,
    },
    /// A required parameter is missing.
    #[error("`{operation}`: missing required parameter `{name}`")]
    Missing {
        /// The operation.
        operation: &'static str,
        /// The parameter's name in the spec.
        name: String,
    },
    /// Parameters the operation does not have.
    #[error("`{operation}`: unknown parameter(s) {}", .names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))]
    Unknown {
        /// The operation.
        operation: &'static str,
        /// The unknown names, sorted.
        names: Vec<String>,
    },
    /// A parameter's value does not decode as its type.
    #[error("`{operation}`: parameter `{name}`: {reason}")]
    Invalid {
        /// The operation.
        operation: &'static str,
        /// The parameter (and the path inside it, for a body field).
        name: String,
        /// Why it does not decode.
        reason: String,
    },
    /// The call failed (the message names the status and request id where there is one).
    #[error("{0}")]
    Failed(String),
}

/// The parameters of one call, taken out one by one; [`Params::finish`] refuses the rest.
#[derive(Debug)]
pub struct Params {
    operation: &'static str,
    values: Map<String, Value>,
}

impl Params {
    /// The parameters of `operation`, which must be a JSON object.
    pub fn new(operation: &'static str, values: Value) -> Result<Self, CallError> {
        match values {
            Value::Object(values) => Ok(Params { operation, values }),
            other => Err(CallError::NotAnObject {
                operation,
                found: kind(&other).to_owned(),
            }),
        }
    }

    /// A required parameter, by its name in the spec.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, CallError> {
        self.optional(name)?.ok_or_else(|| CallError::Missing {
            operation: self.operation,
            name: name.to_owned(),
        })
    }

    /// An optional parameter; absent or `null` is `None`.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, CallError> {
        match self.values.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(value) => self.decode(name, value).map(Some),
        }
    }

    /// A JSON body whose properties are given at the top level beside the other parameters
    /// (as JD Cloud's SDKs take them): the ones named in `fields`, `None` if none is given.
    pub fn body<T: DeserializeOwned>(&mut self, fields: &[&str]) -> Result<Option<T>, CallError> {
        let taken: Map<String, Value> = fields
            .iter()
            .filter_map(|field| self.values.remove_entry(*field))
            .filter(|(_, value)| !value.is_null())
            .collect();
        if taken.is_empty() {
            return Ok(None);
        }
        self.decode_body(Value::Object(taken)).map(Some)
    }

    /// Like [`body`](Self::body) for a required body: its required fields must be given.
    pub fn required_body<T: DeserializeOwned>(&mut self, fields: &[&str]) -> Result<T, CallError> {
        let taken: Map<String, Value> = fields
            .iter()
            .filter_map(|field| self.values.remove_entry(*field))
            .filter(|(_, value)| !value.is_null())
            .collect();
        self.decode_body(Value::Object(taken))
    }

    /// Refuses any parameter not taken.
    pub fn finish(self) -> Result<(), CallError> {
        if self.values.is_empty() {
            return Ok(());
        }
        // Sorted here: the map's own order depends on serde_json's `preserve_order`, which any
        // crate in the build can turn on.
        let mut names: Vec<String> = self.values.keys().cloned().collect();
        names.sort();
        Err(CallError::Unknown {
            operation: self.operation,
            names,
        })
    }

    fn decode<T: DeserializeOwned>(&self, name: &str, value: Value) -> Result<T, CallError> {
        serde_path_to_error::deserialize(value).map_err(|error| {
            let path = error.path().to_string();
            let name = if path == "." {
                name.to_owned()
            } else {
                format!("{name}.{path}")
            };
            CallError::Invalid {
                operation: self.operation,
                name,
                reason: error.into_inner().to_string(),
            }
        })
    }

    fn decode_body<T: DeserializeOwned>(&self, body: Value) -> Result<T, CallError> {
        serde_path_to_error::deserialize(body).map_err(|error| {
            let path = error.path().to_string();
            let reason = error.into_inner().to_string();
            match reason.strip_prefix("missing field `") {
                Some(rest) if path == "." => CallError::Missing {
                    operation: self.operation,
                    name: rest.split('`').next().unwrap_or(rest).to_owned(),
                },
                _ => CallError::Invalid {
                    operation: self.operation,
                    name: path,
                    reason,
                },
            }
        })
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The end of every operation's arm in a generated `call` module: a parameter left unread is
/// an error; then the dry run of `builder`'s request, or the call and its `output`.
pub async fn finish<B, T, E>(
    params: Params,
    client: &Client,
    dry_run: bool,
    builder: B,
    into_request: impl FnOnce(B) -> Request,
    output: impl FnOnce(Result<Response<T>, Error<E>>) -> Result<Value, CallError>,
) -> Result<Value, CallError>
where
    B: IntoFuture<Output = Result<Response<T>, Error<E>>>,
{
    params.finish()?;
    if dry_run {
        self::dry_run(client, into_request(builder)).await
    } else {
        output(builder.await)
    }
}

/// `{"method", "url", "headers", "body"}`: the request as the first attempt would send it,
/// signed by the client's authenticator, and nothing sent. `body` is the JSON body parsed,
/// the text of any other body, or `null` without one.
pub async fn dry_run(client: &Client, request: Request) -> Result<Value, CallError> {
    let signed = client
        .sign(&request)
        .await
        .map_err(|error| CallError::Failed(error.to_string()))?;
    let headers: BTreeMap<&str, String> = signed
        .headers()
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str(), value)
        })
        .collect();
    let body = match signed.body() {
        [] => Value::Null,
        bytes => serde_json::from_slice(bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(bytes).into_owned())),
    };
    let dry_run = serde_json::json!({
        "method": signed.method().as_str(),
        "url": signed.url().as_str(),
        "headers": headers,
        "body": body,
    });
    Ok(sorted(dry_run))
}

/// `value` with every object's keys in sorted order, whatever serde_json's map keeps: its
/// order depends on whether some crate in the build enables `preserve_order`, and the same
/// call must print the same text in every build.
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(fields) => {
            let fields: BTreeMap<String, Value> = fields.into_iter().collect();
            let fields = fields.into_iter().map(|(key, value)| (key, sorted(value)));
            Value::Object(fields.collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `{"status", "requestId", "result"}` of a successful call, or the error's message (which
/// names the status and the request id).
pub fn output<T: Serialize, E>(result: Result<Response<T>, Error<E>>) -> Result<Value, CallError>
where
    Error<E>: std::fmt::Display,
{
    let response = result.map_err(|error| CallError::Failed(error.to_string()))?;
    let result = serde_json::to_value(&response.body).map_err(|error| {
        CallError::Failed(format!("the result does not encode as JSON: {error}"))
    })?;
    Ok(serde_json::json!({
        "status": response.status.as_u16(),
        "requestId": response.request_id,
        "result": result,
    }))
}

/// Like [`output`], for a result that is not JSON (bytes, or an enum of statuses): its
/// `Debug` text.
pub fn output_debug<T: std::fmt::Debug, E>(
    result: Result<Response<T>, Error<E>>,
) -> Result<Value, CallError>
where
    Error<E>: std::fmt::Display,
{
    let response = result.map_err(|error| CallError::Failed(error.to_string()))?;
    Ok(serde_json::json!({
        "status": response.status.as_u16(),
        "requestId": response.request_id,
        "result": format!("{:?}", response.body),
    }))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "camelCase")]
    struct Body {
        name: String,
        max_count: Option<i32>,
    }

    fn params(value: Value) -> Params {
        Params::new("op", value).expect("an object")
    }

    #[test]
    fn dry_run_text_has_sorted_keys_whatever_the_map_order() {
        // Out of order on purpose: with `preserve_order` (on when the whole workspace is
        // built, as `cargo test --workspace` does) serde_json would print them as written.
        let value = json!({"url": "u", "body": {"z": 1, "a": [{"y": 2, "b": 3}]}, "method": "GET"});
        assert_eq!(
            sorted(value).to_string(),
            r#"{"body":{"a":[{"b":3,"y":2}],"z":1},"method":"GET","url":"u"}"#
        );
    }

    #[test]
    fn takes_parameters_and_body_fields_by_their_spec_names() {
        let mut p =
            params(json!({"regionId": "r", "ids": ["a"], "name": "n", "maxCount": 2, "x": null}));
        assert_eq!(p.required::<String>("regionId").ok().as_deref(), Some("r"));
        assert_eq!(
            p.optional::<Vec<String>>("ids").ok().flatten(),
            Some(vec!["a".to_owned()])
        );
        assert_eq!(p.optional::<i64>("absent").ok(), Some(None));
        assert_eq!(p.optional::<i64>("x").ok(), Some(None), "null is unset");
        let body = p
            .required_body::<Body>(&["name", "maxCount", "clientToken"])
            .ok();
        assert_eq!(
            body,
            Some(Body {
                name: "n".into(),
                max_count: Some(2)
            })
        );
        assert!(p.finish().is_ok());
        let mut p = params(json!({}));
        assert_eq!(
            p.body::<Body>(&["name", "maxCount"]).ok(),
            Some(None),
            "no field: no body"
        );
    }

    #[test]
    fn errors_name_the_parameter() {
        let message = |error: CallError| error.to_string();
        let mut p = params(json!({"n": "ten", "body": {"maxCount": "x"}}));
        assert_eq!(
            p.required::<i64>("n").map_err(message).err().as_deref(),
            Some("`op`: parameter `n`: invalid type: string \"ten\", expected i64")
        );
        assert_eq!(
            p.required::<i64>("gone").map_err(message).err().as_deref(),
            Some("`op`: missing required parameter `gone`")
        );
        let mut p = params(json!({"maxCount": 1, "extra": 1, "other": 2}));
        assert_eq!(
            p.required_body::<Body>(&["name", "maxCount"])
                .map_err(message)
                .err()
                .as_deref(),
            Some("`op`: missing required parameter `name`")
        );
        assert_eq!(
            p.finish().map_err(message).err().as_deref(),
            Some("`op`: unknown parameter(s) `extra`, `other`")
        );
        let mut p = params(json!({"name": 5}));
        assert_eq!(
            p.required_body::<Body>(&["name"])
                .map_err(message)
                .err()
                .as_deref(),
            Some("`op`: parameter `name`: invalid type: integer `5`, expected a string")
        );
        assert_eq!(
            Params::new("op", json!("x"))
                .map_err(message)
                .err()
                .as_deref(),
            Some("`op`: the parameters must be a JSON object, not a string")
        );
    }
}
