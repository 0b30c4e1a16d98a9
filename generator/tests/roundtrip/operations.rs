//! End to end through the `operations` fixture's generated client, against a local HTTP
//! server: parameters on the wire, JSON and byte bodies, typed responses per status, the
//! `default` response, 204 without a body, the envelope and paging extensions.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::pin::pin;
use std::sync::mpsc;

use fixture_operations::models::Region;
use fixture_operations::operations::{
    GetPartKey, GetPartSort, PutItemsByItemIdPartsByPartIdError as PutError,
    PutItemsByItemIdPartsByPartIdRequest as PutRequest,
    PutItemsByItemIdPartsByPartIdResponse as PutResponse,
};
use fixture_operations::{BASE_URL, Client};
use sdkgen_runtime::{BearerToken, Error, RetryPolicy, Stream};
use serde_json::{Value, json};

/// One request as the server read it.
#[derive(Debug)]
struct Seen {
    method: String,
    path: String,
    /// `key=value` pairs, still percent-encoded, in the order sent.
    query: Vec<(String, String)>,
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

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }
}

/// What the server answers: status, extra headers, body (sent with `content_type` if any).
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    content_type: Option<&'static str>,
    body: Vec<u8>,
}

fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        content_type: Some("application/json"),
        body: body.to_string().into_bytes(),
    }
}

fn empty(status: u16) -> Reply {
    Reply {
        status,
        headers: Vec::new(),
        content_type: None,
        body: Vec::new(),
    }
}

/// Serves `replies` in order, one connection each, on 127.0.0.1; returns a client for it (the
/// generated `BASE_URL` with its host swapped, so the `/v2` base path is kept, bearer token
/// `secret`, no retries) and the requests as they arrive.
fn serve(replies: Vec<Reply>) -> (Client, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let origin = format!("http://{}", listener.local_addr().expect("has an address"));
    let (seen, received) = mpsc::channel();
    std::thread::spawn(move || {
        for reply in replies {
            let (mut stream, _) = listener.accept().expect("accepts");
            let request = read_request(&mut BufReader::new(&mut stream));
            let head_only = request.method == "HEAD";
            seen.send(request).expect("the test is listening");
            write_reply(&mut stream, &reply, head_only);
        }
    });
    let base = BASE_URL.replace("https://api.example.com", &origin);
    assert_ne!(base, BASE_URL, "BASE_URL is the spec's first server");
    let runtime = sdkgen_runtime::Client::builder(&base)
        .auth(BearerToken::new("secret"))
        .retry(RetryPolicy::none())
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
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (key.to_owned(), value.to_owned())
        })
        .collect();
    Seen {
        path: path.to_owned(),
        query,
        method: raw.method,
        headers: raw.headers,
        body: raw.body,
    }
}

fn write_reply(stream: &mut impl Write, reply: &Reply, head_only: bool) {
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    if let Some(content_type) = reply.content_type {
        head.push_str(&format!("content-type: {content_type}\r\n"));
    }
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).expect("writes the head");
    if !head_only {
        stream.write_all(&reply.body).expect("writes the body");
    }
}

fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
    query
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

#[tokio::test]
async fn every_parameter_kind_reaches_the_wire() {
    let mut found = reply(200, json!({"id": "p-1", "addedLater": true}));
    found.headers.push(("x-request-id", "req-42"));
    let (client, seen) = serve(vec![found]);

    let response = client
        .get_part(7, "a/b c", vec!["x".into(), "y|z".into()], "trace-1")
        .fields(vec!["f1".into(), "f,2".into()])
        .tags(vec!["t1".into(), "t2".into()])
        .spaced(vec![1, -2])
        .ids(vec!["i1".into(), "i2".into()])
        .verbose(true)
        .sort(GetPartSort::Desc)
        .filter(json!({"a": "b"}))
        .x_opt(5)
        .key(GetPartKey::Integer(3))
        .await
        .expect("200 is a success");

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(response.request_id.as_deref(), Some("req-42"));
    assert_eq!(response.id, "p-1");

    let request = seen.recv().expect("one request");
    assert_eq!(request.method, "GET");
    assert_eq!(request.path, "/v2/items/7/parts/a%2Fb%20c");
    let mut query = request.query.clone();
    // Only the order of repeated keys is the API's business.
    query.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        query,
        pairs(&[
            ("fields", "f1,f%2C2"),
            ("filter", "%7B%22a%22%3A%22b%22%7D"),
            ("ids.1", "i1"),
            ("ids.2", "i2"),
            ("key", "3"),
            ("piped", "x|y%7Cz"),
            ("sort", "desc"),
            ("spaced", "1%20-2"),
            ("tags", "t1"),
            ("tags", "t2"),
            ("verbose", "true"),
        ])
    );
    assert_eq!(request.header("x-trace"), Some("trace-1"));
    assert_eq!(request.header("x-opt"), Some("5"));
    assert_eq!(request.header("authorization"), Some("Bearer secret"));
    assert!(request.body.is_empty());
}

#[tokio::test]
async fn unset_optional_parameters_send_nothing() {
    let (client, seen) = serve(vec![reply(200, json!({"id": "p"}))]);
    client
        .get_part(1, "p", Vec::new(), "t")
        .key(GetPartKey::String("k v".into()))
        .sort(GetPartSort::Unknown("sideways".into()))
        .await
        .expect("a success");
    let request = seen.recv().expect("one request");
    assert_eq!(
        request.query,
        pairs(&[("sort", "sideways"), ("key", "k%20v")])
    );
    assert_eq!(request.header("x-opt"), None);
}

#[tokio::test]
async fn a_documented_error_status_is_a_typed_service_error() {
    let (client, _seen) = serve(vec![reply(404, json!({"message": "no such part"}))]);
    let error = client
        .get_part(1, "p", vec!["x".into()], "t")
        .await
        .expect_err("404 is an error");
    let Error::Service(service) = error else {
        panic!("expected a service error: {error:?}");
    };
    assert_eq!(service.status.as_u16(), 404);
    assert_eq!(service.body.message.as_deref(), Some("no such part"));
}

#[tokio::test]
async fn the_default_response_types_every_other_status() {
    let (client, _seen) = serve(vec![
        reply(503, json!({"message": "later"})),
        reply(201, json!({"message": "odd success"})),
    ]);
    for (status, message) in [(503, "later"), (201, "odd success")] {
        let error = client
            .get_part(1, "p", vec!["x".into()], "t")
            .await
            .expect_err("only 200 is a success");
        let Error::Service(service) = error else {
            panic!("expected a service error: {error:?}");
        };
        assert_eq!(service.status.as_u16(), status);
        assert_eq!(service.body.message.as_deref(), Some(message));
    }
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_decode_error_keeping_the_body() {
    let (client, _seen) = serve(vec![reply(200, json!({"id": 5}))]);
    let error = client
        .get_part(1, "p", vec!["x".into()], "t")
        .await
        .expect_err("id must be a string");
    assert!(matches!(error, Error::Decode { .. }), "{error:?}");
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(&b"{\"id\":5}"[..])
    );
}

#[tokio::test]
async fn several_success_and_error_statuses_are_told_apart() {
    let mut text = empty(400);
    text.content_type = Some("text/plain");
    text.body = b"bad name".to_vec();
    let (client, seen) = serve(vec![
        reply(200, json!({"id": "same"})),
        reply(201, json!({"created": true})),
        empty(204),
        text,
        reply(409, json!({"message": "taken"})),
        empty(418),
        empty(500),
    ]);
    let put = || {
        let body = PutRequest {
            name: "wheel".to_owned(),
        };
        client.put_items_by_item_id_parts_by_part_id(3, "p9", body)
    };

    let ok = put().await.expect("200").into_inner();
    assert!(
        matches!(&ok, PutResponse::Ok(part) if part.id == "same"),
        "{ok:?}"
    );
    let created = put().await.expect("201").into_inner();
    assert!(
        matches!(&created, PutResponse::Created(c) if c.created == Some(true)),
        "{created:?}"
    );
    let nothing = put().await.expect("204");
    assert_eq!(nothing.status.as_u16(), 204);
    assert_eq!(nothing.body, PutResponse::NoContent);

    let service_error = |error: Error<PutError>| match error {
        Error::Service(service) => service.body,
        other => panic!("expected a service error: {other:?}"),
    };
    assert_eq!(
        service_error(put().await.expect_err("400")),
        PutError::BadRequest("bad name".to_owned())
    );
    let conflict = service_error(put().await.expect_err("409"));
    assert!(
        matches!(&conflict, PutError::Conflict(p) if p.message.as_deref() == Some("taken")),
        "{conflict:?}"
    );
    assert_eq!(
        service_error(put().await.expect_err("418")),
        PutError::Status4xx
    );
    let unexpected = put().await.expect_err("500 is not documented");
    assert!(
        matches!(&unexpected, Error::UnexpectedStatus { status, .. } if status.as_u16() == 500),
        "{unexpected:?}"
    );

    let request = seen.recv().expect("the first request");
    assert_eq!(request.method, "PUT");
    assert_eq!(request.path, "/v2/items/3/parts/p9");
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.json(), json!({"name": "wheel"}));
    assert_eq!(
        request.header("authorization"),
        None,
        "`security: []` sends no credentials"
    );
}

#[tokio::test]
async fn an_envelope_is_unwrapped_and_its_request_id_kept() {
    let (client, seen) = serve(vec![
        reply(
            200,
            json!({"requestId": "r-1", "data": {"items": [{"id": "a"}], "total": 1}}),
        ),
        reply(
            500,
            json!({"requestId": "r-2", "error": {"message": "boom"}}),
        ),
    ]);
    let page = client.list_items().page(2).size(10).await.expect("a page");
    assert_eq!(page.request_id.as_deref(), Some("r-1"));
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].id, "a");
    assert_eq!(page.total, Some(1));
    let request = seen.recv().expect("a request");
    assert_eq!(request.query, pairs(&[("page", "2"), ("size", "10")]));

    let error = client.list_items().await.expect_err("500 is an error");
    assert_eq!(error.request_id(), Some("r-2"));
    let Error::Service(service) = error else {
        panic!("expected a service error: {error:?}");
    };
    assert_eq!(service.body.message.as_deref(), Some("boom"));
}

#[tokio::test]
async fn paging_streams_every_item_across_pages() {
    let (client, seen) = serve(vec![
        reply(
            200,
            json!({"data": {"items": [{"id": "1"}, {"id": "2"}], "total": 3}}),
        ),
        reply(200, json!({"data": {"items": [{"id": "3"}], "total": 3}})),
    ]);
    let mut stream = pin!(client.list_items().size(2).into_stream());
    let mut ids = Vec::new();
    while let Some(item) = std::future::poll_fn(|cx| stream.as_mut().poll_next(cx)).await {
        ids.push(item.expect("an item").id);
    }
    assert_eq!(ids, ["1", "2", "3"]);
    let pages: Vec<Vec<(String, String)>> = seen.try_iter().map(|r| r.query).collect();
    assert_eq!(
        pages,
        [
            pairs(&[("page", "1"), ("size", "2")]),
            pairs(&[("page", "2"), ("size", "2")])
        ]
    );
}

#[tokio::test]
async fn a_form_body_is_sent_as_pairs() {
    let (client, seen) = serve(vec![empty(202), empty(202)]);
    let form = [("a", json!(1)), ("b", json!(" &")), ("c", json!(["x", "y"]))]
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    let accepted = client.create_items().body(form).await.expect("202");
    assert_eq!(accepted.status.as_u16(), 202);
    client.create_items().await.expect("202 without a body");

    let with_body = seen.recv().expect("a request");
    assert_eq!(with_body.method, "POST");
    assert_eq!(
        with_body.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(with_body.body, b"a=1&b=+%26&c=x&c=y");
    let without = seen.recv().expect("a request");
    assert!(without.body.is_empty());
    assert_eq!(without.header("content-type"), None);
}

#[tokio::test]
async fn a_head_operation_with_only_an_error_documented() {
    let (client, seen) = serve(vec![empty(404), empty(200), empty(500)]);
    let error = client
        .ping()
        .await
        .expect_err("404 is documented as an error");
    assert!(
        matches!(&error, Error::Service(service) if service.status.as_u16() == 404),
        "{error:?}"
    );
    let ok = client.ping().await.expect("any 2xx is a success");
    assert_eq!(ok.status.as_u16(), 200);
    let error = client.ping().await.expect_err("500 is unexpected");
    assert!(matches!(error, Error::UnexpectedStatus { .. }), "{error:?}");
    let request = seen.recv().expect("a request");
    assert_eq!(
        (request.method.as_str(), request.path.as_str()),
        ("HEAD", "/v2/ping")
    );
    assert_eq!(
        request.header("authorization"),
        None,
        "`security: [{{}}]` is optional"
    );
}

#[tokio::test]
async fn cookies_travel_in_one_header() {
    let (client, seen) = serve(vec![empty(204), empty(204)]);
    client
        .get_session("s-1")
        .theme(vec!["dark".into(), "wide".into()])
        .region(Region::South)
        .await
        .expect("204 is a success");
    let request = seen.recv().expect("a request");
    assert_eq!(
        request.header("cookie"),
        Some("session=s-1; theme=dark,wide")
    );
    assert_eq!(request.query, pairs(&[("region", "south")]));
    // `Authorization` comes from the security scheme, not from an ignored header parameter.
    assert_eq!(request.header("authorization"), Some("Bearer secret"));

    client.get_session("s-2").await.expect("204 is a success");
    let request = seen.recv().expect("a request");
    assert_eq!(request.header("cookie"), Some("session=s-2"));
}

#[tokio::test]
async fn a_shared_component_parameter_has_one_type_named_after_it() {
    let (client, seen) = serve(vec![empty(204)]);
    // `Region` serves both operations (it used to be `GetSessionRegion`).
    let region: Region = "north".parse().expect("infallible");
    client
        .end_session()
        .region(region)
        .await
        .expect("204 is a success");
    let request = seen.recv().expect("a request");
    assert_eq!(request.method, "DELETE");
    assert_eq!(request.query, pairs(&[("region", "north")]));
}
