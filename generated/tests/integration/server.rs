//! A small HTTP/1.1 server on 127.0.0.1 for the integration tests: it records every request,
//! checks its JD Cloud signature with the independent verifier, and answers with whatever
//! the test's handler says (including malformed and slow answers).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

use super::verify;

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub method: String,
    /// The request target as sent: raw path and query.
    pub target: String,
    /// Header names lowercased, in arrival order.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn path(&self) -> &str {
        self.target
            .split_once('?')
            .map_or(&self.target, |(path, _)| path)
    }

    pub fn query(&self) -> &str {
        self.target.split_once('?').map_or("", |(_, query)| query)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// What the server answers.
pub enum Reply {
    /// A complete response.
    Full {
        status: u16,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    },
    /// Announces `declared_length` bytes, sends `body` (shorter), and closes.
    Truncated {
        status: u16,
        declared_length: usize,
        body: Vec<u8>,
    },
    /// Waits, then answers.
    Delayed(Duration, Box<Reply>),
}

impl Reply {
    pub fn json(status: u16, body: &serde_json::Value) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        if let Reply::Full { headers, .. } = &mut self {
            headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }

    pub fn html(status: u16, body: &str) -> Reply {
        Reply::Full {
            status,
            headers: vec![("Content-Type".into(), "text/html".into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

type Handler = dyn Fn(&Received, usize) -> Reply + Send + Sync;

/// A running server; stops when dropped.
pub struct TestServer {
    origin: String,
    requests: Arc<Mutex<Vec<Received>>>,
    signature_failures: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server whose `handler` gets each request and its 0-based index.
    pub async fn start(
        handler: impl Fn(&Received, usize) -> Reply + Send + Sync + 'static,
    ) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let signature_failures = Arc::new(Mutex::new(Vec::new()));
        let handler: Arc<Handler> = Arc::new(handler);
        let task = tokio::spawn({
            let requests = Arc::clone(&requests);
            let failures = Arc::clone(&signature_failures);
            async move {
                while let Ok((stream, _)) = listener.accept().await {
                    let handler = Arc::clone(&handler);
                    let requests = Arc::clone(&requests);
                    let failures = Arc::clone(&failures);
                    tokio::spawn(async move {
                        serve(stream, &*handler, &requests, &failures).await;
                    });
                }
            }
        });
        TestServer {
            origin,
            requests,
            signature_failures,
            task,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn requests(&self) -> Vec<Received> {
        self.requests.lock().unwrap().clone()
    }

    /// Panics unless every request so far carried a valid signature.
    pub fn assert_all_signed(&self) {
        let failures = self.signature_failures.lock().unwrap();
        assert!(
            failures.is_empty(),
            "requests with bad signatures: {failures:#?}"
        );
        assert!(
            !self.requests.lock().unwrap().is_empty(),
            "no request reached the server"
        );
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Serves one connection: one request, one response, then close (no keep-alive, so the
/// client never reuses a connection the server is about to drop).
async fn serve(
    mut stream: TcpStream,
    handler: &Handler,
    requests: &Mutex<Vec<Received>>,
    failures: &Mutex<Vec<String>>,
) {
    let Some(received) = read_request(&mut stream).await else {
        return;
    };
    let index = {
        let mut requests = requests.lock().unwrap();
        requests.push(received.clone());
        requests.len() - 1
    };
    if let Err(failure) = verify::verify(&received) {
        failures.lock().unwrap().push(format!(
            "{} {}: {failure}",
            received.method, received.target
        ));
    }
    let reply = handler(&received, index);
    write_reply(&mut stream, reply).await;
}

async fn read_request(stream: &mut TcpStream) -> Option<Received> {
    let mut buffer = Vec::new();
    let header_end = loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8(buffer[..header_end].to_vec()).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let target = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(name, _)| name == "content-length")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[header_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0; 4096];
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Some(Received {
        method,
        target,
        headers,
        body,
    })
}

async fn write_reply(stream: &mut TcpStream, reply: Reply) {
    let (status, headers, body, declared_length) = match reply {
        Reply::Delayed(delay, reply) => {
            tokio::time::sleep(delay).await;
            return Box::pin(write_reply(stream, *reply)).await;
        }
        Reply::Full {
            status,
            headers,
            body,
        } => {
            let length = body.len();
            (status, headers, body, length)
        }
        Reply::Truncated {
            status,
            declared_length,
            body,
        } => (
            status,
            vec![("Content-Type".into(), "application/json".into())],
            body,
            declared_length,
        ),
    };
    let mut head = format!(
        "HTTP/1.1 {status} Status\r\nContent-Length: {declared_length}\r\nConnection: close\r\n"
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    // The client may have given up already (timeouts); write errors are expected then.
    let _ = stream.write_all(head.as_bytes()).await;
    let _ = stream.write_all(&body).await;
    let _ = stream.flush().await;
    let _ = stream.shutdown().await;
}
