//! Calls any VM operation by its operationId, with its parameters as one JSON object keyed by
//! the names JD Cloud documents (`regionId`, `filters`, `instanceSpec`, ...), and prints the
//! result as JSON; `--dry-run` prints the signed request instead and sends nothing.
//!
//! ```text
//! export JDCLOUD_ACCESS_KEY=... JDCLOUD_SECRET_KEY=...
//! cargo run -p jdcloud-vm --example call -- describeInstances \
//!   '{"regionId": "cn-north-1", "filters": [{"name": "status", "values": ["running"]}]}' --dry-run
//! ```
//!
//! The JSON is decoded by the generated `jdcloud_vm::call` module into the operation's typed
//! parameters, so it goes through the same encoding as the typed API; an unknown operation
//! or parameter, a missing required one or a wrong type is an error naming it. A dry run
//! prints `{"method", "url", "headers", "body"}`: the absolute URL as it would be sent, the
//! headers signed with the environment's credentials. `JDCLOUD_ENDPOINT` sends elsewhere.

use std::process::ExitCode;

use jdcloud_vm::Client;
use jdcloud_vm::call::{OPERATIONS, call};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let dry_run = args.iter().any(|arg| arg == "--dry-run");
    args.retain(|arg| arg != "--dry-run");
    let (operation, params) = match &args[..] {
        [operation] => (operation.as_str(), "{}"),
        [operation, params] => (operation.as_str(), params.as_str()),
        _ => {
            eprintln!("usage: call <operationId> ['<parameters JSON>'] [--dry-run]");
            eprintln!("operations: {}", OPERATIONS.join(", "));
            return ExitCode::from(2);
        }
    };
    let params = match serde_json::from_str(params) {
        Ok(params) => params,
        Err(error) => {
            eprintln!("error: the parameters are not JSON: {error}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match call(&client, operation, params, dry_run).await {
        Ok(output) => {
            match serde_json::to_string_pretty(&output) {
                Ok(text) => println!("{text}"),
                Err(error) => eprintln!("error: {error}"),
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
