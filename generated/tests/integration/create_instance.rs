//! The `create_instance` flow against the signature-checking local server: a create retried
//! after a 503 with the same generated clientToken and a fresh nonce, then the
//! `instanceRunning` waiter until the instance runs; and a POST without a token that is not
//! retried after a timeout.

use std::time::Duration;

use jdcloud_vm::Error;
use jdcloud_vm::models::{CreateInstancesRequest, InstanceSpec};
use jdcloud_vm::runtime::{State, WaitError, WaitOptions};
use serde_json::{Value, json};

use super::server::{Reply, TestServer};

const FAST: WaitOptions = WaitOptions {
    interval: Duration::from_millis(5),
    max_wait: Duration::from_secs(5),
};

fn ok(result: Value) -> Reply {
    Reply::json(200, &json!({"requestId": "req-ok", "result": result}))
}

fn instance(status: &str) -> Reply {
    ok(json!({"instance": {"instanceId": "i-1", "status": status, "privateIpAddress": "10.0.0.7"}}))
}

fn spec() -> InstanceSpec {
    serde_json::from_value(json!({"name": "web-1", "az": "cn-north-1a", "imageId": "img-1"}))
        .expect("a spec")
}

#[tokio::test]
async fn create_retries_with_the_same_token_then_waits_until_running() {
    let server = TestServer::start(|_, index| match index {
        0 => Reply::json(503, &json!({"requestId": "req-503", "error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}})),
        1 => ok(json!({"instanceIds": ["i-1"]})),
        2 => instance("pending"),
        3 => instance("starting"),
        _ => instance("running"),
    })
    .await;
    let client = super::client(&server);
    let body = CreateInstancesRequest {
        instance_spec: spec(),
        max_count: None,
        client_token: None,
    };
    let created = client
        .create_instances("cn-north-1", body)
        .await
        .expect("retried after the 503");
    assert_eq!(
        created.instance_ids.as_deref(),
        Some(&["i-1".to_owned()][..])
    );
    let running = client
        .describe_instance("cn-north-1", "i-1")
        .wait_until_instance_running_with(FAST)
        .await
        .expect("running");
    let ip = running
        .instance
        .as_ref()
        .and_then(|i| i.private_ip_address.as_deref());
    assert_eq!(ip, Some("10.0.0.7"));

    let requests = server.requests();
    assert_eq!(requests.len(), 5);
    let (first, second) = (&requests[0], &requests[1]);
    assert_eq!(
        (first.method.as_str(), first.path()),
        ("POST", "/v1/regions/cn-north-1/instances")
    );
    assert_eq!(first.body, second.body, "the retry sends the same body");
    let token: Value = serde_json::from_slice(&first.body).expect("JSON");
    let token = token["clientToken"]
        .as_str()
        .expect("a generated clientToken");
    assert_eq!(
        uuid::Uuid::parse_str(token).map(|u| u.get_version_num()),
        Ok(4)
    );
    assert_ne!(
        first.header("x-jdcloud-nonce"),
        second.header("x-jdcloud-nonce"),
        "a retry is signed afresh"
    );
    assert!(
        requests[2..]
            .iter()
            .all(|r| r.path() == "/v1/regions/cn-north-1/instances/i-1")
    );
    server.assert_all_signed();
}

#[tokio::test]
async fn a_waiter_fails_on_error_and_gives_up_with_the_last_state() {
    let server = TestServer::start(|_, index| match index {
        0 => instance("pending"),
        _ => instance("error"),
    })
    .await;
    let client = super::client(&server);
    let error = client
        .describe_instance("cn-north-1", "i-1")
        .wait_until_instance_running_with(FAST)
        .await
        .expect_err("error is a failure state");
    assert_eq!(
        error.to_string(),
        "waiter `instanceRunning`: `instance.status` is `error`, a failure state (request id req-ok)"
    );

    let server = TestServer::start(|_, _| instance("starting")).await;
    let client = super::client(&server);
    let options = WaitOptions {
        interval: Duration::from_millis(10),
        max_wait: Duration::from_millis(60),
    };
    match client
        .describe_instance("cn-north-1", "i-1")
        .wait_until_instance_running_with(options)
        .await
    {
        Err(WaitError::TimedOut {
            last_state, polls, ..
        }) => {
            assert_eq!(last_state, Some(State::Value("starting".to_owned())));
            assert_eq!(polls as usize, server.requests().len());
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_post_without_a_token_is_not_retried_after_a_timeout() {
    let server = TestServer::start(|_, _| {
        Reply::Delayed(Duration::from_millis(500), Box::new(ok(json!({}))))
    })
    .await;
    let client = super::client_with(&server, super::fast_retries(), Duration::from_millis(100));
    let error = client
        .stop_instance("cn-north-1", "i-1")
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout { attempts: 1 }), "{error}");
    assert_eq!(server.requests().len(), 1, "not retried");
    assert_eq!(server.requests()[0].body, b"{}");
}
