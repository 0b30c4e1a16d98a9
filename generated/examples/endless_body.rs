//! Measures what a response that never ends costs: a local server answers `describeImage`
//! with a `200` whose chunked body never ends, as fast as the client reads; the client stops
//! at its body-size limit and the process's peak memory is printed.
//!
//! ```text
//! cargo run --release -p jdcloud-vm --example endless_body            # default 10 MiB limit
//! cargo run --release -p jdcloud-vm --example endless_body -- 1048576 # a 1 MiB limit
//! ```
//!
//! Linux only for the memory figure (`VmHWM` in `/proc/self/status`).

use std::process::ExitCode;
use std::time::Instant;

use jdcloud_vm::{Client, Credentials, Error};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let limit: Option<u64> = match std::env::args().nth(1).map(|arg| arg.parse()) {
        None => None,
        Some(Ok(limit)) => Some(limit),
        Some(Err(error)) => {
            eprintln!("usage: endless_body [max-body-bytes]: {error}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind("127.0.0.1:0").await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("cannot listen on 127.0.0.1: {error}");
            return ExitCode::FAILURE;
        }
    };
    let origin = match listener.local_addr() {
        Ok(address) => format!("http://{address}"),
        Err(error) => {
            eprintln!("no local address: {error}");
            return ExitCode::FAILURE;
        }
    };
    tokio::spawn(serve_endless(listener));

    let mut builder = Client::builder()
        .credentials(Credentials::new("AKEXAMPLE", "example-secret"))
        .endpoint(origin);
    if let Some(limit) = limit {
        builder = builder.max_body_size(limit);
    }
    let client = match builder.build() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let result = client.describe_image("cn-north-1", "img-endless").await;
    let elapsed = started.elapsed();
    match result {
        Err(error @ Error::BodyTooLarge { .. }) => println!("error: {error}"),
        Err(other) => println!("unexpected error: {other}"),
        Ok(_) => println!("unexpected success"),
    }
    println!("after {:.0} ms", elapsed.as_secs_f64() * 1000.0);
    match peak_rss_kib() {
        Some(kib) => println!("peak RSS: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS: unknown (no /proc/self/status)"),
    }
    ExitCode::SUCCESS
}

/// Answers every connection with a `200` whose chunked body never ends.
async fn serve_endless(listener: TcpListener) {
    while let Ok((mut stream, _)) = listener.accept().await {
        tokio::spawn(async move {
            let mut request = [0; 8192];
            // The request itself does not matter; read its head and answer.
            if stream.read(&mut request).await.is_err() {
                return;
            }
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let mut chunk = b"10000\r\n".to_vec();
            chunk.extend(std::iter::repeat_n(b' ', 0x10000));
            chunk.extend_from_slice(b"\r\n");
            while stream.write_all(&chunk).await.is_ok() {}
        });
    }
}

/// The process's peak resident set size (`VmHWM`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
