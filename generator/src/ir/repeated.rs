//! Properties a struct and its flattened union's shared alternatives both declare.
//!
//! A struct with a `oneOf`/`anyOf` beside its properties reads its own fields first and hands
//! the rest of the object to the union. An inline alternative has the struct's properties
//! removed when it is built; one that is a component is shared with other schemas and keeps
//! them, so it never sees them (and never matches if it requires them), and a value of it is
//! sent with them twice. That is said here, at the struct's pointer, once every type is built.

use super::{TypeDef, TypeKind, alias_end};
use crate::error::Warning;

pub(super) fn warn(types: &[TypeDef], warnings: &mut Vec<Warning>) {
    for def in types {
        let TypeKind::Struct(parent) = &def.kind else {
            continue;
        };
        let Some(union) = &parent.union else {
            continue;
        };
        let Some(TypeKind::Union(union)) = alias_end(types, &union.ty).map(|id| &types[id].kind)
        else {
            continue;
        };
        for id in union
            .variants
            .iter()
            .filter_map(|v| alias_end(types, &v.ty))
        {
            let alternative = &types[id];
            let TypeKind::Struct(fields) = &alternative.kind else {
                continue;
            };
            let repeated: Vec<String> = fields
                .fields
                .iter()
                .filter(|f| parent.fields.iter().any(|p| p.wire == f.wire))
                .map(|f| format!("`{}`", f.wire))
                .collect();
            if repeated.is_empty() {
                continue;
            }
            warnings.push(Warning {
                pointer: def.pointer.clone(),
                message: format!(
                    "the union's alternative `{}` ({}) also declares {}, which this struct \
                     reads first: that alternative never sees them (it fails to decode if it \
                     requires them) and a value of it sends them twice",
                    alternative.name,
                    alternative.pointer,
                    repeated.join(", ")
                ),
            });
        }
    }
}
