//! Round trips through the `schemas` fixture: readOnly/writeOnly properties optional in the
//! one type that serves both directions; absent, `null` and a value kept apart in request
//! bodies (`Nullable`).

use fixture_schemas::models::{Account, AccountPatch, Note};
use sdkgen_runtime::Nullable;
use serde_json::json;

mod support;
use support::{decode, encode};

#[test]
fn read_only_and_write_only_properties_are_not_required() {
    // What a caller sends: no `id` (read-only).
    let sent = Account {
        id: None,
        email: "a@example.com".to_owned(),
        password: Some("secret".to_owned()),
        nickname: Nullable::Absent,
    };
    assert_eq!(
        encode(&sent),
        json!({"email": "a@example.com", "password": "secret"})
    );
    // What the service answers: no `password` (write-only).
    let wire = json!({"id": "u1", "email": "a@example.com"});
    let received: Account = decode(wire.clone());
    assert_eq!(received.id.as_deref(), Some("u1"));
    assert_eq!(received.password, None);
    assert_eq!(encode(&received), wire);
}

#[test]
fn absent_null_and_a_value_survive_decode_and_encode() {
    let cases = [
        (json!({"version": 3}), Nullable::Absent),
        (json!({"version": 3, "nickname": null}), Nullable::Null),
        (
            json!({"version": 3, "nickname": "kim"}),
            Nullable::Value("kim".to_owned()),
        ),
    ];
    for (wire, nickname) in cases {
        let patch: AccountPatch = decode(wire.clone());
        assert_eq!(patch.nickname, nickname, "{wire}");
        assert_eq!(encode(&patch), wire);
    }
}

#[test]
fn a_patch_sends_null_only_where_asked() {
    let patch = AccountPatch {
        version: None,
        nickname: Nullable::Null,
        email: None,
        tags: Nullable::Value(vec!["a".to_owned()]),
        note: Nullable::Value(Note {
            text: Some("hi".to_owned()),
        }),
    };
    // A required nullable field is always sent (`null` for `None`); an optional one that is
    // not nullable is left out; `Absent` is left out.
    assert_eq!(
        encode(&patch),
        json!({"version": null, "nickname": null, "tags": ["a"], "note": {"text": "hi"}})
    );
    let cleared = AccountPatch {
        note: Nullable::Null,
        tags: Nullable::Absent,
        ..patch
    };
    assert_eq!(
        encode(&cleared),
        json!({"version": null, "nickname": null, "note": null})
    );
    let decoded: AccountPatch = decode(json!({"version": null, "note": null, "tags": null}));
    assert_eq!(decoded.note, Nullable::Null);
    assert_eq!(decoded.tags, Nullable::Null);
    assert_eq!(decoded.nickname, Nullable::Absent);
}
