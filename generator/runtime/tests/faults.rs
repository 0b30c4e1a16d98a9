//! Every way a server can misbehave ends in an error that names what happened, within the
//! time and memory limits: an endless body, a slow drip, an HTML 503 on a documented status,
//! a reset connection, a skewed server clock, an exhausted retry budget. Each test is bounded
//! in time by `bounded`, so a regression fails instead of hanging.

mod support;

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::StreamExt;
use sdkgen_runtime::{
    AuthContext, AuthFuture, AuthRequest, Authenticator, BodyError, Client, DEFAULT_MAX_BODY_SIZE,
    Error, Request, RetryBudget, RetryPolicy, StatusCode, ready_auth,
};
use support::api::{self, DESCRIBE_IMAGE, MODIFY_IMAGE, decode_image, error_body, image_body};
use support::{Reply, Server};
use tokio::sync::Notify;

/// Fails the test if `test` takes longer than 20 s.
async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the call must end within its limits")
}

fn describe() -> Request {
    Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i")
}

fn modify() -> Request {
    Request::new(&MODIFY_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i")
        .json_body(&[1])
}

#[tokio::test]
async fn an_endless_body_stops_at_the_size_limit() {
    let server = Server::replies(vec![Reply::endless()]).await;
    let client = Client::builder(&server.base_url()).build().unwrap();
    let error = bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    let Error::BodyTooLarge { status, limit, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!((*status, *limit), (StatusCode::OK, DEFAULT_MAX_BODY_SIZE));
    assert!(error.to_string().contains("10485760-byte limit"), "{error}");
    assert_eq!(
        server.requests().len(),
        1,
        "a body too large is not retried"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_limit_is_refused_before_reading() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 5000\r\n\r\n";
    let server = Server::replies(vec![Reply::raw(head)]).await;
    let client = Client::builder(&server.base_url())
        .max_body_size(4096)
        .build()
        .unwrap();
    let error = bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 4096, .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_drip_body_ends_at_the_deadline() {
    // A 60-byte body, one byte every 50 ms: complete after 3 s, well within the 10 s
    // per-attempt timeout. Only the 1 s overall deadline, applied to the body too, ends it
    // (with no deadline the call would get the whole body and fail to decode it).
    let mut reply = Reply::raw("HTTP/1.1 200 OK\r\ncontent-length: 60\r\n\r\n");
    for _ in 0..60 {
        reply = reply.then_after(Duration::from_millis(50), "x");
    }
    let server = Server::replies(vec![reply]).await;
    let client = Client::builder(&server.base_url())
        .timeout(Duration::from_secs(10))
        .retry(api::fast_retry().with_deadline(Some(Duration::from_secs(1))))
        .build()
        .unwrap();
    let error = bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1 }),
        "the deadline leaves no time for a retry: {error:?}"
    );
}

#[tokio::test]
async fn html_503_on_a_documented_status_is_retried_then_reported_with_its_page() {
    let page = "<html><body><h1>503 Service Temporarily Unavailable</h1><hr>nginx</body></html>";
    let reply = Reply::status(503, &[("content-type", "text/html")], page);
    let server = Server::replies(vec![reply]).await;
    let error = bounded(api::client(&server.base_url()).execute(describe(), decode_image))
        .await
        .unwrap_err();
    let Error::UnexpectedStatus { status, body, .. } = &error else {
        panic!("not a decode error: {error:?}")
    };
    assert_eq!((status.as_u16(), body.as_ref()), (503, page.as_bytes()));
    assert_eq!(
        error.to_string(),
        "unexpected HTTP status 503 Service Unavailable; text/html body: 503 Service Temporarily Unavailable nginx"
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn a_reset_connection_is_retried_for_a_get_and_not_for_a_post() {
    let server = Server::replies(vec![Reply::reset()]).await;
    let client = api::client(&server.base_url());
    let error = bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 3, .. }),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 3);

    let error = bounded(client.execute(modify(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 1, .. }),
        "the POST may have arrived: {error:?}"
    );
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn a_post_that_never_left_is_retried() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let error = bounded(api::client(&base_url).execute(modify(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Connection { attempts: 3, .. }),
        "connection refused: nothing was sent, so retrying is safe: {error:?}"
    );
}

#[tokio::test]
async fn a_post_marked_idempotent_is_retried_after_an_answer() {
    let unavailable = Reply::json(503, &error_body("r", 503, "UNAVAILABLE"));
    let server = Server::replies(vec![unavailable, Reply::json(200, &image_body("ok"))]).await;
    let request = modify().idempotent(true);
    bounded(api::client(&server.base_url()).execute(request, decode_image))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn configured_statuses_are_retried_and_others_not() {
    let conflict = Reply::json(409, "{}");
    let server = Server::replies(vec![conflict, Reply::json(200, &image_body("ok"))]).await;
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_retryable_statuses([StatusCode::CONFLICT]))
        .build()
        .unwrap();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn the_retry_budget_runs_out_and_successes_refill_it() {
    let unavailable = Reply::json(503, &error_body("r", 503, "UNAVAILABLE"));
    let failing = Arc::new(AtomicU32::new(1));
    let switch = failing.clone();
    let server = Server::start(move |_, _| {
        if switch.load(Ordering::SeqCst) == 1 {
            unavailable.clone()
        } else {
            Reply::json(200, &image_body("ok"))
        }
    })
    .await;
    // Retries cost 5 tokens, a first-time success gives 1 back.
    let budget = RetryBudget::with_capacity(12);
    let client = Client::builder(&server.base_url())
        .retry(api::fast_retry().with_budget(Some(budget)))
        .build()
        .unwrap();
    let calls = |n: usize| server.requests().len() - n;
    let before = server.requests().len();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert_eq!(calls(before), 3, "two retries paid: 2 tokens left");
    let before = server.requests().len();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert_eq!(calls(before), 1, "the budget cannot pay for a retry");

    failing.store(0, Ordering::SeqCst);
    for _ in 0..3 {
        bounded(client.execute(describe(), decode_image))
            .await
            .unwrap();
    }
    failing.store(1, Ordering::SeqCst);
    let before = server.requests().len();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert_eq!(calls(before), 2, "three successes refunded one retry");
}

/// Stamps the time the runtime gives it, as a signer would sign it.
#[derive(Debug)]
struct StampsTime;

impl Authenticator for StampsTime {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        let seconds = unix_seconds(context.time);
        request.headers_mut().insert("x-signed-at", seconds.into());
        ready_auth(Ok(()))
    }
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).unwrap().as_secs()
}

/// Whether `request` was signed (by [`StampsTime`]) within 5 minutes of `server_now`.
fn signed_near(request: &support::Recorded, server_now: SystemTime) -> bool {
    let signed: u64 = request
        .header("x-signed-at")
        .and_then(|value| value.parse().ok())
        .unwrap_or(0);
    signed.abs_diff(unix_seconds(server_now)) < 300
}

/// A 401 from a server whose clock reads `server_now`.
fn unauthenticated_at(server_now: SystemTime) -> Reply {
    let date = httpdate::fmt_http_date(server_now);
    Reply::status(
        401,
        &[("date", &date)],
        &error_body("r", 401, "UNAUTHENTICATED"),
    )
}

#[tokio::test]
async fn a_skewed_server_clock_is_learned_and_the_request_resigned_once() {
    // The server's clock is an hour ahead; it accepts signatures within 5 minutes of it.
    let skew = Duration::from_secs(3600);
    let server = Server::start(move |_, request| {
        let server_now = SystemTime::now() + skew;
        if signed_near(request, server_now) {
            Reply::json(200, &image_body("ok"))
        } else {
            unauthenticated_at(server_now)
        }
    })
    .await;
    let client = Client::builder(&server.base_url())
        .auth(StampsTime)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(
        server.requests().len(),
        2,
        "rejected, then re-signed and accepted"
    );
    // Later calls (and clones) sign with the learned offset from the start.
    bounded(client.clone().execute(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn concurrent_calls_rejected_for_skew_are_all_resigned() {
    // Two calls signed with the uncorrected clock are both rejected. The second rejection is
    // held back until the first call's re-signed attempt arrives, so by the time the second
    // call sees its 401 the client has already learned the offset: it must still re-sign,
    // because its own attempt was signed without it.
    let skew = Duration::from_secs(3600);
    let first_resent = Arc::new(Notify::new());
    let signal = first_resent.clone();
    let rejected = Arc::new(AtomicU32::new(0));
    let server = Server::start(move |_, request| {
        let server_now = SystemTime::now() + skew;
        if signed_near(request, server_now) {
            signal.notify_one();
            return Reply::json(200, &image_body("ok"));
        }
        let reply = unauthenticated_at(server_now);
        if rejected.fetch_add(1, Ordering::SeqCst) == 0 {
            reply
        } else {
            reply.held_until(signal.clone())
        }
    })
    .await;
    let client = Client::builder(&server.base_url())
        .auth(StampsTime)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let (first, second) = bounded(async {
        tokio::join!(
            client.execute(describe(), decode_image),
            client.execute(describe(), decode_image)
        )
    })
    .await;
    first.unwrap();
    second.unwrap();
    let requests = server.requests();
    let accepted = requests
        .iter()
        .filter(|request| signed_near(request, SystemTime::now() + skew))
        .count();
    assert_eq!(
        (requests.len(), accepted),
        (4, 2),
        "each call rejected once, then re-signed"
    );
}

#[tokio::test]
async fn a_retry_after_date_is_read_on_the_learned_clock() {
    // The server's clock is an hour ahead. Once the client has learned that, a
    // `Retry-After` one second into the server's future is a one-second wait, not an hour's
    // (which would exceed the backoff cap and end the call with the 503).
    let skew = Duration::from_secs(3600);
    let accepted = Arc::new(AtomicU32::new(0));
    let server = Server::start(move |_, request| {
        let server_now = SystemTime::now() + skew;
        if !signed_near(request, server_now) {
            return unauthenticated_at(server_now);
        }
        if accepted.fetch_add(1, Ordering::SeqCst) == 1 {
            let retry_at = httpdate::fmt_http_date(server_now + Duration::from_secs(1));
            let body = error_body("r", 503, "UNAVAILABLE");
            return Reply::status(503, &[("retry-after", &retry_at)], &body);
        }
        Reply::json(200, &image_body("ok"))
    })
    .await;
    let client = Client::builder(&server.base_url())
        .auth(StampsTime)
        .retry(RetryPolicy::default().with_max_backoff(Duration::from_secs(5)))
        .build()
        .unwrap();
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 2, "the offset is learned");
    bounded(client.execute(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(
        server.requests().len(),
        4,
        "503, then retried after its date"
    );
}

#[tokio::test]
async fn a_rejection_without_skew_is_not_retried() {
    let date = httpdate::fmt_http_date(SystemTime::now());
    let reply = Reply::status(
        401,
        &[("date", &date)],
        &error_body("r", 401, "UNAUTHENTICATED"),
    );
    let server = Server::replies(vec![reply]).await;
    let client = Client::builder(&server.base_url())
        .auth(StampsTime)
        .build()
        .unwrap();
    let error = bounded(client.execute(describe(), decode_image))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Service(e) if e.status == 401),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_streamed_body_is_not_limited_and_not_buffered() {
    // The server sends one small chunk and sends the rest only once the test has received
    // that chunk through the stream: a client that buffered the body before handing it
    // over would wait for the rest and time out.
    let first_received = Arc::new(Notify::new());
    let reply = Reply::endless()
        .then_after(Duration::ZERO, support::chunk(b"first"))
        .then_when(first_received.clone(), support::chunk(b"second"));
    let server = Server::replies(vec![reply]).await;
    let client = Client::builder(&server.base_url())
        .max_body_size(1024)
        .timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let response = bounded(client.execute_streaming(describe(), decode_image))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    let mut body = response.body;
    assert_eq!(&bounded(body.next()).await.unwrap().unwrap()[..], b"first");
    first_received.notify_one();
    assert_eq!(&bounded(body.next()).await.unwrap().unwrap()[..], b"second");
    // Far past both the client's 1 KiB limit and the default 10 MiB one.
    let mut read = 0;
    while read < 20 * 1024 * 1024 {
        read += bounded(body.next()).await.unwrap().unwrap().len();
    }
}

#[tokio::test]
async fn a_stalled_stream_ends_with_an_error() {
    let head = "HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n";
    let server = Server::replies(vec![
        Reply::raw(head)
            .then_after(Duration::ZERO, "abc")
            .then_after(Duration::from_secs(5), "defghij"),
    ])
    .await;
    let client = Client::builder(&server.base_url())
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut body = bounded(client.execute_streaming(describe(), decode_image))
        .await
        .unwrap()
        .body;
    assert_eq!(&bounded(body.next()).await.unwrap().unwrap()[..], b"abc");
    let error = bounded(body.next()).await.unwrap().unwrap_err();
    assert!(
        matches!(error, BodyError::Stalled { received: 3, .. }),
        "{error:?}"
    );
    assert!(bounded(body.next()).await.is_none());
}

#[tokio::test]
async fn a_streamed_call_reports_error_statuses_like_any_call() {
    let server = Server::replies(vec![Reply::json(
        404,
        &error_body("r-404", 404, "NOT_FOUND"),
    )])
    .await;
    let error =
        bounded(api::client(&server.base_url()).execute_streaming(describe(), decode_image))
            .await
            .unwrap_err();
    assert!(
        matches!(&error, Error::Service(e) if e.status == 404),
        "{error:?}"
    );
}
