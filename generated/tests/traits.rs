//! Compile-time guarantees: the client can be shared across tasks and threads, and every
//! future and stream it returns can be spawned on a multi-threaded runtime.

use std::future::IntoFuture;

use jdcloud_vm::{Client, ClientBuilder, ConfigError, Credentials};

fn assert_clone_send_sync<T: Clone + Send + Sync + 'static>() {}
fn assert_send<T: Send>(_: &T) {}
fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}

#[test]
fn client_and_config_types_are_shareable() {
    assert_clone_send_sync::<Client>();
    assert_clone_send_sync::<ClientBuilder>();
    assert_clone_send_sync::<Credentials>();
    assert_error::<ConfigError>();
}

#[test]
fn futures_and_streams_are_send() {
    let client = Client::builder()
        .credentials(Credentials::new("AK", "SK"))
        .build()
        .unwrap();
    // Futures are lazy: building them sends nothing.
    assert_send(&client.describe_image("cn-north-1", "img-1").into_future());
    assert_send(&client.describe_image("cn-north-1", "img-1").send());
    assert_send(&client.describe_images("cn-north-1").into_future());
    assert_send(&client.describe_images("cn-north-1").into_stream());
}
