//! Prints one image.
//!
//! ```text
//! export JDCLOUD_ACCESS_KEY=... JDCLOUD_SECRET_KEY=...
//! cargo run -p jdcloud-vm --example describe_image -- cn-north-1 img-m5s0p7ka2z
//! ```
//!
//! `JDCLOUD_ENDPOINT` (e.g. `http://127.0.0.1:8080`) sends the request elsewhere.

use std::process::ExitCode;

use jdcloud_vm::{Client, Error};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region, image_id] = &args[..] else {
        eprintln!("usage: describe_image <region> <image-id>");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    match client
        .describe_image(region.as_str(), image_id.as_str())
        .await
    {
        Ok(response) => {
            println!(
                "request id: {}",
                response.request_id.as_deref().unwrap_or("-")
            );
            match &response.body.image {
                Some(image) => println!("{image:#?}"),
                None => println!("(the response holds no image)"),
            }
            ExitCode::SUCCESS
        }
        Err(Error::Service(error)) => {
            let detail = &error.body;
            eprintln!(
                "error: HTTP {} {} (code {}): {} [request id {}]",
                error.status,
                detail.status.as_deref().unwrap_or("-"),
                detail.code,
                detail.message.as_deref().unwrap_or("-"),
                error.request_id.as_deref().unwrap_or("-"),
            );
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
