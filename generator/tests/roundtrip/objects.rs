//! Round trips through the `objects` fixture: required, nullable and optional properties,
//! defaults (documented, never invented), unknown fields ignored.

use fixture_objects::models::{Account, Empty};
use serde_json::json;

mod support;
use support::{decode, encode};

#[test]
fn every_property_present_round_trips() {
    let wire = json!({
        "id": "a1",
        "owner": "ann",
        "nickname": "a",
        "note": "n",
        "limit": 50,
        "active": false,
        "legacy": "old",
        "tricky": "*/ /* ```",
    });
    let account: Account = decode(wire.clone());
    assert_eq!(account.id, "a1");
    assert_eq!(account.owner.as_deref(), Some("ann"));
    assert_eq!(account.limit, Some(50));
    assert_eq!(account.active, Some(false));
    assert_eq!(encode(&account), wire);
}

#[test]
fn absent_optional_properties_stay_absent_and_defaults_are_not_invented() {
    let account: Account = decode(json!({"id": "a1", "owner": null}));
    assert_eq!(account.owner, None);
    assert_eq!(account.nickname, None);
    assert_eq!(
        account.limit, None,
        "the default 20 is documented, not filled in"
    );
    assert_eq!(account.active, None);
    // A required nullable property is always sent, as null when it is None.
    assert_eq!(encode(&account), json!({"id": "a1", "owner": null}));
}

#[test]
fn null_in_an_optional_nullable_property_reads_as_none() {
    let account: Account = decode(json!({"id": "a1", "owner": "o", "note": null}));
    assert_eq!(account.note, None);
    assert_eq!(encode(&account), json!({"id": "a1", "owner": "o"}));
}

#[test]
fn unknown_fields_are_ignored() {
    let account: Account = decode(json!({
        "id": "a1",
        "owner": null,
        "addedLater": {"deep": [1, 2, 3]},
        "another": null,
    }));
    assert_eq!(encode(&account), json!({"id": "a1", "owner": null}));
}

#[test]
fn a_missing_required_property_or_a_wrong_type_is_an_error() {
    assert!(serde_json::from_value::<Account>(json!({"owner": "o"})).is_err());
    assert!(serde_json::from_value::<Account>(json!({"id": null, "owner": "o"})).is_err());
    assert!(serde_json::from_value::<Account>(json!({"id": 1, "owner": "o"})).is_err());
    assert!(serde_json::from_value::<Account>(json!({"id": "a", "limit": "20"})).is_err());
    assert!(
        serde_json::from_value::<Account>(json!({"id": "a", "limit": 3_000_000_000i64})).is_err()
    );
}

#[test]
fn decode_errors_name_the_field_or_the_struct_expected() {
    let message = |text: &str| serde_json::from_str::<Account>(text).unwrap_err().to_string();
    assert_eq!(
        message(r#"{"owner": "o"}"#),
        "missing field `id` at line 1 column 14"
    );
    assert_eq!(
        message(r#"{"id": "a", "owner": "o", "id": "b"}"#),
        "duplicate field `id` at line 1 column 30"
    );
    assert_eq!(
        message(r#"["a1", "ann"]"#),
        "invalid type: sequence, expected struct Account at line 1 column 1"
    );
    assert_eq!(
        message(r#"{"id": "a", "owner": "o", "limit": "20"}"#),
        "invalid type: string \"20\", expected i32 at line 1 column 39"
    );
}

#[test]
fn a_missing_required_nullable_property_reads_as_none() {
    // What serde's derive does too: `null` is all the property could say.
    let account: Account = decode(json!({"id": "a1"}));
    assert_eq!(account.owner, None);
}

#[test]
fn an_object_without_properties_keeps_whatever_it_holds() {
    let wire = json!({"a": 1, "b": [true, null], "c": {"d": "e"}});
    let empty: Empty = decode(wire.clone());
    assert_eq!(empty.len(), 3);
    assert_eq!(encode(&empty), wire);
}
