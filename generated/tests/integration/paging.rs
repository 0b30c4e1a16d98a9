//! describeImages: indexed array query parameters, and a stream that walks every page.

use futures_util::StreamExt as _;
use jdcloud_vm::models::Architecture;
use serde_json::json;

use super::client;
use super::server::{Received, Reply, TestServer};

/// The value of query parameter `name` as received (still encoded).
fn query_param<'a>(request: &'a Received, name: &str) -> Option<&'a str> {
    request
        .query()
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// Seven images in pages of three: pages 1, 2 and 3 hold 3, 3 and 1.
fn page_reply(request: &Received) -> Reply {
    let page: usize = query_param(request, "pageNumber")
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let first = (page - 1) * 3 + 1;
    let images: Vec<_> = (first..=7.min(first + 2))
        .map(|n| json!({"imageId": format!("img-{n}"), "status": "ready"}))
        .collect();
    Reply::json(
        200,
        &json!({"requestId": format!("req-page-{page}"), "result": {"images": images, "totalCount": 7}}),
    )
}

#[tokio::test]
async fn the_stream_walks_three_pages_in_order() {
    let server = TestServer::start(|request, _| page_reply(request)).await;
    let client = client(&server);

    let images: Vec<_> = client
        .describe_images("cn-north-1")
        .page_size(3)
        .into_stream()
        .collect()
        .await;

    let ids: Vec<String> = images
        .into_iter()
        .map(|image| image.unwrap().image_id.unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "img-1", "img-2", "img-3", "img-4", "img-5", "img-6", "img-7"
        ]
    );
    let requests = server.requests();
    let pages: Vec<_> = requests
        .iter()
        .map(|r| query_param(r, "pageNumber").unwrap().to_owned())
        .collect();
    assert_eq!(
        pages,
        ["1", "2", "3"],
        "one request per page, in order, none after the total"
    );
    assert!(
        requests
            .iter()
            .all(|r| query_param(r, "pageSize") == Some("3"))
    );
    assert!(
        requests
            .iter()
            .all(|r| r.path() == "/v1/regions/cn-north-1/images")
    );
    server.assert_all_signed();
}

#[tokio::test]
async fn pages_are_fetched_only_as_items_are_taken() {
    let server = TestServer::start(|request, _| page_reply(request)).await;
    let client = client(&server);

    let first_four: Vec<_> = client
        .describe_images("cn-north-1")
        .page_size(3)
        .into_stream()
        .take(4)
        .collect()
        .await;

    assert_eq!(first_four.len(), 4);
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn ids_go_on_the_wire_indexed() {
    let server = TestServer::start(|request, _| page_reply(request)).await;

    client(&server)
        .describe_images("cn-north-1")
        // Sent after `ids` in spec order though it sorts first, so the signer must sort the
        // query to verify.
        .architecture(Architecture::X8664)
        .ids(vec!["img-a".to_owned(), "img b/中".to_owned()])
        .await
        .unwrap();

    let requests = server.requests();
    let query = requests[0].query();
    assert!(
        query.contains("ids.1=img-a&ids.2=img%20b%2F%E4%B8%AD"),
        "{query}"
    );
    assert!(query.starts_with("ids.1="), "{query}");
    assert!(query.ends_with("&architecture=x86_64"), "{query}");
    server.assert_all_signed();
}
