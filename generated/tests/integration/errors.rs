//! Every documented error status, and the ways a response can be broken, each end in their
//! own variant of the runtime's one error type.

use std::time::Duration;

use sdkgen_runtime::{Error, RetryPolicy};
use serde_json::json;

use super::server::{Reply, TestServer};
use super::{client, client_with, verify};

fn error_body(
    code: u16,
    status: &str,
    message: &str,
    request_id: Option<&str>,
) -> serde_json::Value {
    let mut body = json!({"error": {"code": code, "status": status, "message": message}});
    if let Some(request_id) = request_id {
        body["requestId"] = json!(request_id);
    }
    body
}

#[tokio::test]
async fn documented_error_statuses_give_jd_clouds_error() {
    let cases = [
        (400, "INVALID_ARGUMENT", "imageId is invalid"),
        (401, "UNAUTHENTICATED", "signature does not match"),
        (404, "NOT_FOUND", "image img-x not found"),
        (500, "INTERNAL", "internal error"),
        (503, "UNAVAILABLE", "service unavailable"),
    ];
    for (code, status, message) in cases {
        let request_id = format!("req-{code}");
        let body = error_body(code, status, message, Some(&request_id));
        let server = TestServer::start(move |_, _| Reply::json(code, &body)).await;
        // One attempt: 500 and 503 would otherwise be retried (tested in `retries`).
        let client = client_with(&server, RetryPolicy::none(), Duration::from_secs(10));

        let error = client
            .describe_image("cn-north-1", "img-x")
            .await
            .unwrap_err();

        let Error::Service(service) = &error else {
            panic!("{code}: {error:?}")
        };
        assert_eq!(service.status.as_u16(), code);
        assert_eq!(service.request_id.as_deref(), Some(request_id.as_str()));
        assert_eq!(i64::from(service.body.code), i64::from(code));
        assert_eq!(service.body.status.as_deref(), Some(status));
        assert_eq!(service.body.message.as_deref(), Some(message));
        let shown = error.to_string();
        assert!(
            shown.contains(&code.to_string()) && shown.contains(&request_id),
            "{shown}"
        );
        assert!(
            shown.contains(&format!("{status}: {message}")),
            "the server's code and message: {shown}"
        );
        assert!(
            !shown.contains(verify::SECRET_KEY)
                && !format!("{error:?}").contains(verify::SECRET_KEY)
        );
        assert_eq!(server.requests().len(), 1);
        server.assert_all_signed();
    }
}

#[tokio::test]
async fn error_request_id_falls_back_to_the_header() {
    let server = TestServer::start(|_, _| {
        Reply::json(404, &error_body(404, "NOT_FOUND", "gone", None))
            .with_header("x-jdcloud-request-id", "req-header-404")
    })
    .await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-x")
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::Service(service) if service.status.as_u16() == 404),
        "{error:?}"
    );
    assert_eq!(error.request_id(), Some("req-header-404"));
}

#[tokio::test]
async fn html_502_is_an_unexpected_status_with_the_raw_body() {
    let page = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    let server = TestServer::start(move |_, _| Reply::html(502, page)).await;
    let client = client_with(&server, RetryPolicy::none(), Duration::from_secs(10));

    let error = client
        .describe_image("cn-north-1", "img-x")
        .await
        .unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 502);
    assert_eq!(&body[..], page.as_bytes());
}

#[tokio::test]
async fn html_on_a_documented_error_status_keeps_status_and_page_not_a_decode_error() {
    let server = TestServer::start(|_, _| Reply::html(404, "<html>Not Found</html>")).await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-x")
        .await
        .unwrap_err();

    let Error::UnexpectedStatus { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 404);
    assert_eq!(&body[..], b"<html>Not Found</html>");
    assert!(
        error.to_string().ends_with("text/html body: Not Found"),
        "{error}"
    );
}

#[tokio::test]
async fn wrong_field_type_names_the_field_path() {
    let body = json!({"requestId": "r1", "result": {"image": {"imageId": "img-1", "systemDiskSizeGB": "forty"}}});
    let server = TestServer::start(move |_, _| Reply::json(200, &body)).await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    let Error::Decode { source, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(source.path.contains("systemDiskSizeGB"), "{source}");
}

#[tokio::test]
async fn body_cut_short_of_content_length_is_an_incomplete_body() {
    let full = r#"{"requestId":"r1","result":{"image":{"imageId":"img-1","name":"x"}}}"#;
    let server = TestServer::start(move |_, _| Reply::Truncated {
        status: 200,
        declared_length: full.len(),
        body: full.as_bytes()[..20].to_vec(),
    })
    .await;
    let client = client_with(&server, RetryPolicy::none(), Duration::from_secs(10));

    let error = client
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    let Error::IncompleteBody { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 200);
    assert_eq!(&body[..], &full.as_bytes()[..20]);
}

#[tokio::test]
async fn truncated_json_is_a_decode_error() {
    let server = TestServer::start(|_, _| Reply::Full {
        status: 200,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: br#"{"requestId":"r1","result":{"image":{"imageId":"img-"#.to_vec(),
    })
    .await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn slow_response_trips_the_timeout() {
    // The answer would come after 30 s; only a timeout can end the call with an error.
    let server = TestServer::start(|_, _| {
        Reply::Delayed(
            Duration::from_secs(30),
            Box::new(Reply::json(200, &json!({"result": {}}))),
        )
    })
    .await;
    let client = client_with(&server, RetryPolicy::none(), Duration::from_millis(300));

    let error = client
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    assert!(matches!(error, Error::Timeout { attempts: 1 }), "{error:?}");
}

#[tokio::test]
async fn refused_connection_is_a_connection_error() {
    // Bind a port, then free it: nothing listens there.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = jdcloud_vm::Client::builder()
        .credentials(jdcloud_vm::Credentials::new(
            verify::ACCESS_KEY,
            verify::SECRET_KEY,
        ))
        .endpoint(origin)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();

    let error = client
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    assert!(
        matches!(error, Error::Connection { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(!format!("{error} {error:?}").contains(verify::SECRET_KEY));
}
