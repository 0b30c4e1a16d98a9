//! Random spec graphs for the property test (`tests/spec_graphs.rs`, a few thousand cases) and
//! its long runner (`examples/spec_graphs.rs`, a million): components that refer to one another
//! (alias cycles, `allOf`/`oneOf`/`anyOf` nesting, discriminators), odd and colliding names,
//! every parameter location and style, and every kind of media type.
//!
//! A case is a seed: the same seed always builds the same spec, so a failure is reproduced
//! (and turned into a fixture) from its number alone.
//!
//! [`check`] is the property: generation finishes without a panic, and either every file
//! parses as Rust, or the error is a located one (a JSON pointer into the spec, not an
//! internal error). Hangs are caught by the caller's watchdog.

use std::panic::{AssertUnwindSafe, catch_unwind};

use serde_json::{Map, Value, json};

/// Component names: plain, colliding once cased (`pet`, `Pet`, `PET`, `pet_`), Rust keywords
/// and prelude or runtime names, and characters that need escaping in a JSON pointer.
const SCHEMA_NAMES: &[&str] = &[
    "Pet", "pet", "PET", "pet_", "Pet-1", "1pet", "Self", "self", "type", "crate", "Result",
    "Option", "String", "Vec", "Box", "Client", "Error", "Request", "Unknown", "Null", "_", "a/b",
    "a~b", "a b", "日本", "Pets", "PetList", "pet.list",
];

/// Property, parameter and enum names, colliding once snake- or camel-cased.
const FIELD_NAMES: &[&str] = &[
    "id",
    "petId",
    "pet_id",
    "PetId",
    "pet-id",
    "type",
    "self",
    "ref",
    "$ref",
    "",
    "_",
    "1st",
    "additional_properties",
    "items",
    "page",
    "total",
    "result",
    "error",
    "kind",
    "Accept",
    "Content-Type",
    "Authorization",
    "x",
    "X",
    "name",
    "names",
    "value",
    "client",
    "send",
];

const MEDIA_TYPES: &[&str] = &[
    "application/json",
    "application/json; charset=utf-8",
    "application/problem+json",
    "application/x-www-form-urlencoded",
    "multipart/form-data",
    "application/octet-stream",
    "text/plain",
    "application/x-ndjson",
    "application/xml",
    "*/*",
];

const STATUSES: &[&str] = &[
    "200", "201", "202", "204", "default", "2XX", "400", "404", "4XX", "500",
];

const TEXTS: &[&str] = &[
    "Plain text.",
    "Ends a comment */ and opens one /*",
    "```rust\nfn main() {}\n```",
    "Quotes \" and \\ backslashes",
    "<b>html</b> [link](http://x) `code`",
    "",
    "   ",
    "#[doc = \"x\"]",
];

/// Builds the spec of case `seed` (deterministic).
pub fn spec(seed: u64) -> Value {
    Graph::new(seed).spec()
}

/// How case `seed` ended when it passed (`generated`, or the kind of error that refused it),
/// or what went wrong, with the spec.
pub fn check(seed: u64) -> Result<String, String> {
    let text = spec(seed).to_string();
    let result = catch_unwind(AssertUnwindSafe(|| {
        sdkgen::generate_str("case.json", &text, &sdkgen::Settings::default())
    }));
    let outcome = match result {
        Err(panic) => Err(format!("panicked: {}", panic_message(&*panic))),
        Ok(Ok(generated)) => unparsable(&generated).map_or(Ok("generated".to_owned()), Err),
        Ok(Err(error)) => unlocated(&error, &text).map_or(Ok(error_kind(&error)), Err),
    };
    outcome.map_err(|problem| format!("case {seed}: {problem}\nspec: {text}"))
}

/// An error's message without the names in it (`duplicate operationId`), to count kinds.
fn error_kind(error: &sdkgen::GenerateError) -> String {
    let words: Vec<&str> = error
        .message
        .split(' ')
        .filter(|word| !word.contains('`') && !word.contains('#'))
        .take(6)
        .collect();
    format!("refused: {}", words.join(" "))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

fn unparsable(generated: &sdkgen::Generated) -> Option<String> {
    generated.files.iter().find_map(|(path, contents)| {
        syn::parse_file(contents)
            .err()
            .map(|e| format!("{path} does not parse: {e}\n{contents}"))
    })
}

/// An error must name a place in the spec (the pointer, or its parent for a missing key), and
/// not be one the generator calls internal.
fn unlocated(error: &sdkgen::GenerateError, text: &str) -> Option<String> {
    if error.message.contains("internal error") {
        return Some(format!("internal error: {error}"));
    }
    let sdkgen::Location::Pointer { pointer, .. } = &error.location else {
        return Some(format!("not located by a JSON pointer: {error}"));
    };
    let raw: Value = serde_json::from_str(text).unwrap_or_default();
    let parent = pointer.rsplit_once('/').map_or("#", |(parent, _)| parent);
    let found = |pointer: &str| sdkgen::load::lookup(&raw, pointer).is_some();
    (!found(pointer) && !found(parent))
        .then(|| format!("error names a place not in the spec: {error}"))
}

struct Graph {
    rng: fastrand::Rng,
    schema_names: Vec<&'static str>,
    parameter_names: Vec<String>,
}

impl Graph {
    fn new(seed: u64) -> Self {
        let mut rng = fastrand::Rng::with_seed(seed);
        let count = rng.usize(0..=6);
        let schema_names = (0..count).map(|_| pick(&mut rng, SCHEMA_NAMES)).collect();
        Graph {
            rng,
            schema_names,
            parameter_names: Vec::new(),
        }
    }

    fn chance(&mut self, percent: u8) -> bool {
        self.rng.u8(0..100) < percent
    }

    fn spec(mut self) -> Value {
        let mut schemas = Map::new();
        for name in self.schema_names.clone() {
            let schema = if self.chance(8) {
                self.reference()
            } else {
                self.schema(3)
            };
            schemas.insert(name.to_owned(), schema);
        }
        let parameters = self.component_parameters();
        let mut spec = json!({
            "openapi": "3.0.3",
            "info": {"title": pick(&mut self.rng, TEXTS), "version": "1"},
            "paths": self.paths(),
            "components": {
                "schemas": schemas,
                "parameters": parameters,
                "securitySchemes": self.security_schemes(),
            },
        });
        if self.chance(20) {
            spec["servers"] = json!([{"url": "https://{region}.example.com/v1",
                "variables": {"region": {"default": "cn-north-1"}}}]);
        }
        if self.chance(15) {
            spec["x-sdk-envelope"] =
                json!({"result": "result", "error": "error", "requestId": "id"});
        }
        if self.chance(30) {
            let declared: Vec<String> = spec["components"]["securitySchemes"]
                .as_object()
                .map(|schemes| schemes.keys().cloned().collect())
                .unwrap_or_default();
            spec["security"] = self.security_requirements(&declared);
        }
        spec
    }

    /// A `$ref` to a component schema (one that does not exist, now and then); a string
    /// without components.
    fn reference(&mut self) -> Value {
        let name = if self.schema_names.is_empty() {
            return json!({"type": "string"});
        } else if self.chance(1) {
            pick(&mut self.rng, SCHEMA_NAMES)
        } else {
            let index = self.rng.usize(..self.schema_names.len());
            self.schema_names[index]
        };
        let escaped = name.replace('~', "~0").replace('/', "~1");
        json!({"$ref": format!("#/components/schemas/{escaped}")})
    }

    fn schema(&mut self, depth: u32) -> Value {
        let choice = if depth == 0 {
            self.rng.u8(0..7)
        } else {
            self.rng.u8(0..16)
        };
        let mut schema = match choice {
            0 => self.reference(),
            1 => self.string(),
            2 => self.integer(),
            3 => {
                json!({"type": "number", "format": pick(&mut self.rng, &["float", "double", "decimal"])})
            }
            4 => json!({"type": "boolean"}),
            5 => json!({}),
            6 if self.chance(5) => json!({"type": "strng"}),
            6 => json!({"type": pick(&mut self.rng, &["null", "object", "array"])}),
            7 | 8 => self.object(depth - 1),
            9 => json!({"type": "array", "items": self.schema(depth - 1)}),
            10 => self.composition("allOf", depth - 1),
            11 => self.composition("oneOf", depth - 1),
            12 => self.composition("anyOf", depth - 1),
            13 => {
                // Keywords mixed: properties beside a union, or `allOf` beside `oneOf`.
                let mut mixed = self.object(depth - 1);
                let extra = if self.chance(50) { "oneOf" } else { "allOf" };
                mixed[extra] = self.parts(depth - 1);
                mixed
            }
            14 => json!({"not": self.schema(depth - 1)}),
            _ => json!({"type": "object", "additionalProperties": self.schema(depth - 1)}),
        };
        if schema.get("$ref").is_none() {
            if self.chance(15) {
                schema["nullable"] = json!(true);
            }
            if self.chance(15) {
                schema["description"] = json!(pick(&mut self.rng, TEXTS));
            }
            if self.chance(5) {
                schema["readOnly"] = json!(true);
            }
            if self.chance(5) {
                schema["writeOnly"] = json!(true);
            }
        }
        schema
    }

    fn string(&mut self) -> Value {
        let format = pick(
            &mut self.rng,
            &[
                "",
                "date-time",
                "date",
                "byte",
                "binary",
                "uuid",
                "password",
            ],
        );
        let mut schema = json!({"type": "string"});
        if !format.is_empty() {
            schema["format"] = json!(format);
        }
        if self.chance(30) {
            let values: Vec<Value> = (0..self.rng.usize(1..5))
                .map(|_| match self.rng.u8(0..4) {
                    0 => json!(self.rng.i64(-3..3)),
                    1 => Value::Null,
                    _ => json!(pick(&mut self.rng, FIELD_NAMES)),
                })
                .collect();
            schema["enum"] = Value::Array(values);
        }
        if self.chance(10) {
            schema["default"] = json!("x");
        }
        schema
    }

    fn integer(&mut self) -> Value {
        let format = pick(
            &mut self.rng,
            &["", "int32", "int64", "uint32", "uint64", "int8"],
        );
        let mut schema = json!({"type": "integer"});
        if !format.is_empty() {
            schema["format"] = json!(format);
        }
        if self.chance(20) {
            let values: Vec<Value> = (0..self.rng.usize(1..4))
                .map(|_| json!(self.rng.i64(-2..3)))
                .collect();
            schema["enum"] = Value::Array(values);
        }
        schema
    }

    fn object(&mut self, depth: u32) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for _ in 0..self.rng.usize(0..5) {
            let name = pick(&mut self.rng, FIELD_NAMES);
            properties.insert(name.to_owned(), self.schema(depth));
            if self.chance(40) {
                required.push(json!(name));
            }
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        match self.rng.u8(0..6) {
            0 => schema["additionalProperties"] = json!(true),
            1 => schema["additionalProperties"] = json!(false),
            2 => schema["additionalProperties"] = self.schema(0),
            _ => {}
        }
        if self.chance(10) {
            schema["discriminator"] = self.discriminator();
        }
        schema
    }

    fn parts(&mut self, depth: u32) -> Value {
        let parts = (0..self.rng.usize(1..4))
            .map(|_| {
                if self.chance(50) {
                    self.reference()
                } else {
                    self.schema(depth)
                }
            })
            .collect();
        Value::Array(parts)
    }

    fn composition(&mut self, keyword: &str, depth: u32) -> Value {
        let mut schema = json!({ keyword: self.parts(depth) });
        if keyword != "allOf" && self.chance(30) {
            schema["discriminator"] = self.discriminator();
        }
        schema
    }

    fn discriminator(&mut self) -> Value {
        let mut discriminator = json!({"propertyName": pick(&mut self.rng, FIELD_NAMES)});
        if self.chance(50) {
            let mut mapping = Map::new();
            for _ in 0..self.rng.usize(1..3) {
                let target = self.reference()["$ref"].clone();
                mapping.insert(pick(&mut self.rng, FIELD_NAMES).to_owned(), target);
            }
            discriminator["mapping"] = Value::Object(mapping);
        }
        discriminator
    }

    fn component_parameters(&mut self) -> Value {
        let mut parameters = Map::new();
        for _ in 0..self.rng.usize(0..3) {
            let name = pick(&mut self.rng, FIELD_NAMES).to_owned();
            let location = pick(&mut self.rng, &["query", "header", "cookie"]);
            parameters.insert(name.clone(), self.parameter(&name, location));
            self.parameter_names.push(name);
        }
        Value::Object(parameters)
    }

    fn parameter(&mut self, name: &str, location: &str) -> Value {
        let mut parameter = json!({"name": name, "in": location});
        if location == "path" || self.chance(30) {
            parameter["required"] = json!(true);
        }
        if self.chance(10) {
            let media = pick(&mut self.rng, MEDIA_TYPES);
            parameter["content"] = json!({ media: {"schema": self.schema(1)} });
        } else {
            parameter["schema"] = self.schema(1);
        }
        if self.chance(30) {
            let styles: &[&str] = match location {
                "path" => &["simple", "label", "matrix"],
                "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
                "header" => &["simple"],
                _ => &["form"],
            };
            parameter["style"] = json!(pick(&mut self.rng, styles));
            parameter["explode"] = json!(self.chance(50));
        }
        parameter
    }

    fn paths(&mut self) -> Value {
        let mut paths = Map::new();
        for _ in 0..self.rng.usize(0..4) {
            let segment = pick(&mut self.rng, FIELD_NAMES);
            let path = if self.chance(50) {
                format!("/items/{{{segment}}}")
            } else {
                format!("/{}", segment.replace('/', "_"))
            };
            let mut item = Map::new();
            for _ in 0..self.rng.usize(1..3) {
                let method = pick(&mut self.rng, &["get", "post", "put", "patch", "delete"]);
                item.insert(method.to_owned(), self.operation(&path));
            }
            paths.insert(path, Value::Object(item));
        }
        Value::Object(paths)
    }

    fn operation(&mut self, path: &str) -> Value {
        let mut parameters = Vec::new();
        if let Some(name) = path
            .split('{')
            .nth(1)
            .and_then(|rest| rest.split('}').next())
        {
            if self.chance(95) {
                parameters.push(self.parameter(name, "path"));
            }
        }
        for _ in 0..self.rng.usize(0..4) {
            if !self.parameter_names.is_empty() && self.chance(30) {
                let index = self.rng.usize(..self.parameter_names.len());
                let name = self.parameter_names[index]
                    .replace('~', "~0")
                    .replace('/', "~1");
                parameters.push(json!({"$ref": format!("#/components/parameters/{name}")}));
            } else {
                let name = pick(&mut self.rng, FIELD_NAMES);
                let location = pick(&mut self.rng, &["query", "header", "cookie", "query"]);
                parameters.push(self.parameter(name, location));
            }
        }
        let mut operation = json!({
            "operationId": pick(&mut self.rng, FIELD_NAMES),
            "parameters": parameters,
            "responses": self.responses(),
        });
        if self.chance(10) {
            operation.as_object_mut().map(|o| o.remove("operationId"));
        }
        if self.chance(40) {
            operation["requestBody"] = json!({
                "required": self.chance(50),
                "content": self.content(),
            });
        }
        if self.chance(10) {
            operation["x-sdk-paging"] =
                json!({"pageParameter": "page", "items": "items", "total": "total"});
        }
        if self.chance(10) {
            operation["deprecated"] = json!(true);
        }
        operation
    }

    fn content(&mut self) -> Value {
        let mut content = Map::new();
        for _ in 0..self.rng.usize(1..3) {
            let media = pick(&mut self.rng, MEDIA_TYPES);
            content.insert(media.to_owned(), json!({"schema": self.schema(2)}));
        }
        Value::Object(content)
    }

    fn responses(&mut self) -> Value {
        let mut responses = Map::new();
        for _ in 0..self.rng.usize(0..4) {
            let status = pick(&mut self.rng, STATUSES);
            let mut response = json!({"description": pick(&mut self.rng, TEXTS)});
            if status != "204" && self.chance(80) {
                response["content"] = self.content();
            }
            if self.chance(10) {
                response["headers"] = json!({"X-Request-Id": {"schema": {"type": "string"}}});
            }
            responses.insert(status.to_owned(), response);
        }
        Value::Object(responses)
    }

    fn security_schemes(&mut self) -> Value {
        let mut schemes = Map::new();
        if self.chance(30) {
            schemes.insert(
                "key".into(),
                json!({"type": "apiKey", "name": "X-Key",
                "in": pick(&mut self.rng, &["header", "query", "cookie"])}),
            );
        }
        if self.chance(30) {
            schemes.insert("bearer".into(), json!({"type": "http", "scheme": "bearer"}));
        }
        if self.chance(20) {
            schemes.insert("basic".into(), json!({"type": "http", "scheme": "basic"}));
        }
        Value::Object(schemes)
    }

    /// Requirements naming the declared schemes, and now and then an undeclared one (a
    /// located error), so most cases still reach generation.
    fn security_requirements(&mut self, declared: &[String]) -> Value {
        let requirements = (0..self.rng.usize(0..3))
            .map(|_| {
                let mut requirement = Map::new();
                for _ in 0..self.rng.usize(1..3) {
                    // Without declared schemes the requirement stays `{}` (no credentials).
                    let name = if self.chance(5) {
                        "missing".to_owned()
                    } else if declared.is_empty() {
                        continue;
                    } else {
                        declared[self.rng.usize(..declared.len())].clone()
                    };
                    requirement.insert(name, json!([]));
                }
                Value::Object(requirement)
            })
            .collect();
        Value::Array(requirements)
    }
}

fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

/// Checks cases `cases`, stopping at the first failure (returned, with its spec). A case that
/// runs longer than `limit` is a hang: the watchdog prints its spec and aborts the process,
/// the only way to stop a thread that does not return. `progress` is called after each case
/// that passed, with how it ended.
pub fn run(
    cases: std::ops::Range<u64>,
    limit: std::time::Duration,
    mut progress: impl FnMut(u64, &str),
) -> Result<(), String> {
    use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
    let current = AtomicU64::new(cases.start);
    let done = AtomicBool::new(false);
    std::thread::scope(|scope| {
        scope.spawn(|| watchdog(&current, &done, limit));
        let result = cases.clone().try_for_each(|seed| {
            current.store(seed, Ordering::Relaxed);
            let outcome = check(seed)?;
            progress(seed, &outcome);
            Ok(())
        });
        done.store(true, Ordering::Relaxed);
        result
    })
}

fn watchdog(
    current: &std::sync::atomic::AtomicU64,
    done: &std::sync::atomic::AtomicBool,
    limit: std::time::Duration,
) {
    use std::sync::atomic::Ordering;
    use std::time::{Duration, Instant};
    let mut seen = current.load(Ordering::Relaxed);
    let mut since = Instant::now();
    while !done.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
        let now = current.load(Ordering::Relaxed);
        if now != seen {
            seen = now;
            since = Instant::now();
        } else if since.elapsed() > limit {
            eprintln!(
                "case {seen}: still running after {limit:?}\nspec: {}",
                spec(seen)
            );
            std::process::abort();
        }
    }
}
