//! The spans `execute` opens: one per call (operation, attempts) and one per attempt
//! (attempt, status, request id), recorded by a minimal subscriber.

mod support;

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use sdkgen_runtime::Request;
use support::api::{self, DESCRIBE_IMAGE, decode_image, error_body, image_body};
use support::{Reply, Server};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Every span's name and fields (as `name=value` text), in creation order; a span's id is
/// its position plus one.
#[derive(Default, Clone)]
struct Spans {
    spans: Arc<Mutex<Vec<SpanRecord>>>,
}

#[derive(Debug, Clone)]
struct SpanRecord {
    name: &'static str,
    fields: Vec<String>,
}

struct Fields<'a>(&'a mut Vec<String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push(format!("{}={value:?}", field.name()));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push(format!("{}={value}", field.name()));
    }
}

impl Subscriber for Spans {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut fields = Vec::new();
        attributes.record(&mut Fields(&mut fields));
        let mut spans = self.spans.lock().unwrap();
        spans.push(SpanRecord {
            name: attributes.metadata().name(),
            fields,
        });
        Id::from_u64(spans.len() as u64)
    }
    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some(record) = spans.get_mut(span.into_u64() as usize - 1) {
            values.record(&mut Fields(&mut record.fields));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn spans_carry_operation_attempt_status_and_request_id() {
    let server = Server::replies(vec![
        Reply::status(
            503,
            &[("x-request-id", "req-1")],
            &error_body("req-1b", 503, "UNAVAILABLE"),
        ),
        Reply::json(200, &image_body("req-2")),
    ])
    .await;
    let client = api::client(&server.base_url());
    let spans = Spans::default();
    let _guard = tracing::subscriber::set_default(spans.clone());
    let request = Request::new(&DESCRIBE_IMAGE)
        .path_param("regionId", "r")
        .path_param("imageId", "i");
    client.execute(request, decode_image).await.unwrap();

    let recorded = spans.spans.lock().unwrap().clone();
    let named = |name: &str| -> Vec<Vec<String>> {
        recorded
            .iter()
            .filter(|span| span.name == name)
            .map(|span| span.fields.clone())
            .collect()
    };
    let calls = named("sdk_call");
    assert_eq!(calls.len(), 1);
    assert!(
        calls[0].contains(&"operation=describeImage".to_owned()),
        "{calls:?}"
    );
    assert!(calls[0].contains(&"attempts=2".to_owned()), "{calls:?}");
    let attempts = named("attempt");
    assert_eq!(attempts.len(), 2);
    for (fields, expected) in attempts.iter().zip([
        ["attempt=1", "status=503", "request_id=req-1b"],
        ["attempt=2", "status=200", "request_id=req-2"],
    ]) {
        for field in expected {
            assert!(
                fields.contains(&field.to_owned()),
                "{field} not in {fields:?}"
            );
        }
    }
}
