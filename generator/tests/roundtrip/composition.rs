//! Round trips through the `composition` fixture: allOf merged into one struct, oneOf with a
//! discriminator (mapped and implicit tags, unknown tags kept), untagged unions.

use fixture_composition::models::{
    Base, BaseKind, Cat, Dog, Extended, IdOrName, IdOrNameFull, JustBase, Mixed, Pet, PetByName,
    Single,
};
use serde_json::{Value, json};

mod support;
use support::{decode, encode, with};

fn refuses<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) {
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        panic!("{value} should not decode, got {decoded:?}");
    }
}

#[test]
fn all_of_merges_the_parts_and_their_required_lists() {
    let wire = json!({"id": "e1", "kind": "y", "extra": 5});
    let extended: Extended = decode(wire.clone());
    assert_eq!(extended.id, "e1");
    assert_eq!(extended.kind, BaseKind::Y);
    assert_eq!(extended.extra, 5);
    assert_eq!(encode(&extended), wire);

    // `kind` is optional in Base but required by the third allOf part; `extra` by the second.
    refuses::<Extended>(json!({"id": "e1", "extra": 5}));
    refuses::<Extended>(json!({"id": "e1", "kind": "x"}));
    refuses::<Extended>(json!({"kind": "x", "extra": 5}));

    let unknown_kind: Extended = decode(json!({"id": "e", "kind": "z", "extra": 0, "more": true}));
    assert_eq!(unknown_kind.kind, BaseKind::Unknown("z".to_owned()));
    assert_eq!(
        encode(&unknown_kind),
        json!({"id": "e", "kind": "z", "extra": 0})
    );
}

#[test]
fn all_of_a_single_reference_is_that_type() {
    let base: JustBase = decode(json!({"id": "b"}));
    let same: Base = base.clone();
    assert_eq!(same.id, "b");
    assert_eq!(same.kind, None);
    assert_eq!(encode(&base), json!({"id": "b"}));
    let dog: Single = decode(json!({"petType": "Dog", "barks": true}));
    let same: Dog = dog;
    assert_eq!(same.barks, Some(true));
}

#[test]
fn a_discriminator_picks_the_mapped_type() {
    let wire = json!({"petType": "kitty", "meows": true});
    let pet: Pet = decode(wire.clone());
    let Pet::Cat(cat) = &pet else {
        panic!("expected a cat: {pet:?}");
    };
    assert_eq!(cat.pet_type, "kitty");
    assert_eq!(cat.meows, Some(true));
    assert_eq!(encode(&pet), wire);

    let wire = json!({"petType": "Dog", "barks": false});
    let pet: Pet = decode(wire.clone());
    assert!(
        matches!(&pet, Pet::Dog(dog) if dog.barks == Some(false)),
        "{pet:?}"
    );
    assert_eq!(encode(&pet), wire);
}

#[test]
fn a_discriminator_without_mapping_uses_the_schema_names() {
    let wire = json!({"petType": "Cat", "meows": false});
    let pet: PetByName = decode(wire.clone());
    assert!(
        matches!(&pet, PetByName::Cat(cat) if cat.meows == Some(false)),
        "{pet:?}"
    );
    assert_eq!(encode(&pet), wire);
    let pet: PetByName = decode(json!({"petType": "Dog"}));
    assert!(matches!(pet, PetByName::Dog(_)), "{pet:?}");
}

#[test]
fn an_unknown_or_missing_tag_is_kept_as_sent() {
    for wire in [
        json!({"petType": "lizard", "scales": 120, "nested": {"a": [1, null]}}),
        json!({"meows": true}),
        json!({"petType": 7}),
        json!("just a string"),
    ] {
        let pet: Pet = decode(wire.clone());
        assert_eq!(pet, Pet::Unknown(wire.clone()));
        assert_eq!(encode(&pet), wire);
    }
}

#[test]
fn a_known_tag_with_a_body_of_the_wrong_shape_is_an_error() {
    refuses::<Pet>(json!({"petType": "Dog", "barks": "loudly"}));
    refuses::<PetByName>(json!({"petType": "Cat", "meows": 1}));
}

#[test]
fn untagged_alternatives_are_chosen_by_json_type() {
    let number: IdOrName = decode(json!(42));
    assert_eq!(number, IdOrName::Integer(42));
    assert_eq!(encode(&number), json!(42));

    let name: IdOrName = decode(json!("forty-two"));
    assert_eq!(name, IdOrName::String("forty-two".to_owned()));
    assert_eq!(encode(&name), json!("forty-two"));

    let full: IdOrName = decode(json!({"id": 7}));
    let expected = with(|full: &mut IdOrNameFull| full.id = Some(7));
    assert_eq!(full, IdOrName::Full(Box::new(expected)));
    assert_eq!(encode(&full), json!({"id": 7}));

    refuses::<IdOrName>(json!(1.5));
    refuses::<IdOrName>(json!(true));
}

#[test]
fn a_union_with_a_free_form_alternative_accepts_anything() {
    let cat: Mixed = decode(json!({"petType": "Cat"}));
    assert!(
        matches!(&cat, Mixed::Cat(cat) if cat.pet_type == "Cat"),
        "{cat:?}"
    );
    let list: Mixed = decode(json!(["a", "b"]));
    assert_eq!(list, Mixed::Array(vec!["a".to_owned(), "b".to_owned()]));
    for wire in [json!({"meows": true}), json!([1, 2]), json!(3), json!(null)] {
        let mixed: Mixed = decode(wire.clone());
        assert_eq!(mixed, Mixed::Value(wire.clone()));
        assert_eq!(encode(&mixed), wire);
    }
    let cat: Cat = decode(json!({"petType": "Cat"}));
    assert_eq!(
        encode(&Mixed::Cat(Box::new(cat))),
        json!({"petType": "Cat"})
    );
}
