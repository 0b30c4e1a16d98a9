//! Round trips through the `enums` fixture: every enum is open, a value this version does
//! not know decodes into `Unknown` and is sent back exactly as it came.

use fixture_enums::models::{Holder, HolderNumbers, MaybeColor, Odd, Priority, SortOrder};
use serde_json::json;

mod support;
use support::{decode, encode, with};

#[test]
fn known_string_values_that_differ_only_in_case_stay_distinct() {
    let cases = [
        ("ASC", SortOrder::Asc),
        ("asc", SortOrder::Asc2),
        ("DESC", SortOrder::Desc),
        ("desc", SortOrder::Desc2),
    ];
    for (wire, variant) in cases {
        let decoded: SortOrder = decode(json!(wire));
        assert_eq!(decoded, variant, "{wire}");
        assert_eq!(encode(&decoded), json!(wire));
        assert_eq!(decoded.to_string(), wire);
        assert_eq!(decoded.as_str(), wire);
        assert_eq!(wire.parse::<SortOrder>(), Ok(variant.clone()));
        assert_eq!(SortOrder::from(wire.to_owned()), variant);
    }
}

#[test]
fn unknown_string_values_are_kept_and_sent_back_unchanged() {
    for wire in ["Asc", "ascending", "", " asc", "DESC "] {
        let decoded: SortOrder = decode(json!(wire));
        assert_eq!(decoded, SortOrder::Unknown(wire.to_owned()), "{wire:?}");
        assert_eq!(encode(&decoded), json!(wire));
        assert_eq!(decoded.to_string(), wire);
    }
}

#[test]
fn odd_wire_values_map_to_their_own_variants() {
    let cases = [
        ("", Odd::Empty),
        ("1.0", Odd::V10),
        ("2fa", Odd::V2fa),
        ("type", Odd::Type),
        ("self", Odd::Self_),
        ("+", Odd::Plus),
        ("-", Odd::Minus),
        ("unknown", Odd::Unknown2),
        ("Unknown", Odd::Unknown3),
        ("x-y", Odd::XY),
        ("a b", Odd::AB),
        ("中文", Odd::Value11),
    ];
    for (wire, variant) in cases {
        let decoded: Odd = decode(json!(wire));
        assert_eq!(decoded, variant, "{wire:?}");
        assert_eq!(encode(&decoded), json!(wire));
    }
    let unknown: Odd = decode(json!("x_y"));
    assert_eq!(unknown, Odd::Unknown("x_y".to_owned()));
    assert_eq!(encode(&unknown), json!("x_y"));
}

#[test]
fn a_string_enum_refuses_a_value_that_is_not_a_string() {
    assert!(serde_json::from_value::<SortOrder>(json!(1)).is_err());
    assert!(serde_json::from_value::<SortOrder>(json!(null)).is_err());
}

#[test]
fn integer_enums_are_open_too() {
    let cases = [
        (1, Priority::Value1),
        (2, Priority::Value2),
        (3, Priority::Value3),
        (-1, Priority::ValueMinus1),
    ];
    for (wire, variant) in cases {
        let decoded: Priority = decode(json!(wire));
        assert_eq!(decoded, variant, "{wire}");
        assert_eq!(decoded.value(), wire);
        assert_eq!(encode(&decoded), json!(wire));
    }
    for wire in [0, 7, i64::MAX, i64::MIN] {
        let decoded: Priority = decode(json!(wire));
        assert_eq!(decoded, Priority::Unknown(wire));
        assert_eq!(encode(&decoded), json!(wire));
        assert_eq!(decoded.to_string(), wire.to_string());
    }
    assert!(serde_json::from_value::<Priority>(json!("1")).is_err());
    assert!(serde_json::from_value::<Priority>(json!(1.5)).is_err());
}

#[test]
fn a_holder_round_trips_known_and_unknown_values() {
    let wire = json!({"order": "desc", "color": "green", "numbers": "2"});
    let holder: Holder = decode(wire.clone());
    assert_eq!(holder.order, Some(SortOrder::Desc2));
    assert_eq!(holder.color, Some(MaybeColor::Green));
    assert_eq!(holder.numbers, Some(HolderNumbers::V2));
    assert_eq!(encode(&holder), wire);

    let wire = json!({"order": "random", "color": "blue", "numbers": "3"});
    let holder: Holder = decode(wire.clone());
    assert_eq!(holder.order, Some(SortOrder::Unknown("random".to_owned())));
    assert_eq!(holder.color, Some(MaybeColor::Unknown("blue".to_owned())));
    assert_eq!(holder.numbers, Some(HolderNumbers::Unknown("3".to_owned())));
    assert_eq!(encode(&holder), wire);
}

#[test]
fn a_nullable_enum_reads_null_as_none_and_absent_fields_are_not_sent() {
    let holder: Holder = decode(json!({"color": null, "ignored": [1, 2]}));
    assert_eq!(holder, Holder::default());
    assert_eq!(encode(&holder), json!({}));

    let holder = with(|holder: &mut Holder| {
        holder.color = Some(MaybeColor::Red);
        holder.order = Some("ASC".into());
    });
    assert_eq!(encode(&holder), json!({"color": "red", "order": "ASC"}));
}
