//! Every operation of the spec through the generated `call` module against the local server:
//! each with its required parameters (values made from the spec's schemas), sent signed, with
//! the method, the path (template filled in), the required query parameters and the JSON body
//! of the required body fields (`{}` without any) checked on the wire.

use jdcloud_vm::call::{OPERATIONS, call};
use serde_json::{Map, Value, json};

use super::server::{Reply, TestServer};

fn spec() -> Value {
    let text = include_str!("../../../schema/jdcloud-vm.yaml");
    serde_yaml::from_str(text).expect("the spec is YAML")
}

fn resolve<'a>(spec: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => resolve(spec, spec.pointer(&reference[1..]).expect("a target")),
        None => value,
    }
}

/// A value of `schema` with only its required fields: enums take their first value.
fn example(spec: &Value, schema: &Value) -> Value {
    let schema = resolve(spec, schema);
    if let Some(first) = schema.get("enum").and_then(|values| values.get(0)) {
        return first.clone();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!("v-1"),
        Some("integer") => json!(2),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => json!([example(spec, &schema["items"])]),
        _ => {
            let mut object = Map::new();
            for name in schema["required"].as_array().into_iter().flatten() {
                let name = name.as_str().expect("a name");
                object.insert(name.to_owned(), example(spec, &schema["properties"][name]));
            }
            Value::Object(object)
        }
    }
}

struct Case {
    id: String,
    method: String,
    path: String,
    query_names: Vec<String>,
    /// `None` for a method without a body.
    body: Option<Value>,
    /// The body property the client fills with a generated idempotency token.
    token: Option<String>,
    params: Value,
}

fn cases(spec: &Value) -> Vec<Case> {
    let mut cases = Vec::new();
    for (template, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let mut params = Map::new();
            let mut path = template.clone();
            let mut query_names = Vec::new();
            for param in op["parameters"].as_array().into_iter().flatten() {
                let param = resolve(spec, param);
                let name = param["name"].as_str().expect("a name");
                match param["in"].as_str() {
                    Some("path") => {
                        let value = format!("{name}-1");
                        path = path.replace(&format!("{{{name}}}"), &value);
                        params.insert(name.to_owned(), json!(value));
                    }
                    _ if param["required"] == true => {
                        params.insert(name.to_owned(), example(spec, &param["schema"]));
                        query_names.push(name.to_owned());
                    }
                    _ => {}
                }
            }
            let schema = op.get("requestBody").map(|body| {
                resolve(
                    spec,
                    &resolve(spec, body)["content"]["application/json"]["schema"],
                )
            });
            let body = schema.map(|schema| example(spec, schema));
            let token = schema.and_then(|schema| {
                let properties = schema["properties"].as_object()?;
                properties
                    .iter()
                    .find(|(_, p)| p["x-sdk-idempotency-token"] == true)
                    .map(|(name, _)| name.clone())
            });
            if let Some(Value::Object(fields)) = &body {
                params.extend(fields.clone());
            }
            let has_body = matches!(method.as_str(), "post" | "put" | "patch");
            cases.push(Case {
                id: id.to_owned(),
                method: method.to_uppercase(),
                path: format!("/v1{path}"),
                query_names,
                body: has_body.then(|| body.unwrap_or_else(|| json!({}))),
                token,
                params: Value::Object(params),
            });
        }
    }
    cases
}

#[tokio::test]
async fn every_operation_reaches_the_server_signed_as_the_spec_says() {
    let spec = spec();
    let cases = cases(&spec);
    assert_eq!(cases.len(), 62);
    let mut ids: Vec<&str> = cases.iter().map(|case| case.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(ids, OPERATIONS, "every operation is callable by its id");

    let server =
        TestServer::start(|_, _| Reply::json(200, &json!({"requestId": "req-all", "result": {}})))
            .await;
    let client = super::client(&server);
    for (index, case) in cases.iter().enumerate() {
        let id = &case.id;
        let output = call(&client, id, case.params.clone(), false)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(output["requestId"], "req-all", "{id}");
        let received = &server.requests()[index];
        assert_eq!(received.method, case.method, "{id}: method");
        assert_eq!(received.path(), case.path, "{id}: path");
        for name in &case.query_names {
            let sent = received.query().split('&').any(|pair| {
                pair.starts_with(&format!("{name}=")) || pair.starts_with(&format!("{name}."))
            });
            assert!(sent, "{id}: query parameter {name} in {}", received.query());
        }
        match &case.body {
            Some(expected) => {
                let mut body: Value = serde_json::from_slice(&received.body)
                    .unwrap_or_else(|e| panic!("{id}: a JSON body: {e}"));
                if let Some(token) = &case.token {
                    let sent = body.as_object_mut().and_then(|body| body.remove(token));
                    let sent = sent.as_ref().and_then(Value::as_str).unwrap_or_default();
                    assert!(
                        uuid::Uuid::parse_str(sent).is_ok(),
                        "{id}: generated {token}: {sent}"
                    );
                }
                assert_eq!(&body, expected, "{id}: body");
            }
            None => assert!(received.body.is_empty(), "{id}: no body"),
        }
    }
    assert_eq!(server.requests().len(), 62);
    server.assert_all_signed();
}
