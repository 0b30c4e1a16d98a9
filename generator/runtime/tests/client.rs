//! `Client::execute` against a real HTTP server: decoding, every error path, retries,
//! timeouts and deadlines.

mod support;

use std::time::Duration;

use sdkgen_runtime::{Client, Error, Request, Response, RetryPolicy};
use support::api::{
    self, ApiError, DESCRIBE_IMAGE, ImageResult, MODIFY_IMAGE, decode_image, error_body, image_body,
};
use support::{Reply, Server};

fn describe(region: &str, image: &str) -> Request {
    Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", region)
        .path_param("imageId", image)
}

/// describeImage of image `i` in region `r`.
async fn describe_image(client: &Client) -> Result<Response<ImageResult>, Error<ApiError>> {
    client.execute(describe("r", "i"), decode_image).await
}

#[tokio::test]
async fn success_unwraps_the_envelope_and_takes_the_request_id_from_the_body() {
    let reply = Reply::status(
        200,
        &[("x-request-id", "req-header")],
        &image_body("req-body"),
    );
    let server = Server::replies(vec![reply]).await;
    let response = api::client(&server.base_url())
        .execute(describe("cn-north-1", "img-1"), decode_image)
        .await
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.request_id.as_deref(), Some("req-body"));
    assert_eq!(
        response.image,
        api::Image {
            image_id: "img-1".into(),
            os_type: "linux".into(),
            size: 40
        }
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].target, "/v1/regions/cn-north-1/images/img-1");
    assert!(
        requests[0]
            .header("user-agent")
            .is_some_and(|agent| agent.starts_with("sdkgen-runtime/"))
    );
}

#[tokio::test]
async fn request_id_falls_back_to_the_header() {
    let body = r#"{"result":{"image":{"imageId":"img-1","osType":"linux","size":1}}}"#;
    let server = Server::replies(vec![Reply::status(
        200,
        &[("x-request-id", "req-header")],
        body,
    )])
    .await;
    let response = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-header"));
}

#[tokio::test]
async fn documented_error_status_gives_the_typed_body_and_is_not_retried() {
    let body = error_body("req-404", 404, "NOT_FOUND");
    let server = Server::replies(vec![Reply::status(
        404,
        &[("x-request-id", "req-header")],
        &body,
    )])
    .await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::Service(service) = &error else {
        panic!("expected Service, got {error:?}")
    };
    assert_eq!(service.status, 404);
    assert_eq!(service.request_id.as_deref(), Some("req-404"));
    assert_eq!(
        service.body,
        ApiError {
            code: 404,
            status: "NOT_FOUND".into(),
            message: "it failed".into()
        }
    );
    assert_eq!(service.raw, body.as_bytes());
    assert_eq!(service.message.as_deref(), Some("NOT_FOUND: it failed"));
    assert_eq!(
        error.to_string(),
        "service error: HTTP 404 Not Found: NOT_FOUND: it failed (request id req-404)"
    );
    assert_eq!(server.requests().len(), 1, "404 is never retried");
}

#[tokio::test]
async fn each_documented_error_status_decodes() {
    for (status, name) in [
        (400, "INVALID_ARGUMENT"),
        (401, "UNAUTHENTICATED"),
        (500, "INTERNAL"),
        (503, "UNAVAILABLE"),
    ] {
        let server = Server::replies(vec![Reply::json(
            status,
            &error_body("req-e", status, name),
        )])
        .await;
        let client = Client::builder(&server.base_url())
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let error = describe_image(&client).await.unwrap_err();
        assert!(
            matches!(&error, Error::Service(e) if e.status == status && e.body.status == name && e.body.code == status),
            "{status}: {error:?}"
        );
    }
}

#[tokio::test]
async fn undocumented_status_is_unexpected_with_the_raw_body() {
    let body = error_body("req-418", 418, "TEAPOT");
    let server = Server::replies(vec![Reply::json(418, &body)]).await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::UnexpectedStatus {
        status,
        request_id,
        body: raw,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 418);
    assert_eq!(request_id.as_deref(), Some("req-418"));
    assert_eq!(raw, body.as_bytes());
    assert!(error.to_string().contains("418") && error.to_string().contains("req-418"));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn html_502_is_retried_then_unexpected_with_the_page() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = Server::replies(vec![Reply::status(
        502,
        &[("content-type", "text/html")],
        page,
    )])
    .await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((status.as_u16(), body.as_ref()), (502, page.as_bytes()));
    assert_eq!(server.requests().len(), 3, "default policy: 3 attempts");
}

#[tokio::test]
async fn html_body_on_a_documented_error_status_is_reported_with_status_and_page() {
    let page = "<html>oops</html>";
    let server =
        Server::replies(vec![Reply::status(500, &[("x-request-id", "req-h")], page)]).await;
    let client = Client::builder(&server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    let Error::UnexpectedStatus {
        status,
        body,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((status.as_u16(), body.as_ref()), (500, page.as_bytes()));
    assert_eq!(request_id.as_deref(), Some("req-h"));
    assert_eq!(
        error.to_string(),
        "unexpected HTTP status 500 Internal Server Error (request id req-h); untyped body: <html>oops</html>"
    );
}

#[tokio::test]
async fn truncated_json_is_a_decode_error_naming_where_it_stopped() {
    let body = r#"{"requestId":"req-t","result":{"image":{"imageId":"img"#;
    let server = Server::replies(vec![Reply::json(200, body)]).await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::Decode {
        body: raw,
        source,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(raw, body.as_bytes());
    assert!(source.path.starts_with("result.image"), "{source}");
    assert!(source.message.contains("EOF"), "{source}");
    assert_eq!(
        *request_id, None,
        "the body is not JSON, and there is no header"
    );
    assert_eq!(server.requests().len(), 1, "a complete 200 is not retried");
}

#[tokio::test]
async fn wrong_shape_names_the_field_path() {
    let body =
        r#"{"requestId":"req-w","result":{"image":{"imageId":"i","osType":"linux","size":"big"}}}"#;
    let server = Server::replies(vec![Reply::json(200, body)]).await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::Decode {
        source, request_id, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(source.path, "result.image.size");
    assert_eq!(request_id.as_deref(), Some("req-w"));
    let message = error.to_string();
    assert!(
        message.contains("result.image.size")
            && message.contains("req-w")
            && message.contains("200"),
        "{message}"
    );
}

#[tokio::test]
async fn body_shorter_than_its_content_length_is_incomplete_and_retried() {
    let partial = r#"{"requestId":"req-p","result":"#;
    let head =
        format!("HTTP/1.1 200 OK\r\ncontent-length: 500\r\nx-request-id: req-h\r\n\r\n{partial}");
    let server = Server::replies(vec![Reply::raw(head)]).await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::IncompleteBody {
        status,
        body,
        attempts,
        request_id,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(*status, 200);
    assert_eq!(body, partial.as_bytes());
    assert_eq!(request_id.as_deref(), Some("req-h"));
    assert_eq!(*attempts, 3);
    assert_eq!(server.requests().len(), 3);
    let message = error.to_string();
    assert!(
        message.contains("200") && message.contains("req-h") && message.contains("30 body bytes"),
        "{message}"
    );
}

#[tokio::test]
async fn slow_response_times_out() {
    let server = Server::replies(vec![
        Reply::json(200, &image_body("late")).delayed(Duration::from_secs(3)),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(RetryPolicy::none())
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { attempts: 1 }), "{error:?}");
}

#[tokio::test]
async fn the_timeout_covers_reading_the_body() {
    let body = image_body("late");
    let head = format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\n\r\n", body.len());
    let server = Server::replies(vec![
        Reply::raw(head).then_after(Duration::from_secs(3), body),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_max_attempts(2))
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { attempts: 2 }), "{error:?}");
    assert_eq!(server.requests().len(), 2, "a timed-out GET is retried");
}

#[tokio::test]
async fn retries_503_then_succeeds() {
    let server = Server::replies(vec![
        Reply::json(503, &error_body("req-1", 503, "UNAVAILABLE")),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let response = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-2"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn honours_retry_after_seconds() {
    let server = Server::replies(vec![
        Reply::status(429, &[("retry-after", "1")], "slow down"),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_max_backoff(Duration::from_secs(2)))
        .build()
        .unwrap();
    describe_image(&client).await.unwrap();
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let waited = requests[1].at.duration_since(requests[0].at);
    assert!(
        waited >= Duration::from_millis(950),
        "second attempt after {waited:?}"
    );
}

#[tokio::test]
async fn retry_after_beyond_max_backoff_ends_the_call_with_that_response() {
    // Retrying after `max_backoff` (20 ms) would be sooner than the server asked.
    let server = Server::replies(vec![
        Reply::status(429, &[("retry-after", "3600")], ""),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let error = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap_err();
    let Error::UnexpectedStatus {
        status, headers, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 429);
    assert_eq!(
        headers.get("retry-after").map(|value| value.as_bytes()),
        Some(&b"3600"[..]),
        "the caller can see when to come back"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn post_is_never_retried() {
    let server = Server::replies(vec![Reply::json(
        503,
        &error_body("req-1", 503, "UNAVAILABLE"),
    )])
    .await;
    let request = Request::new(&MODIFY_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i")
        .json_body(&[1]);
    let error = api::client(&server.base_url())
        .execute(request, decode_image)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Service(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn attempts_are_capped_and_the_last_documented_status_decodes() {
    let server = Server::replies(vec![Reply::json(
        503,
        &error_body("req-x", 503, "UNAVAILABLE"),
    )])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_max_attempts(4))
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    let Error::Service(service) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((service.status.as_u16(), service.body.code), (503, 503));
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn the_deadline_bounds_all_attempts() {
    // Each answer takes at least 1 s, so no more than 3 attempts can start within the 2.5 s
    // deadline, however fast the machine; the first answer has 1.5 s of slack to arrive in
    // time for a second attempt, however slow.
    let slow_503 =
        Reply::json(503, &error_body("req-d", 503, "UNAVAILABLE")).delayed(Duration::from_secs(1));
    let server = Server::replies(vec![slow_503]).await;
    let client = Client::builder(&server.base_url())
        .retry(
            api::fast_retry()
                .with_max_attempts(50)
                .with_deadline(Some(Duration::from_millis(2500))),
        )
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    assert!(
        matches!(&error, Error::Timeout { .. })
            || matches!(&error, Error::Service(e) if e.status == 503),
        "{error:?}"
    );
    let attempts = server.requests().len();
    assert!((2..=3).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn connection_refused_is_a_connection_error_after_retries() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(&base_url)
        .retry(api::fast_retry().with_max_attempts(2))
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 2, .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("refused"),
        "the root cause is named: {error}"
    );
    assert!(
        !error.to_string().contains("127.0.0.1"),
        "the URL is left out: {error}"
    );
}

#[tokio::test]
async fn connection_closed_without_an_answer_is_retried() {
    let server =
        Server::replies(vec![Reply::close(), Reply::json(200, &image_body("req-2"))]).await;
    let response = describe_image(&api::client(&server.base_url()))
        .await
        .unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-2"));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn connection_closed_without_an_answer_fails_a_post_at_once() {
    let server = Server::replies(vec![Reply::close()]).await;
    let request = Request::new(&MODIFY_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i");
    let error = api::client(&server.base_url())
        .execute(request, decode_image)
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 1, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

/// `Duration::MAX` means "no limit" wherever the caller gives a duration: the deadline and the
/// per-attempt timeout are dropped rather than overflowing the clock.
#[tokio::test]
async fn durations_too_long_for_the_clock_mean_no_limit() {
    let server = Server::replies(vec![
        Reply::json(503, &error_body("req-1", 503, "UNAVAILABLE")),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_deadline(Some(Duration::MAX)))
        .timeout(Duration::MAX)
        .build()
        .unwrap();
    let response = describe_image(&client).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-2"));
    assert_eq!(server.requests().len(), 2);
}

/// A `Retry-After` too long for the clock, allowed by the backoff limit, is past any deadline:
/// the call ends with that response instead of overflowing the clock.
#[tokio::test]
async fn a_retry_after_too_long_for_the_clock_is_past_the_deadline() {
    let server = Server::replies(vec![
        Reply::status(429, &[("retry-after", "18446744073709551615")], ""),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_max_backoff(Duration::MAX))
        .build()
        .unwrap();
    let error = describe_image(&client).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429), "{error:?}");
    assert_eq!(server.requests().len(), 1);
}
