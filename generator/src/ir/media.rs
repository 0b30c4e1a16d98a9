//! Media types beyond JSON: request bodies sent as forms (`application/x-www-form-urlencoded`,
//! `multipart/form-data`) or raw bytes, JSON Lines responses, the `Accept` header an operation
//! sends, and whether its success body can be handed over as a stream.

use indexmap::IndexMap;
use openapiv3::{
    MediaType, ReferenceOr, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::build::{Builder, Ctx};
use super::refs::{home_for, resolve};
use super::{
    Body, BodyEncoding, Decode, Home, Outcome, Part, PartKind, ResponseCase, Streaming, Ty,
    TypeDef, TypeId, TypeKind,
};
use crate::error::GenerateError;
use crate::naming::{Namespace, pointer_segment};

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// The media type without parameters, lower-case.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or(media)
        .trim()
        .to_ascii_lowercase()
}

/// `application/x-ndjson`, `application/jsonl`, `application/x-jsonlines` and the like: one
/// JSON value per line.
pub(super) fn is_json_lines(media: &str) -> bool {
    matches!(
        essence(media).as_str(),
        "application/x-ndjson"
            | "application/ndjson"
            | "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/json-lines"
    )
}

/// `application/json-seq` (RFC 7464): records framed by an ASCII record separator, which
/// neither the JSON nor the JSON Lines reader takes.
pub(super) fn is_json_seq(media: &str) -> bool {
    essence(media) == "application/json-seq"
}

/// JSON proper: `application/json`, `+json` suffixes, and vendor `application/...json...` types
/// other than JSON Lines and JSON text sequences.
pub(super) fn is_json(media: &str) -> bool {
    let media = essence(media);
    media == "application/json"
        || media.ends_with("+json")
        || (media.starts_with("application/")
            && media.contains("json")
            && !is_json_lines(&media)
            && !is_json_seq(&media))
}

/// The media type an operation reads or writes: the first JSON one, else the first listed.
pub(super) fn pick_media(content: &IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .or_else(|| content.first())
        .map(|(media, m)| (media.as_str(), m))
}

/// Where a request body is in the spec and what its inline types are named after.
pub(super) struct BodySite<'s> {
    pub pointer: &'s str,
    pub builder: &'s str,
    pub file: &'s str,
}

pub(super) fn request_body(
    b: &mut Builder<'_>,
    local: &mut Namespace,
    body: &ReferenceOr<openapiv3::RequestBody>,
    site: BodySite<'_>,
) -> Result<Body, GenerateError> {
    let (body, at) = resolve(b, body, &format!("{}/requestBody", site.pointer))?;
    let name = local.claim("body");
    let raw = |media: &str| Body {
        name: name.clone(),
        ty: Ty::Bytes,
        encoding: BodyEncoding::Raw(media.to_owned()),
        required: body.required,
        doc: body.description.clone(),
    };
    let Some((media, content)) = pick_media(&body.content) else {
        return Ok(raw("application/octet-stream"));
    };
    let form = match essence(media).as_str() {
        FORM => Some(false),
        MULTIPART => Some(true),
        _ => None,
    };
    let content_pointer = format!("{at}/content/{}", pointer_segment(media));
    if essence(media).starts_with("multipart/") && form.is_none() {
        b.warn(
            &content_pointer,
            format!(
                "`{media}` bodies are not encoded: the body is `Bytes`, sent as given with a \
                 Content-Type that has no boundary parameter"
            ),
        );
    }
    if form == Some(false) && !content.encoding.is_empty() {
        b.warn(
            &content_pointer,
            "`encoding` of a form body is not applied: properties use the default form style",
        );
    }
    if !is_json(media) && form.is_none() {
        return Ok(raw(if media.contains('*') {
            "application/octet-stream"
        } else {
            media
        }));
    }
    let hint = format!("{}Request", site.builder);
    let home = home_for(b, &at, &hint, site.file);
    let schema_pointer = format!("{at}/content/{}/schema", pointer_segment(media));
    let ty = match &content.schema {
        Some(schema) => b.convert(
            schema.into(),
            &Ctx {
                pointer: schema_pointer.clone(),
                hint,
                home,
            },
        )?,
        None => Ty::Value,
    };
    // A nullable body is sent or not; `null` itself is not worth an `Option<Option<_>>`.
    let ty = match ty {
        Ty::Option(inner) => *inner,
        other => other,
    };
    let (ty, encoding) = match form {
        None => (ty, BodyEncoding::Json),
        Some(false) => (ty, BodyEncoding::Form),
        Some(true) => {
            let schema = content.schema.as_ref();
            let form = MultipartSite {
                schema,
                content,
                pointer: &schema_pointer,
                builder: site.builder,
                file: site.file,
            };
            multipart(b, ty, &form)?
        }
    };
    Ok(Body {
        name,
        ty,
        encoding,
        required: body.required,
        doc: body.description,
    })
}

struct MultipartSite<'s> {
    schema: Option<&'s ReferenceOr<Schema>>,
    content: &'s MediaType,
    pointer: &'s str,
    builder: &'s str,
    file: &'s str,
}

/// A multipart body: a struct with one part per field, its binary properties held as
/// `Bytes`. Anything else is sent as the parts of a JSON object, with a warning.
fn multipart(
    b: &mut Builder<'_>,
    ty: Ty,
    site: &MultipartSite<'_>,
) -> Result<(Ty, BodyEncoding), GenerateError> {
    let Some(id) = struct_id(&b.types, &ty) else {
        b.warn(
            site.pointer,
            "multipart body is not an object with properties: typed as `serde_json::Value`, \
             each property of the object given sent as one part",
        );
        return Ok((Ty::Value, BodyEncoding::Multipart(Vec::new())));
    };
    let properties = match site.schema {
        Some(schema) => object_properties(b, schema, site.pointer)?,
        None => IndexMap::new(),
    };
    let binary: Vec<(usize, Ty)> = match &b.types[id].kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .enumerate()
            .filter_map(|(index, field)| {
                let schema = properties.get(&field.wire)?;
                binary_ty(b, schema, &field.ty).map(|ty| (index, ty))
            })
            .collect(),
        _ => Vec::new(),
    };
    let id = if binary.is_empty() || b.types[id].pointer == site.pointer {
        id
    } else {
        // A shared component keeps its JSON shape elsewhere; this body gets its own copy.
        let name = b.type_names.claim(&format!("{}Form", site.builder));
        let copy = TypeDef {
            name,
            home: Home::Operation(site.file.to_owned()),
            output_only: false,
            ..b.types[id].clone()
        };
        b.types.push(copy);
        b.types.len() - 1
    };
    let unapplied: Vec<String> = site
        .content
        .encoding
        .iter()
        .filter(|(_, encoding)| !encoding.headers.is_empty() || encoding.style.is_some())
        .map(|(name, _)| format!("`{name}`"))
        .collect();
    if !unapplied.is_empty() {
        b.warn(
            site.pointer,
            format!(
                "multipart body: `headers` and `style` in the encoding of {} are not applied",
                unapplied.join(", ")
            ),
        );
    }
    let TypeKind::Struct(form) = &mut b.types[id].kind else {
        return Ok((ty, BodyEncoding::Multipart(Vec::new())));
    };
    for (index, ty) in binary {
        form.fields[index].ty = ty;
    }
    let has_union = form.union.is_some();
    if form.additional.is_some() {
        b.warn(
            site.pointer,
            "multipart body: `additionalProperties` are not sent as parts",
        );
    }
    if has_union {
        b.warn(
            site.pointer,
            "multipart body: the properties of its `oneOf`/`anyOf` are not sent as parts",
        );
    }
    let fields = match &b.types[id].kind {
        TypeKind::Struct(form) => form.fields.clone(),
        _ => Vec::new(),
    };
    let parts = fields
        .iter()
        .map(|field| {
            // A field not required is emitted as an `Option` whatever its type says.
            let (inner, optional) = match &field.ty {
                Ty::Option(inner) => (inner.as_ref(), true),
                other => (other, !field.required),
            };
            let kind = match inner {
                Ty::Bytes => PartKind::File,
                Ty::Vec(item) if **item == Ty::Bytes => PartKind::Files,
                Ty::Vec(item) if super::is_displayable(&b.types, item) => PartKind::Texts,
                other if super::is_displayable(&b.types, other) && *other != Ty::Value => {
                    PartKind::Text
                }
                _ => PartKind::Json,
            };
            let content_type = site
                .content
                .encoding
                .get(&field.wire)
                .and_then(|encoding| encoding.content_type.clone());
            Part {
                field: field.name.clone(),
                wire: field.wire.clone(),
                kind,
                optional,
                content_type,
            }
        })
        .collect();
    Ok((Ty::Named(id), BodyEncoding::Multipart(parts)))
}

/// The struct a type names, through aliases.
fn struct_id(types: &[TypeDef], ty: &Ty) -> Option<TypeId> {
    let mut ty = ty;
    for _ in 0..types.len() + 1 {
        let Ty::Named(id) = ty else {
            return None;
        };
        match &types.get(*id)?.kind {
            TypeKind::Struct(_) => return Some(*id),
            TypeKind::Alias(inner) => ty = inner,
            _ => return None,
        }
    }
    None
}

/// The declared properties of an object schema (following `$ref`s to it).
fn object_properties(
    b: &Builder<'_>,
    schema: &ReferenceOr<Schema>,
    at: &str,
) -> Result<IndexMap<String, ReferenceOr<Box<Schema>>>, GenerateError> {
    let (schema, _) = resolve(b, schema, at)?;
    Ok(match schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => object.properties,
        SchemaKind::Any(any) => any.properties,
        _ => IndexMap::new(),
    })
}

/// The field's type with `Bytes` for `String`, when the property is `format: binary` (or an
/// array of such).
fn binary_ty(b: &Builder<'_>, schema: &ReferenceOr<Box<Schema>>, field: &Ty) -> Option<Ty> {
    let is_binary = |schema: &Schema| {
        matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s))
            if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
    };
    let schema = resolve(b, &schema.clone().unbox(), "").ok()?.0;
    let binary = match &schema.schema_kind {
        SchemaKind::Type(Type::Array(array)) => {
            let items = array.items.clone()?.unbox();
            is_binary(&resolve(b, &items, "").ok()?.0)
        }
        _ => is_binary(&schema),
    };
    binary.then(|| bytes_for_string(field)).flatten()
}

fn bytes_for_string(ty: &Ty) -> Option<Ty> {
    match ty {
        Ty::String => Some(Ty::Bytes),
        Ty::Option(inner) => bytes_for_string(inner).map(Ty::optional),
        Ty::Vec(inner) => bytes_for_string(inner).map(|inner| Ty::Vec(Box::new(inner))),
        _ => None,
    }
}

/// The `Accept` header an operation sends: the media types its documented responses are read
/// as, successes first, when they are more than JSON (the runtime's default).
pub(super) fn accept(
    b: &Builder<'_>,
    op: &openapiv3::Operation,
    pointer: &str,
) -> Result<Option<String>, GenerateError> {
    let mut media_types: Vec<String> = Vec::new();
    let responses = op.responses.responses.iter();
    let mut success = Vec::new();
    let mut errors = Vec::new();
    for (status, response) in responses {
        let ok = match status {
            openapiv3::StatusCode::Code(code) => (200..300).contains(code),
            openapiv3::StatusCode::Range(range) => *range == 2,
        };
        if ok {
            success.push(response);
        } else {
            errors.push(response);
        }
    }
    errors.extend(&op.responses.default);
    for response in success.into_iter().chain(errors) {
        let (response, _) = resolve(b, response, &format!("{pointer}/responses"))?;
        if let Some((media, _)) = pick_media(&response.content) {
            if !media_types.iter().any(|m| m.eq_ignore_ascii_case(media)) {
                media_types.push(media.to_owned());
            }
        }
    }
    let only_json = media_types
        .iter()
        .all(|media| essence(media) == "application/json");
    Ok((!only_json).then(|| media_types.join(", ")))
}

/// Whether the success body can be handed over unread: every success is binary, or every
/// success is JSON Lines of one item type.
pub(super) fn streaming(success: &[ResponseCase], outcome: &Outcome) -> Option<Streaming> {
    let Outcome::Single(ty) = outcome else {
        return None;
    };
    let all = |decode: Decode| !success.is_empty() && success.iter().all(|c| c.decode == decode);
    match ty {
        Ty::Bytes if all(Decode::Bytes) => Some(Streaming::Bytes),
        Ty::Vec(item) if all(Decode::JsonLines) => Some(Streaming::JsonLines((**item).clone())),
        _ => None,
    }
}
