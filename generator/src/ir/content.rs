//! Which of a body's media types is read, and what that settles before any schema is looked
//! at: shared by response bodies and webhook payloads.

use indexmap::IndexMap;
use openapiv3::{MediaType, ReferenceOr, Schema};

use super::build::Builder;
use super::media::{is_json, is_json_lines, is_json_seq, pick_media};
use super::{Decode, Ty};
use crate::naming::pointer_segment;

/// A body's `content`, as far as its media type says.
pub(super) enum Media<'a> {
    /// The type needs no schema: no content (`()`), text (`String`), other non-JSON (`Bytes`),
    /// or JSON without a schema (`serde_json::Value`).
    Settled(Ty, Decode),
    /// JSON under this media type, described by this schema.
    Schema(&'a str, &'a ReferenceOr<Schema>),
    /// JSON Lines under this media type: one value per line, each described by this schema
    /// (`serde_json::Value` without one).
    Lines(&'a str, Option<&'a ReferenceOr<Schema>>),
}

/// Where a body's `content` is: the pointer of the object holding it, and what its bodies are
/// called in a warning (`responses`).
pub(super) struct Site<'s> {
    pub at: &'s str,
    pub bodies: &'s str,
}

/// The JSON media type if there is one (else the first), and what it settles.
pub(super) fn media<'a>(
    b: &mut Builder<'_>,
    content: &'a IndexMap<String, MediaType>,
    site: Site<'_>,
) -> Media<'a> {
    let Some((media, content)) = pick_media(content) else {
        return Media::Settled(Ty::Unit, Decode::Empty);
    };
    if is_json_seq(media) {
        b.warn(
            &format!("{}/content/{}", site.at, pointer_segment(media)),
            format!(
                "`{media}` {} are not decoded: the body is `Bytes`",
                site.bodies
            ),
        );
        return Media::Settled(Ty::Bytes, Decode::Bytes);
    }
    if is_json_lines(media) {
        return Media::Lines(media, content.schema.as_ref());
    }
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
