//! Which nullable fields can say "absent", "null" and "a value" apart: the optional, nullable
//! fields of the types a JSON request body carries become `Nullable<T>` (the runtime's), so a
//! PATCH can send an explicit `null` as well as leave a field out. Everything else keeps
//! `Option<T>`: a required nullable field is `null` for `None`, an optional non-nullable one is
//! left out, and types only responses reach read more simply as an `Option` (absent and `null`
//! both mean "no value" to a reader).
//!
//! Types an operation's pager or waiters read, and idempotency-token fields, stay as they are:
//! their generated code reads and fills those fields as `Option`s.

use std::collections::BTreeSet;

use super::{BodyEncoding, IdempotencyToken, Operation, Ty, TypeDef, TypeId, TypeKind};

/// Rewrites `Option<T>` to `Nullable<T>` in every optional field of the types JSON request
/// bodies reach (`Option` there means the schema is nullable: optionality is `required`).
pub(super) fn three_state(types: &mut [TypeDef], operations: &[Operation]) {
    let bodies = operations.iter().filter_map(|op| match &op.body {
        Some(body) if body.encoding == BodyEncoding::Json => Some(body.ty.clone()),
        _ => None,
    });
    let read = operations
        .iter()
        .filter(|op| op.paging.is_some() || !op.waiters.is_empty())
        .flat_map(|op| op.success.iter().map(|case| case.ty.clone()));
    let kept = reachable(types, read);
    let tokens: BTreeSet<(TypeId, &str)> = operations
        .iter()
        .filter_map(|op| match (&op.idempotency_token, &op.body) {
            (Some(IdempotencyToken::BodyField { field }), Some(body)) => {
                Some((super::alias_end(types, &body.ty)?, field.as_str()))
            }
            _ => None,
        })
        .collect();
    for id in reachable(types, bodies) {
        if kept.contains(&id) {
            continue;
        }
        if let TypeKind::Struct(s) = &mut types[id].kind {
            let fillable =
                |f: &super::Field| !f.required && !tokens.contains(&(id, f.name.as_str()));
            for field in s.fields.iter_mut().filter(|f| fillable(f)) {
                if let Ty::Option(inner) = &field.ty {
                    field.ty = Ty::Nullable(inner.clone());
                }
            }
        }
    }
}

/// Every named type `roots` reach (through fields, variants, aliases and containers).
pub(super) fn reachable(
    types: &[TypeDef],
    roots: impl IntoIterator<Item = Ty>,
) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    let mut pending: Vec<Ty> = roots.into_iter().collect();
    while let Some(ty) = pending.pop() {
        match ty {
            Ty::Named(id) => {
                if !seen.insert(id) {
                    continue;
                }
                match &types[id].kind {
                    TypeKind::Struct(s) => {
                        pending.extend(s.fields.iter().map(|f| f.ty.clone()));
                        pending.extend(s.additional.iter().map(|a| a.ty.clone()));
                        pending.extend(s.union.iter().map(|u| u.ty.clone()));
                    }
                    TypeKind::Union(u) => pending.extend(u.variants.iter().map(|v| v.ty.clone())),
                    TypeKind::Alias(inner) => pending.push(inner.clone()),
                    TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => {}
                }
            }
            Ty::Vec(inner)
            | Ty::Map(inner)
            | Ty::Option(inner)
            | Ty::Nullable(inner)
            | Ty::Box(inner) => pending.push(*inner),
            Ty::Tuple(items) => pending.extend(items),
            _ => {}
        }
    }
    seen
}
