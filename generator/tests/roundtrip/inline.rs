//! Round trips through the `inline` fixture: inline objects and enums, nested and in arrays,
//! become named types of their own, and an inline enum never takes a component's name.

use fixture_inline::models::{
    Order, OrderItemsItem, OrderShipping, OrderShippingAddress, OrderShippingMethod, OrderStatus,
    OrderStatus2,
};
use serde_json::json;

mod support;
use support::{decode, encode, with};

#[test]
fn nested_inline_types_round_trip() {
    let wire = json!({
        "status": "shipped",
        "shipping": {"method": "sea", "address": {"line": "1 Quay"}},
        "items": [{"sku": "a"}, {}, {"sku": "c", "qty": 2}],
    });
    let order: Order = decode(wire.clone());
    assert_eq!(order.status, Some(OrderStatus2::Shipped));
    let shipping = order.shipping.clone().unwrap_or_default();
    assert_eq!(shipping.method, Some(OrderShippingMethod::Sea));
    assert_eq!(
        shipping.address.and_then(|a| a.line).as_deref(),
        Some("1 Quay")
    );
    let items = order.items.clone().unwrap_or_default();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], OrderItemsItem::default());
    // The unknown `qty` is dropped; everything declared comes back.
    assert_eq!(
        encode(&order),
        json!({
            "status": "shipped",
            "shipping": {"method": "sea", "address": {"line": "1 Quay"}},
            "items": [{"sku": "a"}, {}, {"sku": "c"}],
        })
    );
}

#[test]
fn inline_enums_are_open_and_distinct_from_the_component_enum() {
    let order: Order = decode(json!({"status": "a", "shipping": {"method": "rail"}}));
    assert_eq!(order.status, Some(OrderStatus2::Unknown("a".to_owned())));
    let method = order.shipping.and_then(|s| s.method);
    assert_eq!(
        method,
        Some(OrderShippingMethod::Unknown("rail".to_owned()))
    );
    let component: OrderStatus = decode(json!("a"));
    assert_eq!(component, OrderStatus::A);
    let inline: OrderStatus2 = decode(json!("placed"));
    assert_eq!(inline, OrderStatus2::Placed);
    assert!(
        serde_json::from_value::<OrderStatus>(json!("placed")).is_ok_and(|s| s != OrderStatus::A)
    );
}

#[test]
fn inline_types_can_be_built_and_sent() {
    let address = with(|a: &mut OrderShippingAddress| a.line = Some("2 Road".to_owned()));
    let shipping = with(|s: &mut OrderShipping| {
        s.method = Some(OrderShippingMethod::Air);
        s.address = Some(address);
    });
    let order = with(|o: &mut Order| o.shipping = Some(shipping));
    assert_eq!(
        encode(&order),
        json!({"shipping": {"method": "air", "address": {"line": "2 Road"}}})
    );
}
