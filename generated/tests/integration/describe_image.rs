//! describeImage end to end: signed request, realistic body, forward-compatible decoding.

use jdcloud_vm::models::{Architecture, ImageStatus};
use jdcloud_vm::{Client, Credentials};
use serde_json::json;

use super::server::{Reply, TestServer};
use super::{client, fast_retries, verify};

/// A describeImage body as JD Cloud sends it, with fields and enum values the spec does not
/// know (they must decode, the unknown enum value into `Unknown`).
fn realistic_body() -> serde_json::Value {
    json!({
        "requestId": "c6p3vv3ha0d5q6ebk4f6v8kkqc2ve0s1",
        "result": {
            "image": {
                "imageId": "img-m5s0p7ka2z",
                "name": "CentOS 7.9 64位",
                "platform": "CentOS",
                "osVersion": "7.9",
                "architecture": "loongarch64",
                "systemDiskSizeGB": 40,
                "imageSource": "public",
                "osType": "linux",
                "status": "copying",
                "createTime": "2021-03-02T08:30:11Z",
                "sizeMB": 1843,
                "desc": "官方镜像",
                "systemDisk": {
                    "diskCategory": "cloud",
                    "autoDelete": true,
                    "deviceName": "vda",
                    "status": "attached",
                    "cloudDisk": {
                        "diskId": "vol-w3x4y5z6a7",
                        "diskType": "ssd.gp1",
                        "diskSizeGB": 40,
                        "status": "in-use",
                        "enabled": true,
                        "charge": {"chargeMode": "postpaid_by_duration", "chargeStatus": "normal"},
                        "tags": [{"key": "team", "value": "infra"}],
                        "brandNewDiskField": {"nested": [1, 2, 3]}
                    }
                },
                "dataDisks": [],
                "snapshotId": "",
                "rootDeviceType": "cloudDisk",
                "progress": "100",
                "offline": false,
                "bootMode": "bios",
                "isGpuImage": false,
                "supportedInstanceFamilies": ["g.n2", "c.n3"]
            }
        }
    })
}

/// A client for `server` signing with temporary credentials (access key, secret, token).
fn temporary_credentials_client(server: &TestServer) -> Client {
    Client::builder()
        .credentials(
            Credentials::new(verify::TOKEN_ACCESS_KEY, verify::TOKEN_SECRET_KEY)
                .with_security_token(verify::TOKEN),
        )
        .endpoint(server.origin())
        .retry(fast_retries())
        .build()
        .unwrap()
}

#[tokio::test]
async fn describe_image_is_signed_and_decodes_a_realistic_body() {
    let server = TestServer::start(|_, _| Reply::json(200, &realistic_body())).await;
    let client = client(&server);

    let response = client
        .describe_image("cn-north-1", "img-m5s0p7ka2z")
        .await
        .unwrap();

    assert_eq!(response.status.as_u16(), 200);
    assert_eq!(
        response.request_id.as_deref(),
        Some("c6p3vv3ha0d5q6ebk4f6v8kkqc2ve0s1")
    );
    let image = response
        .body
        .image
        .as_ref()
        .expect("the result holds the image");
    assert_eq!(image.image_id.as_deref(), Some("img-m5s0p7ka2z"));
    assert_eq!(image.name.as_deref(), Some("CentOS 7.9 64位"));
    assert_eq!(image.system_disk_size_gb, Some(40));
    assert_eq!(
        image.status,
        Some(ImageStatus::Unknown("copying".to_owned()))
    );
    assert_eq!(
        image.architecture,
        Some(Architecture::Unknown("loongarch64".to_owned()))
    );

    server.assert_all_signed();
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method, "GET");
    assert_eq!(
        request.target,
        "/v1/regions/cn-north-1/images/img-m5s0p7ka2z"
    );
    assert_eq!(request.header("content-type"), Some("application/json"));
    let user_agent = request.header("user-agent").unwrap_or_default();
    assert!(user_agent.starts_with("jdcloud-vm-rust/"), "{user_agent}");
    assert!(request.header("x-jdcloud-security-token").is_none());
}

#[tokio::test]
async fn temporary_credentials_send_and_sign_the_token() {
    let server = TestServer::start(|_, _| Reply::json(200, &realistic_body())).await;
    let client = temporary_credentials_client(&server);

    client.describe_image("cn-east-2", "img-1").await.unwrap();

    // The verifier requires the base64 token header and its presence in SignedHeaders.
    server.assert_all_signed();
}

#[tokio::test]
async fn the_callers_own_http_client_is_used() {
    let server = TestServer::start(|_, _| Reply::json(200, &realistic_body())).await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-caller", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = Client::builder()
        .credentials(Credentials::new(verify::ACCESS_KEY, verify::SECRET_KEY))
        .endpoint(server.origin())
        .http_client(http)
        .build()
        .unwrap();

    client.describe_image("cn-north-1", "img-1").await.unwrap();

    assert_eq!(server.requests()[0].header("x-caller"), Some("yes"));
    // Added by reqwest after signing: sent, not signed, and the signature still holds.
    server.assert_all_signed();
}

#[tokio::test]
async fn request_id_comes_from_the_header_when_the_body_has_none() {
    let server = TestServer::start(|_, _| {
        Reply::json(200, &json!({"result": {"image": {"imageId": "img-1"}}}))
            .with_header("x-jdcloud-request-id", "req-from-header")
    })
    .await;

    let response = client(&server)
        .describe_image("cn-north-1", "img-1")
        .await
        .unwrap();

    assert_eq!(response.request_id.as_deref(), Some("req-from-header"));
    server.assert_all_signed();
}

#[tokio::test]
async fn secrets_never_appear_in_debug_output() {
    let server = TestServer::start(|_, _| Reply::json(200, &realistic_body())).await;
    let client = temporary_credentials_client(&server);
    let shown = format!("{client:?} {client:#?}");
    assert!(
        shown.contains(verify::TOKEN_ACCESS_KEY),
        "the access key id is not secret: {shown}"
    );
    assert!(!shown.contains(verify::TOKEN_SECRET_KEY), "{shown}");
    assert!(!shown.contains(verify::TOKEN), "{shown}");
}
