//! Creates one instance, waits until it runs, and prints its private IP address.
//!
//! ```text
//! export JDCLOUD_ACCESS_KEY=... JDCLOUD_SECRET_KEY=...
//! cargo run -p jdcloud-vm --example create_instance -- cn-north-1 \
//!   '{"name": "web-1", "az": "cn-north-1a", "instanceType": "g.n2.medium", "imageId": "img-m5s0p7ka2z"}'
//! ```
//!
//! The second argument is the `instanceSpec` object as JD Cloud documents it. The create
//! carries a fresh `clientToken`, so the client retries it after a timeout or a 5xx without
//! creating a second instance; the wait polls `describeInstance` until `running` (or fails on
//! `error`, or gives up after 15 minutes with the last status seen). `JDCLOUD_ENDPOINT`
//! (e.g. `http://127.0.0.1:8080`) sends the requests elsewhere.

use std::process::ExitCode;

use jdcloud_vm::Client;
use jdcloud_vm::models::{CreateInstancesRequest, InstanceSpec};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region, spec] = &args[..] else {
        eprintln!("usage: create_instance <region> '<instanceSpec JSON>'");
        return ExitCode::from(2);
    };
    match run(region, spec).await {
        Ok(ip) => {
            println!("{ip}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(region: &str, spec: &str) -> Result<String, Box<dyn std::error::Error>> {
    let instance_spec: InstanceSpec =
        serde_json::from_str(spec).map_err(|e| format!("instanceSpec: {e}"))?;
    let client = Client::from_env()?;
    let body = CreateInstancesRequest {
        instance_spec,
        max_count: None,
        // Left unset: the client generates one and reuses it on every retry.
        client_token: None,
    };
    let created = client.create_instances(region, body).await?;
    let instance_id = created
        .instance_ids
        .as_ref()
        .and_then(|ids| ids.first())
        .ok_or("the create returned no instance id")?
        .clone();
    eprintln!(
        "created {instance_id} (request id {}); waiting until it runs",
        created.request_id.as_deref().unwrap_or("-")
    );
    let running = client
        .describe_instance(region, instance_id.as_str())
        .wait_until_instance_running()
        .await?;
    let ip = running
        .instance
        .as_ref()
        .and_then(|instance| instance.private_ip_address.clone())
        .ok_or("the running instance has no private IP address")?;
    Ok(ip)
}
