//! Retries absorb transient failures: each attempt is signed afresh, other 4xx are final.

use std::time::{Duration, Instant};

use sdkgen_runtime::Error;
use serde_json::json;

use super::server::{Reply, TestServer};
use super::{client, client_with, fast_retries};

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
