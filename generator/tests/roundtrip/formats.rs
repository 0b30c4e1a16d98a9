//! Round trips through the `formats` fixture: integer and number formats keep their range
//! and precision; string formats keep the text exactly as sent.

use fixture_formats::models::{Numbers, Strings};
use serde_json::{Value, json};

mod support;
use support::{decode, encode};

fn numbers(overrides: Value) -> Value {
    let mut wire = json!({
        "i32": 1, "i64": 1, "plain_int": 1, "u32": 1, "u64": 1,
        "f32": 0.5, "f64": 0.5, "plain_number": 0.5,
    });
    for (key, value) in overrides.as_object().into_iter().flatten() {
        wire[key] = value.clone();
    }
    wire
}

#[test]
fn every_number_format_keeps_its_full_range() {
    let wire = json!({
        "i32": i32::MIN,
        "i64": 9_007_199_254_740_993i64,
        "plain_int": i64::MIN,
        "u32": u32::MAX,
        "u64": u64::MAX,
        "f32": 1.5,
        "f64": 0.1,
        "plain_number": -1e300,
    });
    let decoded: Numbers = decode(wire.clone());
    assert_eq!(
        decoded.i64, 9_007_199_254_740_993,
        "beyond f64's exact integers"
    );
    assert_eq!(decoded.u64, u64::MAX);
    assert_eq!(decoded.f64, 0.1);
    assert_eq!(encode(&decoded), wire);
}

#[test]
fn a_value_outside_its_format_is_an_error() {
    for overrides in [
        json!({"i32": 2_147_483_648i64}),
        json!({"u32": -1}),
        json!({"u32": 4_294_967_296i64}),
        json!({"u64": -1}),
        json!({"i64": 1.5}),
        json!({"plain_int": "1"}),
        json!({"f64": "0.5"}),
    ] {
        let wire = numbers(overrides);
        assert!(
            serde_json::from_value::<Numbers>(wire.clone()).is_err(),
            "{wire}"
        );
    }
    let mut wire = numbers(json!({}));
    wire.as_object_mut().map(|o| o.remove("u64"));
    assert!(
        serde_json::from_value::<Numbers>(wire).is_err(),
        "u64 is required"
    );
}

#[test]
fn string_formats_are_kept_exactly_as_sent() {
    let wire = json!({
        "at": "2024-02-30T25:61:00.123456789+14:00",
        "day": "not a date",
        "id": "00000000-0000-0000-0000-00000000000G",
        "data": "aGVsbG8=",
        "blob": "\u{0}\u{1}",
        "secret": "hunter2",
    });
    let strings: Strings = decode(wire.clone());
    assert_eq!(
        strings.at.as_deref(),
        Some("2024-02-30T25:61:00.123456789+14:00")
    );
    assert_eq!(strings.data.as_deref(), Some("aGVsbG8="));
    assert_eq!(encode(&strings), wire);
}

/// Answers one request on 127.0.0.1 with `200` and the request's own body; returns the
/// base URL and the request's head (lower-cased) once it has been read.
fn echo_server() -> (String, std::thread::JoinHandle<String>) {
    use std::io::{BufRead, BufReader, Read, Write};

    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let base = format!("http://{}", listener.local_addr().expect("has an address"));
    let server = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accepts");
        let mut reader = BufReader::new(stream.try_clone().expect("clones the stream"));
        let mut head = String::new();
        while !head.ends_with("\r\n\r\n") {
            reader.read_line(&mut head).expect("reads the head");
        }
        let head = head.to_ascii_lowercase();
        let length = head
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |value| value.trim().parse().expect("a length"));
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("reads the body");
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\
             content-length: {length}\r\nconnection: close\r\n\r\n"
        );
        stream.write_all(reply.as_bytes()).expect("writes the head");
        stream.write_all(&body).expect("writes the body");
        head
    });
    (base, server)
}

#[tokio::test]
async fn binary_bodies_go_out_and_come_back_byte_for_byte() {
    let (base, server) = echo_server();
    let runtime = sdkgen_runtime::Client::builder(&base)
        .build()
        .expect("a valid client");
    let client = fixture_formats::Client::from_runtime(runtime);
    let bytes: Vec<u8> = vec![0, 159, 146, 150, 255, b'\r', b'\n'];
    let response = client.upload(bytes.clone()).await.expect("200");
    assert_eq!(response.body.as_ref(), &bytes[..]);
    let head = server.join().expect("the server ran");
    assert!(head.starts_with("post /upload "), "{head}");
    assert!(
        head.contains("content-type: application/octet-stream\r\n"),
        "{head}"
    );
}
