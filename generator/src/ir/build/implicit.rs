//! Unions that say what each alternative is without a `discriminator`, recognised as typify
//! does:
//! - every alternative an inline string enum (Dropshot writes a documented enum as a `oneOf`
//!   of one-value strings, each with its description): one open enum of all the values,
//!   each documented with its alternative's description;
//! - every alternative an object with a required property allowed one string value, a
//!   different one in each (`{"type": "range_to", ...}`): an implicit tag, so the union
//!   decodes and encodes as a discriminated one.
//!
//! Anything else stays a union chosen by fit (`crate::ir::union_fit`).

use std::borrow::Cow;
use std::collections::HashSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::{Builder, SchemaRef, schema_doc};
use crate::ir::view::{View, view};

/// The property an implicitly tagged union reads its tag from, and each alternative's value.
pub(super) struct ImplicitTag {
    pub property: String,
    pub values: Vec<String>,
}

/// The values of every alternative, with its description, when all are inline string
/// enums; `None` otherwise.
pub(super) fn merged_enum(parts: &[ReferenceOr<Schema>]) -> Option<Vec<(String, Option<String>)>> {
    let mut values = Vec::new();
    for part in parts {
        let ReferenceOr::Item(schema) = part else {
            return None;
        };
        let doc = schema_doc(schema);
        values.extend(constants(schema)?.into_iter().map(|v| (v, doc.clone())));
    }
    Some(values)
}

/// The values of a string schema that allows only listed values (and not `null`).
fn constants(schema: &Schema) -> Option<Vec<String>> {
    if schema.schema_data.nullable {
        return None;
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
            string.enumeration.iter().cloned().collect()
        }
        _ => None,
    }
}

/// The one value a property schema allows, if it is a string constant.
fn constant(schema: &Schema) -> Option<String> {
    match constants(schema)?.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

impl Builder<'_> {
    /// The implicit tag of a union's alternatives (module doc): the first property of the
    /// first alternative, in declaration order, that tags them all; `preferred` (a
    /// discriminator's property) is the only candidate when given.
    pub(super) fn implicit_tag<'s>(
        &self,
        parts: &'s [ReferenceOr<Schema>],
        preferred: Option<&str>,
    ) -> Option<ImplicitTag> {
        let objects: Vec<Cow<'s, Schema>> = parts
            .iter()
            .map(|part| self.resolve(SchemaRef::from(part)))
            .collect::<Option<_>>()?;
        let View::Object(first) = view(objects.first()?) else {
            return None;
        };
        let first = first.properties;
        let candidates: Vec<&String> = match preferred {
            Some(property) => first.keys().filter(|key| *key == property).collect(),
            None => first.keys().collect(),
        };
        candidates.into_iter().find_map(|property| {
            let values: Vec<String> = objects
                .iter()
                .map(|object| self.tag_value(object, property))
                .collect::<Option<_>>()?;
            let mut seen = HashSet::new();
            values
                .iter()
                .all(|value| seen.insert(value))
                .then(|| ImplicitTag {
                    property: property.clone(),
                    values,
                })
        })
    }

    /// The constant `object` requires in `property`, if it does.
    fn tag_value(&self, object: &Schema, property: &str) -> Option<String> {
        let View::Object(o) = view(object) else {
            return None;
        };
        if !o.required.iter().any(|r| r == property) {
            return None;
        }
        let schema = match o.properties.get(property)? {
            ReferenceOr::Reference { reference } => self.resolve(SchemaRef::Ref(reference))?,
            ReferenceOr::Item(schema) => Cow::Borrowed(schema.as_ref()),
        };
        constant(&schema)
    }

    /// The schema a part is, through a chain of `$ref`s; `None` if one does not resolve.
    fn resolve<'s>(&self, part: SchemaRef<'s>) -> Option<Cow<'s, Schema>> {
        match part {
            SchemaRef::Item(schema) => Some(Cow::Borrowed(schema)),
            SchemaRef::Ref(reference) => {
                let target = self.ref_chain_end(reference)?;
                serde_json::from_value(target.clone()).ok().map(Cow::Owned)
            }
        }
    }
}
