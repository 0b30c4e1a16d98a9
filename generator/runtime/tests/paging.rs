//! `paging::paginate` over real calls: pages fetched lazily, in order, until the total.

mod support;

use std::pin::pin;
use std::time::Duration;

use futures_util::StreamExt;
use sdkgen_runtime::{
    Client, DecodeError, Error, Method, Operation, Outcome, RawResponse, Request, paging,
};
use serde::Deserialize;
use support::api::{self, ENVELOPE};
use support::{Reply, Server};

static LIST: Operation = Operation {
    id: "describeImages",
    method: Method::Get,
    path: "/images",
    security: &[],
    envelope: Some(ENVELOPE),
    request_id_header: None,
};

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    images: Vec<String>,
    total_count: i64,
}

fn decode(raw: &mut RawResponse) -> Result<Outcome<Page, ()>, DecodeError> {
    if raw.status().is_success() {
        raw.json_result().map(Outcome::Success)
    } else {
        Ok(Outcome::Unexpected)
    }
}

fn list(
    client: &Client,
    page: i64,
) -> impl Future<Output = Result<sdkgen_runtime::Response<Page>, Error<()>>> + Send {
    let client = client.clone();
    let request = Request::new(&LIST)
        .query("pageNumber", page)
        .query("pageSize", 2);
    async move { client.execute(request, decode).await }
}

fn page_server(pages: &'static [&'static str]) -> impl Fn(usize, &support::Recorded) -> Reply {
    move |_, request| {
        let number: usize = request
            .query()
            .and_then(|query| {
                query
                    .split('&')
                    .find_map(|pair| pair.strip_prefix("pageNumber="))
            })
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let images = pages.get(number.wrapping_sub(1)).copied().unwrap_or("");
        Reply::json(
            200,
            &format!(
                r#"{{"requestId":"p{number}","result":{{"images":[{images}],"totalCount":5}}}}"#
            ),
        )
    }
}

#[tokio::test]
async fn walks_three_pages_in_order_and_stops_at_the_total() {
    let server = Server::start(page_server(&[
        r#""a","b""#,
        r#""c","d""#,
        r#""e""#,
        r#""f""#,
    ]))
    .await;
    let client = api::client(&server.base_url());
    let mut stream = pin!(paging::paginate(
        1,
        |page| list(&client, page),
        |page: Page| (page.images, Some(page.total_count))
    ));
    assert_eq!(stream.next().await.unwrap().unwrap(), "a");
    assert_eq!(
        server.requests().len(),
        1,
        "the second page is fetched only when needed"
    );
    let rest: Vec<String> = stream.map(|item| item.unwrap()).collect().await;
    assert_eq!(rest, ["b", "c", "d", "e"]);
    let targets: Vec<String> = server
        .requests()
        .into_iter()
        .map(|request| request.target)
        .collect();
    assert_eq!(
        targets,
        [
            "/v1/images?pageNumber=1&pageSize=2",
            "/v1/images?pageNumber=2&pageSize=2",
            "/v1/images?pageNumber=3&pageSize=2"
        ]
    );
}

#[tokio::test]
async fn yields_the_error_and_ends() {
    let server = Server::replies(vec![
        Reply::json(200, r#"{"result":{"images":["a"],"totalCount":9}}"#),
        Reply::status(404, &[], "gone"),
    ])
    .await;
    let client = api::client(&server.base_url());
    let items: Vec<Result<String, Error<()>>> = paging::paginate(
        1,
        |page| list(&client, page),
        |page: Page| (page.images, Some(page.total_count)),
    )
    .collect()
    .await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].as_ref().unwrap(), "a");
    assert!(matches!(&items[1], Err(Error::UnexpectedStatus { status, .. }) if *status == 404));
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_the_stream_with_an_error() {
    // Always page 1, with a total the stream would never reach from distinct pages.
    let server = Server::replies(vec![Reply::json(
        200,
        r#"{"result":{"images":["a","b"],"totalCount":1000}}"#,
    )])
    .await;
    let client = api::client(&server.base_url());
    let stream = paging::paginate(
        1,
        |page| list(&client, page),
        |page: Page| (page.images, Some(page.total_count)),
    );
    let items: Vec<Result<String, Error<()>>> =
        tokio::time::timeout(Duration::from_secs(10), stream.collect())
            .await
            .expect("the stream must end");
    assert_eq!(items.len(), 3, "{items:?}");
    let error = items[2].as_ref().unwrap_err();
    assert!(matches!(error, Error::Paging { page: 2, .. }), "{error:?}");
    assert!(
        error.to_string().contains("ignores the page parameter"),
        "{error}"
    );
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn starting_from_page_two_stops_at_the_total() {
    let server = Server::start(page_server(&[r#""a","b""#, r#""c","d""#, r#""e""#])).await;
    let client = api::client(&server.base_url());
    let items: Vec<String> = paging::paginate(
        2,
        |page| list(&client, page),
        |page: Page| (page.images, Some(page.total_count)),
    )
    .map(|item| item.unwrap())
    .collect()
    .await;
    assert_eq!(items, ["c", "d", "e"]);
    assert_eq!(
        server.requests().len(),
        2,
        "pages 2 and 3: 2 + 2 + 1 = the total of 5"
    );
}
