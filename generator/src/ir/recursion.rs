//! Recursive types: a struct that contains itself by value (directly, through `Option`, or
//! through other structs) gets `Box` on the fields that close the cycle; `Vec` and maps
//! already add indirection. Type aliases cannot be recursive at all in Rust, so an alias on
//! a cycle of aliases becomes `serde_json::Value`, with a warning. Union variants that hold a
//! struct or union are boxed too, which keeps enum variants small.

use super::{Ty, TypeDef, TypeId, TypeKind};
use crate::error::Warning;

pub fn box_recursive(types: &mut [TypeDef], warnings: &mut Vec<Warning>) {
    break_alias_cycles(types, warnings);
    let component = strongly_connected(types.len(), |id| by_value_edges(&types[id]));
    for id in 0..types.len() {
        let same = |target: TypeId| component[target] == component[id];
        let is_aggregate =
            |target: TypeId| matches!(types[target].kind, TypeKind::Struct(_) | TypeKind::Union(_));
        let kind = &types[id].kind;
        let boxed = match kind {
            TypeKind::Struct(s) => {
                let mut s = s.clone();
                for field in &mut s.fields {
                    if by_value(&field.ty).into_iter().any(same) {
                        field.ty = box_inside(&field.ty);
                    }
                }
                TypeKind::Struct(s)
            }
            TypeKind::Union(u) => {
                let mut u = u.clone();
                for variant in &mut u.variants {
                    if by_value(&variant.ty)
                        .into_iter()
                        .any(|t| same(t) || is_aggregate(t))
                    {
                        variant.ty = box_inside(&variant.ty);
                    }
                }
                TypeKind::Union(u)
            }
            _ => continue,
        };
        types[id].kind = boxed;
    }
}

fn break_alias_cycles(types: &mut [TypeDef], warnings: &mut Vec<Warning>) {
    let is_alias = |types: &[TypeDef], id: TypeId| matches!(types[id].kind, TypeKind::Alias(_));
    let edges = |id: TypeId| match &types[id].kind {
        TypeKind::Alias(ty) => named_anywhere(ty)
            .into_iter()
            .filter(|t| is_alias(types, *t))
            .collect(),
        _ => Vec::new(),
    };
    let component = strongly_connected(types.len(), edges);
    let mut size = vec![0usize; types.len()];
    for c in &component {
        size[*c] += 1;
    }
    let cyclic: Vec<TypeId> = (0..types.len())
        .filter(|&id| is_alias(types, id))
        .filter(|&id| size[component[id]] > 1 || edges(id).contains(&id))
        .collect();
    for id in cyclic {
        types[id].kind = TypeKind::Alias(Ty::Value);
        warnings.push(Warning {
            pointer: types[id].pointer.clone(),
            message:
                "a type alias that contains itself cannot be expressed; it is `serde_json::Value`"
                    .into(),
        });
    }
}

/// Named types held by value (not behind `Vec`, a map or `Box`).
fn by_value(ty: &Ty) -> Vec<TypeId> {
    match ty {
        Ty::Named(id) => vec![*id],
        Ty::Option(inner) => by_value(inner),
        Ty::Tuple(items) => items.iter().flat_map(by_value).collect(),
        _ => Vec::new(),
    }
}

fn by_value_edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().flat_map(|f| by_value(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().flat_map(|v| by_value(&v.ty)).collect(),
        TypeKind::Alias(ty) => by_value(ty),
        TypeKind::StringEnum(_) | TypeKind::IntEnum(_) => Vec::new(),
    }
}

fn named_anywhere(ty: &Ty) -> Vec<TypeId> {
    match ty {
        Ty::Named(id) => vec![*id],
        Ty::Option(inner) | Ty::Box(inner) | Ty::Vec(inner) | Ty::Map(inner) => {
            named_anywhere(inner)
        }
        Ty::Tuple(items) => items.iter().flat_map(named_anywhere).collect(),
        _ => Vec::new(),
    }
}

fn box_inside(ty: &Ty) -> Ty {
    match ty {
        Ty::Option(inner) => Ty::Option(Box::new(box_inside(inner))),
        other => Ty::Box(Box::new(other.clone())),
    }
}

/// Tarjan's algorithm (iterative, so deep type graphs cannot overflow the stack): the
/// strongly connected component of each node.
fn strongly_connected(count: usize, edges: impl Fn(usize) -> Vec<usize>) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let mut index = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut component = vec![UNSEEN; count];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..count {
        if index[root] != UNSEEN {
            continue;
        }
        // Each frame: node, its successors, and how many of them were visited.
        let mut frames: Vec<(usize, Vec<usize>, usize)> = vec![(root, edges(root), 0)];
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&next) = frame.1.get(frame.2) {
                frame.2 += 1;
                if index[next] == UNSEEN {
                    index[next] = next_index;
                    low[next] = next_index;
                    next_index += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, edges(next), 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(index[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(parent) = frames.last() {
                low[parent.0] = low[parent.0].min(low[node]);
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected;

    #[test]
    fn finds_cycles() {
        let graph = [vec![1], vec![2], vec![0], vec![3], vec![]];
        let c = strongly_connected(graph.len(), |n| graph[n].clone());
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[0], c[3]);
        assert_ne!(c[3], c[4]);
    }
}
