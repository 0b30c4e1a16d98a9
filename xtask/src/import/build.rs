//! What the pages say, as an OpenAPI 3.0 document (before corrections).
//!
//! The conventions here are JD Cloud's, shared by all its services: the endpoint and version
//! come from the request address (`https://{service}.jdcloud-api.com/{version}/...`), bodies
//! are the `{requestId, result}` envelope, errors the `{requestId, error}` one, requests are
//! signed with JDCLOUD3-HMAC-SHA256 for the region in the `regionId` path parameter.
//!
//! Merging is deterministic whatever order the pages come in: pages are taken in path order;
//! a model or operation documented on several pages gets the union of their rows; where rows
//! disagree, the first page (in path order) gives required flag and default, and the longest
//! description wins (ties: the alphabetically first). A model field typed differently on two
//! pages is an error: no rule can tell which page is right.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::page::{Code, Model, Page, Row, TypeName};

/// A read page and the file it came from (relative to the pages directory).
pub struct Source {
    pub file: String,
    pub page: Page,
}

/// The service-level facts the overview page gives (title, introduction, version).
#[derive(Debug, Default, Clone)]
pub struct Overview {
    pub title: Option<String>,
    pub introduction: Option<String>,
    pub version: Option<String>,
}

/// Where the pages disagree in a way no merge rule settles.
pub type BuildError = String;

/// The spec the pages give. `sources` must be sorted by file.
pub fn spec(sources: &[Source], overview: &Overview) -> Result<Value, BuildError> {
    let server = server(sources)?;
    let service = service_name(&server)?;
    let mut operations: BTreeMap<String, Operation> = BTreeMap::new();
    let mut schemas = Schemas::default();
    let mut responses = Map::new();
    for source in sources {
        let page = &source.page;
        let op = operation_name(&page.title);
        let path = page
            .address
            .strip_prefix(&server)
            .ok_or_else(|| {
                format!(
                    "{}:{}: address {} is not under {server}",
                    source.file, page.address_line, page.address
                )
            })?
            .to_owned();
        let entry = operations
            .entry(page.title.clone())
            .or_insert_with(|| Operation {
                id: page.title.clone(),
                method: page.method.to_ascii_lowercase(),
                path: path.clone(),
                file: source.file.clone(),
                description: String::new(),
                parameters: Vec::new(),
                response: Vec::new(),
                codes: Vec::new(),
            });
        if entry.method != page.method.to_ascii_lowercase() || entry.path != path {
            return Err(format!(
                "{}:{}: {} is {} {path} here but {} {} in {}",
                source.file,
                page.address_line,
                page.title,
                page.method,
                entry.method.to_ascii_uppercase(),
                entry.path,
                entry.file
            ));
        }
        entry.description = better_text(&entry.description, &page.description);
        merge_rows(&mut entry.parameters, &page.path_parameters, true);
        merge_rows(&mut entry.parameters, &page.parameters, false);
        merge_rows(&mut entry.response, &page.response, false);
        for code in &page.codes {
            if !entry.codes.iter().any(|c: &Code| c.status == code.status) {
                entry.codes.push(code.clone());
            }
        }
        for model in &page.models {
            schemas.add(&op, model, &source.file)?;
        }
    }
    let mut paths = Map::new();
    for operation in operations.values() {
        let op = operation_name(&operation.id);
        let (body, result) = operation.envelope(&op, &mut schemas);
        if let Some(result) = result {
            schemas.insert(result.0, result.1);
        }
        schemas.insert(format!("{op}Response"), body);
        let value = operation.to_value(&op, &mut responses, &mut schemas);
        let item = paths
            .entry(operation.path.clone())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(item) = item.as_object_mut() {
            item.insert(operation.method.clone(), value);
        }
    }
    schemas.insert("ErrorResponse".into(), error_response());
    schemas.insert("ErrorDetail".into(), error_detail());
    let version = overview
        .version
        .clone()
        .unwrap_or_else(|| server.rsplit('/').next().unwrap_or_default().to_owned());
    let title = overview.title.clone().unwrap_or_else(|| service.clone());
    let mut info = json!({ "title": format!("JD Cloud {title} API"), "version": version });
    if let Some(introduction) = &overview.introduction {
        info["description"] = json!(introduction);
    }
    Ok(json!({
        "openapi": "3.0.3",
        "info": info,
        "servers": [{ "url": server }],
        "x-sdk-envelope": { "result": "result", "error": "error", "requestId": "requestId" },
        "x-sdk-request-id-header": "x-jdcloud-request-id",
        "security": [{ "jdcloudSigning": [] }],
        "paths": paths,
        "components": {
            "securitySchemes": { "jdcloudSigning": signing(&service) },
            "responses": responses,
            "schemas": schemas.into_value(),
        },
    }))
}

/// `https://vm.jdcloud-api.com/v1`, the same on every page.
fn server(sources: &[Source]) -> Result<String, BuildError> {
    let mut found: Option<(String, &str)> = None;
    for source in sources {
        let address = &source.page.address;
        let here = || format!("{}:{}", source.file, source.page.address_line);
        let after_scheme = address.find("://").map(|i| i + 3).unwrap_or(0);
        let host_end = address[after_scheme..]
            .find('/')
            .map(|i| i + after_scheme)
            .ok_or_else(|| format!("{}: address {address} has no path", here()))?;
        let version_end = address[host_end + 1..]
            .find('/')
            .map(|i| i + host_end + 1)
            .ok_or_else(|| format!("{}: address {address} has no version segment", here()))?;
        let server = address[..version_end].to_owned();
        match &found {
            Some((first, file)) if *first != server => {
                return Err(format!(
                    "{}: endpoint {server} differs from {first} ({file})",
                    here()
                ));
            }
            Some(_) => {}
            None => found = Some((server, &source.file)),
        }
    }
    found
        .map(|(server, _)| server)
        .ok_or_else(|| "no operation pages".to_owned())
}

/// `vm` from `https://vm.jdcloud-api.com/v1`.
fn service_name(server: &str) -> Result<String, BuildError> {
    server
        .split("://")
        .nth(1)
        .and_then(|rest| rest.split('.').next())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| format!("no service name in {server}"))
}

/// `describeImages` -> `DescribeImages`.
pub fn operation_name(id: &str) -> String {
    let mut chars = id.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn better_text(current: &str, candidate: &str) -> String {
    let better = candidate.len() > current.len()
        || (candidate.len() == current.len() && candidate < current);
    if better { candidate } else { current }.to_owned()
}

struct MergedRow {
    row: Row,
    in_path: bool,
}

fn merge_rows_into(target: &mut Vec<Row>, rows: &[Row]) {
    for row in rows {
        match target.iter_mut().find(|r| r.name == row.name) {
            Some(existing) => {
                existing.description = better_text(&existing.description, &row.description)
            }
            None => target.push(row.clone()),
        }
    }
}

fn merge_rows(target: &mut Vec<MergedRow>, rows: &[Row], in_path: bool) {
    for row in rows {
        match target.iter_mut().find(|r| r.row.name == row.name) {
            Some(existing) => {
                existing.row.description = better_text(&existing.row.description, &row.description)
            }
            None => target.push(MergedRow {
                row: row.clone(),
                in_path,
            }),
        }
    }
}

struct Operation {
    id: String,
    method: String,
    path: String,
    /// The first page documenting it, for messages.
    file: String,
    description: String,
    parameters: Vec<MergedRow>,
    response: Vec<MergedRow>,
    codes: Vec<Code>,
}

impl Operation {
    fn has_body(&self) -> bool {
        matches!(self.method.as_str(), "post" | "put" | "patch")
    }

    /// The success body `{Op}Response` and, when the page has a `Result` table, `{Op}Result`.
    fn envelope(&self, op: &str, schemas: &mut Schemas) -> (Value, Option<(String, Value)>) {
        let mut properties = Map::new();
        let mut required = Vec::new();
        for merged in &self.response {
            let row = &merged.row;
            let mut schema = schemas.field(op, row);
            if row.name == "requestId" && row.description.is_empty() {
                schema["description"] =
                    json!("Request ID (also sent in the x-jdcloud-request-id header).");
            }
            if row.name == "result" {
                required.push(json!("result"));
            }
            properties.insert(row.name.clone(), schema);
        }
        if !properties.contains_key("requestId") {
            properties.insert(
                "requestId".into(),
                json!({"type": "string", "description": "Request ID (also sent in the x-jdcloud-request-id header)."}),
            );
        }
        let mut body = json!({
            "type": "object",
            "description": format!("Success body of {}.", self.id),
            "properties": properties,
        });
        if !required.is_empty() {
            body["required"] = Value::Array(required);
        }
        let result = schemas.take_scoped(op);
        (body, result)
    }

    fn to_value(
        &self,
        op: &str,
        responses: &mut Map<String, Value>,
        schemas: &mut Schemas,
    ) -> Value {
        let (summary, _) = self
            .description
            .split_once('\n')
            .unwrap_or((&self.description, ""));
        let mut operation = Map::new();
        operation.insert("operationId".into(), json!(self.id));
        if !summary.is_empty() {
            operation.insert("summary".into(), json!(summary.trim_end()));
            operation.insert("description".into(), json!(self.description));
        }
        let mut parameters = Vec::new();
        let mut body_rows = Vec::new();
        for merged in &self.parameters {
            let row = &merged.row;
            if merged.in_path {
                parameters.push(parameter(row, "path", schemas, op));
            } else if self.has_body() {
                body_rows.push(row.clone());
            } else {
                parameters.push(parameter(row, "query", schemas, op));
            }
        }
        // Path parameters in the order the path names them (the pages list them in any order),
        // so that generated signatures read like the URL: region first.
        let position = |p: &Value| {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let in_path = p.get("in").and_then(Value::as_str) == Some("path");
            let at = self.path.find(&format!("{{{name}}}"));
            (!in_path, at)
        };
        parameters.sort_by_key(position);
        if !parameters.is_empty() {
            operation.insert("parameters".into(), Value::Array(parameters));
        }
        // Every POST, PUT and PATCH takes a JSON body, `{}` when the page lists no body
        // parameters: JD Cloud's SDKs always send one, and it is what gets signed.
        if self.has_body() {
            let name = format!("{op}Request");
            let schema = schemas.object(
                op,
                &format!("Request body of {}.", self.id),
                &body_rows,
                true,
            );
            schemas.insert(name.clone(), schema);
            // A body of optional fields is itself optional: the call can go without one.
            let required = body_rows.iter().any(|row| row.required);
            operation.insert(
                "requestBody".into(),
                json!({
                    "required": required,
                    "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{name}") } } }
                }),
            );
        }
        let mut by_status = Map::new();
        let mut codes = self.codes.clone();
        if !codes.iter().any(|c| c.status == 200) {
            codes.push(Code {
                status: 200,
                description: "OK".into(),
                line: 0,
            });
        }
        codes.sort_by_key(|c| c.status);
        for code in &codes {
            let value = if (200..300).contains(&code.status) {
                json!({
                    "description": if code.description.is_empty() { "OK" } else { &code.description },
                    "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{op}Response") } } }
                })
            } else {
                let name = error_response_name(code);
                responses.entry(name.clone()).or_insert_with(|| {
                    json!({
                        "description": code.description,
                        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorResponse" } } }
                    })
                });
                json!({ "$ref": format!("#/components/responses/{name}") })
            };
            by_status.insert(code.status.to_string(), value);
        }
        operation.insert("responses".into(), Value::Object(by_status));
        Value::Object(operation)
    }
}

/// `Quota exceeded` -> `QuotaExceeded`; the status when the description gives no name.
fn error_response_name(code: &Code) -> String {
    let name: String = code
        .description
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(operation_name)
        .collect();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Status{}", code.status)
    } else {
        name
    }
}

fn parameter(row: &Row, location: &str, schemas: &mut Schemas, op: &str) -> Value {
    let mut value = Map::new();
    value.insert("name".into(), json!(row.name));
    value.insert("in".into(), json!(location));
    if location == "path" || row.required {
        value.insert("required".into(), json!(true));
    }
    if !row.description.is_empty() {
        value.insert("description".into(), json!(row.description));
    }
    if location == "query" && matches!(row.ty, TypeName::Array(_)) {
        value.insert("x-sdk-array-style".into(), json!("indexed"));
    }
    let mut schema = schemas.type_schema(op, &row.ty);
    if let Some(default) = default_value(row) {
        schema["default"] = default;
    }
    value.insert("schema".into(), schema);
    Value::Object(value)
}

/// A Default value cell, typed; a cell that does not parse as the row's type is left to the
/// description (where the page's text stays).
fn default_value(row: &Row) -> Option<Value> {
    let text = row.default.as_deref()?;
    match row.ty {
        TypeName::Integer => text.parse::<i64>().ok().map(Value::from),
        TypeName::Number => text.parse::<f64>().ok().map(Value::from),
        TypeName::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Some(json!(true)),
            "false" => Some(json!(false)),
            _ => None,
        },
        TypeName::String => Some(json!(text)),
        _ => None,
    }
}

/// Component schemas: models merged by name, `Result` scoped to its operation.
#[derive(Default)]
struct Schemas {
    models: BTreeMap<String, Value>,
    /// `Result` tables by operation, until the envelope takes them.
    scoped: BTreeMap<String, Value>,
    /// Where each model field was first documented, and as what type.
    first_seen: BTreeMap<(String, String), (String, TypeName)>,
}

impl Schemas {
    fn insert(&mut self, name: String, schema: Value) {
        self.models.insert(name, schema);
    }

    fn take_scoped(&mut self, op: &str) -> Option<(String, Value)> {
        self.scoped.remove(op).map(|s| (format!("{op}Result"), s))
    }

    /// The page's name for a model, scoped where the pages reuse it with different meanings.
    fn model_name(op: &str, name: &str) -> String {
        if name == "Result" {
            format!("{op}Result")
        } else {
            name.to_owned()
        }
    }

    /// Adds a model table; the same field with another type on another page is an error, since
    /// no merge rule can tell which page is right (a correction can, once one page is chosen).
    fn add(&mut self, op: &str, model: &Model, file: &str) -> Result<(), BuildError> {
        if model.name != "Result" {
            for row in &model.fields {
                let key = (model.name.clone(), row.name.clone());
                match self.first_seen.get(&key) {
                    Some((first, ty)) if *ty != row.ty => {
                        return Err(format!(
                            "{file}:{}: table `{}`: `{}` is {:?} here but {ty:?} in {first}",
                            row.line, model.name, row.name, row.ty
                        ));
                    }
                    Some(_) => {}
                    None => {
                        self.first_seen
                            .insert(key, (format!("{file}:{}", row.line), row.ty.clone()));
                    }
                }
            }
        }
        let description = format!("{}.", model.name);
        if model.name == "Result" {
            let schema = self.object(
                op,
                &format!("Result of {}.", lower_first(op)),
                &model.fields,
                false,
            );
            match self.scoped.get_mut(op) {
                Some(existing) => merge_object(existing, &schema),
                None => {
                    self.scoped.insert(op.to_owned(), schema);
                }
            }
            return Ok(());
        }
        let new = self.object(op, &description, &model.fields, model.request_side);
        match self.models.get_mut(&model.name) {
            None => {
                self.models.insert(model.name.clone(), new);
            }
            Some(existing) => merge_object(existing, &new),
        }
        Ok(())
    }

    fn object(&mut self, op: &str, description: &str, rows: &[Row], with_required: bool) -> Value {
        let mut merged: Vec<Row> = Vec::new();
        merge_rows_into(&mut merged, rows);
        let mut properties = Map::new();
        let mut required = Vec::new();
        for row in &merged {
            let mut schema = self.field(op, row);
            if let Some(default) = default_value(row) {
                if schema.get("$ref").is_none() {
                    schema["default"] = default;
                }
            }
            properties.insert(row.name.clone(), schema);
            if with_required && row.required {
                required.push(json!(row.name));
            }
        }
        let mut schema =
            json!({ "type": "object", "description": description, "properties": properties });
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        schema
    }

    /// A property: its type, and the page's description beside it (also beside a `$ref`).
    fn field(&mut self, op: &str, row: &Row) -> Value {
        let mut schema = self.type_schema(op, &row.ty);
        if !row.description.is_empty() {
            schema["description"] = json!(row.description);
        }
        schema
    }

    fn type_schema(&mut self, op: &str, ty: &TypeName) -> Value {
        match ty {
            TypeName::String => json!({"type": "string"}),
            TypeName::Integer => json!({"type": "integer", "format": "int64"}),
            TypeName::Number => json!({"type": "number"}),
            TypeName::Boolean => json!({"type": "boolean"}),
            TypeName::Object => json!({"type": "object"}),
            TypeName::Model(name) => {
                json!({"$ref": format!("#/components/schemas/{}", Self::model_name(op, name))})
            }
            TypeName::Array(item) => json!({"type": "array", "items": self.type_schema(op, item)}),
        }
    }

    fn into_value(self) -> Value {
        Value::Object(self.models.into_iter().collect())
    }
}

/// A model seen again on another page: new properties are appended, descriptions resolved by
/// [`better_text`], everything else stays as first seen.
fn merge_object(existing: &mut Value, new: &Value) {
    let (Some(into), Some(from)) = (
        existing
            .get_mut("properties")
            .and_then(Value::as_object_mut),
        new.get("properties").and_then(Value::as_object),
    ) else {
        return;
    };
    for (name, schema) in from {
        match into.get_mut(name) {
            None => {
                into.insert(name.clone(), schema.clone());
            }
            Some(current) => {
                let old = current
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let candidate = schema
                    .get("description")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let best = better_text(old, candidate);
                if !best.is_empty() {
                    current["description"] = json!(best);
                }
            }
        }
    }
    if let Some(required) = new.get("required").and_then(Value::as_array) {
        let list = existing
            .as_object_mut()
            .map(|o| o.entry("required").or_insert_with(|| json!([])));
        if let Some(Value::Array(list)) = list {
            for name in required {
                if !list.contains(name) {
                    list.push(name.clone());
                }
            }
        }
    }
}

fn signing(service: &str) -> Value {
    json!({
        "type": "apiKey",
        "in": "header",
        "name": "Authorization",
        "description": "JD Cloud request signing (JDCLOUD3-HMAC-SHA256) with an access key and secret key; the signature is sent in the Authorization header.",
        "x-jdcloud-signing": {
            "algorithm": "JDCLOUD3-HMAC-SHA256",
            "service": service,
            "regionParameter": "regionId",
        }
    })
}

fn error_response() -> Value {
    json!({
        "type": "object",
        "description": "Body of a failed request.",
        "required": ["error"],
        "properties": {
            "requestId": { "type": "string", "description": "Request ID (also sent in the x-jdcloud-request-id header)." },
            "error": { "$ref": "#/components/schemas/ErrorDetail", "description": "What went wrong." },
        }
    })
}

fn error_detail() -> Value {
    json!({
        "type": "object",
        "description": "What went wrong.",
        "required": ["code"],
        "properties": {
            "code": { "type": "integer", "format": "int32", "description": "Error code, normally the HTTP status code (e.g. 404)." },
            "status": { "type": "string", "description": "Error status name, e.g. INVALID_ARGUMENT or NOT_FOUND." },
            "message": { "type": "string", "description": "Human-readable error message." },
        }
    })
}
