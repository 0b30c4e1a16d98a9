//! Round trips through the `collections` fixture: arrays, nested arrays, maps with typed and
//! free-form values, additional properties beside declared ones.

use std::collections::BTreeMap;

use fixture_collections::models::{Anything, Bag, Open, StringList};
use serde_json::json;

mod support;
use support::{decode, encode, with};

#[test]
fn a_bag_of_every_collection_round_trips() {
    let wire = json!({
        "tags": ["a", "b", ""],
        "matrix": [[1.5, -2.25], [], [1e300]],
        "untyped_items": [1, "x", null, {"k": [true]}],
        "labels": {"env": "prod", "": "empty key"},
        "anything": {"n": 1, "s": "t", "nil": null, "list": [1, 2]},
        "free": {"deep": {"deeper": [false]}},
        "nested_maps": {"outer": {"inner": -3}, "none": {}},
        "counts_by_day": {"mon": {"am": [1, 2], "pm": []}},
    });
    let bag: Bag = decode(wire.clone());
    assert_eq!(
        bag.tags.as_deref(),
        Some(&["a".to_owned(), "b".to_owned(), String::new()][..])
    );
    assert_eq!(bag.matrix.as_ref().map(|m| m[0][1]), Some(-2.25));
    assert_eq!(
        bag.labels
            .as_ref()
            .and_then(|l| l.get("env"))
            .map(String::as_str),
        Some("prod")
    );
    assert_eq!(
        bag.nested_maps.as_ref().map(|m| m["outer"]["inner"]),
        Some(-3)
    );
    assert_eq!(
        bag.counts_by_day.as_ref().map(|c| c["mon"]["am"].clone()),
        Some(vec![1, 2])
    );
    assert_eq!(encode(&bag), wire);
}

#[test]
fn an_empty_bag_sends_nothing_and_a_wrong_item_type_is_an_error() {
    let bag: Bag = decode(json!({}));
    assert_eq!(bag, Bag::default());
    assert_eq!(encode(&bag), json!({}));
    assert!(serde_json::from_value::<Bag>(json!({"tags": [1]})).is_err());
    assert!(serde_json::from_value::<Bag>(json!({"labels": {"a": 1}})).is_err());
    assert!(serde_json::from_value::<Bag>(json!({"nested_maps": {"a": {"b": "c"}}})).is_err());
}

#[test]
fn free_form_values_keep_any_json() {
    for wire in [
        json!(null),
        json!(1),
        json!("s"),
        json!([1, {"a": null}]),
        json!({"x": {"y": 1}}),
    ] {
        let bag: Bag = with(|bag: &mut Bag| bag.free = Some(wire.clone()));
        let sent = encode(&bag);
        assert_eq!(sent, json!({"free": wire}));
        let anything: Anything = decode(wire.clone());
        assert_eq!(encode(&anything), wire);
    }
}

#[test]
fn additional_properties_sit_beside_the_declared_ones() {
    let wire = json!({"name": "n", "a": 1, "b": -2});
    let open: Open = decode(wire.clone());
    assert_eq!(open.name.as_deref(), Some("n"));
    assert_eq!(
        open.additional_properties,
        BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), -2)])
    );
    assert_eq!(encode(&open), wire);

    let mut open = Open::default();
    open.additional_properties.insert("count".to_owned(), 3);
    assert_eq!(encode(&open), json!({"count": 3}));
    assert!(serde_json::from_value::<Open>(json!({"a": "not an integer"})).is_err());
}

#[test]
fn a_top_level_array_alias_round_trips() {
    let list: StringList = decode(json!(["x", "y"]));
    assert_eq!(list, ["x", "y"]);
    assert_eq!(encode(&list), json!(["x", "y"]));
}
