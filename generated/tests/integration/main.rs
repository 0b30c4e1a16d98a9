//! Integration tests: the real client against a real HTTP server on 127.0.0.1 that checks
//! every request's signature independently of the client's signer.

mod create_instance;
mod describe_image;
mod errors;
mod every_operation;
mod paging;
mod params;
mod python_requests;
mod retries;
mod server;
mod verifier_fixtures;
mod verify;
mod waiters;

use std::time::Duration;

use jdcloud_vm::{Client, Credentials};
use sdkgen_runtime::RetryPolicy;

use server::TestServer;

/// A client for `server` with the test credentials, retries that back off briefly, and a
/// per-attempt timeout long enough for a loaded CI machine.
fn client(server: &TestServer) -> Client {
    client_with(server, fast_retries(), Duration::from_secs(10))
}

fn client_with(server: &TestServer, retry: RetryPolicy, timeout: Duration) -> Client {
    Client::builder()
        .credentials(Credentials::new(verify::ACCESS_KEY, verify::SECRET_KEY))
        .endpoint(server.origin())
        .retry(retry)
        .timeout(timeout)
        .build()
        .unwrap()
}

/// The default policy (3 attempts) with millisecond backoffs, so tests stay fast.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_secs(2))
}
