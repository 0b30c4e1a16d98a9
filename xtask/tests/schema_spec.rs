//! Checks of `schema/jdcloud-vm.yaml`: it is valid OpenAPI 3.0 as openapiv3 reads it, every
//! `$ref` resolves, operationIds are unique, the extensions follow `schema/EXTENSIONS.md`, and
//! every table of the documentation pages in `schema/docs/` is transcribed: each parameter,
//! field and response code a page lists is in the spec (a field the spec renames counts through
//! its `x-doc-erratum` `page_name`).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const SPEC: &str = "jdcloud-vm.yaml";
/// The pages the spec is transcribed from, under `schema/docs/`.
const PAGES: [&str; 2] = ["vm-describeImage.txt", "vm-describeImages.md"];

// ---- loading --------------------------------------------------------------------------------

fn schema_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema")
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

fn spec_text() -> String {
    read(&schema_dir().join(SPEC))
}

/// The spec as a plain value, so extensions and `$ref` siblings stay visible.
fn spec() -> Value {
    serde_yaml::from_str(&spec_text()).unwrap_or_else(|e| panic!("{SPEC}: {e}"))
}

fn page(name: &str) -> String {
    read(&schema_dir().join("docs").join(name))
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

// ---- the documentation pages' tables --------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Request parameters (path or query): columns Name, Type, Required or not, Default value...
    Parameters,
    /// Fields of a body or model: columns Name, Type, Description.
    Fields,
    /// Response codes: columns Return code, Description.
    Codes,
}

#[derive(Debug)]
struct Table {
    heading: String,
    kind: Kind,
    names: Vec<String>,
}

fn kind_of(header: &[&str]) -> Option<Kind> {
    match header {
        ["Name", "Type", "Required or not", ..] => Some(Kind::Parameters),
        ["Name", "Type", "Description"] => Some(Kind::Fields),
        ["Return code", "Description"] => Some(Kind::Codes),
        _ => None,
    }
}

fn is_field_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_lowercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_type_name(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
}

fn is_code(word: &str) -> bool {
    word.len() == 3 && word.chars().all(|c| c.is_ascii_digit())
}

fn is_name_for(kind: Kind, word: &str) -> bool {
    match kind {
        Kind::Codes => is_code(word),
        Kind::Parameters | Kind::Fields => is_field_name(word),
    }
}

/// Tables of a Markdown page: `|Name|Type|...|` header, `|---|` line, one `|**name**|...|` row
/// per entry; the heading is the last `#` line above. A row without a parseable name panics,
/// so a change of page format cannot silently drop rows.
fn markdown_tables(page_name: &str, text: &str) -> Vec<Table> {
    let mut tables = Vec::new();
    let mut heading = String::new();
    let mut lines = text.lines().map(str::trim).peekable();
    while let Some(line) = lines.next() {
        if line.starts_with('#') {
            heading = line.trim_start_matches('#').trim().to_owned();
            continue;
        }
        if !line.starts_with('|') {
            continue;
        }
        let header = markdown_cells(line);
        let kind = kind_of(&header)
            .unwrap_or_else(|| panic!("{page_name}, table `{heading}`: unknown header {line}"));
        let separator = lines.next().unwrap_or_default();
        assert!(
            separator.starts_with("|---"),
            "{page_name}, table `{heading}`: no |---| line"
        );
        let mut names = Vec::new();
        while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
            let name = markdown_cells(row)[0].trim_matches('*');
            assert!(
                is_name_for(kind, name),
                "{page_name}, table `{heading}`: no name in row {row}"
            );
            names.push(name.to_owned());
        }
        tables.push(Table {
            heading: heading.clone(),
            kind,
            names,
        });
    }
    tables
}

fn markdown_cells(line: &str) -> Vec<&str> {
    line.trim_matches('|').split('|').map(str::trim).collect()
}

/// Tables of a page saved as text: a header line (`Name Type Description`), then rows up to a
/// blank line, `name Type description...`; a description may run on over further lines, which
/// start with a capitalised word and so are told apart from rows. The heading is the nearest
/// non-blank line above the header (the request URL for the path parameters).
fn text_tables(text: &str) -> Vec<Table> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut tables = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let header = split_text_header(line);
        let Some(kind) = kind_of(&header) else {
            continue;
        };
        let above = lines[..index]
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .copied()
            .unwrap_or_default();
        let heading = if above.starts_with("https://") {
            "Request address"
        } else {
            above
        };
        let names = lines[index + 1..]
            .iter()
            .take_while(|l| !l.is_empty())
            .filter_map(|row| text_row_name(kind, row))
            .collect();
        tables.push(Table {
            heading: heading.to_owned(),
            kind,
            names,
        });
    }
    tables
}

/// A text header line as its column titles (titles may hold spaces, so match known ones).
fn split_text_header(line: &str) -> Vec<&str> {
    match line {
        "Name Type Required or not Default value Description" => {
            vec![
                "Name",
                "Type",
                "Required or not",
                "Default value",
                "Description",
            ]
        }
        "Name Type Description" => vec!["Name", "Type", "Description"],
        "Return code Description" => vec!["Return code", "Description"],
        _ => Vec::new(),
    }
}

fn text_row_name(kind: Kind, row: &str) -> Option<String> {
    let mut words = row.split_whitespace();
    let name = words.next()?;
    let second = words.next()?;
    let is_row = match kind {
        Kind::Codes => is_code(name),
        // An array type is written `Type[ ]`, so the word may end in `[`.
        Kind::Parameters | Kind::Fields => {
            is_field_name(name) && is_type_name(second.trim_end_matches('['))
        }
    };
    is_row.then(|| name.to_owned())
}

fn page_tables(name: &str) -> Vec<Table> {
    let text = page(name);
    if name.ends_with(".md") {
        markdown_tables(name, &text)
    } else {
        text_tables(&text)
    }
}

// ---- mapping a page onto the spec -----------------------------------------------------------

/// JSON pointer of the operation a page documents, from its request address and method.
fn page_operation(spec: &Value, page_name: &str, text: &str) -> String {
    let server = spec
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .expect("servers[0].url");
    let path = text
        .split_whitespace()
        .find_map(|word| word.strip_prefix(server))
        .unwrap_or_else(|| panic!("{page_name}: no request address under {server}"));
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let method_heading = lines
        .iter()
        .position(|l| l.ends_with("Request method"))
        .unwrap_or_else(|| panic!("{page_name}: no `Request method` section"));
    let method = lines[method_heading + 1..]
        .iter()
        .find(|l| !l.is_empty())
        .map(|l| l.to_ascii_lowercase())
        .unwrap_or_default();
    let pointer = format!("/paths/{}/{method}", escape(path));
    assert!(
        spec.pointer(&pointer).is_some(),
        "{page_name}: the spec has no operation at #{pointer}"
    );
    pointer
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

fn parameter_names(spec: &Value, operation: &Value) -> BTreeSet<String> {
    let parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let resolved: Vec<&Value> = parameters.iter().map(|p| resolve(spec, p)).collect();
    let entries = resolved
        .iter()
        .filter_map(|p| Some((p.get("name")?.as_str()?, *p)));
    known_names(entries)
}

fn property_names(schema: &Value) -> BTreeSet<String> {
    let properties = schema.get("properties").and_then(Value::as_object);
    known_names(
        properties
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v)),
    )
}

/// Pointer of the schema a `Fields` table describes.
fn table_schema(spec: &Value, operation: &str, heading: &str) -> String {
    let body = format!("{operation}/responses/200/content/application~1json/schema");
    let body_schema = spec.pointer(&body).map(|s| resolve(spec, s));
    let reference = |value: Option<&Value>| {
        value
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
            .map(|r| r.trim_start_matches('#').to_owned())
    };
    match heading {
        "Response parameter" | "Return parameter" => reference(spec.pointer(&body)).unwrap_or(body),
        "Result" => reference(body_schema.and_then(|s| s.pointer("/properties/result")))
            .unwrap_or_else(|| format!("{body}/properties/result")),
        model => format!("/components/schemas/{}", escape(model)),
    }
}

/// Every name a page's tables list that the spec lacks, as messages naming page and table.
fn missing_from_spec(spec: &Value, page_name: &str) -> Vec<String> {
    let operation_pointer = page_operation(spec, page_name, &page(page_name));
    let operation = resolve(
        spec,
        spec.pointer(&operation_pointer).expect("checked above"),
    );
    let mut missing = Vec::new();
    for table in page_tables(page_name) {
        let (known, place) = match table.kind {
            Kind::Parameters => (
                parameter_names(spec, operation),
                format!("#{operation_pointer}/parameters"),
            ),
            Kind::Codes => {
                let responses = operation.get("responses").and_then(Value::as_object);
                (
                    responses
                        .into_iter()
                        .flatten()
                        .map(|(k, _)| k.clone())
                        .collect(),
                    format!("#{operation_pointer}/responses"),
                )
            }
            Kind::Fields => {
                let pointer = table_schema(spec, &operation_pointer, &table.heading);
                let schema = spec
                    .pointer(&pointer)
                    .map(|s| resolve(spec, s))
                    .unwrap_or(&Value::Null);
                (property_names(schema), format!("#{pointer}"))
            }
        };
        for name in table.names.iter().filter(|n| !known.contains(*n)) {
            missing.push(format!(
                "{page_name}, table `{}`: `{name}` is missing from {place}",
                table.heading
            ));
        }
    }
    missing
}

// ---- tests ----------------------------------------------------------------------------------

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
    let schemas = api.components.map(|c| c.schemas).unwrap_or_default();
    for name in [
        "Image",
        "InstanceDiskAttachment",
        "Disk",
        "Tag",
        "Charge",
        "DiskAttachment",
        "LocalDisk",
    ] {
        assert!(
            schemas.contains_key(name),
            "components/schemas lacks {name}"
        );
    }
}

#[test]
fn every_ref_resolves() {
    let spec = spec();
    let mut refs = Vec::new();
    collect_keyed(&spec, "", "$ref", &mut refs);
    // Guards the walk itself: the spec shares parameters, responses and models by reference.
    assert!(
        refs.len() >= 20,
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
    let api: openapiv3::OpenAPI = serde_yaml::from_str(&spec_text()).expect("spec loads");
    let mut by_id: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let item = item
            .as_item()
            .unwrap_or_else(|| panic!("path {path} is a $ref"));
        for (method, operation) in item.iter() {
            let id = operation
                .operation_id
                .clone()
                .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
            by_id
                .entry(id)
                .or_default()
                .push(format!("{method} {path}"));
        }
    }
    let duplicates: Vec<String> = by_id
        .iter()
        .filter(|(_, places)| places.len() > 1)
        .map(|(id, places)| format!("operationId {id} is used by {}", places.join(", ")))
        .collect();
    assert!(duplicates.is_empty(), "{}", duplicates.join("\n"));
    for id in ["describeImage", "describeImages"] {
        assert!(by_id.contains_key(id), "no operation {id}");
    }
}

#[test]
fn pages_parse_into_tables() {
    for page_name in PAGES {
        let tables = page_tables(page_name);
        // Each page has path parameters, the envelope, Result, seven models and response codes.
        assert!(
            tables.len() >= 11,
            "{page_name}: only {} tables found",
            tables.len()
        );
        for table in &tables {
            assert!(
                !table.names.is_empty(),
                "{page_name}, table `{}`: no names found",
                table.heading
            );
        }
        let by_heading: BTreeMap<&str, usize> = tables
            .iter()
            .map(|t| (t.heading.as_str(), t.names.len()))
            .collect();
        for (heading, at_least) in [
            ("Image", 17),
            ("Disk", 17),
            ("InstanceDiskAttachment", 6),
            ("Response code", 6),
        ] {
            let found = by_heading.get(heading).copied().unwrap_or(0);
            assert!(
                found >= at_least,
                "{page_name}, table `{heading}`: {found} names, expected {at_least}+"
            );
        }
    }
}

/// The two pages share their model tables and are parsed by different code, so agreement
/// between them checks both parsers.
#[test]
fn both_pages_list_the_same_models() {
    let models = |page_name: &str| -> BTreeMap<String, BTreeSet<String>> {
        page_tables(page_name)
            .into_iter()
            .filter(|t| t.kind == Kind::Fields && t.heading != "Result")
            .map(|t| (t.heading, t.names.into_iter().collect()))
            .collect()
    };
    let (text, markdown) = (models(PAGES[0]), models(PAGES[1]));
    assert!(
        text.len() >= 8,
        "{}: only {} model tables",
        PAGES[0],
        text.len()
    );
    assert_eq!(
        text, markdown,
        "{} and {} disagree on the model tables",
        PAGES[0], PAGES[1]
    );
}

#[test]
fn spec_has_every_documented_name() {
    let spec = spec();
    let missing: Vec<String> = PAGES
        .iter()
        .flat_map(|page_name| missing_from_spec(&spec, page_name))
        .collect();
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn image_status_enum_has_every_documented_status() {
    let spec = spec();
    let text = page("Image_Status.md");
    let statuses: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with('|'))
        .map(|l| markdown_cells(l)[0])
        .filter(|cell| is_field_name(cell))
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

/// Every model property and parameter carries its page's (or the SDK's) description.
#[test]
fn properties_and_parameters_are_described() {
    let spec = spec();
    let mut undescribed = Vec::new();
    let schemas = spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .expect("schemas");
    for (name, schema) in schemas {
        for (property, value) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if value.get("description").is_none() {
                undescribed.push(format!("#/components/schemas/{name}/properties/{property}"));
            }
        }
    }
    let mut parameters = Vec::new();
    collect_keyed(&spec, "", "parameters", &mut parameters);
    for (at, list) in parameters {
        for (index, parameter) in list.as_array().into_iter().flatten().enumerate() {
            if resolve(&spec, parameter).get("description").is_none() {
                undescribed.push(format!("#{at}/{index}"));
            }
        }
    }
    assert!(
        undescribed.is_empty(),
        "no description: {}",
        undescribed.join(", ")
    );
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
    assert!(errata.len() >= 5, "only {} errata found", errata.len());
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
    let schemes = spec
        .pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .expect("securitySchemes");
    let signed: Vec<&String> = schemes
        .iter()
        .filter(|(_, s)| s.get("x-jdcloud-signing") == Some(&signing))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        signed.len(),
        1,
        "want one securitySchemes entry with x-jdcloud-signing {signing}"
    );
    let required = spec.pointer(&format!("/security/0/{}", escape(signed[0])));
    assert!(
        required.is_some(),
        "root security does not require {}",
        signed[0]
    );

    let paths = spec.get("paths").and_then(Value::as_object).expect("paths");
    for (path, item) in paths {
        for (method, operation) in item.as_object().into_iter().flatten() {
            let place = format!("{method} {path}");
            check_parameters(&spec, operation, &place);
            if let Some(paging) = operation.get("x-sdk-paging") {
                check_paging(&spec, operation, paging, &place);
            }
        }
    }
    let described = spec.pointer("/paths/~1regions~1{regionId}~1images/get/x-sdk-paging");
    assert!(described.is_some(), "describeImages has no x-sdk-paging");
}

/// Array query parameters go on the wire indexed; every operation carries the signing region.
fn check_parameters(spec: &Value, operation: &Value, place: &str) {
    let parameters = operation
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut has_region = false;
    for parameter in parameters.iter().map(|p| resolve(spec, p)) {
        let name = parameter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let is_query = parameter.get("in").and_then(Value::as_str) == Some("query");
        let schema = parameter
            .get("schema")
            .map(|s| resolve(spec, s))
            .unwrap_or(&Value::Null);
        if is_query && schema.get("type").and_then(Value::as_str) == Some("array") {
            let style = parameter.get("x-sdk-array-style").and_then(Value::as_str);
            assert_eq!(
                style,
                Some("indexed"),
                "{place}: array query parameter {name} is not indexed"
            );
        }
        has_region |=
            name == "regionId" && parameter.get("in").and_then(Value::as_str) == Some("path");
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
    let parameters = parameter_names(spec, operation);
    for key in ["pageParameter", "sizeParameter"] {
        assert!(
            parameters.contains(field(key)),
            "{place}: x-sdk-paging.{key} {} is no parameter",
            field(key)
        );
    }
    let body = operation
        .pointer("/responses/200/content/application~1json/schema")
        .map(|s| resolve(spec, s))
        .unwrap_or_else(|| panic!("{place}: no 200 JSON body"));
    let result = body
        .pointer("/properties/result")
        .map(|s| resolve(spec, s))
        .unwrap_or(body);
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
