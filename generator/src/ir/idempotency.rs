//! `x-sdk-idempotency-token: true` (see `schema/EXTENSIONS.md`): the request field that
//! carries an idempotency token, which the client fills with a fresh UUID when the caller
//! leaves it unset, so the operation can be retried after it may have reached the server.
//!
//! The extension sits on a query parameter or on a property of the JSON request body. It is
//! read from the document as written (a sibling of a property's `$ref` is kept there, while
//! `openapiv3` drops it).

use serde_json::Value;

use super::build::Builder;
use super::media::is_json;
use super::{Body, IdempotencyToken, Param, ParamLocation, Ty, TypeKind};

const EXTENSION: &str = "x-sdk-idempotency-token";

/// The operation's idempotency token, if it declares one the client can fill.
pub(super) fn idempotency_token(
    b: &mut Builder<'_>,
    pointer: &str,
    params: &[Param],
    body: Option<&Body>,
) -> Option<IdempotencyToken> {
    if let Some((wire, at)) = marked_parameter(b, pointer) {
        let param = params
            .iter()
            .find(|p| p.wire == wire && p.location == ParamLocation::Query)?;
        return fillable(b, &at, &wire, &param.ty, !param.required).then(|| {
            IdempotencyToken::Query {
                param: param.name.clone(),
            }
        });
    }
    let (wire, at) = marked_property(b, pointer)?;
    let Ty::Named(id) = body?.ty else {
        return None;
    };
    let TypeKind::Struct(body_struct) = &b.types[id].kind else {
        return None;
    };
    let field = body_struct.fields.iter().find(|f| f.wire == wire)?;
    let (name, optional) = (field.name.clone(), !field.required);
    let ty = match &field.ty {
        Ty::Option(inner) => inner.as_ref().clone(),
        other => other.clone(),
    };
    fillable(b, &at, &wire, &ty, optional).then_some(IdempotencyToken::BodyField { field: name })
}

/// Whether a marked field can take a generated token: an optional string (a required one is
/// the caller's to set; it is documented, not filled).
fn fillable(b: &mut Builder<'_>, at: &str, wire: &str, ty: &Ty, optional: bool) -> bool {
    if *ty != Ty::String {
        b.warn(
            at,
            format!("idempotency token `{wire}` is not a string; the client does not fill it"),
        );
        return false;
    }
    if !optional {
        b.warn(
            at,
            format!("idempotency token `{wire}` is required; the caller sets it on every call"),
        );
        return false;
    }
    true
}

fn marked(value: &Value) -> bool {
    value.get(EXTENSION).and_then(Value::as_bool) == Some(true)
}

/// Follows `$ref`s from `value` (found at `at`) to what they point to, with its pointer.
fn deref<'a>(b: &Builder<'a>, value: &'a Value, at: String) -> Option<(&'a Value, String)> {
    let (mut value, mut at) = (value, at);
    // A longer chain is a cycle; the schema pass reports those.
    for _ in 0..32 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(reference) => {
                let target = b.ref_target(reference, &at).ok()?;
                at = reference.to_owned();
                value = target;
            }
            None => return Some((value, at)),
        }
    }
    None
}

/// The wire name and pointer of a query parameter marked as the token.
fn marked_parameter(b: &Builder<'_>, pointer: &str) -> Option<(String, String)> {
    let raw = &b.doc.raw;
    let path_pointer = pointer.rsplit_once('/').map_or(pointer, |(p, _)| p);
    [path_pointer, pointer].into_iter().find_map(|owner| {
        let list = crate::load::lookup(raw, &format!("{owner}/parameters"))?.as_array()?;
        list.iter().enumerate().find_map(|(index, param)| {
            let (param, at) = deref(b, param, format!("{owner}/parameters/{index}"))?;
            let wire = param.get("name")?.as_str()?;
            let in_query = param.get("in").and_then(Value::as_str) == Some("query");
            (in_query && marked(param)).then(|| (wire.to_owned(), at))
        })
    })
}

/// The wire name and pointer of a JSON body property marked as the token.
fn marked_property(b: &Builder<'_>, pointer: &str) -> Option<(String, String)> {
    let body = crate::load::lookup(&b.doc.raw, &format!("{pointer}/requestBody"))?;
    let (body, at) = deref(b, body, format!("{pointer}/requestBody"))?;
    let (media, content) = body
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| is_json(media))?;
    let schema_at = format!(
        "{at}/content/{}/schema",
        crate::naming::pointer_segment(media)
    );
    let (schema, schema_at) = deref(b, content.get("schema")?, schema_at)?;
    let properties = schema.get("properties")?.as_object()?;
    properties.iter().find_map(|(name, property)| {
        let at = format!(
            "{schema_at}/properties/{}",
            crate::naming::pointer_segment(name)
        );
        let marked =
            marked(property) || deref(b, property, at.clone()).is_some_and(|(p, _)| marked(p));
        marked.then(|| (name.clone(), at))
    })
}
