//! Typed async client for JD Cloud's Virtual Machines API (all 62 operations), generated
//! from `schema/jdcloud-vm.yaml` by `cargo xtask codegen`, with the JD Cloud parts written by
//! hand: request signing ([`signing`]) and configuration ([`config`]).
//!
//! ```no_run
//! use futures_util::StreamExt as _;
//! use jdcloud_vm::Client;
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // JDCLOUD_ACCESS_KEY and JDCLOUD_SECRET_KEY (optionally JDCLOUD_SECURITY_TOKEN and
//! // JDCLOUD_ENDPOINT) from the environment.
//! let client = Client::from_env()?;
//!
//! // One image: the envelope is unwrapped, the request id kept.
//! let response = client.describe_image("cn-north-1", "img-m5s0p7ka2z").await?;
//! println!("{:?} (request id {:?})", response.body.image, response.request_id);
//!
//! // Every image, fetching pages as the stream is read.
//! let mut images = std::pin::pin!(client.describe_images("cn-north-1").into_stream());
//! while let Some(image) = images.next().await {
//!     println!("{:?}", image?.image_id);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Every request is signed with JDCLOUD3-HMAC-SHA256 at the client's clock, corrected once a
//! gateway has rejected a request and shown with its `Date` that our clock is minutes off.
//! Every attempt ends within its timeout (body included), and bodies are read up to
//! [`ClientBuilder::max_body_size`] (10 MiB by default). Idempotent requests are retried on
//! 429, 500, 502, 503, 504, timeouts and connection failures, within a retry budget shared by
//! the client's calls ([`RetryPolicy`]); every failure is one [`Error`], whose message says
//! what the server said. [`ClientBuilder`] sets credentials, endpoint, timeout, retries,
//! body limit and the `reqwest::Client` explicitly.
#![deny(missing_docs)]

#[rustfmt::skip]
mod jdcloud_vm;
// `self::`: rustdoc passes this crate to its own doctests as `jdcloud_vm`, which would
// make a bare `jdcloud_vm::*` ambiguous between the module and the crate.
pub use self::jdcloud_vm::*;

pub mod config;
pub mod signing;

pub use config::{ClientBuilder, ConfigError};
/// The generic runtime the client is built on (transport, retries, auth trait), re-exported so
/// applications need no direct dependency on it.
pub use sdkgen_runtime as runtime;
pub use sdkgen_runtime::{Error, Response, RetryPolicy};
pub use signing::{Credentials, JdcloudSigner};
