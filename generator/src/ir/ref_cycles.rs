//! `$ref` chains that never reach a schema (`B: {$ref: C}`, `C: {$ref: B}`): such a component
//! has no definition at all, so it is an error naming the first component of the cycle, found
//! before any conversion (which would otherwise follow the chain round and round).

use std::collections::HashSet;

use serde_json::Value;

use crate::error::GenerateError;
use crate::load::{Document, lookup};
use crate::naming::pointer_segment;

/// Fails on the first component schema (in spec order) that is on a cycle of `$ref`s.
pub(super) fn check(doc: &Document) -> Result<(), GenerateError> {
    let Some(components) = &doc.api.components else {
        return Ok(());
    };
    // Pointers whose chain was followed to its end already: each is walked once, so a long
    // chain costs its length, not its length squared.
    let mut settled = HashSet::new();
    for key in components.schemas.keys() {
        let start = format!("#/components/schemas/{}", pointer_segment(key));
        if let Some(cycle) = cycle_from(&doc.raw, &start, &mut settled) {
            let chain = cycle
                .iter()
                .map(|pointer| format!("`{pointer}`"))
                .collect::<Vec<_>>()
                .join(" -> ");
            return Err(GenerateError::at(
                &doc.file,
                &start,
                format!("$ref cycle {chain} never reaches a schema"),
            ));
        }
    }
    Ok(())
}

/// The chain `start -> ... -> start` when following `$ref`s from `start` returns to it; `None`
/// when the chain ends at a schema, dangles, reaches a settled pointer, or enters a cycle
/// `start` is not on (that cycle's own first member reports it). The pointers walked that are
/// on no cycle are settled afterwards.
fn cycle_from(raw: &Value, start: &str, settled: &mut HashSet<String>) -> Option<Vec<String>> {
    if settled.contains(start) {
        return None;
    }
    let mut chain = vec![start.to_owned()];
    let mut on_chain = HashSet::from([start.to_owned()]);
    let mut current = start.to_owned();
    while let Some(next) = lookup(raw, &current).and_then(reference_of) {
        if next == start {
            chain.push(next.to_owned());
            return Some(chain);
        }
        if on_chain.contains(next) {
            let entry = chain
                .iter()
                .position(|pointer| pointer == next)
                .unwrap_or(0);
            // A cycle `start` leads into: what leads there is settled, the cycle is not (its
            // first member in spec order reports it).
            chain.truncate(entry);
            break;
        }
        if settled.contains(next) {
            break;
        }
        chain.push(next.to_owned());
        on_chain.insert(next.to_owned());
        current = next.to_owned();
    }
    settled.extend(chain);
    None
}

/// The target of a `$ref` object (openapiv3 reads any object with a string `$ref` as one).
fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref")?.as_str()
}
