//! What one schema is, whatever shape openapiv3 parsed it into: a `type` with its keywords,
//! or the `AnySchema` it falls back to for mixed keywords. The builder converts views, never
//! raw `SchemaKind`s, so each construct is recognised in one place.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind, Type, VariantOrUnknownOrEmpty,
};

/// The classification of one schema, whatever shape openapiv3 parsed it into.
pub(super) enum View<'s> {
    Str {
        format: Option<String>,
        values: Vec<String>,
    },
    Int {
        format: Option<String>,
        values: Vec<i64>,
    },
    Num {
        format: Option<String>,
    },
    Bool,
    Object(ObjectView<'s>),
    Array(Option<&'s ReferenceOr<Box<Schema>>>),
    /// `allOf`, with the schema's own properties and `oneOf`/`anyOf` beside it.
    AllOf(
        &'s [ReferenceOr<Schema>],
        Option<ObjectView<'s>>,
        Option<UnionView<'s>>,
    ),
    /// Properties beside a `oneOf`/`anyOf`: the properties plus the union.
    Composed(ObjectView<'s>, UnionView<'s>),
    OneOf(&'s [ReferenceOr<Schema>]),
    AnyOf(&'s [ReferenceOr<Schema>]),
    Not,
    Null,
    Any,
    Unknown(&'s str),
}

#[derive(Clone, Copy)]
pub(super) struct ObjectView<'s> {
    pub properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

/// A `oneOf` or `anyOf` beside other keywords.
#[derive(Clone, Copy)]
pub(super) struct UnionView<'s> {
    pub keyword: &'static str,
    pub parts: &'s [ReferenceOr<Schema>],
}

fn format_name<T: std::fmt::Debug>(
    format: &VariantOrUnknownOrEmpty<T>,
    known: fn(&T) -> &'static str,
) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item).to_owned()),
        VariantOrUnknownOrEmpty::Unknown(name) => Some(name.clone()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &openapiv3::StringFormat) -> &'static str {
    use openapiv3::StringFormat as F;
    match format {
        F::Date => "date",
        F::DateTime => "date-time",
        F::Password => "password",
        F::Byte => "byte",
        F::Binary => "binary",
    }
}

pub(super) fn view(schema: &Schema) -> View<'_> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(t)) => View::Str {
            format: format_name(&t.format, string_format),
            values: t.enumeration.iter().flatten().cloned().collect(),
        },
        SchemaKind::Type(Type::Integer(t)) => View::Int {
            format: format_name(&t.format, |f| match f {
                openapiv3::IntegerFormat::Int32 => "int32",
                openapiv3::IntegerFormat::Int64 => "int64",
            }),
            values: t.enumeration.iter().flatten().copied().collect(),
        },
        SchemaKind::Type(Type::Number(t)) => View::Num {
            format: format_name(&t.format, |f| match f {
                openapiv3::NumberFormat::Float => "float",
                openapiv3::NumberFormat::Double => "double",
            }),
        },
        SchemaKind::Type(Type::Boolean(_)) => View::Bool,
        SchemaKind::Type(Type::Object(o)) => View::Object(ObjectView {
            properties: &o.properties,
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        }),
        SchemaKind::Type(Type::Array(a)) => View::Array(a.items.as_ref()),
        SchemaKind::OneOf { one_of } => View::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => View::AnyOf(any_of),
        SchemaKind::AllOf { all_of } => View::AllOf(all_of, None, None),
        SchemaKind::Not { .. } => View::Not,
        SchemaKind::Any(any) => view_any(any),
    }
}

fn any_object(any: &AnySchema) -> ObjectView<'_> {
    ObjectView {
        properties: &any.properties,
        required: &any.required,
        additional: any.additional_properties.as_ref(),
    }
}

/// A schema openapiv3 could not fit a single `type` to (mixed keywords, unusual enums).
fn view_any(any: &AnySchema) -> View<'_> {
    let has_object_parts = !any.properties.is_empty() || any.additional_properties.is_some();
    // `oneOf` wins when a schema has both (the builder warns that `anyOf` is dropped).
    let union = [("oneOf", &any.one_of), ("anyOf", &any.any_of)]
        .into_iter()
        .find(|(_, parts)| !parts.is_empty())
        .map(|(keyword, parts)| UnionView { keyword, parts });
    if !any.all_of.is_empty() {
        return View::AllOf(
            &any.all_of,
            has_object_parts.then(|| any_object(any)),
            union,
        );
    }
    match union {
        Some(union) if has_object_parts => return View::Composed(any_object(any), union),
        Some(UnionView {
            keyword: "oneOf",
            parts,
        }) => return View::OneOf(parts),
        Some(UnionView { parts, .. }) => return View::AnyOf(parts),
        None => {}
    }
    if any.not.is_some() {
        return View::Not;
    }
    let strings = || any.enumeration.iter().filter_map(scalar_string).collect();
    match any.typ.as_deref() {
        Some("string") => View::Str {
            format: any.format.clone(),
            values: strings(),
        },
        Some("integer") => View::Int {
            format: any.format.clone(),
            values: any
                .enumeration
                .iter()
                .filter_map(serde_json::Value::as_i64)
                .collect(),
        },
        Some("number") => View::Num {
            format: any.format.clone(),
        },
        Some("boolean") => View::Bool,
        Some("object") => View::Object(any_object(any)),
        Some("array") => View::Array(any.items.as_ref()),
        Some("null") => View::Null,
        Some(other) => View::Unknown(other),
        None if has_object_parts => View::Object(any_object(any)),
        None if any.items.is_some() => View::Array(any.items.as_ref()),
        None if !any.enumeration.is_empty()
            && any.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
        {
            View::Str {
                format: any.format.clone(),
                values: strings(),
            }
        }
        None => View::Any,
    }
}

/// An enum value as the string the wire carries (YAML may have parsed `1` as a number).
fn scalar_string(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
