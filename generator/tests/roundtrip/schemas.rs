//! Round trips through the `schemas` fixture: `allOf`/properties beside a `oneOf`/`anyOf`
//! (shared fields plus a flattened union); a discriminator base without `oneOf` decoding to
//! its subtypes; readOnly/writeOnly properties optional in the one
//! type that serves both directions; absent, `null` and a value kept apart in request bodies
//! (`Nullable`).

use fixture_schemas::models::{
    Account, AccountPatch, Cat, Circle, Contact, Dog, Event, EventVariant, Labelled,
    LabelledVariant, FigureVariant, Note, PaymentVariant, Pet, Report, Vehicle, Shape, ShapeVariant, Square,
};
use sdkgen_runtime::Nullable;
use serde_json::{Value, json};

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

fn refuses<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: Value) {
    if let Ok(decoded) = serde_json::from_value::<T>(value.clone()) {
        panic!("{value} should not decode, got {decoded:?}");
    }
}

#[test]
fn all_of_with_a_one_of_keeps_the_shared_fields_and_the_union() {
    let wire = json!({"id": "s1", "label": "big", "side": 2.0});
    let shape: Shape = decode(wire.clone());
    assert_eq!(shape.id, "s1");
    assert_eq!(shape.label.as_deref(), Some("big"));
    assert!(
        matches!(&shape.variant, ShapeVariant::Square(square) if square.side == 2.0),
        "{shape:?}"
    );
    assert_eq!(encode(&shape), wire);

    let circle = Shape {
        id: "c".to_owned(),
        label: None,
        variant: ShapeVariant::Circle(Box::new(Circle { radius: 1.5 })),
    };
    assert_eq!(encode(&circle), json!({"id": "c", "radius": 1.5}));
    assert_eq!(decode::<Shape>(encode(&circle)), circle);

    // The shared required field, and one alternative, must be there.
    refuses::<Shape>(json!({"side": 2.0}));
    refuses::<Shape>(json!({"id": "s1", "label": "no alternative"}));
}

#[test]
fn properties_beside_an_any_of_keep_both() {
    let wire = json!({"name": "n", "radius": 3.0});
    let labelled: Labelled = decode(wire.clone());
    assert_eq!(labelled.name, "n");
    assert!(
        matches!(&labelled.variant, LabelledVariant::Circle(circle) if circle.radius == 3.0),
        "{labelled:?}"
    );
    assert_eq!(encode(&labelled), wire);
    let square: Labelled = decode(json!({"name": "n", "side": 1.0}));
    assert!(matches!(square.variant, LabelledVariant::Square(_)), "{square:?}");
    refuses::<Labelled>(json!({"radius": 3.0}));
}

#[test]
fn a_discriminated_one_of_beside_properties_reads_and_writes_the_tag() {
    let wire = json!({"at": "2026-01-01T00:00:00Z", "kind": "scroll", "dy": -3});
    let event: Event = decode(wire.clone());
    assert_eq!(event.at, "2026-01-01T00:00:00Z");
    let EventVariant::Scroll(scroll) = &event.variant else {
        panic!("expected a scroll: {event:?}");
    };
    assert_eq!((scroll.kind.as_str(), scroll.dy), ("scroll", -3));
    assert_eq!(encode(&event), wire);

    // A tag this version does not know is kept, with the properties it came with.
    let wire = json!({"at": "t", "kind": "zoom", "factor": 2});
    let zoom: Event = decode(wire.clone());
    assert!(
        matches!(&zoom.variant, EventVariant::Unknown(value) if value["factor"] == 2),
        "{zoom:?}"
    );
    assert_eq!(encode(&zoom), wire);

    // A click built with another variant's tag goes out with its own.
    let report: Report = decode(json!({"events": [
        {"at": "t", "kind": "click", "x": 4}
    ]}));
    let events = report.events.expect("events");
    let EventVariant::Click(click) = &events[0].variant else {
        panic!("expected a click: {events:?}");
    };
    let mut click = click.as_ref().clone();
    click.kind = "scroll".to_owned();
    let mut event = events[0].clone();
    event.variant = EventVariant::Click(Box::new(click));
    assert_eq!(encode(&event), json!({"at": "t", "kind": "click", "x": 4}));
}

#[test]
fn a_one_of_of_required_lists_only_adds_no_union() {
    let wire = json!({"email": "a@example.com"});
    let contact: Contact = decode(wire.clone());
    assert_eq!(contact.email.as_deref(), Some("a@example.com"));
    assert_eq!(contact.phone, None);
    assert_eq!(encode(&contact), wire);
    let report: Report = decode(json!({"shape": {"id": "x", "side": 1}}));
    assert!(matches!(
        report.shape.map(|shape| shape.variant),
        Some(ShapeVariant::Square(square)) if *square == Square { side: 1.0 }
    ));
}

#[test]
fn a_discriminator_base_decodes_to_the_subtype_its_tag_names() {
    // `dog` from the mapping; `Cat` by name, found through Cat's allOf.
    let wire = json!({"petType": "dog", "name": "Rex", "barks": true});
    let pet: Pet = decode(wire.clone());
    assert!(
        matches!(&pet, Pet::Dog(dog) if dog.name == "Rex" && dog.barks == Some(true)),
        "{pet:?}"
    );
    assert_eq!(encode(&pet), wire);
    let wire = json!({"petType": "Cat", "name": "Tom", "meows": false});
    let report: Report = decode(json!({"pets": [wire.clone()]}));
    let pets = report.pets.expect("pets");
    assert!(
        matches!(&pets[0], Pet::Cat(cat) if cat.name == "Tom" && !cat.meows),
        "{pets:?}"
    );
    assert_eq!(encode(&pets[0]), wire);

    // A subtype the tag names must fit: a cat that does not say whether it meows is an error.
    refuses::<Pet>(json!({"petType": "Cat", "name": "Tom"}));
    // An unknown tag (or the base's own name) is kept as sent.
    let wire = json!({"petType": "parrot", "name": "Polly", "talks": true});
    let parrot: Pet = decode(wire.clone());
    assert!(matches!(&parrot, Pet::Unknown(value) if *value == wire), "{parrot:?}");
    assert_eq!(encode(&parrot), wire);
}

#[test]
fn a_subtype_is_sent_with_its_own_tag() {
    let dog = Dog {
        pet_type: String::new(),
        name: "Rex".to_owned(),
        barks: None,
    };
    assert_eq!(
        encode(&Pet::Dog(Box::new(dog))),
        json!({"petType": "dog", "name": "Rex"})
    );
    let cat = Cat {
        pet_type: "dog".to_owned(),
        name: "Tom".to_owned(),
        meows: true,
    };
    assert_eq!(
        encode(&Pet::Cat(Box::new(cat))),
        json!({"petType": "Cat", "name": "Tom", "meows": true})
    );
}

#[test]
fn a_base_listing_its_subtypes_in_one_of_is_the_same_inheritance() {
    let wire = json!({"kind": "Bike", "wheels": 2, "gears": 21});
    let report: Report = decode(json!({"vehicle": wire.clone()}));
    let vehicle = report.vehicle.expect("vehicle");
    assert!(
        matches!(&vehicle, Vehicle::Bike(bike) if bike.wheels == Some(2) && bike.gears == Some(21)),
        "{vehicle:?}"
    );
    assert_eq!(encode(&vehicle), wire);
    let car: Vehicle = decode(json!({"kind": "Car", "doors": 4}));
    assert!(matches!(&car, Vehicle::Car(car) if car.doors == Some(4)), "{car:?}");
    // An alternative that does not include the base is a subtype all the same.
    let trike: Vehicle = decode(json!({"kind": "Trike", "pedals": 2}));
    assert!(matches!(&trike, Vehicle::Trike(trike) if trike.pedals == Some(2)), "{trike:?}");
}

#[test]
fn an_alternative_that_includes_its_union_does_not_hold_it_again() {
    let wire = json!({"title": "t", "border": 2});
    let report: Report = decode(json!({"figure": wire.clone()}));
    let figure = report.figure.expect("figure");
    assert_eq!(figure.title.as_deref(), Some("t"));
    let FigureVariant::Framed(framed) = &figure.variant else {
        panic!("expected a framed figure: {figure:?}");
    };
    // Framed has the Figure's own fields, not a Figure union of its own.
    assert_eq!((framed.title.as_deref(), framed.border), (None, 2));
    assert_eq!(encode(&figure), wire);
}

#[test]
fn inline_alternatives_leave_a_shared_property_to_the_struct() {
    // Both alternatives require `amount`, which the struct's own field reads first.
    let wire = json!({"amount": 5, "iban": "DE00"});
    let report: Report = decode(json!({"payment": wire.clone()}));
    let payment = report.payment.expect("payment");
    assert_eq!(payment.amount, 5);
    assert!(
        matches!(&payment.variant, PaymentVariant::Iban(iban) if iban.iban == "DE00"),
        "{payment:?}"
    );
    let report: Report = decode(json!({"payment": {"amount": 1, "cardNumber": "4111"}}));
    let card = report.payment.expect("payment");
    assert!(matches!(card.variant, PaymentVariant::Card(_)), "{card:?}");
    assert_eq!(
        encode(&card),
        json!({"amount": 1, "cardNumber": "4111"})
    );
}
