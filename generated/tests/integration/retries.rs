//! Retries absorb transient failures: each attempt is signed afresh, other 4xx are final, and
//! a DELETE that may have reached the server is never repeated.

use std::time::{Duration, Instant};

use sdkgen_runtime::Error;
use serde_json::json;

use super::server::{Reply, TestServer};
use super::{client, client_with, fast_retries, verify};

fn ok_body() -> serde_json::Value {
    json!({"requestId": "req-ok", "result": {"image": {"imageId": "img-1"}}})
}

fn unavailable() -> Reply {
    Reply::json(
        503,
        &json!({"requestId": "req-503", "error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}}),
    )
}

#[tokio::test]
async fn a_503_then_200_is_absorbed_and_each_attempt_is_signed_afresh() {
    let server = TestServer::start(|_, index| {
        if index == 0 {
            unavailable()
        } else {
            Reply::json(200, &ok_body())
        }
    })
    .await;

    let response = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap();

    assert_eq!(response.request_id.as_deref(), Some("req-ok"));
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    server.assert_all_signed();
    let nonces: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-jdcloud-nonce").unwrap())
        .collect();
    assert_ne!(nonces[0], nonces[1], "a retry must carry a fresh nonce");
    assert_ne!(
        requests[0].header("authorization"),
        requests[1].header("authorization")
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_honoured() {
    let server = TestServer::start(|_, index| {
        if index == 0 {
            Reply::json(429, &json!({"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down"}}))
                .with_header("Retry-After", "1")
        } else {
            Reply::json(200, &ok_body())
        }
    })
    .await;

    let started = Instant::now();
    client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap();

    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(server.requests().len(), 2);
    server.assert_all_signed();
}

#[tokio::test]
async fn persistent_503_gives_up_after_the_attempt_limit() {
    let server = TestServer::start(|_, _| unavailable()).await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    assert!(
        matches!(&error, Error::Service(service) if service.status.as_u16() == 503),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_404_is_never_retried() {
    let server = TestServer::start(|_, _| {
        Reply::json(
            404,
            &json!({"error": {"code": 404, "status": "NOT_FOUND", "message": "no"}}),
        )
    })
    .await;

    let error = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap_err();

    assert_eq!(error.status().map(|status| status.as_u16()), Some(404));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_timed_out_attempt_is_retried() {
    // The first answer would take 30 s; the 2 s timeout leaves the second one ample time.
    let server = TestServer::start(|_, index| {
        let ok = Reply::json(200, &ok_body());
        if index == 0 {
            Reply::Delayed(Duration::from_secs(30), Box::new(ok))
        } else {
            ok
        }
    })
    .await;
    let client = client_with(&server, fast_retries(), Duration::from_secs(2));

    let response = client.describe_image("cn-north-1", "img-1").await.unwrap();

    assert_eq!(response.request_id.as_deref(), Some("req-ok"));
    assert_eq!(server.requests().len(), 2);
}

/// The gateway's clock is an hour ahead of ours and it refuses signatures more than five
/// minutes from it, saying so with 401 and its `Date`.
#[tokio::test]
async fn a_clock_an_hour_behind_is_corrected_and_requests_signed_with_the_servers_time() {
    use std::time::SystemTime;

    use jdcloud_vm::signing::SigningDate;

    let skew = Duration::from_secs(3600);
    let tolerance = Duration::from_secs(300);
    let server = TestServer::start(move |request, _| {
        let server_now = SystemTime::now() + skew;
        let earliest = SigningDate::at(server_now - tolerance);
        let latest = SigningDate::at(server_now + tolerance);
        // Same fixed-width format: text order is time order.
        let signed = request.header("x-jdcloud-date").unwrap_or_default();
        if (earliest.as_str()..=latest.as_str()).contains(&signed) {
            Reply::json(200, &ok_body())
        } else {
            let error = json!({"requestId": "req-401", "error": {"code": 401, "status": "UNAUTHENTICATED", "message": "request expired"}});
            Reply::json(401, &error).with_header("Date", &httpdate::fmt_http_date(server_now))
        }
    })
    .await;
    let client = client(&server);

    let response = client.describe_image("cn-north-1", "img-1").await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("req-ok"));
    assert_eq!(
        server.requests().len(),
        2,
        "rejected once, re-signed, accepted"
    );
    client.describe_image("cn-north-1", "img-1").await.unwrap();
    assert_eq!(
        server.requests().len(),
        3,
        "later calls use the learned offset"
    );
    server.assert_all_signed();
}

/// The first DELETE may have deleted the image before its answer was lost; a second one would
/// answer 404 and turn that success into an error, so the timeout is the caller's to judge.
#[tokio::test]
async fn a_delete_that_times_out_is_sent_exactly_once() {
    let server = TestServer::start(|_, _| {
        let ok = Reply::json(200, &json!({"requestId": "req-ok", "result": {}}));
        Reply::Delayed(Duration::from_millis(500), Box::new(ok))
    })
    .await;
    let client = client_with(&server, fast_retries(), Duration::from_millis(100));

    let error = client
        .delete_image("cn-north-1", "img-1")
        .await
        .expect_err("times out");

    assert!(matches!(error, Error::Timeout { attempts: 1 }), "{error}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "not retried");
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path()),
        ("DELETE", "/v1/regions/cn-north-1/images/img-1")
    );
}

/// A refused connection sent nothing, so even a DELETE is safely retried.
#[tokio::test]
async fn a_delete_whose_connection_is_refused_is_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = jdcloud_vm::Client::builder()
        .credentials(jdcloud_vm::Credentials::new(
            verify::ACCESS_KEY,
            verify::SECRET_KEY,
        ))
        .endpoint(origin)
        .retry(fast_retries())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();

    let error = client
        .delete_image("cn-north-1", "img-1")
        .await
        .expect_err("nothing listens");

    assert!(
        matches!(error, Error::Connection { attempts: 3, .. }),
        "{error:?}"
    );
}
