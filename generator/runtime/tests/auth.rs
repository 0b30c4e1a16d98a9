//! Authenticators on the wire: called once per attempt, built-in schemes applied where they
//! fit, secrets kept out of Debug output and error messages.

mod support;

use std::sync::{Arc, Mutex};

use sdkgen_runtime::{
    ApiKey, ApiKeyLocation, AuthContext, AuthError, AuthFuture, AuthRequest, Authenticator,
    BearerToken, Client, Error, MultiAuth, Request, ready_auth,
};
use support::api::{
    self, DESCRIBE_IMAGE, LIST_THINGS, LIST_THINGS_BOTH, LIST_THINGS_KEY_ONLY, decode_any,
    decode_image, error_body, image_body,
};
use support::{Reply, Server};

/// Records each call's attempt number and path parameters, and stamps the attempt on the request.
#[derive(Debug, Clone, Default)]
struct Recording {
    calls: Arc<Mutex<Vec<Call>>>,
}

#[derive(Debug, Clone)]
struct Call {
    attempt: u32,
    operation: &'static str,
    path_params: Vec<(String, String)>,
}

impl Authenticator for Recording {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        context: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        Box::pin(async move {
            // Stands for an await on a token refresh.
            tokio::task::yield_now().await;
            self.record(request, context);
            Ok(())
        })
    }
}

impl Recording {
    fn record(&self, request: &mut AuthRequest, context: &AuthContext<'_>) {
        let path_params = context
            .path_params
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect();
        let call = Call {
            attempt: context.attempt,
            operation: context.operation.id,
            path_params,
        };
        self.calls.lock().unwrap().push(call);
        request
            .headers_mut()
            .insert("x-attempt", context.attempt.into());
    }
}

#[tokio::test]
async fn the_authenticator_is_called_once_per_attempt_with_its_number() {
    let unavailable = Reply::json(503, &error_body("r", 503, "UNAVAILABLE"));
    let server = Server::replies(vec![
        unavailable.clone(),
        unavailable,
        Reply::json(200, &image_body("ok")),
    ])
    .await;
    let recording = Recording::default();
    let client = Client::builder(&server.base_url())
        .auth(recording.clone())
        .retry(api::fast_retry())
        .build()
        .unwrap();
    let request = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "cn/north")
        .path_param("imageId", "img");
    client.execute(request, decode_image).await.unwrap();

    let calls = recording.calls.lock().unwrap().clone();
    let attempts: Vec<u32> = calls.iter().map(|call| call.attempt).collect();
    assert_eq!(attempts, [1, 2, 3]);
    assert!(calls.iter().all(|call| call.operation == "describeImage"));
    let raw_params = vec![
        ("regionId".to_owned(), "cn/north".to_owned()),
        ("imageId".to_owned(), "img".to_owned()),
    ];
    assert_eq!(
        calls[0].path_params, raw_params,
        "path parameters reach the authenticator raw"
    );
    let stamped: Vec<Option<String>> = server
        .requests()
        .iter()
        .map(|request| request.header("x-attempt").map(str::to_owned))
        .collect();
    assert_eq!(
        stamped,
        [Some("1".into()), Some("2".into()), Some("3".into())]
    );
}

#[derive(Debug)]
struct Refusing;

impl Authenticator for Refusing {
    fn authenticate<'a>(
        &'a self,
        _: &'a mut AuthRequest,
        _: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        ready_auth(Err(AuthError("no credentials configured".into())))
    }
}

#[tokio::test]
async fn an_authenticator_error_stops_the_call_before_sending() {
    let server = Server::replies(vec![Reply::json(200, "{}")]).await;
    let client = Client::builder(&server.base_url())
        .auth(Refusing)
        .build()
        .unwrap();
    let error = client
        .execute(Request::new(&LIST_THINGS), decode_any)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Auth(AuthError(m)) if m == "no credentials configured"),
        "{error:?}"
    );
    assert!(server.requests().is_empty());
}

/// Fetches a bearer token from a token endpoint when it has none or its token has been used
/// `uses_per_token` times (standing for expiry): an authenticator that awaits I/O.
#[derive(Debug)]
struct Refreshing {
    token_url: String,
    uses_per_token: u32,
    state: Mutex<(Option<String>, u32)>,
}

impl Refreshing {
    /// The current token, unless it is missing or used up.
    fn current(&self) -> Option<String> {
        let mut state = self.state.lock().unwrap();
        let (token, uses) = &mut *state;
        let token = token.clone().filter(|_| *uses < self.uses_per_token)?;
        *uses += 1;
        Some(token)
    }

    async fn refresh(&self) -> Result<String, AuthError> {
        let fetched = async { reqwest::get(&self.token_url).await?.text().await };
        let token = fetched
            .await
            .map_err(|error| AuthError(format!("token refresh failed: {error}")))?;
        *self.state.lock().unwrap() = (Some(token.clone()), 1);
        Ok(token)
    }
}

impl Authenticator for Refreshing {
    fn authenticate<'a>(
        &'a self,
        request: &'a mut AuthRequest,
        _: &'a AuthContext<'a>,
    ) -> AuthFuture<'a> {
        Box::pin(async move {
            let token = match self.current() {
                Some(token) => token,
                None => self.refresh().await?,
            };
            let value = format!("Bearer {token}")
                .parse()
                .map_err(|_| AuthError("the token is not a header value".into()))?;
            request.headers_mut().insert("authorization", value);
            Ok(())
        })
    }
}

#[tokio::test]
async fn an_authenticator_can_await_a_token_refresh() {
    let tokens = Server::start(|n, _| Reply::status(200, &[], &format!("token-{n}"))).await;
    let api = Server::replies(vec![Reply::json(200, "{}")]).await;
    let client = Client::builder(&api.base_url())
        .auth(Refreshing {
            token_url: format!("{}/token", tokens.base_url()),
            uses_per_token: 2,
            state: Mutex::new((None, 0)),
        })
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .execute(Request::new(&LIST_THINGS), decode_any)
            .await
            .unwrap();
    }
    let sent: Vec<Option<String>> = api
        .requests()
        .iter()
        .map(|request| request.header("authorization").map(str::to_owned))
        .collect();
    assert_eq!(
        sent,
        [
            Some("Bearer token-0".into()),
            Some("Bearer token-0".into()),
            Some("Bearer token-1".into())
        ]
    );
    assert_eq!(tokens.requests().len(), 2);
}

#[tokio::test]
async fn built_in_authenticators_on_the_wire() {
    let server = Server::replies(vec![Reply::json(200, "{}")]).await;
    let send =
        |auth: Box<dyn Fn(sdkgen_runtime::ClientBuilder) -> sdkgen_runtime::ClientBuilder>| {
            let client = auth(Client::builder(&server.base_url())).build().unwrap();
            async move {
                client
                    .execute(Request::new(&LIST_THINGS).query("page", 1), decode_any)
                    .await
                    .unwrap()
            }
        };
    send(Box::new(|builder| builder.auth(BearerToken::new("tok-1")))).await;
    send(Box::new(|builder| {
        builder.auth(ApiKey::new(ApiKeyLocation::Header, "x-api-key", "key-2"))
    }))
    .await;
    send(Box::new(|builder| {
        builder.auth(ApiKey::new(ApiKeyLocation::Query, "api_key", "k 3&"))
    }))
    .await;
    send(Box::new(|builder| {
        builder.auth(ApiKey::new(ApiKeyLocation::Cookie, "session", "key-4"))
    }))
    .await;

    let requests = server.requests();
    assert_eq!(requests[0].header("authorization"), Some("Bearer tok-1"));
    assert_eq!(requests[1].header("x-api-key"), Some("key-2"));
    assert_eq!(requests[2].query(), Some("page=1&api_key=k%203%26"));
    assert_eq!(requests[3].header("cookie"), Some("session=key-4"));
    assert_eq!(requests[0].header("x-api-key"), None);
}

#[tokio::test]
async fn built_in_authenticators_skip_unsecured_operations_and_refuse_misfits() {
    let server = Server::replies(vec![Reply::json(200, &image_body("ok"))]).await;
    let bearer = Client::builder(&server.base_url())
        .auth(BearerToken::new("tok-secret"))
        .build()
        .unwrap();
    let request = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i");
    bearer.execute(request, decode_image).await.unwrap();
    assert_eq!(
        server.requests()[0].header("authorization"),
        None,
        "describeImage has no security"
    );

    let error = bearer
        .execute(Request::new(&LIST_THINGS_KEY_ONLY), decode_any)
        .await
        .unwrap_err();
    let Error::Auth(AuthError(message)) = &error else {
        panic!("{error:?}")
    };
    assert!(
        message.contains("listThingsKeyOnly") && message.contains("apiKeyHeader"),
        "{message}"
    );
    assert!(!error.to_string().contains("tok-secret"));
    assert_eq!(server.requests().len(), 1);
}

/// Sends `operation` with `auth`; the request the server saw, or the error.
async fn send_with(
    auth: impl Authenticator,
    operation: &'static sdkgen_runtime::Operation,
) -> Result<support::Recorded, Error<()>> {
    let server = Server::replies(vec![Reply::json(200, "{}")]).await;
    let client = Client::builder(&server.base_url())
        .auth(auth)
        .build()
        .unwrap();
    client
        .execute(Request::new(operation).query("page", 1), decode_any)
        .await
        .map_err(|error| match error {
            Error::Auth(error) => Error::Auth(error),
            other => panic!("{other:?}"),
        })?;
    Ok(server.requests().remove(0))
}

fn both() -> MultiAuth {
    MultiAuth::new()
        .with(ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "key-1"))
        .with(BearerToken::new("tok-2"))
        .with(ApiKey::new(ApiKeyLocation::Query, "api_key", "key-3"))
}

#[tokio::test]
async fn multi_auth_applies_every_scheme_of_one_requirement() {
    let sent = send_with(both(), &LIST_THINGS_BOTH).await.unwrap();
    assert_eq!(sent.header("x-api-key"), Some("key-1"));
    assert_eq!(sent.header("authorization"), Some("Bearer tok-2"));
    assert_eq!(
        sent.query(),
        Some("page=1"),
        "the other alternative is not applied"
    );

    // Alternatives stay alternatives: the first requirement met in full is the one applied.
    let sent = send_with(both(), &LIST_THINGS).await.unwrap();
    assert_eq!(sent.header("authorization"), Some("Bearer tok-2"));
    assert_eq!(sent.header("x-api-key"), None);
    assert_eq!(sent.query(), Some("page=1"));

    // Without the bearer token the first requirement cannot be met, so the second is used,
    // not half of the first.
    let query_only = MultiAuth::new()
        .with(ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "key-1"))
        .with(ApiKey::new(ApiKeyLocation::Query, "api_key", "key-3"));
    let sent = send_with(query_only, &LIST_THINGS_BOTH).await.unwrap();
    assert_eq!(sent.header("x-api-key"), None);
    assert_eq!(sent.query(), Some("page=1&api_key=key-3"));

    let sent = send_with(MultiAuth::new(), &LIST_THINGS_OPEN).await;
    assert!(sent.is_ok(), "an operation without security needs nothing");
}

/// `GET /things` without security.
static LIST_THINGS_OPEN: sdkgen_runtime::Operation = sdkgen_runtime::Operation {
    id: "listThingsOpen",
    method: sdkgen_runtime::Method::Get,
    path: "/things",
    security: &[],
    envelope: None,
    request_id_header: None,
};

#[tokio::test]
async fn a_requirement_no_authenticator_meets_in_full_is_refused() {
    let half = MultiAuth::new().with(ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "key-1"));
    let Err(Error::Auth(AuthError(message))) = send_with(half, &LIST_THINGS_BOTH).await else {
        panic!("half of a requirement was sent")
    };
    assert!(
        message.contains("listThingsBoth")
            && message.contains("apiKeyHeader and bearerAuth; apiKeyQuery"),
        "{message}"
    );

    // A single credential refuses a requirement of two schemes rather than send half of it.
    let Err(Error::Auth(AuthError(message))) =
        send_with(BearerToken::new("tok-secret"), &LIST_THINGS_BOTH).await
    else {
        panic!("a bearer token alone was sent")
    };
    assert!(message.contains("MultiAuth"), "{message}");
    assert!(!message.contains("tok-secret"), "{message}");
}

#[test]
fn debug_output_never_shows_secrets() {
    assert_eq!(
        format!("{:?}", BearerToken::new("s3cret")),
        r#"BearerToken { token: "***" }"#
    );
    let key = ApiKey::new(ApiKeyLocation::Header, "X-Api-Key", "s3cret");
    assert_eq!(
        format!("{key:?}"),
        r#"ApiKey { location: Header, name: "X-Api-Key", key: "***" }"#
    );
    let builder = Client::builder("https://example.com/v1")
        .auth(BearerToken::new("s3cret"))
        .default_header("X-Api-Key", "hdr-s3cret");
    let builder_debug = format!("{builder:?}");
    let client = builder.build().unwrap();
    let debug = format!("{builder_debug} {client:?}");
    assert!(
        debug.contains("BearerToken") && debug.contains("x-api-key"),
        "{debug}"
    );
    assert!(!debug.contains("s3cret"), "{debug}");
}

#[tokio::test]
async fn error_messages_never_show_a_query_api_key() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base_url = format!("http://{}/v1", listener.local_addr().unwrap());
    drop(listener);
    let client = Client::builder(&base_url)
        .auth(ApiKey::new(ApiKeyLocation::Query, "api_key", "s3cret"))
        .retry(sdkgen_runtime::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .execute(Request::new(&LIST_THINGS), decode_any)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Connection { .. }), "{error:?}");
    assert!(
        !error.to_string().contains("s3cret") && !format!("{error:?}").contains("s3cret"),
        "{error:?}"
    );
}
