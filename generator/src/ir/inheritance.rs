//! Discriminator-based inheritance without `oneOf`, the style many exporters emit: a base
//! schema with a `discriminator` (`Pet`), and subtypes that include it through `allOf`
//! (`Dog: {allOf: [{$ref: Pet}, ...]}`) or that its `mapping` names. A reference to the base
//! then means "one of the subtypes, chosen by the tag", so the builder makes the base a tagged
//! union of them (its own fields are what the subtypes' `allOf` copy).
//!
//! This module finds the subtypes; `build` decides the types.

use std::collections::BTreeMap;

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind};

use crate::naming::{pointer_segment, unescape_pointer_segment};

const COMPONENTS: &str = "#/components/schemas/";

/// For each component, the components whose `allOf` names it directly, in spec order.
pub(super) fn back_references<'a>(
    components: impl IntoIterator<Item = (&'a str, &'a ReferenceOr<Schema>)>,
) -> BTreeMap<String, Vec<&'a str>> {
    let mut found: BTreeMap<String, Vec<&'a str>> = BTreeMap::new();
    for (key, schema) in components {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let parts = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => continue,
        };
        for part in parts {
            if let Some(base) = component_key(part) {
                let subtypes = found.entry(base).or_default();
                if !subtypes.contains(&key) {
                    subtypes.push(key);
                }
            }
        }
    }
    found
}

/// The component a `$ref` part names (`#/components/schemas/Pet` -> `Pet`).
fn component_key(part: &ReferenceOr<Schema>) -> Option<String> {
    match part {
        ReferenceOr::Reference { reference } => reference
            .strip_prefix(COMPONENTS)
            .map(unescape_pointer_segment),
        ReferenceOr::Item(_) => None,
    }
}

/// The subtypes of base `key`, as component keys in order: the `oneOf`/`anyOf` references
/// (`union`), then the `mapping`'s targets, then the components whose `allOf` includes the
/// base; never the base itself. `None` when this is not inheritance: no subtypes, or a union
/// that is not of references or none of whose alternatives includes the base (then the base's
/// properties are shared fields beside the union, not inherited ones).
pub(super) fn subtypes(
    key: &str,
    discriminator: &Discriminator,
    union: Option<&[ReferenceOr<Schema>]>,
    back: &[&str],
) -> Option<Vec<String>> {
    let mut subtypes: Vec<String> = Vec::new();
    let mut add = |subtype: String| {
        if subtype != key && !subtypes.contains(&subtype) {
            subtypes.push(subtype);
        }
    };
    let union = union.unwrap_or_default();
    let mut includes_base = union.is_empty();
    for part in union {
        let subtype = component_key(part)?;
        includes_base |= back.contains(&subtype.as_str());
        add(subtype);
    }
    if !includes_base {
        return None;
    }
    for target in discriminator.mapping.values() {
        // A mapping value is a reference or a bare component name.
        let subtype = match target.strip_prefix(COMPONENTS) {
            Some(escaped) => unescape_pointer_segment(escaped),
            None if !target.contains('/') => target.clone(),
            None => continue,
        };
        add(subtype);
    }
    for subtype in back {
        add((*subtype).to_owned());
    }
    (!subtypes.is_empty()).then_some(subtypes)
}

/// The reference a subtype's tag is looked up by (its mapping keys, else its name).
pub(super) fn reference_to(key: &str) -> String {
    format!("{COMPONENTS}{}", pointer_segment(key))
}
