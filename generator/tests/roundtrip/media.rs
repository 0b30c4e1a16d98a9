//! End to end through the `media` fixture's generated client, against a local HTTP server:
//! multipart bodies (typed parts, a boundary, files as bytes), form bodies, JSON Lines read
//! whole and as a stream, binary downloads as a stream, and the `Accept` header each
//! operation sends.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::pin::Pin;
use std::sync::mpsc;
use std::time::Duration;

use fixture_media::operations::{PutAvatarForm, UploadFileRequest, UploadFileRequestMeta};
use fixture_media::models::Profile;
use fixture_media::{BASE_URL, Client};
use sdkgen_runtime::{Bytes, Error, RetryPolicy, Stream};
use serde_json::json;

/// One request as the server read it.
#[derive(Debug)]
struct Seen {
    method: String,
    path: String,
    /// Lower-case names.
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The parts of a multipart body: each part's head lines and its bytes.
    fn parts(&self) -> Vec<(Vec<String>, Vec<u8>)> {
        let content_type = self.header("content-type").expect("a content type");
        let boundary = content_type
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap_or_else(|| panic!("not multipart: {content_type}"));
        let delimiter = format!("--{boundary}");
        let mut rest = &self.body[..];
        let mut parts = Vec::new();
        assert!(rest.starts_with(delimiter.as_bytes()), "starts with the boundary");
        rest = &rest[delimiter.len()..];
        while !rest.starts_with(b"--\r\n") {
            rest = rest.strip_prefix(b"\r\n").expect("a line break after the boundary");
            let end = find(rest, format!("\r\n{delimiter}").as_bytes()).expect("a next boundary");
            let part = &rest[..end];
            let head_end = find(part, b"\r\n\r\n").expect("a blank line after the head");
            let head = String::from_utf8(part[..head_end].to_vec()).expect("a UTF-8 head");
            let lines = head.split("\r\n").map(str::to_owned).collect();
            parts.push((lines, part[head_end + 4..].to_vec()));
            rest = &rest[end + 2 + delimiter.len()..];
        }
        assert_eq!(rest, b"--\r\n", "nothing after the closing boundary");
        parts
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

/// What the server answers: a status, a content type, and a body written in two pieces,
/// the second only once `go` says so (or after 10 s), so a test can see that the client
/// handed over the first before the rest existed.
struct Reply {
    status: u16,
    content_type: Option<&'static str>,
    first: Vec<u8>,
    rest: Vec<u8>,
    go: Option<mpsc::Receiver<()>>,
}

fn reply(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    Reply {
        status,
        content_type: Some(content_type),
        first: body.into(),
        rest: Vec::new(),
        go: None,
    }
}

fn empty(status: u16) -> Reply {
    Reply {
        status,
        content_type: None,
        first: Vec::new(),
        rest: Vec::new(),
        go: None,
    }
}

/// `first`, then `rest` once the returned sender says go.
fn staged(content_type: &'static str, first: &[u8], rest: &[u8]) -> (Reply, mpsc::Sender<()>) {
    let (go, wait) = mpsc::channel();
    let reply = Reply {
        status: 200,
        content_type: Some(content_type),
        first: first.to_vec(),
        rest: rest.to_vec(),
        go: Some(wait),
    };
    (reply, go)
}

/// Serves `replies` in order, one connection each, on 127.0.0.1; a client for it (no
/// retries) and the requests as they arrive.
fn serve(replies: Vec<Reply>) -> (Client, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let origin = format!("http://{}", listener.local_addr().expect("has an address"));
    let (seen, received) = mpsc::channel();
    std::thread::spawn(move || {
        for reply in replies {
            let (mut stream, _) = listener.accept().expect("accepts");
            let request = read_request(&mut BufReader::new(&mut stream));
            seen.send(request).expect("the test is listening");
            write_reply(&mut stream, reply);
        }
    });
    let base = BASE_URL.replace("https://api.example.com", &origin);
    let runtime = sdkgen_runtime::Client::builder(&base)
        .retry(RetryPolicy::none())
        .build()
        .expect("a valid client");
    (Client::from_runtime(runtime), received)
}

fn read_request(reader: &mut impl BufRead) -> Seen {
    let raw = support::read_request(reader);
    Seen {
        method: raw.method,
        path: raw.target,
        headers: raw.headers,
        body: raw.body,
    }
}

fn write_reply(stream: &mut impl Write, reply: Reply) {
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.first.len() + reply.rest.len()
    );
    if let Some(content_type) = reply.content_type {
        head.push_str(&format!("content-type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("writes the head");
    stream.write_all(&reply.first).expect("writes the body");
    stream.flush().expect("flushes");
    if let Some(go) = reply.go {
        let _ = go.recv_timeout(Duration::from_secs(10));
    }
    // The client may have hung up after an error; that is its business.
    let _ = stream.write_all(&reply.rest);
}

async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// The next item, failing the test rather than waiting for ever.
async fn next_soon<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    tokio::time::timeout(Duration::from_secs(5), next(stream))
        .await
        .expect("the item arrived before the rest of the body was sent")
}

#[tokio::test]
async fn a_multipart_body_has_one_typed_part_per_field() {
    let (client, seen) = serve(vec![reply(201, "application/json", r#"{"id":"u-1"}"#)]);
    let png = Bytes::from_static(b"\x89PNG\r\n\x1a\n\x00\xff");
    let body = UploadFileRequest {
        title: "Holiday \"2026\"".into(),
        file: png.clone(),
        count: Some(2),
        tags: Some(vec!["sea".into(), "sun".into()]),
        attachments: Some(vec![Bytes::from_static(b"one"), Bytes::from_static(b"")]),
        meta: Some(UploadFileRequestMeta {
            source: Some("phone".into()),
        }),
        note: None,
    };
    let stored = client.upload_file(body).await.expect("201");
    assert_eq!(stored.id.as_deref(), Some("u-1"));

    let request = seen.recv().expect("a request");
    assert_eq!((request.method.as_str(), request.path.as_str()), ("POST", "/uploads"));
    assert_eq!(request.header("accept"), Some("application/json"));
    let disposition = |name: &str| format!("Content-Disposition: form-data; name=\"{name}\"");
    let file = |name: &str| format!("{}; filename=\"{name}\"", disposition(name));
    let octets = "Content-Type: application/octet-stream".to_owned();
    assert_eq!(
        request.parts(),
        vec![
            (vec![disposition("title")], b"Holiday \"2026\"".to_vec()),
            (vec![file("file"), "Content-Type: image/png".into()], png.to_vec()),
            (vec![disposition("count")], b"2".to_vec()),
            (vec![disposition("tags")], b"sea".to_vec()),
            (vec![disposition("tags")], b"sun".to_vec()),
            (vec![file("attachments"), octets.clone()], b"one".to_vec()),
            (vec![file("attachments"), octets], Vec::new()),
            (
                vec![disposition("meta"), "Content-Type: application/json".into()],
                br#"{"source":"phone"}"#.to_vec()
            ),
        ],
        "`note` is None: no part"
    );
}

#[tokio::test]
async fn a_shared_component_gets_a_form_type_with_bytes_and_keeps_its_json_shape() {
    let (client, seen) = serve(vec![
        empty(204),
        reply(200, "application/json", r#"{"image":"aGk=","caption":"me"}"#),
    ]);
    let form = PutAvatarForm {
        image: Bytes::from_static(b"\x00\x01"),
        caption: Some("me".into()),
    };
    client.put_avatar(form).await.expect("204");
    let request = seen.recv().expect("a request");
    let parts = request.parts();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].1, b"\x00\x01");
    assert_eq!(parts[1].1, b"me");

    let avatar = client.get_avatar_info().await.expect("200");
    assert_eq!(avatar.image, "aGk=", "JSON keeps the base64 text");
}

#[tokio::test]
async fn an_untyped_multipart_body_sends_each_property() {
    let (client, seen) = serve(vec![empty(204)]);
    let body = json!({"name": "x", "ids": [1, 2], "skip": null});
    client.post_anything(body).await.expect("204");
    let request = seen.recv().expect("a request");
    let bodies: Vec<Vec<u8>> = request.parts().into_iter().map(|(_, body)| body).collect();
    assert_eq!(bodies, [b"1".to_vec(), b"2".to_vec(), b"x".to_vec()]);
}

#[tokio::test]
async fn a_form_body_is_its_struct_as_pairs() {
    let (client, seen) = serve(vec![empty(204)]);
    let profile = Profile {
        name: "Ann Lee & co".into(),
        age: Some(40),
        active: Some(true),
        tags: Some(vec!["a".into(), "b".into()]),
        nickname: None,
    };
    client.update_profile(profile).await.expect("204");
    let request = seen.recv().expect("a request");
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let body = String::from_utf8(request.body).expect("ASCII");
    let mut pairs: Vec<&str> = body.split('&').collect();
    pairs.sort_unstable();
    assert_eq!(
        pairs,
        ["active=true", "age=40", "name=Ann+Lee+%26+co", "tags=a", "tags=b"]
    );
}

#[tokio::test]
async fn json_lines_stream_item_by_item() {
    let (first, go) = staged(
        "application/x-ndjson",
        b"{\"id\":1,\"kind\":\"start\"}\n",
        b"{\"id\":\"bad\",\"kind\":\"x\"}\n\n{\"id\":3,\"kind\":\"end\"}",
    );
    let (client, seen) = serve(vec![first]);
    let response = client.stream_events().send_streaming().await.expect("200");
    let request = seen.recv().expect("a request");
    assert_eq!(
        request.header("accept"),
        Some("application/x-ndjson, application/json")
    );
    let mut events = response.body;
    let event = next_soon(&mut events).await.expect("an item").expect("decodes");
    assert_eq!((event.id, event.kind.as_str()), (1, "start"));
    go.send(()).expect("the server waits");
    let bad = next_soon(&mut events).await.expect("an item").unwrap_err();
    assert!(bad.to_string().starts_with("line 2 of the body: at `id`"), "{bad}");
    let event = next_soon(&mut events).await.expect("an item").expect("decodes");
    assert_eq!(event.id, 3, "a blank line is skipped, the last line needs no newline");
    assert!(next_soon(&mut events).await.is_none());
}

#[tokio::test]
async fn json_lines_read_whole_and_error_statuses_are_typed() {
    let (client, _seen) = serve(vec![
        reply(200, "application/x-ndjson", "{\"id\":1,\"kind\":\"a\"}\n{\"id\":2,\"kind\":\"b\"}\n"),
        reply(200, "application/x-ndjson", "{\"id\":1,\"kind\":\"a\"}\n{\"kind\":\"b\"}\n"),
        reply(400, "application/json", r#"{"title":"bad filter"}"#),
        reply(200, "application/jsonl", "{\"any\":1}\n[2]\n"),
    ]);
    let events = client.stream_events().await.expect("200");
    let ids: Vec<i64> = events.iter().map(|event| event.id).collect();
    assert_eq!(ids, [1, 2]);

    match client.stream_events().await {
        Err(Error::Decode { source, .. }) => {
            assert_eq!(source.path, "[1]");
            assert!(source.message.starts_with("line 2: missing field `id`"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
    match client.stream_events().send_streaming().await {
        Err(Error::Service(error)) => {
            assert_eq!(error.status.as_u16(), 400);
            assert_eq!(error.body.title.as_deref(), Some("bad filter"));
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
    let rows = client.export_rows().await.expect("200");
    assert_eq!(*rows, [json!({"any": 1}), json!([2])]);
}

#[tokio::test]
async fn a_binary_download_streams_and_its_errors_are_typed() {
    let (first, go) = staged("application/octet-stream", b"\x00\x01chunk one", b"chunk two");
    let (client, seen) = serve(vec![
        first,
        reply(404, "application/json", r#"{"title":"no such file"}"#),
    ]);
    let response = client.download_file("a b.bin").send_streaming().await.expect("200");
    let request = seen.recv().expect("a request");
    assert_eq!(request.path, "/files/a%20b.bin");
    assert_eq!(
        request.header("accept"),
        Some("application/octet-stream, application/json")
    );
    let mut chunks = response.body;
    let mut received = next_soon(&mut chunks).await.expect("a chunk").expect("data").to_vec();
    assert!(received.starts_with(b"\x00\x01chunk one"));
    go.send(()).expect("the server waits");
    while let Some(chunk) = next_soon(&mut chunks).await {
        received.extend_from_slice(&chunk.expect("data"));
    }
    assert_eq!(received, b"\x00\x01chunk onechunk two");

    match client.download_file("gone").send_streaming().await {
        Err(Error::Service(error)) => {
            assert_eq!(error.body.title.as_deref(), Some("no such file"));
        }
        other => panic!("expected the documented error, got {other:?}"),
    }
}

#[tokio::test]
async fn json_only_operations_keep_the_default_accept() {
    let (client, seen) = serve(vec![reply(200, "application/json", r#"{"ok":true}"#)]);
    let status = client.get_status().await.expect("200");
    assert_eq!(status.ok, Some(true));
    let request = seen.recv().expect("a request");
    assert_eq!(request.header("accept"), Some("application/json"));
}
