//! OpenAPI 3.1 -> the 3.0 shape the rest of the generator reads.
//!
//! Why normalise rather than lower 3.1 to the IR directly or use a 3.1 parser crate: the IR
//! builder is written against `openapiv3`'s 3.0 types and already handles `$ref` chains,
//! `allOf` merging, unions, nullability and naming; a second builder would duplicate all of
//! it, and the 3.1 parser crates model JSON Schema loosely enough that the builder would have
//! to be rewritten anyway. 3.1 differs from 3.0 mostly in the schema dialect, and almost every
//! 2020-12 construct has an exact 3.0 spelling, so rewriting the raw JSON in place (same
//! pointers for everything that is not rewritten) keeps one builder and leaves the 3.0 path,
//! and so its output, untouched: 3.0 documents never reach this module.
//!
//! What is rewritten, per schema:
//! - `type: [T, "null"]` -> `type: T, nullable: true`; other unions of types -> `anyOf` of one
//!   branch per type, each with the keywords that apply to it (an untagged union);
//! - a `{type: "null"}` branch of `anyOf`/`oneOf`, and `null` in `enum`, -> `nullable: true`;
//! - `const: v` -> `enum: [v]` (a single-value open enum for strings and integers), with the
//!   `type` inferred from `v` when absent;
//! - `examples: [..]` -> `example` (the first); numeric `exclusiveMinimum`/`exclusiveMaximum`
//!   -> `minimum`/`maximum` with the 3.0 boolean;
//! - `$ref` with sibling keywords: annotations (`description`, `title`, `default`, ...) stay
//!   beside it (the IR documents a field with a sibling `description`); any other sibling
//!   turns the schema into `allOf: [{$ref}]` plus the siblings, merged as `allOf` is;
//! - `prefixItems` with no further items (`items: false` or `maxItems`) -> marked
//!   `x-sdkgen-tuple`, which the IR reads as a Rust tuple; any other `prefixItems` ->
//!   `items: anyOf` of the distinct item schemas, with a warning (positions and length are
//!   not checked by the Rust type);
//! - `patternProperties` -> `additionalProperties` (one pattern: its schema; several: `anyOf`);
//! - `contentEncoding: base64` -> `format: byte`; `contentMediaType` is added to the description;
//! - `true` -> `{}`, `false` -> `{not: {}}`;
//! - `unevaluatedProperties: false` is dropped (like `additionalProperties: false`, generated
//!   structs ignore unknown fields);
//! - `if`/`then`/`else`, `dependentSchemas`, other `unevaluatedProperties`, `$dynamicRef`, and
//!   `$ref`s to an `$anchor` or `$id` have no faithful Rust type: the schema becomes `{}`
//!   (`serde_json::Value`, its description kept) with a warning naming the JSON pointer.
//!
//! Per document: a missing `paths` becomes `{}` (webhooks-only documents); `info.summary` leads
//! the description; an operation without `responses` gets `{}`; a `jsonSchemaDialect` other
//! than the OpenAPI base dialect or 2020-12 is read as the base dialect, with a warning.
//! `webhooks` and `components.pathItems` are normalised like `paths`; the IR reads webhooks
//! from the raw document.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use crate::error::Warning;
use crate::naming::pointer_segment;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Keywords that annotate a `$ref` without changing the type it describes.
const REF_ANNOTATIONS: &[&str] = &[
    "$ref",
    "description",
    "summary",
    "title",
    "default",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Keywords without a faithful Rust mapping: the schema becomes `serde_json::Value`.
const UNSUPPORTED: &[(&str, &str)] = &[
    ("if", "`if`/`then`/`else`"),
    ("then", "`if`/`then`/`else`"),
    ("else", "`if`/`then`/`else`"),
    ("dependentSchemas", "`dependentSchemas`"),
    ("unevaluatedProperties", "`unevaluatedProperties`"),
    ("unevaluatedItems", "`unevaluatedItems`"),
    ("$dynamicRef", "`$dynamicRef`"),
];

/// Which keywords go with which `type` when a type union is split into `anyOf` branches.
const TYPE_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "string",
        &[
            "format",
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
    ),
    (
        "integer",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    (
        "number",
        &[
            "format",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
    ),
    ("array", &["items", "minItems", "maxItems", "uniqueItems"]),
    (
        "object",
        &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
        ],
    ),
];

/// Marks a closed tuple; the IR reads its `prefixItems` (`crate::ir` converts them).
pub const TUPLE_EXTENSION: &str = "x-sdkgen-tuple";

const DIALECTS: &[&str] = &[
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://json-schema.org/draft/2020-12/schema",
];

/// Rewrites a 3.1 document in place into the 3.0 shape; returns the fallbacks taken.
pub fn normalise(raw: &mut Value) -> Vec<Warning> {
    let mut normaliser = Normaliser {
        warnings: Vec::new(),
        ids: BTreeSet::new(),
    };
    collect_ids(raw, &mut normaliser.ids);
    normaliser.document(raw);
    normaliser.warnings
}

struct Normaliser {
    warnings: Vec<Warning>,
    /// Every `$id` in the document: a `$ref` to one cannot be followed as a JSON pointer.
    ids: BTreeSet<String>,
}

fn collect_ids(value: &Value, ids: &mut BTreeSet<String>) {
    match value {
        Value::Object(object) => {
            if let Some(Value::String(id)) = object.get("$id") {
                ids.insert(id.clone());
            }
            object.values().for_each(|v| collect_ids(v, ids));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

fn child(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", pointer_segment(key))
}

/// Calls `f` on each entry of the object at `value[key]`, with its pointer.
fn each_entry(
    value: &mut Value,
    pointer: &str,
    key: &str,
    mut f: impl FnMut(&str, &mut Value, &str),
) {
    let at = child(pointer, key);
    if let Some(Value::Object(entries)) = value.get_mut(key) {
        for (name, item) in entries.iter_mut() {
            f(name, item, &child(&at, name));
        }
    }
}

/// Calls `f` on each element of the array at `value[key]`, with its pointer.
fn each_item(value: &mut Value, pointer: &str, key: &str, mut f: impl FnMut(&mut Value, &str)) {
    if let Some(Value::Array(items)) = value.get_mut(key) {
        for (i, item) in items.iter_mut().enumerate() {
            f(item, &format!("{pointer}/{}/{i}", pointer_segment(key)));
        }
    }
}

impl Normaliser {
    fn warn(&mut self, pointer: &str, message: impl Into<String>) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn document(&mut self, doc: &mut Value) {
        let Some(object) = doc.as_object_mut() else {
            return;
        };
        if let Some(dialect) = object.get("jsonSchemaDialect").and_then(Value::as_str) {
            if !DIALECTS.contains(&dialect) {
                let message = format!(
                    "schema dialect `{dialect}` is read as the OpenAPI 3.1 base dialect (JSON Schema 2020-12)"
                );
                self.warn("#/jsonSchemaDialect", message);
            }
        }
        if let Some(Value::Object(info)) = object.get_mut("info") {
            lead_description(info);
        }
        object
            .entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        each_entry(doc, "#", "paths", |_, item, at| self.path_item(item, at));
        each_entry(doc, "#", "webhooks", |_, item, at| self.path_item(item, at));
        let Some(components) = doc.get_mut("components") else {
            return;
        };
        self.mutual_tls(components);
        let at = "#/components";
        each_entry(components, at, "schemas", |_, s, p| self.schema(s, p));
        each_entry(components, at, "responses", |_, r, p| self.response(r, p));
        each_entry(components, at, "parameters", |_, v, p| self.parameter(v, p));
        each_entry(components, at, "requestBodies", |_, v, p| {
            self.content(v, p)
        });
        each_entry(components, at, "headers", |_, v, p| self.parameter(v, p));
        each_entry(components, at, "pathItems", |_, v, p| self.path_item(v, p));
        each_entry(components, at, "callbacks", |_, v, p| self.callback(v, p));
    }

    /// 3.1's `mutualTLS` scheme is a property of the connection, not of a request: it is set
    /// up on the transport, so the scheme is left out (3.0 has no such type).
    fn mutual_tls(&mut self, components: &mut Value) {
        let Some(Value::Object(schemes)) = components.get_mut("securitySchemes") else {
            return;
        };
        let mutual: Vec<String> = schemes
            .iter()
            .filter(|(_, scheme)| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS"))
            .map(|(key, _)| key.clone())
            .collect();
        for key in mutual {
            schemes.remove(&key);
            self.warn(
                &child("#/components/securitySchemes", &key),
                "`mutualTLS` is set up on the transport (the runtime client's TLS configuration), \
                 not per request; the scheme is left out",
            );
        }
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        each_item(item, at, "parameters", |v, p| self.parameter(v, p));
        for method in METHODS {
            if let Some(operation) = item.get_mut(method) {
                self.operation(operation, &child(at, method));
            }
        }
    }

    fn callback(&mut self, callback: &mut Value, at: &str) {
        if let Value::Object(expressions) = callback {
            for (expression, item) in expressions.iter_mut() {
                if !expression.starts_with("x-") && expression != "$ref" {
                    self.path_item(item, &child(at, expression));
                }
            }
        }
    }

    fn operation(&mut self, operation: &mut Value, at: &str) {
        each_item(operation, at, "parameters", |v, p| self.parameter(v, p));
        if let Some(body) = operation.get_mut("requestBody") {
            self.content(body, &child(at, "requestBody"));
        }
        if let Some(object) = operation.as_object_mut() {
            // 3.1 makes `responses` optional; none documented reads as 3.0's empty map.
            object
                .entry("responses")
                .or_insert_with(|| Value::Object(Map::new()));
        }
        each_entry(operation, at, "responses", |_, r, p| self.response(r, p));
        each_entry(operation, at, "callbacks", |_, c, p| self.callback(c, p));
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        each_entry(response, at, "headers", |_, h, p| self.parameter(h, p));
        self.content(response, at);
    }

    /// A parameter or header: a `schema`, or `content`.
    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &child(at, "schema"));
        }
        self.content(parameter, at);
    }

    /// The schemas under `content` of a request body, response or parameter.
    fn content(&mut self, holder: &mut Value, at: &str) {
        each_entry(holder, at, "content", |_, media, p| {
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &child(p, "schema"));
            }
        });
    }

    fn schema(&mut self, schema: &mut Value, at: &str) {
        if let Value::Bool(allowed) = schema {
            *schema = if *allowed {
                json!({})
            } else {
                json!({ "not": {} })
            };
            return;
        }
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        if object.get("unevaluatedProperties") == Some(&Value::Bool(false))
            || object.get("unevaluatedProperties") == Some(&Value::Bool(true))
        {
            object.remove("unevaluatedProperties");
        }
        if let Some(reason) = self.unsupported(object) {
            self.warn(
                at,
                format!("{reason} is not supported; the value is `serde_json::Value`"),
            );
            let mut kept = Map::new();
            for key in ["description", "title"] {
                if let Some(value) = object.get(key) {
                    kept.insert(key.to_owned(), value.clone());
                }
            }
            *object = kept;
            return;
        }
        if object.contains_key("$ref") && object.keys().any(|k| !is_ref_annotation(k)) {
            let reference = object.remove("$ref").unwrap_or_default();
            let mut parts = vec![json!({ "$ref": reference })];
            if let Some(Value::Array(existing)) = object.remove("allOf") {
                parts.extend(existing);
            }
            object.insert("allOf".to_owned(), Value::Array(parts));
        }
        self.children(schema, at);
        let Some(object) = schema.as_object_mut() else {
            return;
        };
        annotations(object);
        constant(object);
        null_in_enum(object);
        null_branches(object);
        pattern_properties(object);
        content_encoding(object);
        if let Some(Value::Array(_)) = object.get("prefixItems") {
            if !closed_tuple(object) {
                self.warn(
                    &child(at, "prefixItems"),
                    "a tuple that may have more or fewer items is read as an array of any of \
                     its item types; positions and length are not checked",
                );
                open_tuple(object);
            }
        }
        if let Some(Value::Array(_)) = object.get("type") {
            if let Err(message) = type_union(object) {
                self.warn(&child(at, "type"), message);
                object.retain(|k, _| k == "description" || k == "title");
            }
        }
    }

    /// The unsupported construct `object` uses, if any.
    fn unsupported(&self, object: &Map<String, Value>) -> Option<String> {
        if let Some((_, name)) = UNSUPPORTED.iter().find(|(k, _)| object.contains_key(*k)) {
            return Some((*name).to_owned());
        }
        let reference = object.get("$ref")?.as_str()?;
        let anchor = reference.starts_with('#') && !reference.starts_with("#/") && reference != "#";
        let base = reference.split('#').next().unwrap_or_default();
        if anchor {
            return Some(format!("`$ref` to the `$anchor` `{reference}`"));
        }
        if !base.is_empty() && self.ids.contains(base) {
            return Some(format!("`$ref` to the `$id` `{reference}`"));
        }
        None
    }

    /// Normalises the subschemas of `schema`, where they are (pointers stay the document's).
    fn children(&mut self, schema: &mut Value, at: &str) {
        for key in ["properties", "patternProperties", "$defs", "definitions"] {
            each_entry(schema, at, key, |_, s, p| self.schema(s, p));
        }
        for key in ["allOf", "anyOf", "oneOf", "prefixItems"] {
            each_item(schema, at, key, |s, p| self.schema(s, p));
        }
        // `additionalProperties` takes booleans in 3.0 too; a boolean `items` beside
        // `prefixItems` says whether more items may follow, which `tuple` reads.
        let tuple = schema.get("prefixItems").is_some();
        for key in ["items", "not", "additionalProperties", "contains"] {
            if let Some(sub) = schema.get_mut(key) {
                let keep_boolean = key == "additionalProperties" || (key == "items" && tuple);
                if keep_boolean && sub.is_boolean() {
                    continue;
                }
                self.schema(sub, &child(at, key));
            }
        }
    }
}

fn is_ref_annotation(key: &str) -> bool {
    REF_ANNOTATIONS.contains(&key) || key.starts_with("x-")
}

/// `info.summary` leads the description (the crate's root documentation).
fn lead_description(info: &mut Map<String, Value>) {
    let Some(Value::String(summary)) = info.get("summary").cloned() else {
        return;
    };
    let text = match info.get("description").and_then(Value::as_str) {
        Some(description) if !description.trim().is_empty() => {
            format!("{summary}\n\n{description}")
        }
        _ => summary,
    };
    info.insert("description".to_owned(), Value::String(text));
}

/// `examples: [..]` -> `example`; numeric exclusive bounds -> 3.0 bounds.
fn annotations(object: &mut Map<String, Value>) {
    if let Some(Value::Array(examples)) = object.get("examples") {
        let first = examples.first().cloned();
        object.remove("examples");
        if let (Some(first), false) = (first, object.contains_key("example")) {
            object.insert("example".to_owned(), first);
        }
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(limit)) = object.get(exclusive).cloned() {
            object.insert(bound.to_owned(), Value::Number(limit));
            object.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// `const: v` -> `enum: [v]`, typed from `v` when the schema has no `type`.
fn constant(object: &mut Map<String, Value>) {
    let Some(value) = object.remove("const") else {
        return;
    };
    if !object.contains_key("type") {
        let ty = match &value {
            Value::String(_) => Some("string"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            Value::Bool(_) => Some("boolean"),
            Value::Null => Some("null"),
            Value::Array(_) => Some("array"),
            Value::Object(_) => Some("object"),
        };
        if let Some(ty) = ty {
            object.insert("type".to_owned(), json!(ty));
        }
    }
    if !value.is_null() {
        object.entry("enum").or_insert_with(|| json!([value]));
    }
}

/// `null` among the `enum` values, or in a type array, makes the schema nullable.
fn null_in_enum(object: &mut Map<String, Value>) {
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        let before = values.len();
        values.retain(|v| !v.is_null());
        if values.len() < before {
            if values.is_empty() {
                object.remove("enum");
            }
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
    }
}

fn is_null_schema(value: &Value) -> bool {
    let Some(object) = value.as_object() else {
        return false;
    };
    let null_type = match object.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(types)) => types.iter().all(|t| t == "null"),
        _ => false,
    };
    null_type
        && object
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "nullable" | "description" | "title"))
}

/// A `{type: "null"}` branch of `anyOf`/`oneOf` makes the schema nullable.
fn null_branches(object: &mut Map<String, Value>) {
    for keyword in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = object.get_mut(keyword) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| !is_null_schema(b));
        if branches.len() == before {
            continue;
        }
        if branches.is_empty() {
            object.remove(keyword);
            object.insert("type".to_owned(), json!("null"));
        }
        object.insert("nullable".to_owned(), Value::Bool(true));
    }
}

/// Property names matching a pattern -> a map of the pattern's schema (the keys are not
/// checked against the pattern).
fn pattern_properties(object: &mut Map<String, Value>) {
    let Some(Value::Object(patterns)) = object.remove("patternProperties") else {
        return;
    };
    let mut schemas: Vec<Value> = patterns.into_iter().map(|(_, schema)| schema).collect();
    match object.remove("additionalProperties") {
        Some(Value::Bool(false)) => {}
        None | Some(Value::Bool(_)) if schemas.len() == 1 => {}
        None | Some(Value::Bool(_)) => schemas.push(json!({})),
        Some(other) => schemas.push(other),
    }
    schemas.dedup();
    let additional = if schemas.len() == 1 {
        schemas.remove(0)
    } else {
        json!({ "anyOf": schemas })
    };
    if !object.contains_key("type") && !object.contains_key("properties") {
        object.insert("type".to_owned(), json!("object"));
    }
    object.insert("additionalProperties".to_owned(), additional);
}

/// `contentEncoding: base64` is 3.0's `format: byte`; `contentMediaType` is documented.
fn content_encoding(object: &mut Map<String, Value>) {
    let base64 = matches!(
        object.get("contentEncoding").and_then(Value::as_str),
        Some("base64" | "base64url")
    );
    if base64 && !object.contains_key("format") {
        object.insert("format".to_owned(), json!("byte"));
    }
    if let Some(media) = object.get("contentMediaType").and_then(Value::as_str) {
        let note = format!("Content media type `{media}`.");
        let text = match object.get("description").and_then(Value::as_str) {
            Some(description) if !description.trim().is_empty() => {
                format!("{description}\n\n{note}")
            }
            _ => note,
        };
        object.insert("description".to_owned(), Value::String(text));
    }
}

/// A tuple of exactly its `prefixItems` (no further items, none optional, at most 12: the
/// largest tuple std derives `Debug`, `PartialEq` and `Default` for) is marked for the IR,
/// which reads `prefixItems` as a Rust tuple; returns whether it was.
fn closed_tuple(object: &mut Map<String, Value>) -> bool {
    let Some(Value::Array(prefix)) = object.get("prefixItems") else {
        return false;
    };
    let len = prefix.len() as u64;
    let count = |key: &str| object.get(key).and_then(Value::as_u64);
    let no_more =
        object.get("items") == Some(&Value::Bool(false)) || count("maxItems") == Some(len);
    let none_optional = count("minItems").is_none_or(|min| min >= len);
    if !(no_more && none_optional && (1..=12).contains(&len)) {
        return false;
    }
    object.remove("items");
    object.insert("type".to_owned(), json!("array"));
    object.insert(TUPLE_EXTENSION.to_owned(), Value::Bool(true));
    true
}

/// `prefixItems` (and the `items` after them) -> `items: anyOf` of the distinct schemas.
fn open_tuple(object: &mut Map<String, Value>) {
    let Some(Value::Array(prefix)) = object.remove("prefixItems") else {
        return;
    };
    let mut schemas: Vec<Value> = Vec::new();
    let rest = match object.remove("items") {
        Some(Value::Bool(false)) | None => None,
        Some(Value::Bool(true)) => Some(json!({})),
        Some(other) => Some(other),
    };
    for schema in prefix.into_iter().chain(rest) {
        if !schemas.contains(&schema) {
            schemas.push(schema);
        }
    }
    let items = match schemas.len() {
        0 => json!({}),
        1 => schemas.remove(0),
        _ => json!({ "anyOf": schemas }),
    };
    object.insert("type".to_owned(), json!("array"));
    object.insert("items".to_owned(), items);
}

/// `type: [..]`: `null` makes the schema nullable; one other type stays a `type`; several
/// become `anyOf` branches, each with the keywords of its type.
fn type_union(object: &mut Map<String, Value>) -> Result<(), String> {
    let Some(Value::Array(types)) = object.remove("type") else {
        return Ok(());
    };
    let mut names = Vec::new();
    for ty in &types {
        match ty.as_str() {
            Some(name) if !names.contains(&name) => names.push(name),
            Some(_) => {}
            None => {
                return Err(format!(
                    "`type` entry {ty} is not a type name; the value is `serde_json::Value`"
                ));
            }
        }
    }
    if names.contains(&"null") {
        object.insert("nullable".to_owned(), Value::Bool(true));
        names.retain(|n| *n != "null");
    }
    match names.as_slice() {
        [] => {
            object.insert("type".to_owned(), json!("null"));
        }
        [only] => {
            object.insert("type".to_owned(), json!(only));
        }
        several => {
            if ["anyOf", "oneOf", "allOf"]
                .iter()
                .any(|k| object.contains_key(*k))
            {
                return Err(
                    "a union of types beside `anyOf`/`oneOf`/`allOf` is not supported; the value is `serde_json::Value`"
                        .to_owned(),
                );
            }
            let enumeration = object.remove("enum");
            let branches: Vec<Value> = several
                .iter()
                .map(|name| {
                    let mut branch = Map::new();
                    branch.insert("type".to_owned(), json!(name));
                    let keywords = TYPE_KEYWORDS
                        .iter()
                        .find(|(t, _)| t == name)
                        .map_or(&[][..], |(_, k)| k);
                    for keyword in keywords {
                        if let Some(value) = object.get(*keyword) {
                            branch.insert((*keyword).to_owned(), value.clone());
                        }
                    }
                    if let Some(Value::Array(values)) = &enumeration {
                        let fitting: Vec<Value> =
                            values.iter().filter(|v| fits(name, v)).cloned().collect();
                        if !fitting.is_empty() {
                            branch.insert("enum".to_owned(), Value::Array(fitting));
                        }
                    }
                    Value::Object(branch)
                })
                .collect();
            for (_, keywords) in TYPE_KEYWORDS {
                for keyword in *keywords {
                    object.remove(*keyword);
                }
            }
            object.insert("anyOf".to_owned(), Value::Array(branches));
        }
    }
    Ok(())
}

fn fits(ty: &str, value: &Value) -> bool {
    match ty {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(input: Value) -> (Value, Vec<Warning>) {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {"S": input}},
        });
        let warnings = normalise(&mut doc);
        (doc["components"]["schemas"]["S"].clone(), warnings)
    }

    #[test]
    fn null_in_a_type_array_is_nullable() {
        let (s, w) = schema(json!({"type": ["string", "null"], "format": "date"}));
        assert_eq!(
            s,
            json!({"type": "string", "format": "date", "nullable": true})
        );
        assert!(w.is_empty());
    }

    #[test]
    fn a_union_of_types_becomes_any_of_with_each_types_keywords() {
        let (s, _) = schema(json!({
            "type": ["string", "integer", "null"],
            "description": "d",
            "format": "int32",
            "maxLength": 3,
            "enum": ["a", 1, null],
        }));
        assert_eq!(
            s,
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "format": "int32", "maxLength": 3, "enum": ["a"]},
                    {"type": "integer", "format": "int32", "enum": [1]},
                ],
            })
        );
    }

    #[test]
    fn a_null_branch_is_nullable() {
        let (s, _) =
            schema(json!({"anyOf": [{"type": "null"}, {"$ref": "#/components/schemas/T"}]}));
        assert_eq!(
            s,
            json!({"anyOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
    }

    #[test]
    fn const_is_a_single_value_enum() {
        let (s, _) = schema(json!({"const": "fixed"}));
        assert_eq!(s, json!({"type": "string", "enum": ["fixed"]}));
    }

    #[test]
    fn ref_siblings_other_than_annotations_merge_as_all_of() {
        let (kept, _) = schema(json!({"$ref": "#/components/schemas/T", "description": "d"}));
        assert_eq!(
            kept,
            json!({"$ref": "#/components/schemas/T", "description": "d"})
        );
        let (merged, _) = schema(json!({
            "$ref": "#/components/schemas/T",
            "properties": {"extra": {"type": "string"}},
        }));
        assert_eq!(
            merged,
            json!({
                "properties": {"extra": {"type": "string"}},
                "allOf": [{"$ref": "#/components/schemas/T"}],
            })
        );
    }

    #[test]
    fn exclusive_bounds_and_examples_take_the_3_0_spelling() {
        let (s, _) = schema(json!({"type": "integer", "exclusiveMinimum": 0, "examples": [5, 6]}));
        assert_eq!(
            s,
            json!({"type": "integer", "exclusiveMinimum": true, "minimum": 0, "example": 5})
        );
    }

    #[test]
    fn unsupported_constructs_are_any_value_with_a_warning_at_the_pointer() {
        let (s, w) = schema(json!({
            "description": "d",
            "if": {"properties": {"a": {"const": 1}}},
            "then": {"required": ["b"]},
        }));
        assert_eq!(s, json!({"description": "d"}));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].pointer, "#/components/schemas/S");
        assert!(w[0].message.contains("`if`/`then`/`else`"), "{}", w[0]);
        let (_, w) = schema(json!({"properties": {"a": {"$ref": "#node"}}}));
        assert_eq!(w[0].pointer, "#/components/schemas/S/properties/a");
    }

    #[test]
    fn a_ref_to_an_id_is_any_value_and_boolean_schemas_take_the_3_0_spelling() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"schemas": {
                "Pet": {"$id": "https://example.com/pet", "type": "object"},
                "Owner": {"type": "object", "properties": {
                    "pet": {"$ref": "https://example.com/pet", "description": "d"},
                    "anything": true,
                    "nothing": false,
                }},
            }},
        });
        let warnings = normalise(&mut doc);
        let properties = &doc["components"]["schemas"]["Owner"]["properties"];
        assert_eq!(properties["pet"], json!({"description": "d"}));
        assert_eq!(properties["anything"], json!({}));
        assert_eq!(properties["nothing"], json!({"not": {}}));
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].to_string(),
            "#/components/schemas/Owner/properties/pet: `$ref` to the `$id` \
             `https://example.com/pet` is not supported; the value is `serde_json::Value`"
        );
    }

    #[test]
    fn only_a_tuple_of_exactly_its_prefix_items_is_closed() {
        let prefix = json!([{"type": "string"}, {"type": "integer"}]);
        let (closed, w) = schema(json!({"prefixItems": prefix, "items": false}));
        assert_eq!(closed[TUPLE_EXTENSION], json!(true));
        assert!(w.is_empty());
        let (optional_tail, w) =
            schema(json!({"prefixItems": prefix, "maxItems": 2, "minItems": 1}));
        assert_eq!(
            optional_tail,
            json!({"type": "array", "maxItems": 2, "minItems": 1, "items": {"anyOf": prefix}})
        );
        assert_eq!(w[0].pointer, "#/components/schemas/S/prefixItems");
    }

    #[test]
    fn a_mutual_tls_scheme_is_left_out_with_a_warning() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "components": {"securitySchemes": {
                "mtls": {"type": "mutualTLS"},
                "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            }},
        });
        let warnings = normalise(&mut doc);
        let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
        assert_eq!(schemes.keys().collect::<Vec<_>>(), ["key"]);
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].pointer, "#/components/securitySchemes/mtls");
    }

    #[test]
    fn a_document_without_paths_gets_empty_paths_and_info_summary_leads() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1", "summary": "Short.", "description": "Long."},
            "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": ["integer", "null"]}}}}}}},
        });
        normalise(&mut doc);
        assert_eq!(doc["paths"], json!({}));
        assert_eq!(doc["info"]["description"], json!("Short.\n\nLong."));
        let hook = &doc["webhooks"]["hook"]["post"];
        assert_eq!(
            hook["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "integer", "nullable": true})
        );
        assert_eq!(hook["responses"], json!({}));
    }
}
