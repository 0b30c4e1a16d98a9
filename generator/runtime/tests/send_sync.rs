//! Compile-time guarantees generated code relies on: a shareable `Client`, `Send` futures
//! and streams (so calls can run on a multi-threaded runtime or be spawned), and errors that
//! `?` turns into `Box<dyn Error + Send + Sync>`.

mod support;

use sdkgen_runtime::{BodyError, BuildError, ByteStream, Client, Error, Request, paging};
use support::api::{ApiError, DESCRIBE_IMAGE, decode_image};

fn assert_send<T: Send>(_: &T) {}
fn assert_client<T: Clone + Send + Sync + 'static>() {}

#[test]
fn client_is_clone_send_sync() {
    assert_client::<Client>();
}

#[test]
fn errors_convert_into_boxed_thread_safe_errors() {
    fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
    assert_error::<Error<ApiError>>();
    assert_error::<BuildError>();
    assert_error::<BodyError>();
}

#[test]
fn execute_and_paginate_are_send() {
    let client = Client::builder("http://127.0.0.1:9/v1").build().unwrap();
    let request = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i");
    // Never polled: only the types are checked.
    assert_send(&client.execute(request, decode_image));
    let streamed = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i");
    assert_send(&client.execute_streaming(streamed, decode_image));
    fn assert_stream<
        S: futures_util::Stream<Item = Result<sdkgen_runtime::Bytes, BodyError>> + Send + Unpin,
    >() {
    }
    assert_stream::<ByteStream>();
    let stream = paging::paginate(
        1,
        move |page| {
            let request = Request::new(&DESCRIBE_IMAGE)
                .path_param("regionId", "r")
                .path_param("imageId", page);
            let client = client.clone();
            async move { client.execute(request, decode_image).await }
        },
        |result| (vec![result.image], Some(1)),
    );
    assert_send(&stream);
}
