//! A small hand-rolled HTTP/1.1 server on 127.0.0.1 for the runtime's tests.
//!
//! It records every request as received (method, raw target, headers, body, arrival time) and
//! answers with scripted [`Reply`]s: a list of timed writes of raw bytes, so a test can send
//! well-formed responses, slow heads or bodies, bodies shorter than their `Content-Length`,
//! HTML error pages, or nothing at all (close). Every connection serves one request and is
//! closed, so no reply leaks into another test step through a pooled connection.

#![allow(dead_code)] // each test file uses a different part of it

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::time::Instant;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// The request target as sent (path and query, still percent-encoded).
    pub target: String,
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
    pub fn path(&self) -> &str {
        self.target.split('?').next().unwrap_or_default()
    }
    pub fn query(&self) -> Option<&str> {
        self.target.split_once('?').map(|(_, query)| query)
    }
}

/// What the server does for one request: writes each chunk after its delay (and its signal,
/// if it waits for one), then closes.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    writes: Vec<Write>,
    /// Written again and again after `writes`, until the client goes away.
    endless: Option<Vec<u8>>,
    /// Close with a TCP reset (RST) instead of an orderly shutdown.
    reset: bool,
}

impl Reply {
    /// A complete response with `Content-Length` and `Connection: close`.
    pub fn status(status: u16, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str(&format!(
            "content-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        ));
        Reply::raw(format!("{head}{body}"))
    }

    /// A complete JSON response.
    pub fn json(status: u16, body: &str) -> Reply {
        Reply::status(status, &[("content-type", "application/json")], body)
    }

    /// Bytes written as they are (any status line, any lie about the length), then close.
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply {
            writes: vec![Write {
                delay: Duration::ZERO,
                signal: None,
                bytes: bytes.into(),
            }],
            ..Reply::default()
        }
    }

    /// A `200` chunked body that never ends: 64 KiB chunks as fast as the client reads
    /// (after any writes added with `then_after` / `then_when`, framed with [`chunk`]).
    pub fn endless() -> Reply {
        Reply {
            endless: Some(chunk(&[b'x'; 64 * 1024])),
            ..Reply::raw(
                "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ntransfer-encoding: chunked\r\n\r\n",
            )
        }
    }

    /// Reset the connection (RST) after reading the request, without answering.
    pub fn reset() -> Reply {
        Reply {
            reset: true,
            ..Reply::default()
        }
    }

    /// Close the connection without answering.
    pub fn close() -> Reply {
        Reply::default()
    }

    /// Then write `bytes` after `delay`.
    pub fn then_after(mut self, delay: Duration, bytes: impl Into<Vec<u8>>) -> Reply {
        self.writes.push(Write {
            delay,
            signal: None,
            bytes: bytes.into(),
        });
        self
    }

    /// Then write `bytes` once `signal` is notified (a notification given earlier counts),
    /// so a test can hold part of a reply back until the client has done something.
    pub fn then_when(mut self, signal: Arc<Notify>, bytes: impl Into<Vec<u8>>) -> Reply {
        self.writes.push(Write {
            delay: Duration::ZERO,
            signal: Some(signal),
            bytes: bytes.into(),
        });
        self
    }

    /// Write nothing until `signal` is notified.
    pub fn held_until(mut self, signal: Arc<Notify>) -> Reply {
        if let Some(first) = self.writes.first_mut() {
            first.signal = Some(signal);
        }
        self
    }

    /// Wait `delay` before the first write.
    pub fn delayed(mut self, delay: Duration) -> Reply {
        if let Some(first) = self.writes.first_mut() {
            first.delay += delay;
        }
        self
    }
}

/// `data` framed as one chunk of a chunked body.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut framed = format!("{:x}\r\n", data.len()).into_bytes();
    framed.extend_from_slice(data);
    framed.extend_from_slice(b"\r\n");
    framed
}

/// One timed write of a [`Reply`].
#[derive(Debug, Clone)]
struct Write {
    delay: Duration,
    signal: Option<Arc<Notify>>,
    bytes: Vec<u8>,
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Whatever",
    }
}

type Handler = dyn Fn(usize, &Recorded) -> Reply + Send + Sync;

/// The running server; it stops when the test's runtime does.
pub struct Server {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Answers request number `n` (0-based) with `handler(n, &request)`.
    pub async fn start(
        handler: impl Fn(usize, &Recorded) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        tokio::spawn(accept(listener, requests.clone(), handler));
        Server { addr, requests }
    }

    /// Answers the n-th request with `replies[n]`, and later ones with the last reply.
    pub async fn replies(replies: Vec<Reply>) -> Server {
        Server::start(move |n, _| {
            replies
                .get(n)
                .or(replies.last())
                .cloned()
                .unwrap_or_default()
        })
        .await
    }

    /// `http://127.0.0.1:PORT/v1`
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The requests received so far, in arrival order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().expect("request log").clone()
    }
}

async fn accept(listener: TcpListener, requests: Arc<Mutex<Vec<Recorded>>>, handler: Arc<Handler>) {
    while let Ok((stream, _)) = listener.accept().await {
        let requests = requests.clone();
        let handler = handler.clone();
        tokio::spawn(async move {
            let _ = serve(stream, requests, handler).await;
        });
    }
}

async fn serve(
    mut stream: TcpStream,
    requests: Arc<Mutex<Vec<Recorded>>>,
    handler: Arc<Handler>,
) -> std::io::Result<()> {
    let Some(recorded) = read_request(&mut stream).await? else {
        return Ok(());
    };
    let reply = {
        let mut log = requests.lock().expect("request log");
        log.push(recorded.clone());
        handler(log.len() - 1, &recorded)
    };
    if reply.reset {
        stream.set_zero_linger()?;
        drop(stream);
        return Ok(());
    }
    for write in reply.writes {
        if let Some(signal) = write.signal {
            signal.notified().await;
        }
        tokio::time::sleep(write.delay).await;
        stream.write_all(&write.bytes).await?;
        stream.flush().await?;
    }
    if let Some(chunk) = reply.endless {
        loop {
            stream.write_all(&chunk).await?;
        }
    }
    stream.shutdown().await
}

/// Reads one request (head, then a `Content-Length` body); `None` if the peer left first.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Recorded>> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let at = Instant::now();
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_owned();
    let target = request_line.next().unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok(Some(Recorded {
        method,
        target,
        headers,
        body,
        at,
    }))
}

pub mod api;
