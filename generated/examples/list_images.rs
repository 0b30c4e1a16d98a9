//! Lists every image of a region, fetching pages as it goes.
//!
//! ```text
//! export JDCLOUD_ACCESS_KEY=... JDCLOUD_SECRET_KEY=...
//! cargo run -p jdcloud-vm --example list_images -- cn-north-1
//! ```

use std::pin::pin;
use std::process::ExitCode;

use futures_util::StreamExt as _;
use jdcloud_vm::Client;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [region] = &args[..] else {
        eprintln!("usage: list_images <region>");
        return ExitCode::from(2);
    };
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut images = pin!(
        client
            .describe_images(region.as_str())
            .page_size(100)
            .into_stream()
    );
    let mut count = 0;
    while let Some(image) = images.next().await {
        match image {
            Ok(image) => {
                count += 1;
                println!(
                    "{}\t{}\t{}",
                    image.image_id.as_deref().unwrap_or("-"),
                    image
                        .status
                        .map(|status| status.to_string())
                        .unwrap_or_default(),
                    image.name.as_deref().unwrap_or("-"),
                );
            }
            Err(error) => {
                eprintln!("error after {count} image(s): {error}");
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!("{count} image(s)");
    ExitCode::SUCCESS
}
