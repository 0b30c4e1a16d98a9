//! How an untagged union picks its variant: by how well each one fits the JSON value, never by
//! declaration order alone (an all-optional struct accepts any object, so "the first that
//! decodes" picks wrong).
//!
//! Each variant gets a [`Fit`] (what JSON it takes); the decoder scores the variants against
//! the value and tries them best first, keeping the first that decodes; declaration order only
//! breaks ties. Scores:
//! - scalars: the exact JSON type (an integral number for an integer, a fractional one for a
//!   number); a known value of an open enum beats a plain string, which beats an enum's
//!   catch-all;
//! - objects: all the variant's required fields must be present; then the more of the value's
//!   fields the variant declares the better, and a variant that declares all of them beats one
//!   that would drop some (a map, or a struct with `additionalProperties`, declares them all);
//! - `serde_json::Value` takes anything, last.
//!
//! [`ambiguities`] lists the pairs of variants some value fits equally well, for the doc
//! comment.

use std::collections::{BTreeSet, HashSet};

use super::{Ty, TypeDef, TypeKind};

/// What JSON a union variant takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    Null,
    Bool,
    Integer,
    Number,
    String,
    /// An open string enum's known values.
    StringEnum(Vec<String>),
    /// An open integer enum's known values.
    IntEnum(Vec<i64>),
    Array,
    Object {
        /// Declared property names (wire).
        fields: Vec<String>,
        required: Vec<String>,
        /// Takes any other property too (`additionalProperties`, or a map).
        open: bool,
    },
    /// A nested union or anything else decided only by decoding.
    Other,
    /// `serde_json::Value`.
    Any,
    /// A nullable variant: `null`, or what the inner fit takes.
    Nullable(Box<Fit>),
}

/// The fit of a variant of type `ty`.
pub fn fit(types: &[TypeDef], ty: &Ty) -> Fit {
    fit_once(types, ty, &mut HashSet::new())
}

/// `seen`: the named types already followed, shared through `Option`s too, so an alias cycle
/// (`A = Option<A>`, possible while the IR is built) ends.
fn fit_once(types: &[TypeDef], ty: &Ty, seen: &mut HashSet<usize>) -> Fit {
    let mut current = ty;
    loop {
        return match current {
            Ty::Unit => Fit::Null,
            Ty::Bool => Fit::Bool,
            Ty::I32 | Ty::I64 | Ty::U32 | Ty::U64 => Fit::Integer,
            Ty::F32 | Ty::F64 => Fit::Number,
            Ty::String | Ty::Bytes => Fit::String,
            Ty::Vec(_) | Ty::Tuple(_) => Fit::Array,
            Ty::Map(_) => Fit::Object {
                fields: Vec::new(),
                required: Vec::new(),
                open: true,
            },
            Ty::Value => Fit::Any,
            Ty::Option(inner) | Ty::Nullable(inner) => {
                Fit::Nullable(Box::new(fit_once(types, inner, seen)))
            }
            Ty::Box(inner) => {
                current = inner;
                continue;
            }
            Ty::Named(id) if !seen.insert(*id) => Fit::Other,
            Ty::Named(id) => match types.get(*id).map(|def| &def.kind) {
                Some(TypeKind::Alias(inner)) => {
                    current = inner;
                    continue;
                }
                Some(TypeKind::Struct(s)) => Fit::Object {
                    fields: s.fields.iter().map(|f| f.wire.clone()).collect(),
                    required: s
                        .fields
                        .iter()
                        .filter(|f| f.required)
                        .map(|f| f.wire.clone())
                        .collect(),
                    // A flattened union reads the properties the fields do not declare.
                    open: s.additional.is_some() || s.union.is_some(),
                },
                Some(TypeKind::StringEnum(e)) => {
                    Fit::StringEnum(e.variants.iter().map(|v| v.value.clone()).collect())
                }
                Some(TypeKind::IntEnum(e)) => {
                    Fit::IntEnum(e.variants.iter().map(|v| v.value).collect())
                }
                Some(TypeKind::Union(_)) | None => Fit::Other,
            },
        };
    }
}

/// Why two variants (by index) cannot always be told apart, for the union's doc comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    pub first: usize,
    pub second: usize,
    /// The values both take equally well (`any string`, `an object with only \`id\``).
    pub values: String,
}

/// The pairs of variants that some value fits equally well (the first declared then wins).
pub fn ambiguities(fits: &[Fit]) -> Vec<Ambiguity> {
    let mut found = Vec::new();
    for (first, a) in fits.iter().enumerate() {
        for (offset, b) in fits[first + 1..].iter().enumerate() {
            if let Some(values) = tie(a, b) {
                found.push(Ambiguity {
                    first,
                    second: first + 1 + offset,
                    values,
                });
            }
        }
    }
    found
}

fn tie(a: &Fit, b: &Fit) -> Option<String> {
    let strip = |fit: &Fit| match fit {
        Fit::Nullable(inner) => (inner.as_ref().clone(), true),
        other => (other.clone(), false),
    };
    let ((a, a_null), (b, b_null)) = (strip(a), strip(b));
    let scalar = match (&a, &b) {
        (Fit::Bool, Fit::Bool) => Some("any boolean".to_owned()),
        (Fit::Integer, Fit::Integer) => Some("any integer".to_owned()),
        (Fit::Number, Fit::Number) => Some("any number".to_owned()),
        (Fit::String, Fit::String) => Some("any string".to_owned()),
        (Fit::Array, Fit::Array) => Some("any array both decode".to_owned()),
        (Fit::Other, Fit::Other) => Some("any value both decode".to_owned()),
        (Fit::StringEnum(x), Fit::StringEnum(y)) => shared(x, y, |v| format!("`\"{v}\"`"))
            .or_else(|| Some("any string neither knows".to_owned())),
        (Fit::IntEnum(x), Fit::IntEnum(y)) => shared(x, y, |v| format!("`{v}`"))
            .or_else(|| Some("any integer neither knows".to_owned())),
        (
            Fit::Object {
                fields: fa,
                required: ra,
                open: oa,
            },
            Fit::Object {
                fields: fb,
                required: rb,
                open: ob,
            },
        ) => object_tie(fa, ra, *oa, fb, rb, *ob),
        _ => None,
    };
    match (scalar, a_null && b_null) {
        (Some(values), true) => Some(format!("`null` and {values}")),
        (Some(values), false) => Some(values),
        (None, true) => Some("`null`".to_owned()),
        (None, false) => None,
    }
}

fn shared<V: PartialEq + std::fmt::Display>(
    x: &[V],
    y: &[V],
    show: impl Fn(&V) -> String,
) -> Option<String> {
    let common: Vec<String> = x.iter().filter(|v| y.contains(v)).map(show).collect();
    (!common.is_empty()).then(|| common.join(", "))
}

/// An object both take and score the same, if there is one: the fields both require, plus
/// some of the fields only one of them declares (a field both declare adds to both alike, and
/// one neither declares only lowers both).
fn object_tie(
    fa: &[String],
    ra: &[String],
    oa: bool,
    fb: &[String],
    rb: &[String],
    ob: bool,
) -> Option<String> {
    let required: BTreeSet<&String> = ra.iter().chain(rb).collect();
    let (only_a, only_b) = (only_in(fa, fb, &required), only_in(fb, fa, &required));
    for p in 0..=only_a.len() {
        for q in 0..=only_b.len() {
            let keys: Vec<&String> = required
                .iter()
                .copied()
                .chain(only_a[..p].iter().copied())
                .chain(only_b[..q].iter().copied())
                .collect();
            if object_score(&keys, fa, oa) == object_score(&keys, fb, ob) {
                return Some(describe(&keys));
            }
        }
    }
    None
}

/// The fields `mine` declares that `theirs` does not, and that are not required anyway.
fn only_in<'a>(
    mine: &'a [String],
    theirs: &[String],
    required: &BTreeSet<&String>,
) -> Vec<&'a String> {
    mine.iter()
        .filter(|f| !theirs.contains(f) && !required.contains(f))
        .collect()
}

/// The decoder's score of an object with `keys` (every required one among them).
fn object_score(keys: &[&String], fields: &[String], open: bool) -> usize {
    let declared = keys.iter().filter(|key| fields.contains(key)).count();
    2 + 4 * declared + 2 * usize::from(open || declared == keys.len())
}

fn describe(keys: &[&String]) -> String {
    if keys.is_empty() {
        return "an object with none of their fields (`{}`)".to_owned();
    }
    let list: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    format!("an object with only {}", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(fields: &[&str], required: &[&str]) -> Fit {
        Fit::Object {
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            required: required.iter().map(|f| (*f).to_owned()).collect(),
            open: false,
        }
    }

    #[test]
    fn all_optional_structs_tie_on_the_empty_object() {
        let found = ambiguities(&[object(&["radius"], &[]), object(&["side"], &[])]);
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].values,
            "an object with none of their fields (`{}`)"
        );
    }

    #[test]
    fn fields_only_one_declares_can_balance_out() {
        // `{x, y, label}`: each declares two of the three fields.
        let fits = [
            object(&["x", "label"], &["x"]),
            object(&["x", "y"], &["x", "y"]),
        ];
        let found = ambiguities(&fits);
        assert_eq!(found[0].values, "an object with only `x`, `y`, `label`");
    }

    #[test]
    fn declaring_every_field_of_the_value_wins() {
        // Any value `{x, y, ...}` both take is declared more fully by the second.
        let fits = [object(&["x"], &["x"]), object(&["x", "y"], &["x", "y"])];
        assert_eq!(ambiguities(&fits), []);
        // Required fields the other lacks tie only on values with both (`{radius, side}`).
        let fits = [
            object(&["radius"], &["radius"]),
            object(&["side"], &["side"]),
        ];
        assert_eq!(
            ambiguities(&fits)[0].values,
            "an object with only `radius`, `side`"
        );
    }

    #[test]
    fn scalars_of_different_json_types_never_tie() {
        let fits = [Fit::Integer, Fit::Number, Fit::String, Fit::Bool, Fit::Any];
        assert_eq!(ambiguities(&fits), []);
        let found = ambiguities(&[Fit::String, Fit::String]);
        assert_eq!(found[0].values, "any string");
    }
}
