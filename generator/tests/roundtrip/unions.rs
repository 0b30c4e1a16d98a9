//! Round trips through the `unions` fixture: untagged unions pick the variant that fits the
//! value (JSON type, required and declared fields), not the first that decodes; tagged unions
//! write their tag, and the right one; a tag no discriminator names (a constant every
//! alternative requires) tags just the same, and a `oneOf` of constants is one enum.

use fixture_unions::models::{
    BigCat, Cat, CatKind, Color, CountOrFlag, Dog, DogKind, LabelsOrCircle, Located,
    NumberOrInteger, Pet, PowerState, Range, Reading, Shape, TextOrColor, Tiger, Vehicle,
};
use serde_json::json;

mod support;
use support::{decode, encode, with};

#[test]
fn all_optional_variants_are_chosen_by_the_fields_present() {
    // Circle is declared first and accepts any object; `side` makes this a Square.
    let square: Shape = decode(json!({"side": 2.0}));
    assert!(
        matches!(&square, Shape::Square(s) if s.side == Some(2.0)),
        "{square:?}"
    );
    assert_eq!(encode(&square), json!({"side": 2.0}));

    let circle: Shape = decode(json!({"radius": 1.5}));
    assert!(
        matches!(&circle, Shape::Circle(c) if c.radius == Some(1.5)),
        "{circle:?}"
    );
    assert_eq!(encode(&circle), json!({"radius": 1.5}));

    // A field neither knows does not change the choice.
    let square: Shape = decode(json!({"side": 1.0, "color": "red"}));
    assert!(matches!(square, Shape::Square(_)), "{square:?}");
    // The documented ambiguity: `{}` fits both, and is the first.
    let empty: Shape = decode(json!({}));
    assert!(matches!(empty, Shape::Circle(_)), "{empty:?}");
}

#[test]
fn the_variant_declaring_more_of_the_value_wins() {
    let point: Located = decode(json!({"x": 1, "y": 2}));
    assert!(
        matches!(&point, Located::Point(p) if p.x == 1 && p.y == 2),
        "{point:?}"
    );
    assert_eq!(encode(&point), json!({"x": 1, "y": 2}));

    let labelled: Located = decode(json!({"x": 1, "label": "a"}));
    assert!(
        matches!(&labelled, Located::Labelled(l) if l.label.as_deref() == Some("a")),
        "{labelled:?}"
    );
    // Point requires `y`: without it only Labelled fits.
    let labelled: Located = decode(json!({"x": 1}));
    assert!(matches!(labelled, Located::Labelled(_)), "{labelled:?}");
}

#[test]
fn scalars_are_chosen_by_json_type() {
    assert_eq!(
        decode::<NumberOrInteger>(json!(42)),
        NumberOrInteger::Integer(42)
    );
    assert_eq!(
        decode::<NumberOrInteger>(json!(1.5)),
        NumberOrInteger::Number(1.5)
    );
    assert_eq!(encode(&NumberOrInteger::Integer(42)), json!(42));

    assert_eq!(decode::<CountOrFlag>(json!(3)), CountOrFlag::Integer(3));
    assert_eq!(
        decode::<CountOrFlag>(json!(true)),
        CountOrFlag::Boolean(true)
    );
    assert_eq!(decode::<CountOrFlag>(json!(null)), CountOrFlag::Null);
    assert_eq!(encode(&CountOrFlag::Null), json!(null));
    assert!(serde_json::from_value::<CountOrFlag>(json!("3")).is_err());
}

#[test]
fn a_known_enum_value_beats_a_plain_string() {
    // `String` is declared first; "red" is a known Color, "blue" is not.
    assert_eq!(
        decode::<TextOrColor>(json!("red")),
        TextOrColor::Color(Color::Red)
    );
    assert_eq!(
        decode::<TextOrColor>(json!("blue")),
        TextOrColor::String("blue".to_owned())
    );
    assert_eq!(encode(&TextOrColor::Color(Color::Green)), json!("green"));
}

#[test]
fn a_struct_that_declares_the_fields_beats_a_map() {
    let circle: LabelsOrCircle = decode(json!({"radius": 2.0}));
    assert!(matches!(circle, LabelsOrCircle::Circle(_)), "{circle:?}");
    let labels: LabelsOrCircle = decode(json!({"a": "b"}));
    assert!(
        matches!(&labels, LabelsOrCircle::Labels(map) if map["a"] == "b"),
        "{labels:?}"
    );
    assert_eq!(encode(&labels), json!({"a": "b"}));
}

#[test]
fn a_tagged_union_writes_its_tag() {
    // Lion does not declare `kind`; encoding adds it.
    let lion = BigCat::Lion(Box::new(with(|lion: &mut fixture_unions::models::Lion| {
        lion.roar = Some(true)
    })));
    assert_eq!(encode(&lion), json!({"kind": "lion", "roar": true}));
    let wire = json!({"kind": "lion", "roar": false});
    let decoded: BigCat = decode(wire.clone());
    assert!(matches!(decoded, BigCat::Lion(_)), "{decoded:?}");
    assert_eq!(encode(&decoded), wire);
}

#[test]
fn a_tagged_union_never_writes_another_variants_tag() {
    // A Tiger whose own `kind` says "lion" still goes out as a tiger.
    let tiger: Tiger = decode(json!({"kind": "lion", "stripes": 3}));
    let big_cat = BigCat::Tiger(Box::new(tiger));
    assert_eq!(encode(&big_cat), json!({"kind": "tiger", "stripes": 3}));

    // A second tag of the same variant is kept as sent.
    let wire = json!({"kind": "tigress", "stripes": 9});
    let tigress: BigCat = decode(wire.clone());
    assert!(
        matches!(&tigress, BigCat::Tiger(t) if t.kind == "tigress"),
        "{tigress:?}"
    );
    assert_eq!(encode(&tigress), wire);
}

#[test]
fn an_unknown_tag_is_kept_as_sent() {
    let wire = json!({"kind": "lynx", "tufts": true});
    let unknown: BigCat = decode(wire.clone());
    assert_eq!(unknown, BigCat::Unknown(wire.clone()));
    assert_eq!(encode(&unknown), wire);
}

#[test]
fn a_one_of_of_constants_is_one_open_enum() {
    let standby: PowerState = decode(json!("standby"));
    assert_eq!(standby, PowerState::Standby);
    assert_eq!(encode(&PowerState::On), json!("on"));
    let unknown: PowerState = decode(json!("hibernating"));
    assert_eq!(unknown, PowerState::Unknown("hibernating".to_owned()));
    assert_eq!(encode(&unknown), json!("hibernating"));
}

#[test]
fn a_constant_every_alternative_requires_tags_the_union() {
    let wire = json!({"type": "range", "start": 1.0, "end": 2.0});
    let range: Range = decode(wire.clone());
    assert!(
        matches!(&range, Range::Range(r) if r.start == 1.0 && r.end == 2.0),
        "{range:?}"
    );
    assert_eq!(encode(&range), wire);

    // Only the tag says which: both of these fit `{end}` by their fields.
    let wire = json!({"type": "range_to", "end": 5.0});
    let range_to: Range = decode(wire.clone());
    assert!(matches!(&range_to, Range::RangeTo(r) if r.end == 5.0), "{range_to:?}");
    assert_eq!(encode(&range_to), wire);

    // An alternative that holds nothing but its tag is a unit variant, and writes the tag.
    let unbounded: Range = decode(json!({"type": "unbounded"}));
    assert_eq!(unbounded, Range::Unbounded);
    assert_eq!(encode(&Range::Unbounded), json!({"type": "unbounded"}));

    let wire = json!({"type": "range_from", "start": 0.0});
    let unknown: Range = decode(wire.clone());
    assert_eq!(unknown, Range::Unknown(wire.clone()));
    assert_eq!(encode(&unknown), wire);
}

#[test]
fn a_known_tag_with_a_bad_body_is_an_error_not_another_variant() {
    let error = serde_json::from_value::<Range>(json!({"type": "range", "start": 1.0}))
        .expect_err("`end` is required");
    assert!(error.to_string().contains("end"), "{error}");
}

#[test]
fn component_alternatives_keep_their_tag_field() {
    let wire = json!({"kind": "cat", "name": "Tom"});
    let cat: Pet = decode(wire.clone());
    assert!(
        matches!(&cat, Pet::Cat(c) if c.name == "Tom" && c.kind == CatKind::Cat),
        "{cat:?}"
    );
    assert_eq!(encode(&cat), wire);

    let dog: Dog = decode(json!({"kind": "dog", "barks": true}));
    assert_eq!(dog.kind, DogKind::Dog);
    let pet = Pet::Dog(Box::new(dog));
    assert_eq!(encode(&pet), json!({"kind": "dog", "barks": true}));

    // A cat that says it is a dog still goes out as a cat.
    let liar: Cat = decode(json!({"kind": "dog", "name": "Rex"}));
    assert_eq!(
        encode(&Pet::Cat(Box::new(liar))),
        json!({"kind": "cat", "name": "Rex"})
    );
}

#[test]
fn an_explicit_discriminator_over_inline_alternatives_tags_them() {
    let wire = json!({"mode": "boat", "sails": 2});
    let boat: Vehicle = decode(wire.clone());
    assert!(matches!(&boat, Vehicle::Boat(b) if b.sails == Some(2)), "{boat:?}");
    assert_eq!(encode(&boat), wire);
    // The inline struct has no `mode` field: the union writes it.
    let car: Vehicle = decode(json!({"mode": "car", "wheels": 4}));
    assert_eq!(encode(&car), json!({"mode": "car", "wheels": 4}));
}

#[test]
fn a_constant_shared_by_alternatives_leaves_the_union_chosen_by_fit() {
    let reading: Reading = decode(json!({"unit": "temperature", "fahrenheit": 70.0}));
    assert!(matches!(reading, Reading::ReadingVariant2(_)), "{reading:?}");
}
