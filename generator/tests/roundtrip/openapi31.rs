//! Round trips through the `openapi31` fixture: each JSON Schema 2020-12 construct, read
//! through the 3.0 shape it is normalised to, decodes and re-encodes the wire unchanged.

use fixture_openapi31::models::{
    Calibration, Closed, Dependent, Kind, Reading, ReadingExtended, ReadingIdOrCount,
    ReadingTrailItem, ReadingUnit, Sensor, Version,
};
use serde_json::{Value, json};

mod support;
use support::{decode, encode};

fn refuses<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) {
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        panic!("{value} should not decode, got {decoded:?}");
    }
}

fn minimal() -> Value {
    json!({"id": "r1", "note": null, "unit": "celsius", "value": 21.5})
}

#[test]
fn a_null_in_a_type_array_is_an_option_that_stays_required() {
    let reading: Reading = decode(minimal());
    assert_eq!(reading.note, None);
    // Required and nullable: `null` goes back on the wire, the key is never dropped.
    assert_eq!(encode(&reading), minimal());
    let noted: Reading = decode(json!({"id": "r", "note": "n", "unit": "celsius", "value": 1.0}));
    assert_eq!(noted.note.as_deref(), Some("n"));
    refuses::<Reading>(json!({"id": "r", "note": 5, "unit": "celsius", "value": 1.0}));
}

#[test]
fn const_is_a_single_value_open_enum() {
    let reading: Reading = decode(minimal());
    assert_eq!(reading.unit, ReadingUnit::Celsius);
    let odd: Reading = decode(json!({"id": "r", "note": null, "unit": "kelvin", "value": 1.0}));
    assert_eq!(odd.unit, ReadingUnit::Unknown("kelvin".to_owned()));
    assert_eq!(encode(&odd)["unit"], json!("kelvin"));
    let kind: Kind = decode(json!("reading"));
    assert_eq!(kind, Kind::Reading);
    let version: Version = decode(json!(2));
    assert_eq!((version, version.value()), (Version::Value2, 2));
}

#[test]
fn null_branches_of_any_of_and_one_of_are_options() {
    let mut wire = minimal();
    wire["calibrated"] = json!({"serial": "s1"});
    wire["quality"] = json!(3);
    let reading: Reading = decode(wire.clone());
    let calibrated: &Sensor = reading.calibrated.as_ref().expect("a sensor");
    assert_eq!(calibrated.serial, "s1");
    // An optional `[string, "null"]`: `null` reads as absent, as an optional nullable does in 3.0.
    let sensor: Sensor = decode(json!({"serial": "s1", "model": null}));
    assert_eq!(sensor.model, None);
    assert_eq!(reading.quality, Some(3));
    assert_eq!(encode(&reading), wire);
    let mut nulls = minimal();
    nulls["calibrated"] = Value::Null;
    nulls["quality"] = Value::Null;
    let reading: Reading = decode(nulls);
    assert_eq!((reading.calibrated, reading.quality), (None, None));
}

#[test]
fn a_ref_with_a_description_is_the_referenced_type() {
    let mut wire = minimal();
    wire["sensor"] = json!({"serial": "s2"});
    let reading: Reading = decode(wire.clone());
    let sensor: Sensor = reading.sensor.clone().expect("a sensor");
    assert_eq!(sensor.serial, "s2");
    assert_eq!(encode(&reading), wire);
}

#[test]
fn a_ref_with_sibling_keywords_merges_like_all_of() {
    let mut wire = minimal();
    wire["extended"] = json!({"serial": "s3", "location": "roof"});
    let reading: Reading = decode(wire.clone());
    let extended: &ReadingExtended = reading.extended.as_ref().expect("extended");
    assert_eq!(
        (extended.serial.as_str(), extended.location.as_str()),
        ("s3", "roof")
    );
    assert_eq!(encode(&reading), wire);
    // Both the referenced schema's `required` and the sibling's apply.
    let mut missing = minimal();
    missing["extended"] = json!({"serial": "s3"});
    refuses::<Reading>(missing);
}

#[test]
fn defs_tuples_base64_and_pattern_properties() {
    let mut wire = minimal();
    wire["calibration"] = json!({"offset": -0.5, "at": "2026-11-30T10:00:00Z"});
    wire["position"] = json!([52.37, 4.89]);
    wire["raw"] = json!("AAEC");
    wire["labels"] = json!({"x-site": "north", "x-rack": "7"});
    let reading: Reading = decode(wire.clone());
    let calibration: &Calibration = reading.calibration.as_ref().expect("calibration");
    assert_eq!(calibration.offset, Some(-0.5));
    assert_eq!(reading.position, Some((52.37, 4.89)));
    assert_eq!(reading.raw.as_deref(), Some("AAEC"));
    let labels = reading.labels.as_ref().expect("labels");
    assert_eq!(labels.get("x-rack").map(String::as_str), Some("7"));
    assert_eq!(encode(&reading), wire);
    let mut not_numbers = minimal();
    not_numbers["position"] = json!(["north", 4.89]);
    refuses::<Reading>(not_numbers);
}

#[test]
fn a_closed_tuple_is_a_rust_tuple_of_exactly_its_items() {
    let mut wire = minimal();
    wire["entry"] = json!(["apples", 3]);
    let reading: Reading = decode(wire.clone());
    assert_eq!(reading.entry, Some(("apples".to_owned(), 3)));
    assert_eq!(encode(&reading), wire);
    for wrong in [
        json!(["apples"]),
        json!(["apples", 3, 4]),
        json!([3, "apples"]),
    ] {
        let mut bad = minimal();
        bad["entry"] = wrong;
        refuses::<Reading>(bad);
    }
}

#[test]
fn an_open_tuple_is_an_array_of_its_item_types() {
    let mut wire = minimal();
    wire["trail"] = json!(["counts", 1, 2, 3]);
    let reading: Reading = decode(wire.clone());
    let trail = reading.trail.as_ref().expect("trail");
    assert_eq!(trail.len(), 4);
    assert_eq!(trail[0], ReadingTrailItem::String("counts".to_owned()));
    assert_eq!(trail[3], ReadingTrailItem::Integer(3));
    assert_eq!(encode(&reading), wire);
}

#[test]
fn a_union_of_types_is_an_untagged_enum() {
    let mut wire = minimal();
    wire["idOrCount"] = json!(7);
    let reading: Reading = decode(wire.clone());
    assert_eq!(reading.id_or_count, Some(ReadingIdOrCount::Integer(7)));
    assert_eq!(encode(&reading), wire);
    wire["idOrCount"] = json!("seven");
    let reading: Reading = decode(wire.clone());
    assert_eq!(
        reading.id_or_count,
        Some(ReadingIdOrCount::String("seven".to_owned()))
    );
    wire["idOrCount"] = json!(true);
    refuses::<Reading>(wire);
}

#[test]
fn unsupported_constructs_keep_any_json() {
    let mut wire = minimal();
    wire["rule"] = json!({"kind": "a", "a": [1, {"b": null}]});
    wire["linked"] = json!("anything");
    let reading: Reading = decode(wire.clone());
    assert_eq!(reading.rule, Some(wire["rule"].clone()));
    assert_eq!(encode(&reading), wire);
    let dependent: Dependent = decode(json!({"a": "x"}));
    assert_eq!(dependent, json!({"a": "x"}));
}

#[test]
fn unevaluated_properties_false_is_a_plain_struct() {
    let closed: Closed = decode(json!({"a": "x", "other": 1}));
    assert_eq!(closed.a.as_deref(), Some("x"));
    assert_eq!(encode(&closed), json!({"a": "x"}));
}
