//! Bodies beyond JSON on a loopback server: a form and a multipart body as they reach the
//! wire, JSON Lines items streamed, and a line that never ends stopped at the size limit.

mod support;

use std::future::Future;
use std::time::Duration;

use futures_util::StreamExt;
use sdkgen_runtime::{
    Client, DecodeError, LineError, Method, Multipart, Operation, Outcome, RawResponse, Request,
};
use support::{Reply, Server};

static EVENTS: Operation = Operation {
    id: "streamEvents",
    method: Method::Get,
    path: "/events",
    security: &[],
    envelope: None,
    request_id_header: None,
};

static UPLOAD: Operation = Operation {
    id: "upload",
    method: Method::Post,
    path: "/uploads",
    ..EVENTS
};

#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
struct Event {
    id: u32,
}

fn decode_events(raw: &mut RawResponse) -> Result<Outcome<Vec<Event>, ()>, DecodeError> {
    match raw.status().as_u16() {
        200 => raw.json_lines().map(Outcome::Success),
        _ => Ok(Outcome::Unexpected),
    }
}

fn decode_nothing(raw: &mut RawResponse) -> Result<Outcome<(), ()>, DecodeError> {
    match raw.status().as_u16() {
        204 => Ok(Outcome::Success(())),
        _ => Ok(Outcome::Unexpected),
    }
}

async fn bounded<T>(test: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), test)
        .await
        .expect("the call must end within its limits")
}

#[tokio::test]
async fn json_lines_arrive_as_typed_items() {
    let ndjson = [("content-type", "application/x-ndjson")];
    let server = Server::replies(vec![Reply::status(
        200,
        &ndjson,
        "{\"id\":1}\n{\"id\":2}\n",
    )])
    .await;
    let client = Client::builder(&server.base_url()).build().unwrap();
    let response = bounded(client.execute_json_lines(Request::new(&EVENTS), decode_events))
        .await
        .unwrap();
    let items: Vec<Event> = bounded(response.body.map(Result::unwrap).collect()).await;
    assert_eq!(items, [Event { id: 1 }, Event { id: 2 }]);
}

#[tokio::test]
async fn a_line_that_never_ends_stops_at_the_size_limit() {
    let server = Server::replies(vec![Reply::endless()]).await;
    let client = Client::builder(&server.base_url())
        .max_body_size(256 * 1024)
        .build()
        .unwrap();
    let mut items = bounded(client.execute_json_lines(Request::new(&EVENTS), decode_events))
        .await
        .unwrap()
        .body;
    let error = bounded(items.next()).await.unwrap().unwrap_err();
    assert!(
        matches!(
            error,
            LineError::TooLong {
                line: 1,
                limit: 262_144
            }
        ),
        "{error:?}"
    );
    assert!(bounded(items.next()).await.is_none());
}

#[tokio::test]
async fn form_and_multipart_bodies_reach_the_wire_with_their_content_types() {
    let server = Server::replies(vec![
        Reply::status(204, &[], ""),
        Reply::status(204, &[], ""),
    ])
    .await;
    let client = Client::builder(&server.base_url()).build().unwrap();
    let form = Request::new(&UPLOAD).form_body(&Event { id: 7 });
    bounded(client.execute(form, decode_nothing)).await.unwrap();
    let parts = Multipart::new()
        .text("id", 7)
        .file("f", "f.bin", "image/png", &b"\x00"[..]);
    let multipart = Request::new(&UPLOAD).multipart_body(parts);
    bounded(client.execute(multipart, decode_nothing))
        .await
        .unwrap();

    let requests = server.requests();
    assert_eq!(
        requests[0].header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(requests[0].body, b"id=7");
    let content_type = requests[1].header("content-type").unwrap();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .expect("a boundary");
    let expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\n7\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"f\"; filename=\"f.bin\"\r\n\
         Content-Type: image/png\r\n\r\n\0\r\n--{boundary}--\r\n"
    );
    assert_eq!(requests[1].body, expected.as_bytes());
}
