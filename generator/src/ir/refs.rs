//! What every part of the IR builder needs from a spec's object graph: following a `$ref` chain
//! to the object it names, and deciding which file owns the inline types found at a pointer.
//! Kept apart so that operations, responses, media and webhooks share it without importing
//! each other.

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;

use super::Home;
use super::build::Builder;
use crate::error::GenerateError;
use crate::naming::module_case;

/// Resolves a `$ref` (a chain of them) to an owned value and the pointer it was found at.
pub(super) fn resolve<T: DeserializeOwned + Clone>(
    b: &Builder<'_>,
    item: &ReferenceOr<T>,
    at: &str,
) -> Result<(T, String), GenerateError> {
    let mut reference = match item {
        ReferenceOr::Item(item) => return Ok((item.clone(), at.to_owned())),
        ReferenceOr::Reference { reference } => reference.clone(),
    };
    let mut from = at.to_owned();
    // A chain longer than this is a cycle in any spec written by hand.
    for _ in 0..32 {
        let value = b.ref_target(&reference, &from)?;
        match serde_json::from_value::<ReferenceOr<T>>(value.clone()) {
            Ok(ReferenceOr::Item(item)) => return Ok((item, reference)),
            Ok(ReferenceOr::Reference { reference: next }) => {
                from = reference;
                reference = next;
            }
            Err(e) => {
                return Err(GenerateError::at(
                    &b.doc.file,
                    &from,
                    format!("$ref `{reference}` does not point to the expected object: {e}"),
                ));
            }
        }
    }
    Err(GenerateError::at(
        &b.doc.file,
        at,
        "$ref chain too long or circular",
    ))
}

/// Home of inline types found under `pointer`: the operation's file, unless the schema belongs
/// to a shared component (then a model file, so every operation using it can import it).
pub(super) fn home_for(b: &mut Builder<'_>, pointer: &str, hint: &str, op_file: &str) -> Home {
    if pointer.starts_with("#/components/") {
        Home::Model(b.model_files.claim(&module_case(hint, "schema")))
    } else {
        Home::Operation(op_file.to_owned())
    }
}
