//! Round trips through the `refs` fixture: recursive types, directly and through another
//! type, aliases of references, and a reference into another schema's property.

use fixture_refs::models::{Link, Node, Tree, TreeAlias, ViaPointer};
use serde_json::json;

mod support;
use support::{decode, encode};

#[test]
fn a_recursive_tree_round_trips() {
    let wire = json!({
        "value": "root",
        "children": [
            {"value": "left", "children": []},
            {"value": "right", "parent": {"value": "root"}, "children": [{"value": "leaf"}]},
        ],
        "first": {"link": {"next": {"link": {}}}},
    });
    let tree: Tree = decode(wire.clone());
    let children = tree.children.as_deref().unwrap_or_default();
    assert_eq!(children.len(), 2);
    assert_eq!(
        children[1].parent.as_ref().map(|p| p.value.as_str()),
        Some("root")
    );
    let second = tree
        .first
        .as_ref()
        .and_then(|node| node.link.next.as_deref());
    assert_eq!(second.map(|node| node.link.next.is_none()), Some(true));
    assert_eq!(encode(&tree), wire);
}

#[test]
fn deep_nesting_decodes() {
    let mut wire = json!({"value": "0"});
    for depth in 1..100 {
        wire = json!({"value": depth.to_string(), "children": [wire]});
    }
    let tree: Tree = decode(wire.clone());
    assert_eq!(tree.value, "99");
    assert_eq!(encode(&tree), wire);
}

#[test]
fn recursive_types_can_be_built_and_sent() {
    let leaf = Tree {
        value: "leaf".to_owned(),
        children: None,
        parent: None,
        first: None,
    };
    let node = Node {
        link: Box::new(Link { next: None }),
    };
    let tree: TreeAlias = Tree {
        value: "top".to_owned(),
        children: Some(vec![leaf]),
        parent: None,
        first: Some(node),
    };
    assert_eq!(
        encode(&tree),
        json!({"value": "top", "children": [{"value": "leaf"}], "first": {"link": {}}})
    );
}

#[test]
fn required_references_are_required() {
    assert!(serde_json::from_value::<Node>(json!({})).is_err());
    assert!(serde_json::from_value::<Tree>(json!({"children": []})).is_err());
    assert!(serde_json::from_value::<Tree>(json!({"value": "v", "first": {}})).is_err());
}

#[test]
fn a_reference_to_a_property_takes_its_type() {
    let via: ViaPointer = decode(json!({"value": "v"}));
    assert_eq!(via.value.as_deref(), Some("v"));
    assert!(serde_json::from_value::<ViaPointer>(json!({"value": 1})).is_err());
}
