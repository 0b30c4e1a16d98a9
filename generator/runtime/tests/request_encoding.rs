//! What reaches the server: path encoding of hostile values, query array styles, headers,
//! bodies and base-URL joining; invalid requests refused before sending.

mod support;

use sdkgen_runtime::{
    ArrayStyle, BuildError, Client, Error, Method, Operation, PathStyle, Request,
};
use support::api::{self, DESCRIBE_IMAGE, decode_any, decode_image, image_body};
use support::{Reply, Server};

static SEARCH: Operation = Operation {
    id: "search",
    method: Method::Get,
    path: "/search",
    security: &[],
    envelope: None,
    request_id_header: None,
};

static UPLOAD: Operation = Operation {
    id: "upload",
    method: Method::Put,
    path: "/files/{name}",
    security: &[],
    envelope: None,
    request_id_header: None,
};

async fn ok_server() -> Server {
    Server::replies(vec![Reply::json(200, &image_body("req"))]).await
}

#[tokio::test]
async fn hostile_path_values_never_change_the_path_structure() {
    let server = ok_server().await;
    let client = api::client(&server.base_url());
    let cases = [
        ("a/b", "a%2Fb"),
        ("?", "%3F"),
        ("#", "%23"),
        ("%", "%25"),
        ("%2F", "%252F"),
        ("+", "%2B"),
        ("a b", "a%20b"),
        ("é", "%C3%A9"),
        ("...", "..."),
        ("../x", "..%2Fx"),
        ("a-b_c.d~e", "a-b_c.d~e"),
    ];
    for (value, _) in cases {
        let request = Request::new(&DESCRIBE_IMAGE)
            .path_param("regionId", value)
            .path_param("imageId", "img");
        client.execute(request, decode_image).await.unwrap();
    }
    let received: Vec<String> = server
        .requests()
        .into_iter()
        .map(|request| request.target)
        .collect();
    let expected: Vec<String> = cases
        .iter()
        .map(|(_, encoded)| format!("/v1/regions/{encoded}/images/img"))
        .collect();
    assert_eq!(received, expected);
}

#[tokio::test]
async fn empty_dot_and_dot_dot_are_refused_before_sending() {
    let server = ok_server().await;
    let client = api::client(&server.base_url());
    for value in ["", ".", ".."] {
        let request = Request::new(&DESCRIBE_IMAGE)
            .path_param("regionId", "r")
            .path_param("imageId", value);
        let error = client.execute(request, decode_image).await.unwrap_err();
        let Error::InvalidRequest(message) = &error else {
            panic!("{value:?}: {error:?}")
        };
        assert!(message.contains("`imageId`"), "{message}");
    }
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn missing_and_unknown_path_parameters_are_refused() {
    let server = ok_server().await;
    let client = api::client(&server.base_url());
    let missing = Request::new(&DESCRIBE_IMAGE).path_param("regionId", "r");
    let error = client.execute(missing, decode_image).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("missing path parameter `imageId`")),
        "{error:?}"
    );
    let unknown = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i")
        .path_param("zoneId", "z");
    let error = client.execute(unknown, decode_image).await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("`zoneId`")),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

static STYLED: Operation = Operation {
    id: "styled",
    method: Method::Get,
    path: "/s/{simple}/l/{label}{labelx}/m/{matrix}{matrixx}",
    security: &[],
    envelope: None,
    request_id_header: None,
};

#[tokio::test]
async fn path_arrays_in_every_style_keep_their_delimiters_literal() {
    let server = ok_server().await;
    let values = ["a", "b,c", "d/é"];
    let request = Request::new(&STYLED)
        .path_array("simple", values, PathStyle::Simple)
        .path_array("label", values, PathStyle::Label { explode: false })
        .path_array("labelx", values, PathStyle::Label { explode: true })
        .path_array("matrix", values, PathStyle::Matrix { explode: false })
        .path_array("matrixx", values, PathStyle::Matrix { explode: true });
    api::client(&server.base_url())
        .execute(request, decode_any)
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].path(),
        "/v1/s/a,b%2Cc,d%2F%C3%A9/l/.a,b%2Cc,d%2F%C3%A9.a.b%2Cc.d%2F%C3%A9\
         /m/;matrix=a,b%2Cc,d%2F%C3%A9;matrixx=a;matrixx=b%2Cc;matrixx=d%2F%C3%A9"
    );

    let empty = Request::new(&UPLOAD).path_array("name", Vec::<u32>::new(), PathStyle::Simple);
    let error = api::client(&server.base_url())
        .execute(empty, decode_any)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("`name` is empty")),
        "{error:?}"
    );
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn every_array_style_on_the_wire() {
    let server = ok_server().await;
    let values = ["a", "b c", "d/é"];
    let request = Request::new(&SEARCH)
        .query_array("exploded", values, ArrayStyle::FormExploded)
        .query_array("form", values, ArrayStyle::Form)
        .query_array("space", values, ArrayStyle::SpaceDelimited)
        .query_array("pipe", values, ArrayStyle::PipeDelimited)
        .query_array("ids", values, ArrayStyle::Indexed)
        .query_array("empty", Vec::<String>::new(), ArrayStyle::Indexed)
        .query_opt("absent", None::<u32>)
        .query_opt("pageNumber", Some(2))
        .query("q", "x&y=z");
    api::client(&server.base_url())
        .execute(request, decode_any)
        .await
        .unwrap();
    let expected = [
        "exploded=a&exploded=b%20c&exploded=d%2F%C3%A9",
        "form=a,b%20c,d%2F%C3%A9",
        "space=a%20b%20c%20d%2F%C3%A9",
        "pipe=a|b%20c|d%2F%C3%A9",
        "ids.1=a&ids.2=b%20c&ids.3=d%2F%C3%A9",
        "pageNumber=2",
        "q=x%26y%3Dz",
    ]
    .join("&");
    let requests = server.requests();
    assert_eq!(requests[0].path(), "/v1/search");
    assert_eq!(requests[0].query(), Some(expected.as_str()));
}

#[tokio::test]
async fn no_query_sends_no_question_mark() {
    let server = ok_server().await;
    api::client(&server.base_url())
        .execute(Request::new(&SEARCH), decode_any)
        .await
        .unwrap();
    assert_eq!(server.requests()[0].target, "/v1/search");
}

#[tokio::test]
async fn base_url_paths_are_joined_not_replaced() {
    let server = ok_server().await;
    let origin = format!("http://{}", server.addr());
    for base in [
        format!("{origin}/v1"),
        format!("{origin}/v1/"),
        format!("{origin}/api/v2"),
        origin.clone(),
    ] {
        api::client(&base)
            .execute(Request::new(&SEARCH), decode_any)
            .await
            .unwrap();
    }
    let paths: Vec<String> = server
        .requests()
        .iter()
        .map(|request| request.path().to_owned())
        .collect();
    assert_eq!(
        paths,
        ["/v1/search", "/v1/search", "/api/v2/search", "/search"]
    );
}

#[tokio::test]
async fn headers_body_content_type_and_user_agent() {
    let server = ok_server().await;
    let client = Client::builder(&server.base_url())
        .user_agent("my-sdk/1.2")
        .default_header("Accept", "application/json")
        .build()
        .unwrap();
    let request = Request::new(&UPLOAD)
        .path_param("name", "a b.txt")
        .header("X-Trace", 42)
        .bytes_body("text/plain; charset=utf-8", "hello");
    client.execute(request, decode_any).await.unwrap();
    let json = Request::new(&SEARCH).json_body(&serde_json::json!({"name": "新"}));
    client.execute(json, decode_any).await.unwrap();

    let requests = server.requests();
    assert_eq!(
        (requests[0].method.as_str(), requests[0].path()),
        ("PUT", "/v1/files/a%20b.txt")
    );
    assert_eq!(requests[0].header("x-trace"), Some("42"));
    assert_eq!(
        requests[0].header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(requests[0].header("user-agent"), Some("my-sdk/1.2"));
    assert_eq!(requests[0].header("accept"), Some("application/json"));
    assert_eq!(requests[0].body, b"hello");
    assert_eq!(requests[1].header("content-type"), Some("application/json"));
    assert_eq!(requests[1].body, r#"{"name":"新"}"#.as_bytes());
}

#[tokio::test]
async fn every_request_sends_accept_unless_it_sets_its_own() {
    let server = ok_server().await;
    let default = Client::builder(&server.base_url()).build().unwrap();
    default
        .execute(Request::new(&SEARCH), decode_any)
        .await
        .unwrap();
    let own = Request::new(&SEARCH).header("Accept", "application/octet-stream");
    default.execute(own, decode_any).await.unwrap();
    let configured = Client::builder(&server.base_url())
        .accept("application/problem+json, application/json")
        .build()
        .unwrap();
    configured
        .execute(Request::new(&SEARCH), decode_any)
        .await
        .unwrap();

    let accepts: Vec<Vec<String>> = server
        .requests()
        .iter()
        .map(|request| {
            request
                .headers
                .iter()
                .filter(|(name, _)| name == "accept")
                .map(|(_, value)| value.clone())
                .collect()
        })
        .collect();
    assert_eq!(
        accepts,
        [
            vec!["application/json".to_owned()],
            vec!["application/octet-stream".to_owned()],
            vec!["application/problem+json, application/json".to_owned()],
        ]
    );
}

#[tokio::test]
async fn the_callers_own_http_client_sends_with_its_own_defaults() {
    let server = ok_server().await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-caller", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .user_agent("caller-agent/9")
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = Client::builder(&server.base_url())
        .http_client(http)
        .build()
        .unwrap();
    client
        .execute(Request::new(&SEARCH), decode_any)
        .await
        .unwrap();
    let requests = server.requests();
    assert_eq!(requests[0].header("x-caller"), Some("yes"));
    assert_eq!(requests[0].header("user-agent"), Some("caller-agent/9"));
}

#[tokio::test]
async fn unsendable_header_values_are_refused() {
    let server = ok_server().await;
    let request = Request::new(&SEARCH).header("X-Note", "line\nbreak");
    let error = api::client(&server.base_url())
        .execute(request, decode_any)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(m) if m.contains("`X-Note`")),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn invalid_base_urls_are_refused() {
    for base in [
        "not a url",
        "ftp://host/v1",
        "http://host/v1?x=1",
        "mailto:someone@example.com",
    ] {
        let error = Client::builder(base).build().unwrap_err();
        assert!(
            matches!(&error, BuildError::InvalidBaseUrl { url, .. } if url == base),
            "{base}: {error}"
        );
    }
    let error = Client::builder("http://host")
        .default_header("X-Secret", "s3cret\n")
        .build()
        .unwrap_err();
    assert!(matches!(&error, BuildError::InvalidHeader { .. }));
    assert!(!error.to_string().contains("s3cret"));
}
