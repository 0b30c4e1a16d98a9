//! Reading a spec: YAML or JSON text -> the raw JSON value (kept for extensions and JSON
//! pointers) -> its [`Version`], read first -> for 3.1, the raw value [`normalise`]d to the
//! 3.0 shape -> the typed `openapiv3` document. Syntax errors carry file:line:column; shape
//! errors carry the JSON pointer of the value that did not fit.

pub mod normalise;
mod version;

use openapiv3::OpenAPI;
use serde_json::Value;

pub use version::Version;

use crate::error::{GenerateError, Warning};
use crate::naming::pointer_segment;

/// A parsed spec: its name (for messages), the raw value, and the typed document.
#[derive(Debug)]
pub struct Document {
    pub file: String,
    /// The document as read; for 3.1, normalised to the 3.0 shape (same pointers wherever
    /// nothing was rewritten).
    pub raw: Value,
    pub api: OpenAPI,
    /// The version the document declares.
    pub version: Version,
    /// Fallbacks taken while normalising a 3.1 document (none for 3.0).
    pub warnings: Vec<Warning>,
}

/// Parses `text`; JSON when the name ends in `.json` or the text starts with `{`, else YAML.
pub fn parse(file: &str, text: &str) -> Result<Document, GenerateError> {
    let mut raw = if file.ends_with(".json") || text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            GenerateError::syntax(file, e.line(), e.column(), strip_position(&e.to_string()))
        })?
    } else {
        parse_yaml(file, text)?
    };
    let version = version::detect(file, &raw)?;
    let warnings = match version {
        Version::V3_0 => Vec::new(),
        Version::V3_1 => normalise::normalise(&mut raw),
    };
    let label = match version {
        Version::V3_0 => "OpenAPI 3.0",
        Version::V3_1 => "OpenAPI 3.1",
    };
    let api = serde_path_to_error::deserialize::<_, OpenAPI>(&raw).map_err(|e| {
        // Flattened and untagged parts of openapiv3 hide the path below them; retry the
        // pieces one by one to find the innermost one that does not fit.
        let (pointer, message) =
            narrow(&raw).unwrap_or_else(|| (path_to_pointer("#", e.path()), e.inner().to_string()));
        GenerateError::at(
            file,
            &pointer,
            format!("not a valid {label} document: {message}"),
        )
    })?;
    Ok(Document {
        file: file.to_owned(),
        raw,
        api,
        version,
        warnings,
    })
}

fn parse_yaml(file: &str, text: &str) -> Result<Value, GenerateError> {
    let mut yaml: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| match e.location() {
            Some(at) => {
                GenerateError::syntax(file, at.line(), at.column(), strip_position(&e.to_string()))
            }
            None => GenerateError::syntax(file, 1, 1, e.to_string()),
        })?;
    yaml.apply_merge()
        .map_err(|e| GenerateError::syntax(file, 1, 1, format!("YAML merge key: {e}")))?;
    yaml_to_json(yaml, "#").map_err(|(pointer, message)| GenerateError::at(file, &pointer, message))
}

/// serde_json and serde_yaml end messages with "at line X column Y"; the location says it.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// YAML allows non-string keys (`200:` is an integer); JSON, and so OpenAPI, has string keys.
fn yaml_to_json(value: serde_yaml::Value, pointer: &str) -> Result<Value, (String, String)> {
    use serde_yaml::Value as Y;
    Ok(match value {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &format!("{pointer}/{i}")))
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut object = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    _ => {
                        return Err((pointer.to_owned(), "mapping key is not a scalar".to_owned()));
                    }
                };
                let child = format!("{pointer}/{}", pointer_segment(&key));
                object.insert(key, yaml_to_json(item, &child)?);
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer)?,
    })
}

/// Where a piece of `value` that should be a `T` fails, if it does.
fn check<T: serde::de::DeserializeOwned>(value: &Value, pointer: &str) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| (path_to_pointer(pointer, e.path()), e.inner().to_string()))
}

fn entries<'a>(
    value: Option<&'a Value>,
    pointer: &'a str,
) -> impl Iterator<Item = (String, &'a Value)> + 'a {
    let object = value.and_then(Value::as_object).into_iter().flatten();
    let array = value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate();
    object
        .map(move |(key, item)| (format!("{pointer}/{}", pointer_segment(key)), item))
        .chain(array.map(move |(i, item)| (format!("{pointer}/{i}"), item)))
}

/// The innermost failing piece among paths, operations, parameters, bodies, responses and
/// component schemas.
fn narrow(raw: &Value) -> Option<(String, String)> {
    use openapiv3::{Parameter, ReferenceOr, RequestBody, Response, Schema};
    let operation_parts = |op: &Value, at: &str| {
        entries(op.get("parameters"), &format!("{at}/parameters"))
            .find_map(|(p, v)| check::<ReferenceOr<Parameter>>(v, &p))
            .or_else(|| {
                op.get("requestBody").and_then(|v| {
                    check::<ReferenceOr<RequestBody>>(v, &format!("{at}/requestBody"))
                })
            })
            .or_else(|| {
                entries(op.get("responses"), &format!("{at}/responses"))
                    .find_map(|(p, v)| check::<ReferenceOr<Response>>(v, &p))
            })
            .or_else(|| check::<openapiv3::Operation>(op, at))
    };
    let in_paths = entries(raw.get("paths"), "#/paths").find_map(|(at, item)| {
        let methods = [
            "get", "put", "post", "delete", "options", "head", "patch", "trace",
        ];
        let in_operation = methods.iter().find_map(|m| {
            item.get(*m)
                .and_then(|op| operation_parts(op, &format!("{at}/{m}")))
        });
        in_operation.or_else(|| check::<ReferenceOr<openapiv3::PathItem>>(item, &at))
    });
    let components = raw.get("components");
    let in_components = || {
        let section = |name: &str| components.and_then(|c| c.get(name));
        entries(section("schemas"), "#/components/schemas")
            .find_map(|(p, v)| check::<ReferenceOr<Schema>>(v, &p))
            .or_else(|| {
                entries(section("parameters"), "#/components/parameters")
                    .find_map(|(p, v)| check::<ReferenceOr<Parameter>>(v, &p))
            })
            .or_else(|| {
                entries(section("responses"), "#/components/responses")
                    .find_map(|(p, v)| check::<ReferenceOr<Response>>(v, &p))
            })
            .or_else(|| {
                entries(section("requestBodies"), "#/components/requestBodies")
                    .find_map(|(p, v)| check::<ReferenceOr<RequestBody>>(v, &p))
            })
    };
    in_paths.or_else(in_components)
}

fn path_to_pointer(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from(base);
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                pointer.push('/');
                pointer.push_str(&pointer_segment(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}

/// The raw value at `pointer` (`#/a/b`), if any.
pub fn lookup<'a>(raw: &'a Value, pointer: &str) -> Option<&'a Value> {
    raw.pointer(pointer.strip_prefix('#')?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_syntax_error_names_line_and_column() {
        let error = parse("x.yaml", "openapi: 3.0.0\ninfo: [\n").unwrap_err();
        assert!(error.to_string().starts_with("x.yaml:3:1: "), "{error}");
    }

    #[test]
    fn json_syntax_error_names_line_and_column() {
        let error = parse("x.json", "{\n  \"openapi\": 3,,\n}").unwrap_err();
        assert!(error.to_string().starts_with("x.json:2:16: "), "{error}");
    }

    #[test]
    fn integer_keys_become_strings() {
        let doc = parse(
            "x.yaml",
            "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        200: {description: ok}\n",
        )
        .unwrap();
        assert!(lookup(&doc.raw, "#/paths/~1a/get/responses/200").is_some());
    }
}
