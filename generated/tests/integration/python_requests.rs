//! Every case of `data/python-request-fixtures.json` (what JD Cloud's official Python SDK
//! builds, with every parameter set, at least one case per operation) through the generated
//! `call` module, with the case's parameters unchanged: the dry run must match the SDK's
//! request modulo the allowances of `normalized` (booleans as `true`/`false`, no repeated path
//! parameters, no nulls, each query key and value and each path parameter fully escaped),
//! byte for byte but with the query pairs in any order; the real send must reach a local
//! server with the same request, signed as the independent verifier expects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use jdcloud_vm::call::{OPERATIONS, call};
use serde_json::{Value, json};

use super::server::{Received, Reply, TestServer};
use super::verify;

/// Operations JD Cloud's Python SDK cannot build, so the fixture has no case for them. None:
/// jdcloud-sdk 1.6.354 has a request class for each of the 62, including the 14 the spec
/// took from the Go SDK. The fixture's `uncovered_operations` must be exactly this list.
const UNCOVERED: &[&str] = &[];

fn fixture() -> Value {
    let text = include_str!("../data/python-request-fixtures.json");
    serde_json::from_str(text).expect("the fixture is JSON")
}

fn cases() -> Vec<Value> {
    fixture()["cases"].as_array().expect("cases").clone()
}

/// The raw `key=value` pairs of a query, still escaped, sorted.
fn raw_pairs(query: &str) -> Vec<&str> {
    let mut pairs: Vec<&str> = query.split('&').filter(|pair| !pair.is_empty()).collect();
    pairs.sort_unstable();
    pairs
}

/// Decoded `(key, value)` pairs of a raw query, sorted.
fn pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    pairs.sort();
    pairs
}

fn expected_pairs(case: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = case["normalized"]["query_pairs"]
        .as_array()
        .expect("query pairs")
        .iter()
        .map(|pair| {
            let text = |i: usize| pair[i].as_str().expect("a string").to_owned();
            (text(0), text(1))
        })
        .collect();
    pairs.sort();
    pairs
}

/// The SDK's path template with each parameter decoded back from our encoded segment.
fn decoded_path_params(template: &str, path: &str) -> Vec<(String, String)> {
    let mut params = Vec::new();
    for (pattern, segment) in template.split('/').zip(path.split('/')) {
        let Some(start) = pattern.find('{') else {
            assert_eq!(pattern, segment);
            continue;
        };
        let end = pattern.find('}').expect("closed");
        let (prefix, suffix) = (&pattern[..start], &pattern[end + 1..]);
        let value = segment
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_suffix(suffix))
            .unwrap_or_else(|| panic!("{segment} does not fit {pattern}"));
        let value = percent_encoding::percent_decode_str(value)
            .decode_utf8()
            .expect("UTF-8")
            .into_owned();
        params.push((pattern[start + 1..end].to_owned(), value));
    }
    params
}

/// `body` without the idempotency token our client generates when the caller sets none (the
/// SDK then sends none), after checking it is a UUID v4.
fn without_generated_token(case: &Value, body: &Value, token: Option<&str>) -> Value {
    let id = case["id"].as_str().unwrap_or_default();
    let mut body = body.clone();
    let Some(name) = token.filter(|name| case["parameters"].get(name).is_none()) else {
        return body;
    };
    let generated = body.as_object_mut().and_then(|fields| fields.remove(name));
    let uuid = generated
        .as_ref()
        .and_then(Value::as_str)
        .and_then(|text| uuid::Uuid::parse_str(text).ok());
    assert_eq!(
        uuid.map(|uuid| uuid.get_version_num()),
        Some(4),
        "{id}: a generated UUID v4 {name}: {generated:?}"
    );
    body
}

fn check_request(
    case: &Value,
    token: Option<&str>,
    method: &str,
    path: &str,
    query: &str,
    body: &Value,
) {
    let id = case["id"].as_str().unwrap_or_default();
    assert_eq!(method, case["method"], "{id}: method");
    let template = case["path_template"].as_str().expect("a template");
    for (name, value) in decoded_path_params(template, path) {
        assert_eq!(
            Some(value.as_str()),
            case["parameters"][&name].as_str(),
            "{id}: path parameter {name}"
        );
    }
    assert!(
        !path.contains(['?', '#', ' ']),
        "{id}: each path segment is encoded: {path}"
    );
    assert_eq!(path, case["normalized"]["path"], "{id}: path as sent");
    assert_eq!(pairs(query), expected_pairs(case), "{id}: query pairs");
    let expected_query = case["normalized"]["query_string"]
        .as_str()
        .expect("a query");
    assert_eq!(
        raw_pairs(query),
        raw_pairs(expected_query),
        "{id}: query as sent"
    );
    assert_eq!(
        without_generated_token(case, body, token),
        case["normalized"]["body"],
        "{id}: body"
    );
}

#[tokio::test]
async fn every_python_sdk_case_matches_on_a_dry_run_and_reaches_the_server_signed() {
    let cases = cases();
    let spec = spec();
    let tokens: BTreeMap<String, Option<&str>> = spec_operations(&spec)
        .into_iter()
        .map(|(id, operation)| (id, operation.token))
        .collect();
    let server = TestServer::start(|_, _| {
        Reply::json(
            200,
            &serde_json::json!({"requestId": "req-py", "result": {}}),
        )
    })
    .await;
    let client = super::client(&server);
    for (index, case) in cases.iter().enumerate() {
        let id = case["id"].as_str().expect("an id");
        let operation = case["operationId"].as_str().expect("an operationId");
        assert!(
            OPERATIONS.contains(&operation),
            "{id}: {operation} is generated"
        );
        let params = case["parameters"].clone();

        let dry = call(&client, operation, params.clone(), true)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        let url = url::Url::parse(dry["url"].as_str().expect("a url")).expect("absolute");
        assert_eq!(url.origin().ascii_serialization(), server.origin());
        check_request(
            case,
            tokens[operation],
            dry["method"].as_str().unwrap_or_default(),
            url.path(),
            url.query().unwrap_or(""),
            &dry["body"],
        );
        let headers = &dry["headers"];
        assert!(
            headers["authorization"]
                .as_str()
                .is_some_and(|a| a.starts_with("JDCLOUD3-HMAC-SHA256 Credential=")),
            "{id}: signed: {headers}"
        );

        let sent = call(&client, operation, params, false)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(sent["requestId"], "req-py", "{id}");
        let received = &server.requests()[index];
        let body: Value = if received.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&received.body).expect("a JSON body")
        };
        check_request(
            case,
            tokens[operation],
            &received.method,
            received.path(),
            received.query(),
            &body,
        );
    }
    server.assert_all_signed();
}

#[tokio::test]
async fn bad_parameters_are_errors_naming_them() {
    let server = TestServer::start(|_, _| Reply::json(200, &serde_json::json!({}))).await;
    let client = super::client(&server);
    let error = |operation: &'static str, params: Value| {
        let client = client.clone();
        async move {
            call(&client, operation, params, true)
                .await
                .expect_err("refused")
                .to_string()
        }
    };
    assert_eq!(
        error("describeInstance", json!({"regionId": "r"})).await,
        "`describeInstance`: missing required parameter `instanceId`"
    );
    assert_eq!(
        error(
            "describeInstance",
            json!({"regionId": "r", "instanceId": "i", "colour": 1})
        )
        .await,
        "`describeInstance`: unknown parameter(s) `colour`"
    );
    assert_eq!(
        error(
            "describeInstances",
            json!({"regionId": "r", "pageSize": "ten"})
        )
        .await,
        "`describeInstances`: parameter `pageSize`: invalid type: string \"ten\", expected i64"
    );
    let nested = error(
        "describeInstances",
        json!({"regionId": "r", "filters": [{"name": "az", "values": [1]}]}),
    )
    .await;
    assert_eq!(
        nested,
        "`describeInstances`: parameter `filters.[0].values[0]`: invalid type: integer `1`, expected a string"
    );
    let missing_body_field = error("createInstances", json!({"regionId": "r"})).await;
    assert_eq!(
        missing_body_field,
        "`createInstances`: missing required parameter `instanceSpec`"
    );
    assert_eq!(
        error("launchRocket", json!({})).await,
        "unknown operation `launchRocket`"
    );
    assert_eq!(
        error("describeInstance", json!([1])).await,
        "`describeInstance`: the parameters must be a JSON object, not an array"
    );
    assert!(server.requests().is_empty(), "a dry run sends nothing");
}

fn spec() -> Value {
    let text = include_str!("../../../schema/jdcloud-vm.yaml");
    serde_yaml::from_str(text).expect("the spec is YAML")
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(spec, spec.pointer(&reference[1..]).expect("a target")),
        None => schema,
    }
}

/// An operation of the spec: its method, path (with the server's `/v1`) and parameters by
/// name (a JSON body's properties beside the path and query parameters).
struct SpecOperation<'a> {
    method: String,
    path: String,
    params: Vec<(&'a str, &'a Value)>,
    /// The body property marked `x-sdk-idempotency-token`.
    token: Option<&'a str>,
}

fn spec_operations(spec: &Value) -> Vec<(String, SpecOperation<'_>)> {
    let mut operations = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut params = Vec::new();
            for param in op["parameters"].as_array().into_iter().flatten() {
                let param = resolve(spec, param);
                params.push((param["name"].as_str().expect("a name"), &param["schema"]));
            }
            let body = &op["requestBody"]["content"]["application/json"]["schema"];
            let properties = resolve(spec, body)["properties"].as_object();
            params.extend(
                properties
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str(), v)),
            );
            let token = properties
                .into_iter()
                .flatten()
                .find_map(|(name, property)| {
                    (property["x-sdk-idempotency-token"] == true).then_some(name.as_str())
                });
            let operation = SpecOperation {
                method: method.to_uppercase(),
                path: format!("/v1{path}"),
                params,
                token,
            };
            operations.push((id.to_owned(), operation));
        }
    }
    operations
}

/// JSON pointers of the properties `schema` declares that `value` leaves out, at any depth.
fn unset_fields(spec: &Value, schema: &Value, value: &Value, pointer: &str) -> Vec<String> {
    let schema = resolve(spec, schema);
    if let Some(items) = value.as_array() {
        return items
            .iter()
            .enumerate()
            .flat_map(|(i, item)| {
                unset_fields(spec, &schema["items"], item, &format!("{pointer}/{i}"))
            })
            .collect();
    }
    let Some(properties) = schema["properties"].as_object() else {
        return Vec::new();
    };
    let mut unset = Vec::new();
    for (name, property) in properties {
        let pointer = format!("{pointer}/{name}");
        match value.get(name) {
            Some(field) => unset.extend(unset_fields(spec, property, field, &pointer)),
            None => unset.push(pointer),
        }
    }
    unset
}

/// Every operation has a case that sets every parameter and every nested field the spec
/// declares today (so a parameter added to the spec fails here until the fixture is
/// regenerated), unless it is one the SDK cannot build, listed in `UNCOVERED` and, with the
/// reason, in the fixture.
#[test]
fn every_operation_has_a_python_sdk_case_with_every_parameter_set() {
    let fixture = fixture();
    let uncovered: Vec<&str> = fixture["uncovered_operations"]
        .as_array()
        .expect("uncovered_operations")
        .iter()
        .map(|entry| {
            assert!(entry["reason"].as_str().is_some_and(|r| !r.is_empty()));
            entry["operationId"].as_str().expect("an operationId")
        })
        .collect();
    assert_eq!(uncovered, UNCOVERED, "operations without a Python SDK case");

    let cases = cases();
    for case in &cases {
        let operation = case["operationId"].as_str().expect("an operationId");
        assert!(OPERATIONS.contains(&operation), "{operation} is generated");
    }
    let spec = spec();
    let operations = spec_operations(&spec);
    let mut ids: Vec<&str> = operations.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids, OPERATIONS,
        "the spec's operations are the generated ones"
    );
    for (id, operation) in &operations {
        let of_operation: Vec<&Value> = cases.iter().filter(|c| c["operationId"] == **id).collect();
        if UNCOVERED.contains(&id.as_str()) {
            assert!(of_operation.is_empty(), "{id} is listed as uncovered");
            continue;
        }
        for case in &of_operation {
            assert_eq!(case["method"], operation.method, "{id}: the SDK's method");
            assert_eq!(
                case["path_template"], operation.path,
                "{id}: the SDK's path"
            );
        }
        let complete = of_operation.iter().any(|case| {
            case["all_parameters_set"] == true
                && operation.params.iter().all(|(name, schema)| {
                    let value = &case["parameters"][*name];
                    !value.is_null()
                        && unset_fields(&spec, schema, value, &format!("/{name}")).is_empty()
                })
        });
        assert!(
            complete,
            "{id}: no case sets every parameter and field of the spec"
        );
    }
}

/// What the README's test command, `cargo test --workspace`, builds before it runs a test,
/// the `call` example included, with the same features (the workspace's members change some
/// of the example's dependencies' features, so `cargo build -p jdcloud-vm --example call`
/// would build a second copy of about 60 crates).
const WORKSPACE_TEST_BUILD: &[&str] = &["test", "--workspace", "--no-run", "--quiet"];

/// Variables cargo sets for a test run besides `CARGO_PKG_*`.
const TEST_RUN_VARIABLES: &[&str] = &[
    "CARGO_MANIFEST_DIR",
    "CARGO_MANIFEST_PATH",
    "CARGO_CRATE_NAME",
    "CARGO_BIN_NAME",
    "CARGO_PRIMARY_PACKAGE",
    "CARGO_TARGET_TMPDIR",
    "OUT_DIR",
];

/// The `call` example's executable, built by the cargo that runs these tests (it holds no
/// lock while tests run) rather than looked up in `target/`: a run with `--test` or `-p`
/// does not build it, so one found there could be stale. Under `cargo test --workspace`
/// (CI) the build is a no-op; under a narrower run it builds the whole workspace's tests
/// once, as `cargo test --workspace` would.
fn call_example() -> PathBuf {
    let mut build = Command::new(env!("CARGO"));
    // What cargo sets for a test run, which build scripts watch (`ring`'s watches
    // CARGO_MANIFEST_DIR): inherited, they would make the next `cargo test` rebuild them.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_") || TEST_RUN_VARIABLES.contains(&name.as_ref()) {
            build.env_remove(name.as_ref());
        }
    }
    let output = build
        .args(WORKSPACE_TEST_BUILD)
        .arg("--message-format=json")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "building the call example failed");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line).ok())
        .find(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["name"] == "call"
                && message["target"]["kind"] == json!(["example"])
        })
        .and_then(|artifact| artifact["executable"].as_str().map(PathBuf::from))
        .expect("cargo names the call example's executable")
}

/// Runs `call <operation> '<parameters>' --dry-run` as a user would, with the test
/// credentials and `endpoint` in the environment, and returns what it printed.
fn dry_run_example(example: &Path, endpoint: &str, case: &Value) -> Value {
    let id = case["id"].as_str().expect("an id");
    let params = serde_json::to_string(&case["parameters"]).expect("JSON");
    let output = Command::new(example)
        .args([
            case["operationId"].as_str().expect("an operationId"),
            &params,
        ])
        .arg("--dry-run")
        .env("JDCLOUD_ACCESS_KEY", verify::ACCESS_KEY)
        .env("JDCLOUD_SECRET_KEY", verify::SECRET_KEY)
        .env("JDCLOUD_ENDPOINT", endpoint)
        .env_remove("JDCLOUD_SECURITY_TOKEN")
        .output()
        .expect("the example runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{id}: {stderr}");
    assert!(stderr.is_empty(), "{id}: {stderr}");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("{id}: one JSON object: {e}"))
}

/// The real `call` example binary, run as a user runs it, on every case: its `--dry-run`
/// output is one JSON object `{method, url, headers, body}` whose request is exactly the
/// SDK's as `normalized` (URL byte for byte, query pairs in any order), with headers that
/// carry a signature the independent verifier accepts. Nothing is sent.
#[tokio::test]
async fn the_call_example_dry_run_prints_the_python_sdk_request() {
    let example = call_example();
    let server = TestServer::start(|_, _| Reply::json(200, &json!({"result": {}}))).await;
    let client = super::client(&server);
    let spec = spec();
    let tokens: BTreeMap<String, Option<&str>> = spec_operations(&spec)
        .into_iter()
        .map(|(id, operation)| (id, operation.token))
        .collect();
    let mut sent_here = 0;
    for case in cases() {
        let id = case["id"].as_str().expect("an id");
        let operation = case["operationId"].as_str().expect("an operationId");
        let printed = dry_run_example(&example, server.origin(), &case);
        let mut keys: Vec<&String> = printed.as_object().expect("an object").keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["body", "headers", "method", "url"], "{id}");
        let url = printed["url"].as_str().expect("a url");
        let target = url
            .strip_prefix(server.origin())
            .unwrap_or_else(|| panic!("{id}: {url} goes to the endpoint"));
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let method = printed["method"].as_str().expect("a method");
        check_request(
            &case,
            tokens[operation],
            method,
            path,
            query,
            &printed["body"],
        );

        // The printed body is parsed JSON, not the bytes that were signed: take those from
        // the same request sent by this process, with the token the example generated.
        let body = if printed["body"].is_null() {
            Vec::new()
        } else {
            let mut params = case["parameters"].clone();
            if let Some(token) = tokens[operation] {
                params[token] = printed["body"][token].clone();
            }
            call(&client, operation, params, false)
                .await
                .unwrap_or_else(|e| panic!("{id}: {e}"));
            sent_here += 1;
            server.requests().last().expect("sent").body.clone()
        };
        let host = server.origin()["http://".len()..].to_owned();
        let mut received = Received {
            method: method.to_owned(),
            target: target.to_owned(),
            headers: vec![("host".to_owned(), host)],
            body,
        };
        for (name, value) in printed["headers"].as_object().expect("headers") {
            let value = value.as_str().expect("a header value").to_owned();
            received.headers.push((name.clone(), value));
        }
        verify::verify(&received).unwrap_or_else(|e| panic!("{id}: {e}"));
    }
    assert_eq!(
        server.requests().len(),
        sent_here,
        "a dry run sends nothing"
    );
}
