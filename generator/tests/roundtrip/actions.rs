//! End to end through the `actions` fixture's generated client, against a local HTTP server:
//! arrays of objects in the indexed query style, action paths, JSON bodies (`{}` when unset),
//! idempotency tokens kept across retries, no retry of a POST without one, and waiters.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::Duration;

use fixture_actions::models::{
    CreateMachinesRequest, CreateMachinesRequestSpec, Filter, TagFilter,
};
use fixture_actions::operations::StopMachineRequest;
use fixture_actions::{BASE_URL, Client};
use sdkgen_runtime::{Error, RetryPolicy, State, WaitError, WaitOptions};
use serde_json::{Value, json};

/// One request as the server read it.
#[derive(Debug)]
struct Seen {
    method: String,
    path: String,
    /// `key=value` pairs, still percent-encoded, in the order sent.
    query: Vec<String>,
    body: Vec<u8>,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// Serves `replies` (status, JSON body) in order, one connection each, then the last one
/// forever; returns a client for it (retries as `retry` says) and the requests seen.
fn serve(replies: Vec<(u16, Value)>, retry: RetryPolicy) -> (Client, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let origin = format!("http://{}", listener.local_addr().expect("has an address"));
    let (seen, received) = mpsc::channel();
    std::thread::spawn(move || {
        for (index, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { return };
            let (status, body) = &replies[index.min(replies.len() - 1)];
            let request = read_request(&mut BufReader::new(&mut stream));
            if seen.send(request).is_err() {
                return;
            }
            let body = body.to_string();
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    let base = BASE_URL.replace("https://api.example.com", &origin);
    let runtime = sdkgen_runtime::Client::builder(&base)
        .retry(retry)
        .build()
        .expect("a valid client");
    (Client::from_runtime(runtime), received)
}

fn read_request(reader: &mut impl BufRead) -> Seen {
    let raw = support::read_request(reader);
    let (path, query) = raw.target.split_once('?').unwrap_or((&raw.target, ""));
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(str::to_owned)
        .collect();
    Seen {
        method: raw.method,
        path: path.to_owned(),
        query,
        body: raw.body,
    }
}

fn retrying() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(2))
}

fn ok(result: Value) -> (u16, Value) {
    (200, json!({"requestId": "req-1", "result": result}))
}

fn unavailable() -> (u16, Value) {
    (
        503,
        json!({"requestId": "req-503", "error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}}),
    )
}

#[tokio::test]
async fn arrays_of_objects_go_indexed_from_one_and_encoded() {
    let (client, seen) = serve(vec![ok(json!({"machines": []}))], RetryPolicy::none());
    let filters = vec![
        Filter {
            name: "machineId".into(),
            operator: Some("in".into()),
            values: vec!["m-1".into(), "a&b=c?d".into()],
        },
        Filter {
            name: "az".into(),
            operator: None,
            values: vec!["cn north".into()],
        },
    ];
    let tags = vec![TagFilter {
        key: "env/é".into(),
        values: Some(vec!["prod".into()]),
    }];
    client
        .describe_machines("cn-north-1")
        .filters(filters)
        .tags(tags)
        .ids(vec!["i-1".into(), "i-2".into()])
        .detailed(false)
        .await
        .expect("200 is a success");
    let request = seen.recv().expect("one request");
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v1/regions/cn-north-1/machines");
    assert_eq!(
        request.query,
        [
            "filters.1.name=machineId",
            "filters.1.operator=in",
            "filters.1.values.1=m-1",
            "filters.1.values.2=a%26b%3Dc%3Fd",
            "filters.2.name=az",
            "filters.2.values.1=cn%20north",
            "tags.1.key=env%2F%C3%A9",
            "tags.1.values.1=prod",
            "ids.1=i-1",
            "ids.2=i-2",
            "detailed=false",
        ]
    );
}

#[tokio::test]
async fn an_action_path_keeps_its_colon_and_an_unset_body_is_empty_json() {
    let (client, seen) = serve(vec![ok(json!({}))], RetryPolicy::none());
    client
        .stop_machine("cn-north-1", "m 1/x")
        .await
        .expect("200 is a success");
    let request = seen.recv().expect("one request");
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.path,
        "/v1/regions/cn-north-1/machines/m%201%2Fx:stop"
    );
    assert_eq!(request.body, b"{}");

    let (client, seen) = serve(vec![ok(json!({}))], RetryPolicy::none());
    client
        .stop_machine("r", "m")
        .body(StopMachineRequest { force: Some(true) })
        .await
        .expect("200 is a success");
    assert_eq!(
        seen.recv().expect("one request").json(),
        json!({"force": true})
    );
}

#[tokio::test]
async fn a_create_is_retried_with_the_same_fresh_token() {
    let created = ok(json!({"machineIds": ["m-1"]}));
    let (client, seen) = serve(vec![unavailable(), created], retrying());
    let body = CreateMachinesRequest {
        spec: CreateMachinesRequestSpec {
            name: Some("web".into()),
            ..Default::default()
        },
        max_count: None,
        client_token: None,
    };
    let response = client
        .create_machines("cn-north-1", body.clone())
        .await
        .expect("retried after the 503");
    assert_eq!(response.machine_ids, Some(vec!["m-1".to_owned()]));
    let (first, second) = (seen.recv().expect("first"), seen.recv().expect("second"));
    assert_eq!(first.body, second.body, "a retry sends the same body");
    let sent = first.json();
    let token = sent["clientToken"].as_str().expect("a token was generated");
    assert_eq!(token.len(), 36);
    assert_eq!(token.as_bytes()[14], b'4', "a UUID v4: {token}");
    assert_eq!(sent, json!({"spec": {"name": "web"}, "clientToken": token}));

    // Another call gets another token; a token the caller sets is kept.
    let (client, seen) = serve(vec![created_again()], RetryPolicy::none());
    client
        .create_machines("cn-north-1", body.clone())
        .await
        .expect("200");
    let other = seen.recv().expect("one request").json();
    assert_ne!(other["clientToken"], sent["clientToken"]);
    let (client, seen) = serve(vec![created_again()], RetryPolicy::none());
    let mine = CreateMachinesRequest {
        client_token: Some("mine".into()),
        ..body
    };
    client
        .create_machines("cn-north-1", mine)
        .await
        .expect("200");
    assert_eq!(
        seen.recv().expect("one request").json()["clientToken"],
        "mine"
    );
}

fn created_again() -> (u16, Value) {
    ok(json!({"machineIds": ["m-2"]}))
}

#[tokio::test]
async fn a_post_without_a_token_is_not_retried_once_it_reached_the_server() {
    let (client, seen) = serve(vec![unavailable(), ok(json!({}))], retrying());
    let error = client
        .stop_machine("r", "m")
        .await
        .expect_err("the 503 is final");
    assert!(matches!(error, Error::Service(_)), "{error}");
    assert_eq!(
        error.to_string(),
        "service error: HTTP 503 Service Unavailable: UNAVAILABLE: busy (request id req-503)"
    );
    seen.recv().expect("one request");
    assert!(
        seen.recv_timeout(Duration::from_millis(50)).is_err(),
        "not retried"
    );
}

fn machine(status: &str) -> (u16, Value) {
    ok(json!({"machine": {"machineId": "m-1", "status": status, "privateIp": "10.0.0.5"}}))
}

const FAST: WaitOptions = WaitOptions {
    interval: Duration::from_millis(1),
    max_wait: Duration::from_millis(200),
};

#[tokio::test]
async fn a_waiter_polls_until_the_success_state() {
    let replies = vec![
        ok(json!({})),
        machine("pending"),
        unavailable(),
        machine("running"),
    ];
    let (client, seen) = serve(replies, retrying());
    let response = client
        .describe_machine("r", "m-1")
        .wait_until_machine_running_with(FAST)
        .await
        .expect("running in the end");
    let machine = response.machine.as_ref().expect("a machine");
    assert_eq!(machine.private_ip.as_deref(), Some("10.0.0.5"));
    // The 503 was retried by the client's policy within the third poll.
    assert_eq!(seen.try_iter().count(), 4);
}

#[tokio::test]
async fn a_waiter_fails_on_a_failure_state_and_times_out_with_the_last_state() {
    let (client, _seen) = serve(
        vec![machine("starting"), machine("error")],
        RetryPolicy::none(),
    );
    let error = client
        .describe_machine("r", "m-1")
        .wait_until_machine_running_with(FAST)
        .await
        .expect_err("error is a failure state");
    assert!(
        matches!(&error, WaitError::Failed { state, .. } if state == "error"),
        "{error}"
    );

    let (client, seen) = serve(
        vec![machine("pending"), machine("starting")],
        RetryPolicy::none(),
    );
    let options = WaitOptions {
        interval: Duration::from_millis(5),
        max_wait: Duration::from_millis(30),
    };
    let error = client
        .describe_machine("r", "m-1")
        .wait_until_machine_running_with(options)
        .await
        .expect_err("never running");
    match error {
        WaitError::TimedOut {
            last_state, polls, ..
        } => {
            assert_eq!(last_state, Some(State::Value("starting".to_owned())));
            assert_eq!(polls as usize, seen.try_iter().count());
        }
        other => panic!("expected a timeout, got {other}"),
    }
}

fn machines(statuses: &[&str]) -> (u16, Value) {
    let machines: Vec<Value> = statuses
        .iter()
        .map(|status| json!({"machineId": "m-1", "status": status}))
        .collect();
    ok(json!({ "machines": machines }))
}

#[tokio::test]
async fn a_waiter_through_an_array_needs_every_element_and_fails_on_any() {
    let (client, seen) = serve(
        vec![
            machines(&[]),
            machines(&["running", "starting"]),
            machines(&["running", "running"]),
        ],
        RetryPolicy::none(),
    );
    let response = client
        .describe_machines("r")
        .wait_until_machines_running_with(FAST)
        .await
        .expect("every machine runs in the end");
    assert_eq!(response.machines.as_ref().map(Vec::len), Some(2));
    assert_eq!(seen.try_iter().count(), 3);

    let (client, _seen) = serve(vec![machines(&["running", "error"])], RetryPolicy::none());
    let error = client
        .describe_machines("r")
        .wait_until_machines_running_with(FAST)
        .await
        .expect_err("a machine failed");
    assert!(
        matches!(&error, WaitError::Failed { state, element: Some(1), .. } if state == "error"),
        "{error}"
    );
}

#[tokio::test]
async fn a_waiter_stops_when_a_poll_fails() {
    let (client, _seen) = serve(
        vec![(
            404,
            json!({"requestId": "r-404", "error": {"code": 404, "message": "no such machine"}}),
        )],
        RetryPolicy::none(),
    );
    let error = client
        .describe_machine("r", "m-1")
        .wait_until_machine_gone()
        .await
        .expect_err("404 ends the wait");
    assert!(
        matches!(
            error,
            WaitError::Poll {
                error: Error::Service(_),
                ..
            }
        ),
        "{error}"
    );
}
