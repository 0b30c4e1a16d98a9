//! The `sign` example's logic, run on every vector: its JSON output carries the expected
//! signature parts and every header the official client sends.

#[expect(dead_code, reason = "the example's `main` is not called by this test")]
#[path = "../examples/sign.rs"]
mod sign_example;

use serde_json::Value;

#[test]
fn example_output_matches_every_vector() {
    let file: Value = serde_json::from_str(include_str!("data/sign-vectors.json")).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    assert!(!vectors.is_empty());
    for vector in vectors {
        let id = vector["id"].as_str().unwrap();
        let expected = &vector["expected"];
        let output = sign_example::sign_inputs(&vector["inputs"].to_string()).unwrap();
        for field in [
            "canonical_request",
            "string_to_sign",
            "signed_headers",
            "authorization",
        ] {
            assert_eq!(output[field], expected[field], "{id}: {field}");
        }
        let sent = output["headers"].as_object().unwrap();
        for (name, value) in expected["headers_after_signing"].as_object().unwrap() {
            // The official client's header named after the algorithm carries nothing.
            if name == "JDCLOUD3-HMAC-SHA256" {
                continue;
            }
            assert_eq!(sent.get(name), Some(value), "{id}: header {name}");
        }
    }
}

#[test]
fn example_rejects_bad_inputs_by_name() {
    let error = sign_example::sign_inputs(r#"{"method": "GET"}"#).unwrap_err();
    assert!(error.contains("scheme"), "{error}");
    let error = sign_example::sign_inputs("[]").unwrap_err();
    assert!(error.contains("JSON object"), "{error}");
}
