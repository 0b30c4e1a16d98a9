//! Path parameters are encoded so no value changes the path's structure; values that would
//! (empty, `.`, `..`) are refused before anything is sent.

use sdkgen_runtime::Error;
use serde_json::json;

use super::client;
use super::server::{Reply, TestServer};

#[tokio::test]
async fn hostile_characters_are_encoded_and_signed() {
    let server =
        TestServer::start(|_, _| Reply::json(200, &json!({"result": {"image": {}}}))).await;

    client(&server)
        .describe_image("cn north/1", "a/b?c#d%e+f g中")
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].target,
        "/v1/regions/cn%20north%2F1/images/a%2Fb%3Fc%23d%25e%2Bf%20g%E4%B8%AD"
    );
    // The verifier checks the signing region is the decoded regionId.
    server.assert_all_signed();
}

#[tokio::test]
async fn empty_dot_and_dot_dot_are_refused_before_sending() {
    let server = TestServer::start(|_, _| Reply::json(200, &json!({"result": {}}))).await;
    let client = client(&server);

    for (region, image) in [
        ("cn-north-1", ""),
        ("cn-north-1", "."),
        ("cn-north-1", ".."),
        ("", "img-1"),
        ("..", "img-1"),
    ] {
        let error = client.describe_image(region, image).await.unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("{region:?}/{image:?}: {error:?}")
        };
        let parameter = if image == "img-1" {
            "regionId"
        } else {
            "imageId"
        };
        assert!(message.contains(parameter), "{message}");
    }
    assert!(server.requests().is_empty());
}
