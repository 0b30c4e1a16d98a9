//! The test server's independent verifier reproduces signatures computed by JD Cloud's
//! official Python SDK, so its verdicts on the client's requests can be trusted.

use serde_json::Value;

use super::verify::{Parts, compute};

#[test]
fn verifier_reproduces_the_official_python_signer() {
    let file: Value =
        serde_json::from_str(include_str!("../data/python-signer-fixtures.json")).unwrap();
    let cases = file["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let id = case["id"].as_str().unwrap();
        let url = case["url"].as_str().unwrap();
        let after_host = &url[url.find("://").unwrap() + 3..];
        let target = &after_host[after_host.find('/').unwrap()..];
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let host = &after_host[..after_host.find('/').unwrap()];
        // The official signer drops the default ports 80 and 443 from the signed host.
        let host = host.trim_end_matches(":443").trim_end_matches(":80");
        let mut headers = vec![("host".to_owned(), host.to_owned())];
        for (name, value) in case["headers_before_signing"].as_object().unwrap() {
            headers.push((
                name.to_ascii_lowercase(),
                value.as_str().unwrap().to_owned(),
            ));
        }
        let signed: Vec<&str> = headers
            .iter()
            .map(|(name, _)| name.as_str())
            .filter(|name| *name != "user-agent")
            .collect();
        let computed = compute(&Parts {
            method: case["method"].as_str().unwrap(),
            path,
            query,
            headers: &headers,
            signed: &signed,
            body: case["body"].as_str().unwrap().as_bytes(),
            region: case["region"].as_str().unwrap(),
            date: file["date"].as_str().unwrap(),
            secret: file["secret_key"].as_str().unwrap(),
        })
        .unwrap();
        assert_eq!(
            computed.canonical_request,
            case["canonical_request"].as_str().unwrap(),
            "{id}"
        );
        assert_eq!(
            computed.string_to_sign,
            case["string_to_sign"].as_str().unwrap(),
            "{id}"
        );
        let authorization = case["authorization"].as_str().unwrap();
        assert!(
            authorization.ends_with(&format!("Signature={}", computed.signature)),
            "{id}"
        );
    }
}
