//! `webhooks` (OpenAPI 3.1): the requests an API sends to its users. Each webhook's body is
//! typed like a request body (a `$ref` is its component's type, an inline schema gets a type
//! named after the webhook), and each webhook operation becomes one variant of an enum the
//! emitter gives a `parse(name, body)` function. Webhooks are received data, so their types
//! stay `output_only` (`#[non_exhaustive]`): a field the sender adds later breaks no receiver.
//! What a receiver should answer (the webhook's `responses`) is documentation, not typed.

// Public API of the generator: every item documented, checked by the compiler.
#![deny(missing_docs)]

use openapiv3::{PathItem, ReferenceOr, RequestBody};

use super::build::{Builder, Ctx, SchemaRef};
use super::content::{Media, Site, media};
use super::refs::resolve;
use super::{Decode, Home, Method, Ty};
use crate::error::GenerateError;
use crate::load::{Version, lookup};
use crate::naming::{Namespace, module_case, pointer_segment, type_case};

/// The document's webhooks and the names of the generated enum and its error.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Webhooks {
    /// The enum with one variant per webhook operation (`Webhook` unless a schema has it).
    pub enum_name: String,
    /// The error `parse` returns (`WebhookError` unless a schema has it).
    pub error_name: String,
    /// In spec order; empty for a document without webhooks.
    pub hooks: Vec<Webhook>,
}

/// One webhook operation: what arrives, under which name.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    /// The key under `webhooks`, which `parse` matches.
    pub name: String,
    /// The HTTP method the sender uses (a webhook key may have several operations).
    pub method: Method,
    /// The enum variant.
    pub variant: String,
    /// JSON pointer of the webhook operation, for messages.
    pub pointer: String,
    /// The operation's summary, the first part of the variant's doc.
    pub summary: Option<String>,
    /// The operation's description, the rest of the variant's doc.
    pub description: Option<String>,
    /// Documented as deprecated on the variant (not `#[deprecated]`: `parse` uses every variant).
    pub deprecated: bool,
    /// The body's type (`Ty::Unit` when the webhook documents none; an `Option` when the
    /// JSON body is optional).
    pub payload: Ty,
    /// The JSON body is optional (`required` absent or false): an empty body reads as `None`.
    /// A text or binary body is never optional: empty is its empty value.
    pub optional: bool,
    /// How the body is read: `Json`, `Text`, `Bytes` or `Empty`.
    pub decode: Decode,
}

impl Webhook {
    /// The type of the enum variant's field (`None`: a unit variant). A struct or union payload
    /// is boxed, inside its `Option` if any, so the enum stays small.
    pub fn variant_field(&self, api: &super::Api) -> Option<Ty> {
        match &self.payload {
            Ty::Unit => None,
            Ty::Option(inner) if api.is_aggregate(inner) => {
                Some(Ty::Option(Box::new(Ty::Box(inner.clone()))))
            }
            other if api.is_aggregate(other) => Some(Ty::Box(Box::new(other.clone()))),
            other => Some(other.clone()),
        }
    }
}

/// Reads `#/webhooks` of a 3.1 document (3.0 has none: the key is not read there).
pub(super) fn build_webhooks(b: &mut Builder<'_>) -> Result<Webhooks, GenerateError> {
    let doc = b.doc;
    let entries = match (doc.version, lookup(&doc.raw, "#/webhooks")) {
        (Version::V3_1, Some(serde_json::Value::Object(entries))) if !entries.is_empty() => entries,
        _ => return Ok(Webhooks::default()),
    };
    let mut variants = Namespace::types(&[]);
    let mut hooks = Vec::new();
    for (name, value) in entries {
        let at = format!("#/webhooks/{}", pointer_segment(name));
        let item: ReferenceOr<PathItem> = serde_json::from_value(value.clone()).map_err(|e| {
            GenerateError::at(&doc.file, &at, format!("not a valid path item: {e}"))
        })?;
        let (item, item_at) = resolve(b, &item, &at)?;
        let operations: Vec<_> = Method::ALL
            .into_iter()
            .filter_map(|method| method.operation(&item).map(|op| (method, op)))
            .collect();
        if operations.is_empty() {
            b.warn(&at, "webhook has no operation; skipped");
        }
        let several = operations.len() > 1;
        for (method, op) in operations {
            let pointer = format!("{item_at}/{}", method.as_str());
            let base = if several {
                format!("{name} {}", method.as_str())
            } else {
                name.clone()
            };
            let variant = variants.claim(&type_case(&base, "Webhook"));
            let (payload, decode, optional) = match &op.request_body {
                Some(body) => payload(b, body, &pointer, &variant)?,
                None => (Ty::Unit, Decode::Empty, false),
            };
            hooks.push(Webhook {
                name: name.clone(),
                method,
                variant,
                pointer,
                summary: op.summary.clone(),
                description: op.description.clone(),
                deprecated: op.deprecated,
                payload,
                decode,
                optional,
            });
        }
    }
    Ok(Webhooks {
        enum_name: b.type_names.claim("Webhook"),
        error_name: b.type_names.claim("WebhookError"),
        hooks,
    })
}

/// The type of a webhook's request body, how to read it, and whether it is optional JSON.
fn payload(
    b: &mut Builder<'_>,
    body: &ReferenceOr<RequestBody>,
    pointer: &str,
    variant: &str,
) -> Result<(Ty, Decode, bool), GenerateError> {
    let (body, at) = resolve(b, body, &format!("{pointer}/requestBody"))?;
    // Only JSON can be optional: an empty text or binary body is its empty value.
    let optional = !body.required;
    let json = |ty: Ty| {
        let ty = if optional { ty.optional() } else { ty };
        (ty, Decode::Json, optional)
    };
    let site = Site {
        at: &at,
        bodies: "webhook payloads",
    };
    let (media, schema) = match media(b, &body.content, site) {
        Media::Settled(ty, Decode::Json) => return Ok(json(ty)),
        Media::Settled(ty, decode) => return Ok((ty, decode, false)),
        // Read whole, as any binary payload: JSON Lines are decoded for responses only.
        Media::Lines(..) => return Ok((Ty::Bytes, Decode::Bytes, false)),
        Media::Schema(media, schema) => (media, schema),
    };
    let pointer = format!("{at}/content/{}/schema", pointer_segment(media));
    let ty = match schema {
        // A reference is its target's type, named and homed by it.
        ReferenceOr::Reference { reference } => b.reference(reference, &pointer)?,
        ReferenceOr::Item(_) => {
            let hint = format!("{variant}Payload");
            let file = b.model_files.claim(&module_case(&hint, "schema"));
            let ctx = Ctx {
                pointer,
                hint,
                home: Home::Model(file),
            };
            b.convert(SchemaRef::from(schema), &ctx)?
        }
    };
    Ok(json(ty))
}
