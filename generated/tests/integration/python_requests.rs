//! Every case of `data/python-request-fixtures.json` (what JD Cloud's official Python SDK
//! builds, with every parameter set) through the generated `call` module, with the case's
//! parameters unchanged: the dry run must match the SDK's request modulo the allowances of
//! `normalized` (booleans as `true`/`false`, no repeated path parameters, no nulls), query
//! pairs compared decoded and in any order; the real send must reach a local server with the
//! same request, signed as the independent verifier expects.

use jdcloud_vm::call::{OPERATIONS, call};
use serde_json::{Value, json};

use super::server::{Reply, TestServer};

fn cases() -> Vec<Value> {
    let text = include_str!("../data/python-request-fixtures.json");
    let fixtures: Value = serde_json::from_str(text).expect("the fixture is JSON");
    fixtures["cases"].as_array().expect("cases").clone()
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

fn check_request(case: &Value, method: &str, path: &str, query: &str, body: &Value) {
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
    assert_eq!(pairs(query), expected_pairs(case), "{id}: query pairs");
    assert_eq!(body, &case["normalized"]["body"], "{id}: body");
}

#[tokio::test]
async fn every_python_sdk_case_matches_on_a_dry_run_and_reaches_the_server_signed() {
    let cases = cases();
    assert_eq!(cases.len(), 22);
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
