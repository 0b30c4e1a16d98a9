//! Checks of `schema/jdcloud-vm.yaml` against its two sources, each read here by code of its
//! own (not the importer's), so that an importer bug cannot hide behind itself:
//! - every documentation page in `schema/docs/vm/`: each parameter, field and return code a
//!   page's tables list is in the spec (a renamed field counts through its `x-doc-erratum`
//!   `page_name`);
//! - JD Cloud's Go SDK copy (`../shared/docs/jdcloud-sdk-go/`): each operation (method and
//!   path), parameter, result field and model field is in the spec with a compatible type.
//!
//! Besides: the spec is OpenAPI 3.0 as openapiv3 reads it, every `$ref` resolves, operationIds
//! are unique, and the extensions follow `schema/EXTENSIONS.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const SPEC: &str = "jdcloud-vm.yaml";

// ---- loading --------------------------------------------------------------------------------

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn spec_text() -> String {
    read(&root().join("schema").join(SPEC))
}

/// The spec as a plain value, so extensions and `$ref` siblings stay visible.
fn spec() -> Value {
    serde_yaml::from_str(&spec_text()).unwrap_or_else(|e| panic!("{SPEC}: {e}"))
}

fn files_under(dir: &Path, extension: &str, out: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files_under(&path, extension, out);
        } else if path.extension().is_some_and(|e| e == extension) {
            out.push(path);
        }
    }
    out.sort();
}

// ---- JSON pointers and $ref -----------------------------------------------------------------

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Follows `$ref` until a value without one; panics naming the dangling reference.
fn resolve<'a>(spec: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(reference) = value.get("$ref").and_then(Value::as_str) else {
            return value;
        };
        value = reference
            .strip_prefix('#')
            .and_then(|pointer| spec.pointer(pointer))
            .unwrap_or_else(|| panic!("dangling $ref {reference}"));
    }
    panic!("$ref chain longer than 32 links")
}

/// Every operation: (operationId, method, path, the operation).
fn operations(spec: &Value) -> Vec<(String, String, String, &Value)> {
    let mut out = Vec::new();
    let paths = spec.get("paths").and_then(Value::as_object).expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                out.push((id.to_owned(), method.clone(), path.clone(), operation));
            }
        }
    }
    out
}

/// Names an object answers to: its keys, and the `page_name` of any erratum on its entries.
fn known_names<'a>(entries: impl Iterator<Item = (&'a str, &'a Value)>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for (name, entry) in entries {
        names.insert(name.to_owned());
        if let Some(page_name) = entry
            .pointer("/x-doc-erratum/page_name")
            .and_then(Value::as_str)
        {
            names.insert(page_name.to_owned());
        }
    }
    names
}

fn properties(schema: &Value) -> Vec<(&str, &Value)> {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
        .collect()
}

/// Parameters of an operation and the properties of its JSON request body, by name.
fn inputs<'a>(spec: &'a Value, operation: &'a Value) -> Vec<(&'a str, &'a Value)> {
    let mut out = Vec::new();
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let parameter = resolve(spec, parameter);
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
        out.push((name, parameter));
    }
    if let Some(body) = operation.pointer("/requestBody/content/application~1json/schema") {
        out.extend(properties(resolve(spec, body)));
    }
    out
}

fn success_body<'a>(spec: &'a Value, operation: &'a Value) -> &'a Value {
    operation
        .pointer("/responses/200/content/application~1json/schema")
        .map(|s| resolve(spec, s))
        .unwrap_or(&Value::Null)
}

fn result_schema<'a>(spec: &'a Value, operation: &'a Value) -> &'a Value {
    success_body(spec, operation)
        .pointer("/properties/result")
        .map(|s| resolve(spec, s))
        .unwrap_or(&Value::Null)
}

// ---- the documentation pages ----------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Parameters,
    Fields,
    Codes,
}

#[derive(Debug)]
struct Table {
    /// `## ...` section, lower-case.
    section: String,
    /// `### Model` above the table, if any.
    model: Option<String>,
    kind: Kind,
    names: Vec<String>,
}

/// A page's tables, read line by line: `|Name|Type|...|` header, `|---|` line, `|**name**|`
/// rows. Headings may be wrapped in `<div id=...>`. A row without a name panics, so a change of
/// page format cannot silently drop rows.
fn page_tables(file: &str, text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let (mut section, mut model) = (String::new(), None);
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix("## ") {
            section = heading.trim().to_ascii_lowercase();
            model = None;
            continue;
        }
        if let Some(heading) = line.strip_prefix("### ") {
            let text = heading
                .split('>')
                .nth(1)
                .map_or(heading, |rest| rest.split('<').next().unwrap_or(rest));
            model = Some(text.trim().to_owned());
            continue;
        }
        if !line.starts_with('|') {
            continue;
        }
        let header: Vec<String> = cells(line).iter().map(|c| c.to_ascii_lowercase()).collect();
        let kind = match header
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["name", "type", "required or not", ..] => Kind::Parameters,
            ["name", "type", "description"] => Kind::Fields,
            ["return code", "description"] => Kind::Codes,
            _ => panic!("{file}: unknown table header {line}"),
        };
        assert!(
            lines.next().is_some_and(|l| l.starts_with("|---")),
            "{file}: no |---| line after {line}"
        );
        let mut names = Vec::new();
        while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
            let name = cells(row)[0].trim_matches('*').trim().to_owned();
            let valid = match kind {
                Kind::Codes => name.len() == 3 && name.chars().all(|c| c.is_ascii_digit()),
                _ => name.chars().all(|c| c.is_ascii_alphanumeric()) && !name.is_empty(),
            };
            assert!(valid, "{file}: no name in row {row}");
            names.push(name);
        }
        tables.push(Table {
            section: section.clone(),
            model: model.clone(),
            kind,
            names,
        });
    }
    tables
}

fn cells(line: &str) -> Vec<&str> {
    line.trim_matches('|').split('|').map(str::trim).collect()
}

/// The operation pages: (file relative to schema/docs, text).
fn operation_pages() -> Vec<(String, String)> {
    let docs = root().join("schema/docs");
    let mut files = Vec::new();
    files_under(&docs.join("vm"), "md", &mut files);
    files
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(&docs)
                .unwrap_or(&path)
                .display()
                .to_string();
            (name, read(&path))
        })
        .filter(|(_, text)| text.to_ascii_lowercase().contains("## request method"))
        .collect()
}

fn page_title(text: &str) -> &str {
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(str::trim)
        .unwrap_or_default()
}

/// Every name a page lists that the spec lacks, as messages naming page and table.
fn missing_from_spec(spec: &Value, file: &str, text: &str) -> Vec<String> {
    let title = page_title(text);
    let Some((_, _, _, operation)) = operations(spec).into_iter().find(|o| o.0 == title) else {
        return vec![format!("{file}: the spec has no operation {title}")];
    };
    let op = {
        let mut chars = title.chars();
        chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
            .unwrap_or_default()
    };
    let mut missing = Vec::new();
    for table in page_tables(file, text) {
        let known: BTreeSet<String> = match (table.kind, &table.model) {
            (Kind::Codes, _) => operation
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect(),
            (Kind::Parameters, None) => known_names(inputs(spec, operation).into_iter()),
            (Kind::Fields, None) => {
                known_names(properties(success_body(spec, operation)).into_iter())
            }
            (_, Some(model)) => {
                let name = if model == "Result" {
                    format!("{op}Result")
                } else {
                    model.clone()
                };
                let schema = spec
                    .pointer(&format!("/components/schemas/{}", escape(&name)))
                    .unwrap_or(&Value::Null);
                known_names(properties(schema).into_iter())
            }
        };
        let place = table.model.as_deref().unwrap_or(&table.section);
        for name in table.names.iter().filter(|n| !known.contains(*n)) {
            missing.push(format!(
                "{file}, table `{place}`: `{name}` is not in the spec"
            ));
        }
    }
    missing
}

#[test]
fn every_page_is_transcribed() {
    let spec = spec();
    let pages = operation_pages();
    assert_eq!(pages.len(), 49, "operation pages under schema/docs/vm");
    let mut missing = Vec::new();
    let mut rows = 0;
    for (file, text) in &pages {
        rows += page_tables(file, text)
            .iter()
            .map(|t| t.names.len())
            .sum::<usize>();
        missing.extend(missing_from_spec(&spec, file, text));
    }
    // Guards the reader: the pages hold about 300 tables and over a thousand rows.
    assert!(rows > 1000, "only {rows} table rows read");
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

// ---- the Go SDK -----------------------------------------------------------------------------

fn sdk_dir() -> PathBuf {
    root().join("../shared/docs/jdcloud-sdk-go/services")
}

/// A Go struct's fields: (json name, Go type).
fn go_struct(text: &str, name: &str) -> Option<Vec<(String, String)>> {
    let start = text.find(&format!("type {name} struct {{"))?;
    let body = &text[start..];
    let body = &body[..body.find("\n}").unwrap_or(body.len())];
    let fields = body
        .lines()
        .filter_map(|line| {
            let (before, tag) = line.split_once("`json:\"")?;
            let json = tag.split('"').next()?;
            let go_type = before.split_whitespace().nth(1)?;
            Some((json.to_owned(), go_type.to_owned()))
        })
        .collect();
    Some(fields)
}

fn go_string<'t>(text: &'t str, key: &str) -> &'t str {
    text.split(&format!("{key}:"))
        .nth(1)
        .and_then(|rest| rest.split('"').nth(1))
        .unwrap_or_default()
}

/// Whether a spec schema can hold a Go type's values.
fn compatible(spec: &Value, schema: &Value, go_type: &str) -> bool {
    let go_type = go_type.trim_start_matches('*');
    if let Some(item) = go_type.strip_prefix("[]") {
        let resolved = resolve(spec, schema);
        return resolved.get("type").and_then(Value::as_str) == Some("array")
            && resolved
                .get("items")
                .is_some_and(|i| compatible(spec, i, item));
    }
    let model = go_type.rsplit('.').next().unwrap_or(go_type);
    let reference = schema.get("$ref").and_then(Value::as_str);
    let schema = resolve(spec, schema);
    let ty = schema.get("type").and_then(Value::as_str);
    match go_type {
        "string" => ty == Some("string"),
        "int" | "int32" | "int64" => ty == Some("integer"),
        "float32" | "float64" => matches!(ty, Some("number")),
        "bool" => ty == Some("boolean"),
        "interface{}" => true,
        t if t.starts_with("map[") => ty == Some("object"),
        _ => reference == Some(&format!("#/components/schemas/{model}")),
    }
}

#[test]
fn every_sdk_operation_parameter_and_field_is_in_the_spec() {
    let spec = spec();
    let mut apis = Vec::new();
    files_under(&sdk_dir().join("vm/apis"), "go", &mut apis);
    assert_eq!(
        apis.len(),
        62,
        "Go SDK VM operations under {}",
        sdk_dir().display()
    );
    let by_route: BTreeMap<(String, String), (String, &Value)> = operations(&spec)
        .into_iter()
        .map(|(id, method, path, op)| ((method, path), (id, op)))
        .collect();
    let mut problems = Vec::new();
    for file in &apis {
        let text = read(file);
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let route = (
            go_string(&text, "Method").to_ascii_lowercase(),
            go_string(&text, "URL").to_owned(),
        );
        let Some((id, operation)) = by_route.get(&route) else {
            problems.push(format!("{name}: no operation {} {}", route.0, route.1));
            continue;
        };
        let known: BTreeMap<&str, &Value> = inputs(&spec, operation).into_iter().collect();
        for (field, go_type) in go_struct(&text, &format!("{name}Request")).unwrap_or_default() {
            match known.get(field.as_str()) {
                None => problems.push(format!("{id}: no parameter {field}")),
                Some(input) => {
                    let schema = input.get("schema").unwrap_or(input);
                    if !compatible(&spec, schema, &go_type) {
                        problems.push(format!("{id}: parameter {field} is not {go_type}"));
                    }
                }
            }
        }
        let result = result_schema(&spec, operation);
        for (field, go_type) in go_struct(&text, &format!("{name}Result")).unwrap_or_default() {
            match result.pointer(&format!("/properties/{field}")) {
                None => problems.push(format!("{id}: no result field {field}")),
                Some(schema) if !compatible(&spec, schema, &go_type) => {
                    problems.push(format!("{id}: result field {field} is not {go_type}"))
                }
                Some(_) => {}
            }
        }
    }
    let mut models = Vec::new();
    for package in ["vm", "disk", "charge", "common"] {
        files_under(&sdk_dir().join(package).join("models"), "go", &mut models);
    }
    assert!(models.len() >= 70, "only {} SDK model files", models.len());
    for file in &models {
        let text = read(file);
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let Some(schema) = spec.pointer(&format!("/components/schemas/{name}")) else {
            problems.push(format!("no schema {name}"));
            continue;
        };
        for (field, go_type) in go_struct(&text, name).unwrap_or_default() {
            match schema.pointer(&format!("/properties/{field}")) {
                None => problems.push(format!("{name}: no field {field}")),
                Some(property) if !compatible(&spec, property, &go_type) => {
                    problems.push(format!("{name}.{field} is not {go_type}"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `result` is there, and required, exactly where the SDK's result struct has fields (the
/// issue counted 24 such operations among the pages' 48; with the SDK's 14 it is 32 of 62).
#[test]
fn result_is_required_only_where_there_is_one() {
    let spec = spec();
    let by_route: BTreeMap<(String, String), (String, &Value)> = operations(&spec)
        .into_iter()
        .map(|(id, method, path, op)| ((method, path), (id, op)))
        .collect();
    let mut apis = Vec::new();
    files_under(&sdk_dir().join("vm/apis"), "go", &mut apis);
    let mut counts = [0usize; 2];
    for file in &apis {
        let text = read(file);
        let name = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        let route = (
            go_string(&text, "Method").to_ascii_lowercase(),
            go_string(&text, "URL").to_owned(),
        );
        let (id, operation) = by_route
            .get(&route)
            .unwrap_or_else(|| panic!("{name}: no operation"));
        let sdk_has = !go_struct(&text, &format!("{name}Result"))
            .unwrap_or_default()
            .is_empty();
        let body = success_body(&spec, operation);
        let required = body
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|r| r.iter().any(|n| n == "result"));
        let present = body.pointer("/properties/result").is_some();
        assert_eq!(
            (present, required),
            (sdk_has, sdk_has),
            "{id}: result (present, required) vs the SDK's {name}Result having fields"
        );
        counts[usize::from(sdk_has)] += 1;
    }
    assert_eq!(counts, [32, 30], "operations without / with a result");
}

// ---- the spec itself ------------------------------------------------------------------------

#[test]
fn spec_loads_with_openapiv3() {
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&spec_text())
        .unwrap_or_else(|e| panic!("{SPEC} is not OpenAPI 3.0: {e}"));
    assert!(
        api.openapi.starts_with("3.0."),
        "openapi version {}",
        api.openapi
    );
    assert_eq!(
        api.servers.first().map(|s| s.url.as_str()),
        Some("https://vm.jdcloud-api.com/v1")
    );
    let count: usize = api
        .paths
        .paths
        .values()
        .filter_map(|p| p.as_item())
        .map(|p| p.iter().count())
        .sum();
    assert_eq!(count, 62, "operations in the spec");
}

#[test]
fn every_ref_resolves() {
    let spec = spec();
    let mut refs = Vec::new();
    collect_keyed(&spec, "", "$ref", &mut refs);
    assert!(
        refs.len() >= 200,
        "found only {} $ref; is the walk broken?",
        refs.len()
    );
    let dangling: Vec<String> = refs
        .iter()
        .filter(|(_, r)| {
            let target = r.as_str().and_then(|r| r.strip_prefix('#'));
            target.and_then(|pointer| spec.pointer(pointer)).is_none()
        })
        .map(|(at, r)| format!("#{at}: {r} does not resolve"))
        .collect();
    assert!(dangling.is_empty(), "{}", dangling.join("\n"));
}

#[test]
fn operation_ids_are_unique() {
    let spec = spec();
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (id, method, path, _) in operations(&spec) {
        by_id
            .entry(id)
            .or_default()
            .push(format!("{method} {path}"));
    }
    let duplicates: Vec<String> = by_id
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(id, places)| format!("operationId {id} is used by {}", places.join(", ")))
        .collect();
    assert!(duplicates.is_empty(), "{}", duplicates.join("\n"));
}

#[test]
fn image_status_enum_has_every_documented_status() {
    let spec = spec();
    let text = read(&root().join("schema/docs/vm/Help/Image_Status.md"));
    let statuses: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| cells(l)[0])
        .filter(|cell| !cell.is_empty() && cell.chars().all(|c| c.is_ascii_lowercase()))
        .collect();
    assert!(
        statuses.len() >= 4,
        "Image_Status.md: only {statuses:?} found"
    );
    let known: Vec<&str> = spec
        .pointer("/components/schemas/ImageStatus/enum")
        .and_then(Value::as_array)
        .map(|values| values.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for status in statuses {
        assert!(
            known.contains(&status),
            "ImageStatus enum lacks `{status}` (Image_Status.md)"
        );
    }
}

/// Catches a page's repeated value (deviceName's list names vdb twice) copied into an enum.
#[test]
fn enums_have_no_duplicate_values() {
    let spec = spec();
    let mut enums = Vec::new();
    collect_keyed(&spec, "", "enum", &mut enums);
    assert!(enums.len() >= 10, "only {} enums found", enums.len());
    for (at, values) in enums {
        let values = values
            .as_array()
            .unwrap_or_else(|| panic!("#{at} is not a list"));
        let mut seen = BTreeSet::new();
        for value in values {
            assert!(seen.insert(value.to_string()), "#{at} lists {value} twice");
        }
    }
}

/// Every value under `key` in `value`: (its JSON pointer, the value).
fn collect_keyed(value: &Value, here: &str, key: &str, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) => {
            for (name, child) in map {
                let at = format!("{here}/{}", escape(name));
                if name == key {
                    out.push((at.clone(), child.clone()));
                }
                collect_keyed(child, &at, key, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_keyed(child, &format!("{here}/{index}"), key, out);
            }
        }
        _ => {}
    }
}

/// Every `x-doc-erratum` says what the page says, what the spec says and why.
#[test]
fn errata_are_complete() {
    let mut errata = Vec::new();
    collect_keyed(&spec(), "", "x-doc-erratum", &mut errata);
    assert!(errata.len() >= 20, "only {} errata found", errata.len());
    for (at, erratum) in errata {
        for key in ["page_says", "spec_says", "why"] {
            let text = erratum.get(key).and_then(Value::as_str).unwrap_or_default();
            assert!(!text.trim().is_empty(), "#{at}: no `{key}`");
        }
    }
}

/// The extensions as `schema/EXTENSIONS.md` defines them.
#[test]
fn extensions_follow_extensions_md() {
    let spec = spec();
    let envelope =
        serde_json::json!({"result": "result", "error": "error", "requestId": "requestId"});
    assert_eq!(spec.get("x-sdk-envelope"), Some(&envelope));
    assert_eq!(
        spec.pointer("/x-sdk-request-id-header")
            .and_then(Value::as_str),
        Some("x-jdcloud-request-id")
    );
    let signing = serde_json::json!({
        "algorithm": "JDCLOUD3-HMAC-SHA256", "service": "vm", "regionParameter": "regionId"
    });
    assert_eq!(
        spec.pointer("/components/securitySchemes/jdcloudSigning/x-jdcloud-signing"),
        Some(&signing)
    );
    assert!(spec.pointer("/security/0/jdcloudSigning").is_some());

    let mut paged = BTreeSet::new();
    for (id, _, path, operation) in operations(&spec) {
        let place = format!("{id} ({path})");
        check_parameters(&spec, operation, &place);
        if let Some(paging) = operation.get("x-sdk-paging") {
            check_paging(&spec, operation, paging, &place);
            paged.insert(id);
        }
    }
    let expected: BTreeSet<String> = [
        "describeImages",
        "describeInstances",
        "describeInstanceStatus",
        "describeInstancePrivateIpAddress",
        "describeInstanceTemplates",
        "describeKeypairs",
        "imageTasks",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(paged, expected, "operations with x-sdk-paging");

    let mut tokens = Vec::new();
    collect_keyed(&spec, "", "x-sdk-idempotency-token", &mut tokens);
    let mut tokens: Vec<String> = tokens.into_iter().map(|(at, _)| at).collect();
    tokens.sort();
    assert_eq!(
        tokens,
        [
            "/components/schemas/CreateImageFromSnapshotsRequest/properties/clientToken/x-sdk-idempotency-token",
            "/components/schemas/CreateInstancesRequest/properties/clientToken/x-sdk-idempotency-token",
            "/components/schemas/ExportImageRequest/properties/clientToken/x-sdk-idempotency-token",
            "/components/schemas/ImportImageRequest/properties/clientToken/x-sdk-idempotency-token",
        ]
    );
}

/// Array query parameters (of scalars or of objects) go on the wire indexed; every operation
/// carries the signing region.
fn check_parameters(spec: &Value, operation: &Value, place: &str) {
    let mut has_region = false;
    for parameter in operation
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve(spec, p))
    {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let location = parameter.get("in").and_then(Value::as_str);
        let schema = parameter
            .get("schema")
            .map(|s| resolve(spec, s))
            .unwrap_or(&Value::Null);
        if location == Some("query") && schema.get("type").and_then(Value::as_str) == Some("array")
        {
            let style = parameter.get("x-sdk-array-style").and_then(Value::as_str);
            assert_eq!(
                style,
                Some("indexed"),
                "{place}: array query parameter {name} is not indexed"
            );
        }
        has_region |= name == "regionId" && location == Some("path");
    }
    assert!(
        has_region,
        "{place}: no regionId path parameter to sign with"
    );
}

fn check_paging(spec: &Value, operation: &Value, paging: &Value, place: &str) {
    let field = |key: &str| {
        paging
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{place}: x-sdk-paging.{key}"))
    };
    let parameters: BTreeSet<&str> = inputs(spec, operation)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    for key in ["pageParameter", "sizeParameter"] {
        assert!(
            parameters.contains(field(key)),
            "{place}: x-sdk-paging.{key} is no parameter"
        );
    }
    let result = result_schema(spec, operation);
    let property_type = |name: &str| {
        result
            .pointer(&format!("/properties/{}", escape(name)))
            .map(|s| resolve(spec, s))
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
    };
    assert_eq!(
        property_type(field("items")),
        Some("array"),
        "{place}: x-sdk-paging.items"
    );
    assert_eq!(
        property_type(field("total")),
        Some("integer"),
        "{place}: x-sdk-paging.total"
    );
}

/// The other direction: what the spec has and no page lists is marked as coming from the SDK
/// (`x-doc-source`, on itself or on its SDK-only schema or operation) or as a page's field
/// under another name (`x-doc-erratum.page_name`). The envelope's `requestId` and the error
/// body are JD Cloud's conventions, which the importer adds.
#[test]
fn what_no_page_lists_is_marked() {
    let spec = spec();
    let mut on_pages: BTreeSet<(String, String)> = BTreeSet::new();
    for (file, text) in operation_pages() {
        let title = page_title(&text).to_owned();
        let op = {
            let mut chars = title.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        };
        for table in page_tables(&file, &text) {
            let owner = match (table.kind, table.model) {
                (Kind::Codes, _) => continue,
                (Kind::Parameters, None) => format!("{op}Request"),
                (Kind::Fields, None) => format!("{op}Response"),
                (_, Some(model)) if model == "Result" => format!("{op}Result"),
                (_, Some(model)) => model,
            };
            for name in table.names {
                on_pages.insert((owner.clone(), name));
            }
        }
    }
    let marked = |value: &Value| {
        value.get("x-doc-source").is_some() || value.pointer("/x-doc-erratum/page_name").is_some()
    };
    let mut unmarked = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("schemas");
    for (schema_name, schema) in schemas {
        if marked(schema) || ["ErrorResponse", "ErrorDetail"].contains(&schema_name.as_str()) {
            continue;
        }
        for (property, value) in properties(schema) {
            let convention = schema_name.ends_with("Response") && property == "requestId";
            if !convention
                && !marked(value)
                && !on_pages.contains(&(schema_name.clone(), property.to_owned()))
            {
                unmarked.push(format!(
                    "#/components/schemas/{schema_name}/properties/{property}"
                ));
            }
        }
    }
    for (id, _, path, operation) in operations(&spec) {
        let op_marked = marked(operation)
            || spec
                .pointer(&format!("/paths/{}", escape(&path)))
                .is_some_and(marked);
        if op_marked {
            continue;
        }
        let owner = {
            let mut chars = id.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        } + "Request";
        for parameter in operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let parameter = resolve(&spec, parameter);
            let name = parameter
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default();
            if !marked(parameter) && !on_pages.contains(&(owner.clone(), name.to_owned())) {
                unmarked.push(format!("{id}: parameter {name}"));
            }
        }
    }
    assert!(
        unmarked.is_empty(),
        "not on any page and not marked:\n{}",
        unmarked.join("\n")
    );
}
