//! Which of a body's media types is read, and what that settles before any schema is looked
//! at: shared by response bodies and webhook payloads.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Schema};

use super::operations::{is_json, pick_media};
use super::{Decode, Ty};

/// A body's `content`, as far as its media type says.
pub(super) enum Media<'a> {
    /// The type needs no schema: no content (`()`), text (`String`), other non-JSON (`Bytes`),
    /// or JSON without a schema (`serde_json::Value`).
    Settled(Ty, Decode),
    /// JSON under this media type, described by this schema.
    Schema(&'a str, &'a ReferenceOr<Schema>),
}

/// The JSON media type if there is one (else the first), and what it settles.
pub(super) fn media(content: &IndexMap<String, MediaType>) -> Media<'_> {
    let Some((media, content)) = pick_media(content) else {
        return Media::Settled(Ty::Unit, Decode::Empty);
    };
    if !is_json(media) {
        return if media.starts_with("text/") {
            Media::Settled(Ty::String, Decode::Text)
        } else {
            Media::Settled(Ty::Bytes, Decode::Bytes)
        };
    }
    match &content.schema {
        Some(schema) => Media::Schema(media, schema),
        None => Media::Settled(Ty::Value, Decode::Json),
    }
}
