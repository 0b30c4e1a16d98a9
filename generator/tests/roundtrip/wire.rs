//! End to end through the `wire` fixture's generated client, against a local HTTP server:
//! path parameters in the `simple`, `label` and `matrix` styles (delimiters literal, items
//! encoded), a security requirement of two schemes applied together and alternatives applied
//! alone, and `default` read as the success when it is the only response.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

use fixture_wire::{BASE_URL, Client};
use sdkgen_runtime::{
    ApiKey, ApiKeyLocation, AuthError, Authenticator, BearerToken, Error, MultiAuth, RetryPolicy,
};
use serde_json::{Value, json};

/// One request as the server read it: request line target, lower-case headers.
#[derive(Debug)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// Serves `replies` (status and JSON body, `null` for none) in order on 127.0.0.1; returns a
/// client authenticating with `auth` (no retries) and the requests as they arrive.
fn serve(auth: impl Authenticator, replies: Vec<(u16, Value)>) -> (Client, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let origin = format!("http://{}", listener.local_addr().expect("has an address"));
    let (seen, received) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in replies {
            let (mut stream, _) = listener.accept().expect("accepts");
            seen.send(read_request(&mut BufReader::new(&mut stream)))
                .expect("the test is listening");
            let body = if body.is_null() {
                String::new()
            } else {
                body.to_string()
            };
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n",
                body.len()
            );
            stream
                .write_all(format!("{head}{body}").as_bytes())
                .expect("writes the reply");
        }
    });
    let base = BASE_URL.replace("https://api.example.com", &origin);
    assert_ne!(base, BASE_URL, "BASE_URL is the spec's first server");
    let runtime = sdkgen_runtime::Client::builder(&base)
        .auth(auth)
        .retry(RetryPolicy::none())
        .build()
        .expect("a valid client");
    (Client::from_runtime(runtime), received)
}

fn read_request(reader: &mut impl BufRead) -> Seen {
    let raw = support::read_request(reader);
    Seen {
        target: raw.target,
        headers: raw.headers,
    }
}

/// Credentials for both schemes of the document's one requirement.
fn key_and_token() -> MultiAuth {
    MultiAuth::new()
        .with(ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "key-1"))
        .with(BearerToken::new("tok-2"))
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| item.to_string()).collect()
}

#[tokio::test]
async fn path_parameters_follow_their_style_and_explode() {
    let (client, seen) = serve(key_and_token(), vec![(204, Value::Null); 3]);
    client
        .get_simple(strings(&["a", "b,c", "d/é"]), vec![true, false])
        .await
        .expect("204");
    client
        .get_label(strings(&["x", "y z"]), vec![1, -2], "one.")
        .await
        .expect("204");
    client
        .get_matrix(strings(&["a", "b"]), strings(&["c", "d;e"]), 5)
        .await
        .expect("204");
    let targets: Vec<String> = seen.iter().take(3).map(|seen| seen.target).collect();
    assert_eq!(
        targets,
        [
            // Commas between items literal, a comma inside an item encoded.
            "/v1/simple/a,b%2Cc,d%2F%C3%A9/true,false",
            "/v1/label/.x,y%20z/.1.-2/.one.",
            "/v1/matrix/;ids=a,b;exploded=c;exploded=d%3Be;one=5",
        ]
    );
}

#[tokio::test]
async fn an_empty_simple_array_is_refused_before_sending() {
    let (client, seen) = serve(key_and_token(), Vec::new());
    let error = client
        .get_simple(Vec::new(), vec![true])
        .await
        .expect_err("an empty segment");
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("`ids` is empty")),
        "{error:?}"
    );
    assert!(seen.try_recv().is_err(), "nothing was sent");
}

#[tokio::test]
async fn a_requirement_of_two_schemes_sends_both() {
    let (client, seen) = serve(key_and_token(), vec![(204, Value::Null); 2]);
    client
        .get_simple(strings(&["a"]), vec![true])
        .await
        .expect("204");
    let request = seen.recv().expect("a request");
    assert_eq!(request.header("x-api-key"), Some("key-1"));
    assert_eq!(request.header("authorization"), Some("Bearer tok-2"));

    // `getEither` takes either scheme alone: the first requirement met is applied, only it.
    client.get_either().await.expect("204");
    let request = seen.recv().expect("a request");
    assert_eq!(request.header("x-api-key"), Some("key-1"));
    assert_eq!(request.header("authorization"), None);
}

#[tokio::test]
async fn one_credential_meets_an_alternative_but_not_half_a_requirement() {
    let (client, seen) = serve(BearerToken::new("tok-secret"), vec![(204, Value::Null)]);
    client.get_either().await.expect("the bearer alternative");
    let request = seen.recv().expect("a request");
    assert_eq!(request.header("authorization"), Some("Bearer tok-secret"));
    assert_eq!(request.header("x-api-key"), None);

    let error = client
        .get_simple(strings(&["a"]), vec![true])
        .await
        .expect_err("needs the API key too");
    let Error::Auth(AuthError(message)) = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.contains("getSimple") && message.contains("apiKey and bearer"),
        "{message}"
    );
    assert!(!message.contains("tok-secret"), "{message}");
    assert!(seen.try_recv().is_err(), "half a requirement is never sent");
}

#[tokio::test]
async fn default_is_the_success_of_a_2xx_and_the_error_of_anything_else() {
    let (client, seen) = serve(
        BearerToken::new("unused"),
        vec![
            (200, json!({"id": "t-1"})),
            (404, json!({"message": "gone"})),
            (201, json!({"ok": true})),
            (503, json!({"ok": false, "message": "later"})),
        ],
    );
    let thing = client.get_thing("t-1").await.expect("200 is a success");
    assert_eq!(thing.status.as_u16(), 200);
    assert_eq!(thing.id.as_deref(), Some("t-1"));
    let request = seen.recv().expect("a request");
    assert_eq!(request.target, "/v1/things/t-1");
    assert_eq!(request.header("authorization"), None, "`security: []`");

    let error = client.get_thing("t-2").await.expect_err("404 is an error");
    let Error::Service(service) = error else {
        panic!("expected a service error: {error:?}")
    };
    assert_eq!(service.status.as_u16(), 404);
    assert_eq!(service.body.message.as_deref(), Some("gone"));

    let note = client.post_note().await.expect("201 is a success");
    assert_eq!(note.ok, Some(true));
    // `security: [{}]`: callable without credentials, so the bearer token is not sent.
    let request = seen.iter().nth(1).expect("a request");
    assert_eq!(request.header("authorization"), None);

    let error = client.post_note().await.expect_err("503 is an error");
    let Error::Service(service) = error else {
        panic!("expected a service error: {error:?}")
    };
    assert_eq!(service.body.message.as_deref(), Some("later"));
}
