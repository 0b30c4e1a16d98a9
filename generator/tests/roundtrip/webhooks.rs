//! Through the `webhooks` fixture (a document with webhooks and no paths): every webhook's
//! body is read by `Webhook::parse` into its typed variant, and what does not fit is an error
//! naming the webhook.

use std::error::Error as _;

use fixture_webhooks::models::{Order, OrderCancelledPayload};
use fixture_webhooks::webhooks::{Webhook, WebhookError};

#[test]
fn each_webhook_parses_into_its_variant() {
    let created = Webhook::parse(
        "order.created",
        br#"{"id": "o1", "total": 250, "note": null}"#,
    )
    .expect("an order");
    let Webhook::OrderCreated(order) = &created else {
        panic!("expected order.created: {created:?}");
    };
    let order: &Order = order;
    assert_eq!(
        (order.id.as_str(), order.total, &order.note),
        ("o1", 250, &None)
    );
    assert_eq!(created.name(), "order.created");

    let cancelled = Webhook::parse("order.cancelled", br#"{"id": "o1", "reason": null}"#)
        .expect("a cancellation");
    let Webhook::OrderCancelled(payload) = &cancelled else {
        panic!("expected order.cancelled: {cancelled:?}");
    };
    let payload: &OrderCancelledPayload = payload;
    assert_eq!((payload.id.as_str(), &payload.reason), ("o1", &None));

    // A `$ref` to `components.pathItems`, without a body: the body is not read.
    assert_eq!(
        Webhook::parse("ping", b"ignored").expect("ping"),
        Webhook::Ping
    );
    assert_eq!(
        Webhook::parse("log.line", b"disk full").expect("text"),
        Webhook::LogLine("disk full".to_owned())
    );
    assert_eq!(
        Webhook::NAMES,
        ["order.created", "order.cancelled", "ping", "log.line"]
    );
}

#[test]
fn a_body_that_does_not_fit_names_the_webhook() {
    let error = Webhook::parse("order.created", br#"{"id": "o1"}"#).unwrap_err();
    assert!(
        matches!(
            error,
            WebhookError::Decode {
                name: "order.created",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(
        error.to_string().starts_with(
            "webhook `order.created`: the body is not its payload: missing field `total`"
        ),
        "{error}"
    );
    assert!(error.source().is_some());

    let error = Webhook::parse("log.line", &[0xff, 0xfe]).unwrap_err();
    assert!(
        matches!(error, WebhookError::NotUtf8 { name: "log.line" }),
        "{error:?}"
    );
}

#[test]
fn an_unknown_name_is_an_error_not_a_guess() {
    let error = Webhook::parse("order.shipped", b"{}").unwrap_err();
    assert!(matches!(&error, WebhookError::UnknownName(name) if name == "order.shipped"));
    assert_eq!(error.to_string(), "unknown webhook `order.shipped`");
}
