//! Round trips through the `names` fixture: Rust keywords, leading digits, symbols and names
//! that collide after case conversion all keep their wire names.

use fixture_names::models::{Models, Option2, Result2, Type, Type2, V2xxStatus};
use serde_json::json;

mod support;
use support::{decode, encode, with};

#[test]
fn every_awkward_property_keeps_its_wire_name() {
    let wire = json!({
        "type": "t",
        "self": "s",
        "match": "m",
        "gen": "g",
        "2fa": "digits",
        "@odata.type": "symbols",
        "$ref": "dollar",
        "fooBar": "camel",
        "foo_bar": "snake",
        "FooBar": "pascal",
        "": "empty",
        "client": "c",
    });
    let value: Type = decode(wire.clone());
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(value.r#type, some("t"));
    assert_eq!(value.self_, some("s"));
    assert_eq!(value.r#match, some("m"));
    assert_eq!(value.r#gen, some("g"));
    assert_eq!(value._2fa, some("digits"));
    assert_eq!(value.odata_type, some("symbols"));
    assert_eq!(value.r#ref, some("dollar"));
    assert_eq!(value.foo_bar, some("camel"));
    assert_eq!(value.foo_bar_2, some("snake"));
    assert_eq!(value.foo_bar_3, some("pascal"));
    assert_eq!(value.field, some("empty"));
    assert_eq!(value.client, some("c"));
    assert_eq!(encode(&value), wire);
}

#[test]
fn colliding_properties_are_set_independently() {
    let value = with(|value: &mut Type| value.foo_bar_2 = Some("only snake".to_owned()));
    assert_eq!(encode(&value), json!({"foo_bar": "only snake"}));
    let decoded: Type = decode(json!({"FooBar": "p"}));
    assert_eq!((decoded.foo_bar, decoded.foo_bar_2), (None, None));
    assert_eq!(decoded.foo_bar_3.as_deref(), Some("p"));
}

#[test]
fn renamed_types_decode_their_own_schemas() {
    let other: Type2 = decode(json!({"a": "x"}));
    assert_eq!(encode(&other), json!({"a": "x"}));
    let result: Result2 = decode(json!({"ok": true}));
    assert_eq!(result.ok, Some(true));
    // `Slots2` is a field type of `Result2`, whose decoder declares a local `Slots`.
    // So is `D`, which a generic `D` in the decoder would hide.
    let wire = json!({"ok": false, "slots": {"a": "s"}, "d": {"x": "y"}});
    let result: Result2 = decode(wire.clone());
    assert_eq!(result.slots.as_ref().map(|slots| slots.a.as_str()), Some("s"));
    assert_eq!(result.d.as_ref().and_then(|d| d.x.as_deref()), Some("y"));
    assert_eq!(encode(&result), wire);
    let strings: (Option2, V2xxStatus, Models) = decode(json!(["o", "2xx", "m"]));
    assert_eq!(encode(&strings), json!(["o", "2xx", "m"]));
    // The prelude's `Result` and `Option` are still the prelude's.
    let _: Option<Result<(), ()>> = None;
}
