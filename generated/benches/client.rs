//! Per-request overhead of the client, each beside its floor measured in the same run:
//! `cargo bench -p jdcloud-vm --bench client`.
//!
//! - `sign/describe_image`: the crate's JDCLOUD3-HMAC-SHA256 signer ([`jdcloud_vm::signing::sign`])
//!   on a describeImage GET; `sign/describe_image_kept_key`: the same with the day's signing key
//!   kept, as `JdcloudSigner` signs; `sign/floor_hmac_chain`: only the hashing it cannot avoid (SHA-256
//!   of the same canonical request, kDate..kSigning, and the HMAC of the same string to sign,
//!   hex-encoded as the `Authorization` header carries it).
//! - `decode/describe_image`: a realistic describeImage body through the runtime's decode path
//!   (`RawResponse::json_result`, envelope unwrapped, request id picked up) into the generated
//!   model; `decode/floor_plain_serde`: hand-written plain serde structs of the same shape
//!   (enum-valued fields as `String`, as a hand-written client keeping unknown values would
//!   have them) decoding the same bytes with `serde_json::from_slice`;
//!   `decode/generated_models_plain_envelope`: the generated models under the plain envelope,
//!   which splits the difference between the runtime's envelope and the generated types.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use jdcloud_vm::models::DescribeImageResult;
use jdcloud_vm::operations::DESCRIBE_IMAGE;
use jdcloud_vm::signing::{
    Credentials, SigningDate, SigningKey, SigningRequest, sign, sign_with_key,
};
use sdkgen_runtime::{Bytes, HeaderMap, RawResponse, StatusCode};
use sha2::{Digest, Sha256};

const BODY: &[u8] = include_bytes!("data/describe_image.json");

fn signing(c: &mut Criterion) {
    let credentials = Credentials::new(
        "AKBENCH0000000000000",
        "SKBENCH00000000000000000000000000000",
    );
    let url = reqwest::Url::parse(
        "https://vm.jdcloud-api.com/v1/regions/cn-north-1/images/img-m5s0p7ka2z",
    )
    .expect("a valid URL");
    let date: SigningDate = "20260914T082155Z".parse().expect("a valid signing date");
    // The headers the crate's signer puts on a describeImage attempt before signing.
    let headers = [
        ("content-type", "application/json"),
        ("x-jdcloud-date", "20260914T082155Z"),
        ("x-jdcloud-nonce", "0f9c5c1e-3c4b-4b7e-9a55-2a1d7b0d6e21"),
        ("user-agent", "jdcloud-vm/0.1.0"),
    ];
    let request = SigningRequest {
        method: "GET",
        url: &url,
        headers: &headers,
        body: b"",
        region: "cn-north-1",
        service: "vm",
        credentials: &credentials,
        date: &date,
    };
    // The floor hashes exactly what the signer hashed.
    let expected = sign(&request);
    let floor = floor_sign(
        "SKBENCH00000000000000000000000000000",
        "20260914",
        &expected.canonical_request,
        &expected.string_to_sign,
    );
    assert_eq!(
        floor, expected.signature,
        "the floor must compute the same signature"
    );

    let mut group = c.benchmark_group("sign");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("describe_image", |b| b.iter(|| sign(black_box(&request))));
    // What `JdcloudSigner` does per request: the signing key is kept for the day.
    let key = SigningKey::derive(&request);
    assert_eq!(sign_with_key(&request, &key), expected);
    group.bench_function("describe_image_kept_key", |b| {
        b.iter(|| sign_with_key(black_box(&request), black_box(&key)))
    });
    group.bench_function("floor_hmac_chain", |b| {
        b.iter(|| {
            floor_sign(
                black_box("SKBENCH00000000000000000000000000000"),
                black_box("20260914"),
                black_box(&expected.canonical_request),
                black_box(&expected.string_to_sign),
            )
        })
    });
    group.finish();
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The unavoidable work of one signature: the canonical-request hash, the HMAC chain, and
/// the signature in hex.
fn floor_sign(secret: &str, date8: &str, canonical_request: &str, string_to_sign: &str) -> String {
    black_box(Sha256::digest(canonical_request.as_bytes()));
    let k_date = hmac(format!("JDCLOUD3{secret}").as_bytes(), date8.as_bytes());
    let k_region = hmac(&k_date, b"cn-north-1");
    let k_service = hmac(&k_region, b"vm");
    let k_signing = hmac(&k_service, b"jdcloud3_request");
    hex::encode(hmac(&k_signing, string_to_sign.as_bytes()))
}

fn decoding(c: &mut Criterion) {
    let body = Bytes::from_static(BODY);
    let mut headers = HeaderMap::new();
    headers.insert(
        "content-type",
        "application/json".parse().expect("a valid header value"),
    );
    headers.insert(
        "x-jdcloud-request-id",
        "c2ql0k4h4ghb0u3ddv7vvf1crf6rk1dk"
            .parse()
            .expect("a valid header value"),
    );

    // Both decoders must accept the body, and agree on what they read.
    let generated = RawResponse::new(
        &DESCRIBE_IMAGE,
        StatusCode::OK,
        headers.clone(),
        body.clone(),
    )
    .json_result::<DescribeImageResult>()
    .expect("the runtime decodes the body");
    let plain: floor::Envelope<floor::DescribeImageResult> =
        serde_json::from_slice(BODY).expect("the floor decodes the body");
    let disks = |count: Option<usize>| count.unwrap_or_default();
    assert_eq!(
        disks(
            generated
                .image
                .as_ref()
                .and_then(|i| i.data_disks.as_ref())
                .map(Vec::len)
        ),
        disks(
            plain
                .result
                .image
                .as_ref()
                .and_then(|i| i.data_disks.as_ref())
                .map(Vec::len)
        ),
    );

    let mut group = c.benchmark_group("decode");
    group
        .sample_size(50)
        .measurement_time(Duration::from_secs(3));
    group.bench_function("describe_image", |b| {
        b.iter_batched(
            || (headers.clone(), body.clone()),
            |(headers, body)| {
                RawResponse::new(&DESCRIBE_IMAGE, StatusCode::OK, headers, body)
                    .json_result::<DescribeImageResult>()
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("floor_plain_serde", |b| {
        b.iter_batched(
            || body.clone(),
            |body| serde_json::from_slice::<floor::Envelope<floor::DescribeImageResult>>(&body),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("generated_models_plain_envelope", |b| {
        b.iter_batched(
            || body.clone(),
            |body| serde_json::from_slice::<floor::Envelope<DescribeImageResult>>(&body),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

/// Hand-written plain serde structs of the describeImage response's shape.
#[allow(dead_code, reason = "the fields are decoded to be measured, not read")]
mod floor {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Envelope<T> {
        pub request_id: Option<String>,
        pub result: T,
    }

    #[derive(Deserialize)]
    pub struct DescribeImageResult {
        pub image: Option<Image>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Image {
        pub architecture: Option<String>,
        pub boot_mode: Option<String>,
        pub create_time: Option<String>,
        pub data_disks: Option<Vec<InstanceDiskAttachment>>,
        pub desc: Option<String>,
        pub expired_time: Option<String>,
        pub image_id: Option<String>,
        pub image_source: Option<String>,
        pub imported: Option<bool>,
        pub instance_id: Option<String>,
        pub launch_permission: Option<String>,
        pub login_name: Option<String>,
        pub name: Option<String>,
        pub offline: Option<bool>,
        pub os_type: Option<String>,
        pub os_version: Option<String>,
        pub owner_pin: Option<String>,
        pub platform: Option<String>,
        pub progress: Option<String>,
        pub root_device_type: Option<String>,
        #[serde(rename = "sizeMB")]
        pub size_mb: Option<i64>,
        pub snapshot_id: Option<String>,
        pub status: Option<String>,
        pub system_disk: Option<InstanceDiskAttachment>,
        #[serde(rename = "systemDiskSizeGB")]
        pub system_disk_size_gb: Option<i64>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct InstanceDiskAttachment {
        pub auto_delete: Option<bool>,
        pub cloud_disk: Option<Disk>,
        pub device_name: Option<String>,
        pub disk_category: Option<String>,
        pub local_disk: Option<LocalDisk>,
        pub status: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct LocalDisk {
        #[serde(rename = "diskSizeGB")]
        pub disk_size_gb: Option<i64>,
        pub disk_type: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Disk {
        pub attachments: Option<Vec<DiskAttachment>>,
        pub az: Option<String>,
        pub can_put_in_recycle_bin: Option<bool>,
        pub charge: Option<Charge>,
        pub create_time: Option<String>,
        pub description: Option<String>,
        pub disk_id: Option<String>,
        #[serde(rename = "diskSizeGB")]
        pub disk_size_gb: Option<i64>,
        pub disk_type: Option<String>,
        pub enabled: Option<bool>,
        pub encrypted: Option<bool>,
        pub iops: Option<i64>,
        pub multi_attachable: Option<bool>,
        pub name: Option<String>,
        pub resource_group_id: Option<String>,
        pub snapshot_id: Option<String>,
        pub status: Option<String>,
        pub tags: Option<Vec<Tag>>,
        pub throughput: Option<i64>,
        pub trash_time: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct DiskAttachment {
        pub attach_time: Option<String>,
        pub attachment_id: Option<String>,
        pub disk_id: Option<String>,
        pub instance_id: Option<String>,
        pub instance_type: Option<String>,
        pub status: Option<String>,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct Charge {
        pub charge_expired_time: Option<String>,
        pub charge_mode: Option<String>,
        pub charge_retire_time: Option<String>,
        pub charge_start_time: Option<String>,
        pub charge_status: Option<String>,
    }

    #[derive(Deserialize)]
    pub struct Tag {
        pub key: Option<String>,
        pub value: Option<String>,
    }
}

criterion_group!(benches, signing, decoding);
criterion_main!(benches);
