//! The signer reproduces every vector of `data/sign-vectors.json` (produced by JD Cloud's
//! official Python signer) byte for byte.

use jdcloud_vm::signing::{Credentials, SigningDate, SigningRequest, sign};
use serde_json::Value;

const VECTORS: &str = include_str!("data/sign-vectors.json");

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_str(VECTORS).unwrap();
    let vectors = file["vectors"].as_array().unwrap().clone();
    assert!(
        vectors.len() >= 4,
        "expected the published vectors, found {}",
        vectors.len()
    );
    vectors
}

fn text<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("`{name}` is not a string in {value}"))
}

/// A JSON object of header names and values, as the signer takes them.
fn header_pairs(headers: &Value) -> Vec<(&str, &str)> {
    headers
        .as_object()
        .unwrap_or_else(|| panic!("headers are not an object: {headers}"))
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str().unwrap()))
        .collect()
}

#[test]
fn every_vector_signs_byte_for_byte() {
    for vector in vectors() {
        let id = text(&vector, "id");
        let inputs = &vector["inputs"];
        let expected = &vector["expected"];
        let query = text(inputs, "query");
        let url = format!(
            "{}://{}{}{}{query}",
            text(inputs, "scheme"),
            text(inputs, "host"),
            text(inputs, "path"),
            if query.is_empty() { "" } else { "?" }
        );
        let url = reqwest::Url::parse(&url).unwrap();
        let headers = header_pairs(&inputs["headers_before_signing"]);
        assert_eq!(
            text(inputs, "security_token"),
            "",
            "{id}: token vectors need the token header"
        );
        let credentials = Credentials::new(text(inputs, "access_key"), text(inputs, "secret_key"));
        let date: SigningDate = text(inputs, "datetime").parse().unwrap();

        let signature = sign(&SigningRequest {
            method: text(inputs, "method"),
            url: &url,
            headers: &headers,
            body: text(inputs, "body").as_bytes(),
            region: text(inputs, "region"),
            service: text(inputs, "service"),
            credentials: &credentials,
            date: &date,
        });

        assert_eq!(
            signature.authorization,
            text(expected, "authorization"),
            "{id}: authorization"
        );
        for (field, actual) in [
            ("canonical_request", &signature.canonical_request),
            ("string_to_sign", &signature.string_to_sign),
            ("signed_headers", &signature.signed_headers),
            ("credential_scope", &signature.credential_scope),
            ("payload_sha256", &signature.payload_sha256),
        ] {
            if let Some(expected) = expected[field].as_str() {
                assert_eq!(actual, expected, "{id}: {field}");
            }
        }
    }
}

#[test]
fn a_changed_input_changes_the_signature() {
    // Guards against a signer that ignores some input yet matches the vectors by accident.
    let url =
        reqwest::Url::parse("https://vm.jdcloud-api.com/v1/regions/cn-north-1/images/i").unwrap();
    let credentials = Credentials::new("AK", "SK");
    let date: SigningDate = "20260102T030405Z".parse().unwrap();
    let base = SigningRequest {
        method: "GET",
        url: &url,
        headers: &[("content-type", "application/json")],
        body: b"",
        region: "cn-north-1",
        service: "vm",
        credentials: &credentials,
        date: &date,
    };
    let reference = sign(&base).signature;
    let other_url =
        reqwest::Url::parse("https://vm.jdcloud-api.com/v1/regions/cn-north-1/images/j").unwrap();
    let other_credentials = Credentials::new("AK", "SK2");
    let other_date: SigningDate = "20260102T030406Z".parse().unwrap();
    let variants = [
        SigningRequest {
            method: "POST",
            ..base
        },
        SigningRequest {
            url: &other_url,
            ..base
        },
        SigningRequest {
            headers: &[("content-type", "text/plain")],
            ..base
        },
        SigningRequest {
            body: b"{}",
            ..base
        },
        SigningRequest {
            region: "cn-east-2",
            ..base
        },
        SigningRequest {
            service: "disk",
            ..base
        },
        SigningRequest {
            credentials: &other_credentials,
            ..base
        },
        SigningRequest {
            date: &other_date,
            ..base
        },
    ];
    for (index, variant) in variants.iter().enumerate() {
        assert_ne!(sign(variant).signature, reference, "variant {index}");
    }
    // Unsigned headers do not matter.
    let with_agent = SigningRequest {
        headers: &[
            ("content-type", "application/json"),
            ("User-Agent", "x"),
            ("Authorization", "y"),
        ],
        ..base
    };
    assert_eq!(sign(&with_agent).signature, reference);
}

#[test]
fn python_fixtures_sign_byte_for_byte() {
    // More cases from the official signer: non-default port, hostile path, indexed query,
    // security token, POST without region (see data/make_python_fixtures.py).
    let file: Value =
        serde_json::from_str(include_str!("data/python-signer-fixtures.json")).unwrap();
    let date: SigningDate = text(&file, "date").parse().unwrap();
    for case in file["cases"].as_array().unwrap() {
        let id = text(case, "id");
        let url = reqwest::Url::parse(text(case, "url")).unwrap();
        let headers = header_pairs(&case["headers_before_signing"]);
        let mut credentials =
            Credentials::new(text(&file, "access_key"), text(&file, "secret_key"));
        if !text(case, "security_token").is_empty() {
            credentials = credentials.with_security_token(text(case, "security_token"));
        }
        let signature = sign(&SigningRequest {
            method: text(case, "method"),
            url: &url,
            headers: &headers,
            body: text(case, "body").as_bytes(),
            region: text(case, "region"),
            service: text(&file, "service"),
            credentials: &credentials,
            date: &date,
        });
        assert_eq!(
            signature.canonical_request,
            text(case, "canonical_request"),
            "{id}"
        );
        assert_eq!(
            signature.string_to_sign,
            text(case, "string_to_sign"),
            "{id}"
        );
        assert_eq!(signature.authorization, text(case, "authorization"), "{id}");
    }
}
